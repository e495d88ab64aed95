/**
 * Read-side queries over cases, used by the panel through liveQuery. Each
 * walks an index: none scans the 50,000-case table.
 */
import Dexie from 'dexie';
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { SidecaseError } from '../errors';
import type { Case, CaseState, Customer, Origin, Priority, StatusReason, TimelineEvent } from '../schema';

/** "My active cases": the owner's active cases, most recently updated first. */
export function listMyActiveCases(owner: string, limit = 50, db: SidecaseDb = defaultDb): Promise<Case[]> {
  return db.cases
    .where('[owner+state+updatedAt]')
    .between([owner, 'active', Dexie.minKey], [owner, 'active', Dexie.maxKey])
    .reverse()
    .limit(limit)
    .toArray();
}

export function countMyActiveCases(owner: string, db: SidecaseDb = defaultDb): Promise<number> {
  return db.cases
    .where('[owner+state+updatedAt]')
    .between([owner, 'active', Dexie.minKey], [owner, 'active', Dexie.maxKey])
    .count();
}

/**
 * The owner's active cases counted up to `cap`: the panel header's count.
 * A native count walks every index entry of the range (all 50,000 for an
 * agent who owns that many) and re-runs after each save, where the save
 * after it has to wait for it; reading at most `cap` keys costs the same
 * whatever the table holds. `cap` or more means "at least that many".
 */
export async function countMyActiveCasesUpTo(owner: string, cap: number, db: SidecaseDb = defaultDb): Promise<number> {
  const keys = await db.cases
    .where('[owner+state+updatedAt]')
    .between([owner, 'active', Dexie.minKey], [owner, 'active', Dexie.maxKey])
    .limit(cap)
    .primaryKeys();
  return keys.length;
}

export function getCase(id: string, db: SidecaseDb = defaultDb): Promise<Case | undefined> {
  return db.cases.get(id);
}

export function getCustomer(id: string, db: SidecaseDb = defaultDb): Promise<Customer | undefined> {
  return db.customers.get(id);
}

/** The customer's cases, newest first (the customer card's "other cases"). */
export async function listCasesForCustomer(customerId: string, db: SidecaseDb = defaultDb): Promise<Case[]> {
  const cases = await db.cases.where('customerId').equals(customerId).toArray();
  return cases.sort((a, b) => b.updatedAt - a.updatedAt);
}

/** A case's timeline, newest first. */
export function listTimeline(caseId: string, db: SidecaseDb = defaultDb): Promise<TimelineEvent[]> {
  return db.timeline
    .where('[caseId+at]')
    .between([caseId, Dexie.minKey], [caseId, Dexie.maxKey])
    .reverse()
    .toArray();
}

// ------------------------------------------------------------------ views (issue 5)

export const CASE_VIEWS = ['mine', 'allActive', 'resolved', 'cancelled', 'customer'] as const;
export type CaseView = (typeof CASE_VIEWS)[number];
export const CASE_SORTS = ['updated', 'priority', 'sla'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];

export interface CaseFilters {
  priority?: Priority;
  statusReason?: StatusReason;
  origin?: Origin;
  /** Matched ignoring case. */
  tag?: string;
}

export interface ListCasesOptions {
  view: CaseView;
  /** Required for 'mine'. */
  owner?: string;
  /** Required for 'customer'. */
  customerId?: string;
  sort?: CaseSort;
  filters?: CaseFilters;
  offset?: number;
  limit?: number;
  db?: SidecaseDb;
}

/** Urgent first: the order of the priority sort. */
const PRIORITY_ORDER: readonly Priority[] = ['urgent', 'high', 'normal', 'low'];

const STATE_OF: Record<Exclude<CaseView, 'customer'>, CaseState> = {
  mine: 'active',
  allActive: 'active',
  resolved: 'resolved',
  cancelled: 'cancelled',
};

function filterOf(filters: CaseFilters | undefined): ((c: Case) => boolean) | undefined {
  if (!filters) return undefined;
  const tag = filters.tag?.trim().toLocaleLowerCase();
  const active = [filters.priority, filters.statusReason, filters.origin, tag].some((f) => f !== undefined && f !== '');
  if (!active) return undefined;
  return (c) =>
    (!filters.priority || c.priority === filters.priority) &&
    (!filters.statusReason || c.statusReason === filters.statusReason) &&
    (!filters.origin || c.origin === filters.origin) &&
    (!tag || c.tagKeys.includes(tag));
}

