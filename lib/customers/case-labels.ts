/**
 * The labels of stored cases' customers, for the rows of a list or a search:
 * mostly the label each case keeps, so customers are read only for old cases.
 */
import type { SidecaseDb } from '../db/db';
import type { Case, Customer } from '../schema';
import { customerLabel } from './label';

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
