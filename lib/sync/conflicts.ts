/**
 * resolveConflict: the case's "Changed elsewhere — Load their version / Keep
 * mine". Nothing is overwritten without the agent choosing.
 * - theirs: their version replaces ours, our unsent changes of that record are
 *   dropped, the record is synced.
 * - mine: our current version is queued as a new change carrying If-Match of
 *   THEIR ETag (stored when the conflict was found), so it wins only over the
 *   version the agent saw. An attachment is queued by reference (its bytes
 *   stay in the attachments table), never with its Blob.
 */
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { attachmentMeta } from '../attachments/attachments';
import { appendOutbox } from '../db/changes';
import { SidecaseError } from '../errors';
import { markSyncRowsChanged } from './engine-state';
import { storePulledRecord, tableOf, toLocalRecord, updatedTypeOf, type Entity } from './records';

export type ConflictChoice = 'theirs' | 'mine';

export async function resolveConflict(
  entity: Entity,
  id: string,
  choice: ConflictChoice,
  { db = defaultDb, now = Date.now() }: { db?: SidecaseDb; now?: number } = {},
): Promise<void> {
  const table = tableOf(db, entity);
  // Attachments are not pulled (tableOf has none) but "Keep mine" reads them: without them in
  // the scope, Dexie refused the read and "Keep mine" on an attachment always failed.
  const tables = [db.syncRecords, db.outbox, db.customers, db.notes, db.cases, db.attachments, db.meta];
  await db.transaction('rw', tables, async () => {
    const key: [string, string] = [entity, id];
    const sync = await db.syncRecords.get(key);
    if (!sync || sync.status !== 'conflict') throw new SidecaseError('sync.conflict.none');
    const pending = await db.outbox.where('[entity+entityId]').equals(key).sortBy('id');
    // Both choices write the row below: a drain's copy of it is stale from here.
    await markSyncRowsChanged(db);

    if (choice === 'theirs') {
      if (table) {
        if (!sync.theirs) throw new SidecaseError('sync.conflict.theirsMissing');
        const record = await toLocalRecord(db, entity, id, sync.theirs);
        if (!record) throw new SidecaseError('sync.error.invalidResponse');
        await storePulledRecord(db, entity, record);
      }
      await db.outbox.bulkDelete(pending.map((entry) => entry.id));
      await db.syncRecords.put({
        entity,
        entityId: id,
        status: 'synced',
        etag: sync.etag,
        remoteVersion: sync.remoteVersion,
        lastSyncedAt: now,
        remoteId: sync.remoteId,
      });
      return;
    }

    const attachment = table ? undefined : await db.attachments.get(id);
    const local = table ? await table.get(id) : attachment && attachmentMeta(attachment);
    const last = pending.at(-1);
    if (!local && !last?.type.endsWith('.deleted')) throw new SidecaseError('sync.conflict.localMissing');
    await db.outbox.bulkDelete(pending.map((entry) => entry.id));
    await appendOutbox(db, {
      entity,
      entityId: id,
      type: local ? updatedTypeOf(entity) : last!.type,
      at: now,
      // An attachment is queued by reference, as when it was added: the engine reads its bytes when it sends.
      data: local ?? last!.data,
    });
    await db.syncRecords.put({ entity, entityId: id, status: 'local', etag: sync.etag, remoteVersion: sync.remoteVersion, remoteId: sync.remoteId });
  });
}
