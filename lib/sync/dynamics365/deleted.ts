/**
 * A case whose incident was deleted in Dynamics 365. Nothing is deleted
 * here: the case, its notes and files stay as the agent wrote them. The case
 * is marked instead (its `syncRecords` row: status `error`, the message key
 * DELETED_IN_D365, shown beside the case as "Deleted in Dynamics 365"), and
 * from then on its changes are not sent: each is held (parked) with that
 * reason. "Re-create in Dynamics 365" (recreateIncident) makes it a new
 * incident with the same id, its notes and files as new annotations.
 *
 * The mark comes from the pull (a `$deletedEntity` row of change tracking,
 * learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems)
 * or from a case change answered "Does Not Exist" (404, 0x80040217), which is
 * how the deletion shows when change tracking is off for incidents.
 */
import type { SidecaseDb } from '../../db/db';
import { appendOutbox } from '../../db/changes';
import { attachmentMeta } from '../../attachments/attachments';
import { markSyncRowsChanged } from '../engine-state';

export const DELETED_IN_D365 = 'sync.d365.caseDeleted';

export async function isIncidentDeleted(db: SidecaseDb, caseId: string): Promise<boolean> {
  return (await db.syncRecords.get(['case', caseId]))?.error === DELETED_IN_D365;
}

/**
 * The ids of every case marked so, in one read (the marked rows have status
 * `error`, an index): the adapter reads them once per drain instead of a
 * row per change (a transaction each, most of a drain's database work).
 */
export async function deletedIncidents(db: SidecaseDb): Promise<Set<string>> {
  const rows = await db.syncRecords.where('status').equals('error').toArray();
  return new Set(rows.filter((row) => row.entity === 'case' && row.error === DELETED_IN_D365).map((row) => row.entityId));
}

/** Marks the case; keeps its other sync fields (the remote id stays shown). */
export async function markIncidentDeleted(db: SidecaseDb, caseId: string): Promise<void> {
  await db.transaction('rw', [db.syncRecords, db.meta], async () => {
    await markSyncRowsChanged(db);
    const sync = await db.syncRecords.get(['case', caseId]);
    await db.syncRecords.put({ ...sync, entity: 'case', entityId: caseId, status: 'error', error: DELETED_IN_D365, etag: undefined, sendingSince: undefined });
  });
}

/**
 * "Re-create in Dynamics 365": the case's waiting and held changes, and those
 * of its notes and files, are replaced by one creation each, from the records
 * as they are now (the deleted incident took its annotations with it). The
 * incident gets the case's own id again: a deleted row's id is free. Returns
 * false when the case is not marked (nothing to do).
 */
export async function recreateIncident(caseId: string, { db, now = Date.now() }: { db: SidecaseDb; now?: number }): Promise<boolean> {
  return db.transaction('rw', [db.cases, db.notes, db.attachments, db.outbox, db.syncRecords, db.meta], async () => {
    const record = await db.cases.get(caseId);
    if (!record || !(await isIncidentDeleted(db, caseId))) return false;
    const notes = await db.notes.where('caseId').equals(caseId).toArray();
    const files = await db.attachments.where('caseId').equals(caseId).toArray();
    const keys: Array<[string, string]> = [['case', caseId], ...notes.map((n): [string, string] => ['note', n.id]), ...files.map((f): [string, string] => ['attachment', f.id])];
    for (const key of keys) await db.outbox.where('[entity+entityId]').equals(key).delete();
    await db.syncRecords.bulkDelete(keys);
    await markSyncRowsChanged(db);
    await appendOutbox(db, { entity: 'case', entityId: caseId, type: 'case.created', at: now, data: record });
    for (const note of notes) await appendOutbox(db, { entity: 'note', entityId: note.id, type: 'note.added', at: now, data: note });
    for (const file of files) await appendOutbox(db, { entity: 'attachment', entityId: file.id, type: 'attachment.added', at: now, data: attachmentMeta(file) });
    return true;
  });
}
