/**
 * A search as the panel shows it: the best cases for the query (search.ts),
 * each as a CaseSearchResult row with its customer's label. The background
 * answers the panel's `search.cases` message with this (message-handlers.ts);
 * the panel runs the same function itself when the background cannot answer.
 */
import { onTablesChanged } from '../db/watch';
import { customerLabel } from '../customers/label';
import { db as defaultDb, type SidecaseDb } from '../db/db';
import type { CaseSearchResult, Customer } from '../schema';
import { clearSearchCaches, searchCases } from './search';

/** Customers named in results, kept while nothing changes (results repeat from keystroke to keystroke). */
const customerCache = new Map<string, Customer>();
const CUSTOMER_CACHE_MAX = 2000;

onTablesChanged(['customers'], () => customerCache.clear());

/** Forget every cached read of search (cases, key sets, customers). */
export function clearResultCaches(): void {
  clearSearchCaches();
  customerCache.clear();
}

export async function findSearchResults(query: string, options: { limit: number; db?: SidecaseDb }): Promise<CaseSearchResult[]> {
  const db = options.db ?? defaultDb;
  const hits = await searchCases(query, { limit: options.limit, db });
  const key = (id: string) => `${db.name}|${id}`;
  // Cases keep their customer's label; one stored before that (see
  // Case.customerLabel) has its customer read.
  const unlabelled = hits.filter((h) => h.case.customerLabel === undefined);
  const missing = [...new Set(unlabelled.map((h) => h.case.customerId))].filter((id) => !customerCache.has(key(id)));
  if (missing.length > 0) {
    if (customerCache.size > CUSTOMER_CACHE_MAX) customerCache.clear();
    const found = await db.customers.bulkGet(missing);
    found.forEach((customer, i) => customer && customerCache.set(key(missing[i]!), customer));
  }
  return hits.map(({ case: c, inNotes }) => ({
    id: c.id,
    number: c.number,
    title: c.title,
    customerId: c.customerId,
    priority: c.priority,
    state: c.state,
    ...(c.statusReason !== undefined && { statusReason: c.statusReason }),
    updatedAt: c.updatedAt,
    customerLabel: c.customerLabel ?? customerLabel(customerCache.get(key(c.customerId))),
    inNotes,
  }));
}
