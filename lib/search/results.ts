/**
 * A search as the panel shows it: the best cases for the query (search.ts),
 * each as a CaseSearchResult row with its customer's label. The background
 * answers the panel's `search.cases` message with this (message-handlers.ts);
 * the panel runs the same function itself when the background cannot answer.
 */
import { onTablesChanged } from '../db/watch';
import { caseLabels } from '../customers/case-labels';
import { db as defaultDb, type SidecaseDb } from '../db/db';
import type { CaseSearchResult, Customer } from '../schema';
import { clearSearchCaches, searchCases } from './search';

/** Customers named in results, per database, kept while none changes (results repeat from keystroke to keystroke). */
const customerCaches = new Map<string, Map<string, Customer>>();
const CUSTOMER_CACHE_MAX = 2000;

onTablesChanged(['customers'], () => customerCaches.clear());

/** Forget every cached read of search (cases, key sets, customers). */
export function clearResultCaches(): void {
  clearSearchCaches();
  customerCaches.clear();
}

export async function findSearchResults(query: string, options: { limit: number; db?: SidecaseDb }): Promise<CaseSearchResult[]> {
  const db = options.db ?? defaultDb;
  const hits = await searchCases(query, { limit: options.limit, db });
  let customers = customerCaches.get(db.name);
  if (!customers || customers.size > CUSTOMER_CACHE_MAX) customerCaches.set(db.name, (customers = new Map()));
  const labels = await caseLabels(db, hits.map((h) => h.case), customers);
  return hits.map(({ case: c, inNotes }) => ({
    id: c.id,
    number: c.number,
    title: c.title,
    customerId: c.customerId,
    priority: c.priority,
    state: c.state,
    ...(c.statusReason !== undefined && { statusReason: c.statusReason }),
    updatedAt: c.updatedAt,
    customerLabel: labels.get(c.id) ?? '',
    inNotes,
  }));
}