/**
 * The ordered index ranges whose concatenation is the view in its sort. The
 * priority sort is four ranges, urgent first, each by most recently updated.
 */
type CaseCollection = ReturnType<SidecaseDb['cases']['toCollection']>;

function segmentsOf(db: SidecaseDb, options: ListCasesOptions): CaseCollection[] {
  const sort = options.sort ?? 'updated';
  if (options.view === 'customer') throw new Error('customer view is not segmented');
  const state = STATE_OF[options.view];
  const mine = options.view === 'mine';
  if (mine && options.owner === undefined) throw new SidecaseError('case.view.ownerRequired');
  const head: string[] = mine ? [options.owner!, state] : [state];
  const prefix = mine ? '[owner+state+' : '[state+';

  if (sort === 'priority') {
    const priorities = options.filters?.priority ? [options.filters.priority] : PRIORITY_ORDER;
    return priorities.map((p) =>
      db.cases
        .where(`${prefix}priority+updatedAt]`)
        .between([...head, p, Dexie.minKey], [...head, p, Dexie.maxKey])
        .reverse(),
    );
  }
  if (sort === 'sla') {
    // Soonest deadline first.
    return [db.cases.where(`${prefix}slaDueAt]`).between([...head, Dexie.minKey], [...head, Dexie.maxKey])];
  }
  return [
    db.cases
      .where(`${prefix}updatedAt]`)
      .between([...head, Dexie.minKey], [...head, Dexie.maxKey])
      .reverse(),
  ];
}

function compareFor(sort: CaseSort): (a: Case, b: Case) => number {
  if (sort === 'priority') {
    return (a, b) => PRIORITY_ORDER.indexOf(a.priority) - PRIORITY_ORDER.indexOf(b.priority) || b.updatedAt - a.updatedAt;
  }
  if (sort === 'sla') return (a, b) => (a.slaDueAt ?? Infinity) - (b.slaDueAt ?? Infinity);
  return (a, b) => b.updatedAt - a.updatedAt;
}

/**
 * One page of a case view (the panel's virtualized list asks page by page).
 * Walks an index in the sort's order; filters run on the walked records, so a
 * page costs its own size plus what the filters skip.
 */
export async function listCases(options: ListCasesOptions): Promise<Case[]> {
  const db = options.db ?? defaultDb;
  const offset = options.offset ?? 0;
  const limit = options.limit ?? 50;
  const filter = filterOf(options.filters);

  if (options.view === 'customer') {
    if (!options.customerId) throw new SidecaseError('case.view.customerRequired');
    // A customer has a handful of cases: read them and sort in memory.
    const all = await db.cases.where('customerId').equals(options.customerId).toArray();
    return all
      .filter((c) => !filter || filter(c))
      .sort(compareFor(options.sort ?? 'updated'))
      .slice(offset, offset + limit);
  }

  const page: Case[] = [];
  let skip = offset;
  for (const segment of segmentsOf(db, options)) {
    if (page.length >= limit) break;
    const collection = filter ? segment.filter(filter) : segment;
    if (skip > 0) {
      const size = await collection.clone().count();
      if (size <= skip) {
        skip -= size;
        continue;
      }
    }
    const rows = await collection.offset(skip).limit(limit - page.length).toArray();
    skip = 0;
    page.push(...rows);
  }
  return page;
}

/** How many cases the view holds with these filters (the list's length). */
export async function countCases(options: Omit<ListCasesOptions, 'offset' | 'limit'>): Promise<number> {
  const db = options.db ?? defaultDb;
  const filter = filterOf(options.filters);
  if (options.view === 'customer') {
    if (!options.customerId) throw new SidecaseError('case.view.customerRequired');
    const all = await db.cases.where('customerId').equals(options.customerId).toArray();
    return filter ? all.filter(filter).length : all.length;
  }
  let total = 0;
  for (const segment of segmentsOf(db, options)) total += await (filter ? segment.filter(filter) : segment).count();
  return total;
}

/** The customer card's "recent cases": the customer's latest cases, except the one open. */
export async function recentCasesForCustomer(
  customerId: string,
  options: { exceptId?: string; limit?: number; db?: SidecaseDb } = {},
): Promise<Case[]> {
  const cases = await listCasesForCustomer(customerId, options.db ?? defaultDb);
  return cases.filter((c) => c.id !== options.exceptId).slice(0, options.limit ?? 5);
}
