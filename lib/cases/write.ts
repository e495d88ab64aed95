/**
 * Shared steps of every case change after creation (lifecycle, notes,
 * attachments, follow-ups, customer edits): load the case or say it is gone,
 * refuse changes to a read-only case, and save a new version of it with its
 * search words refreshed. Each helper runs inside the caller's transaction.
 */
import type { SidecaseDb } from '../db/db';
import { SidecaseError } from '../errors';
import { Case, type Customer, type FollowUp } from '../schema';
import { mergeNoteWords } from '../search/words';
import { deriveCaseFields } from './derive';
import { isReadOnly } from './read-only';

export async function requireCase(db: SidecaseDb, id: string): Promise<Case> {
  const record = await db.cases.get(id);
  if (!record) throw new SidecaseError('case.notFound');
  return record;
}

export function requireActive(record: Case): void {
  if (isReadOnly(record)) throw new SidecaseError('case.readOnly');
}

export async function requireActiveCase(db: SidecaseDb, id: string): Promise<Case> {
  const record = await requireCase(db, id);
  requireActive(record);
  return record;
}

/**
 * The next version of a case: validated by the schema, version + 1, updated
 * now, its derived fields (tag keys, words, customer label, SLA sort key)
 * refreshed from it and its customer, stored. Returns what was stored.
 */
export async function putCaseVersion(db: SidecaseDb, before: Case, changes: Partial<Case>, now: number): Promise<Case> {
  const merged = { ...before, ...changes };
  const customer = await db.customers.get(merged.customerId);
  const next = Case.parse({
    ...merged,
    updatedAt: Math.max(now, before.updatedAt),
    version: before.version + 1,
    ...deriveCaseFields(merged, customer),
  } satisfies Case);
  await db.cases.put(next);
  return next;
}

/** The words of all of a case's notes (its `noteWords`), read from the notes' stored words. */
export async function noteWordsOfCase(db: SidecaseDb, caseId: string): Promise<string[]> {
  const notes = await db.notes.where('caseId').equals(caseId).toArray();
  return mergeNoteWords(notes.map((n) => n.words));
}

/**
 * Refresh a case's note words after one of its notes changed. Derived data
 * only: the case itself did not change, so no new version and no outbox entry.
 */
export async function refreshCaseNoteWords(db: SidecaseDb, caseId: string): Promise<void> {
  await db.cases.update(caseId, { noteWords: await noteWordsOfCase(db, caseId) });
}

/**
 * Refresh the derived fields (search words, customer label) of every case of
 * a customer after the customer changed: its edit here, or a pull or "Load
 * their version" of it. Derived data only: the cases themselves did not
 * change, so no new version and no outbox entry. Inside the caller's
 * transaction (cases).
 */
export async function refreshCasesOfCustomer(db: SidecaseDb, customer: Pick<Customer, 'id' | 'name' | 'company' | 'emails' | 'phones'>): Promise<void> {
  await db.cases
    .where('customerId')
    .equals(customer.id)
    .modify((record) => {
      Object.assign(record, deriveCaseFields(record, customer));
    });
}

/** Open follow-ups of a case, soonest due first. */
export async function openFollowUpsOf(db: SidecaseDb, caseId: string): Promise<FollowUp[]> {
  const all = await db.followUps.where('caseId').equals(caseId).toArray();
  return all.filter((f) => !f.done).sort((a, b) => a.dueAt - b.dueAt);
}

/**
 * Open follow-ups block resolving and cancelling. The error carries them, so
 * the UI can offer to close them (`closeFollowUps`) and try again.
 */
export class FollowUpsOpenError extends SidecaseError {
  constructor(readonly followUps: FollowUp[]) {
    super('case.followUps.open');
    this.name = 'FollowUpsOpenError';
  }
}

export async function refuseOpenFollowUps(db: SidecaseDb, caseIds: readonly string[]): Promise<void> {
  const open = (await Promise.all(caseIds.map((id) => openFollowUpsOf(db, id)))).flat();
  if (open.length > 0) throw new FollowUpsOpenError(open);
}
