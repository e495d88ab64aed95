import { LIMITS } from '../constants';
import type { SidecaseDb } from '../db/db';
import type { Case, Customer } from '../schema';

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

/**
 * The label each case's row shows, by case id: the one the case keeps, else
 * (a case stored before cases kept one) its customer's, read once for all such
 * cases. `customers` keeps the customers read, between calls too.
 */
export async function caseLabels(
  db: SidecaseDb,
  cases: ReadonlyArray<Pick<Case, 'id' | 'customerId' | 'customerLabel'>>,
  customers: Map<string, Customer> = new Map(),
): Promise<Map<string, string>> {
  const missing = [...new Set(cases.filter((c) => c.customerLabel === undefined).map((c) => c.customerId))].filter((id) => !customers.has(id));
  if (missing.length > 0) {
    const found = await db.customers.bulkGet(missing);
    found.forEach((customer, i) => customer && customers.set(missing[i]!, customer));
  }
  return new Map(cases.map((c) => [c.id, c.customerLabel ?? customerLabel(customers.get(c.customerId))]));
}
