/**
 * A customer's label, as lists name it. Pure, no database: lib/cases/derive.ts
 * (imported by the schema migration too) keeps it on each case; reading the
 * labels of stored cases is case-labels.ts.
 */
import { LIMITS } from '../constants';
import type { Customer } from '../schema';

/**
 * How a list row or a card names a customer: the name, else the company, the
 * first email or the first phone (a customer captured from a chat may have
 * only a phone). Empty when there is no customer. Cut to
 * LIMITS.customerLabelMax: a customer pulled from a backend may carry a longer
 * email than the form allows.
 */
export function customerLabel(customer: Pick<Customer, 'name' | 'company' | 'emails' | 'phones'> | undefined): string {
  if (!customer) return '';
  return (customer.name || customer.company || customer.emails[0] || customer.phones[0] || '').slice(0, LIMITS.customerLabelMax);
}
