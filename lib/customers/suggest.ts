/**
 * Customer suggestions while the agent types a name, email or phone: a prefix
 * look-up on the `*searchKeys` index (see search-keys.ts), so it stays instant
 * with tens of thousands of customers.
 */
import { db as defaultDb, type SidecaseDb } from '../db/db';
import type { Customer } from '../schema';
import { searchKeyOf } from './search-keys';

export const MIN_QUERY_LENGTH = 2;

export async function suggestCustomers(query: string, limit = 6, db: SidecaseDb = defaultDb): Promise<Customer[]> {
  const key = searchKeyOf(query);
  if (key.length < MIN_QUERY_LENGTH) return [];
  const ids = new Set<string>();
  const found: Customer[] = [];
  // A customer can match through several keys; keep the first of each.
  await db.customers
    .where('searchKeys')
    .startsWith(key)
    .until(() => found.length >= limit)
    .each((customer) => {
      if (!ids.has(customer.id)) {
        ids.add(customer.id);
        found.push(customer);
      }
    });
  return found;
}
