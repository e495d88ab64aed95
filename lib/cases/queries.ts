/**
 * Read-side queries over cases, used by the panel through liveQuery. Each
 * walks an index: none scans the 50,000-case table.
 */
import Dexie from 'dexie';
import { db as defaultDb, type SidecaseDb } from '../db/db';
import type { Case, Customer, TimelineEvent } from '../schema';

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

/** Open cases of a customer: what the duplicate offer shows. */
export async function findOpenCasesForCustomer(customerId: string, db: SidecaseDb = defaultDb): Promise<Case[]> {
  return (await listCasesForCustomer(customerId, db)).filter((c) => c.state === 'active');
}

/** A case's timeline, newest first. */
export function listTimeline(caseId: string, db: SidecaseDb = defaultDb): Promise<TimelineEvent[]> {
  return db.timeline
    .where('[caseId+at]')
    .between([caseId, Dexie.minKey], [caseId, Dexie.maxKey])
    .reverse()
    .toArray();
}
