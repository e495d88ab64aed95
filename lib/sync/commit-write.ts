/**
 * One write of the committer (committer.ts says when): the outcomes of a
 * batch recorded in one transaction. Each confirmed entry is deleted only
 * here, with its confirmation; runs of them as id ranges.
 */
import type { SidecaseDb } from '../db/db';
import { deleteKeyRange } from '../db/delete-range';
import { idAt } from '../ids';
import type { Delivery, OutboxEntry, SyncRecord } from '../schema';
import { backoffDelay } from './backoff';
import type { ConfirmationLog } from './delivery-log';
import type { DrainRows } from './drain-rows';
import { recordKey, type Delivered } from './drain-types';
import { BLOCKED_META_KEY, PARKED, readSyncRowsRevision } from './engine-state';
import { confirmedRuns, recordsLeft, type PagesRead } from './outbox-left';

/**
 * Sync rows put per request batch of a write (see writeOutcomes). At least 50: Dexie's live-query
 * bookkeeping tracks each row of a smaller bulkPut (its keys and every index value) and only the
 * table of a larger one.
 */
const PUT_CHUNK = 128;
/** Chunks of puts given to the database at a time. */
const PUT_CHUNKS_OUT = 2;

export interface WriteContext {
  clock: { now: () => number; random: () => number };
  /** The rows this drain read and wrote (drain-rows.ts): a row kept there is not read again. */
  rows: DrainRows;
  /** Confirmations go to the delivery log at the drain's end; failures are written here. */
  confirmations: ConfirmationLog;
  /** Records with a lane queued or running: confirmed, they stay "syncing". */
  activeLanes: ReadonlySet<string>;
  /** What the pump read of the outbox (recordsLeft). */
  read: PagesRead;
}

export async function writeOutcomes(db: SidecaseDb, batch: ReadonlyArray<{ delivered: Delivered; lane: string }>, context: WriteContext): Promise<void> {
  const { clock, rows, confirmations, activeLanes, read } = context;
  /** The rows' revision this transaction read, and the rows it wrote: kept for the next flush once it committed. */
  let revision: string | undefined;
  const written = new Map<string, SyncRecord>();
  await db.transaction('rw', [db.outbox, db.syncRecords, db.deliveries, db.meta], async () => {
    // Which entries are still there: keys only (no record is read back and decoded), and one
    // getAllKeys over the batch's id range, not anyOf (a cursor step, a round trip, per id).
    // The rows' revision is read beside them: two requests out at once, not one after the other.
    const ids = batch.map(({ delivered }) => delivered.entry.id).sort();
    const [inRange, revisionRead] = await Promise.all([db.outbox.where(':id').between(ids[0]!, ids.at(-1)!, true, true).primaryKeys(), readSyncRowsRevision(db)]);
    revision = revisionRead;
    const present = new Set(inRange);
    // Each record's first outcome here (of an entry still there): the rest build on what it wrote.
    const firsts = new Map<string, Delivered>();
    for (const { delivered } of batch) {
      const key = recordKey(delivered.entry.entity, delivered.entry.entityId);
      if (present.has(delivered.entry.id) && !firsts.has(key)) firsts.set(key, delivered);
    }
    // The stored row is needed only where it counts: a confirmation whose answer brought the
    // version and the remote id makes the row from the answer alone (see 'ok' below). It is
    // read only when this drain holds no copy of it at the revision stored now (drain-rows.ts).
    rows.useRevision(revision);
    const needed = [...firsts.values()].filter(({ outcome }) => !(outcome.kind === 'ok' && outcome.version !== undefined && outcome.remoteId !== undefined));
    const syncs = new Map<string, SyncRecord>(
      [...firsts].map(([key, { entry }]) => [key, { entity: entry.entity, entityId: entry.entityId, status: 'local' }]),
    );
    const toRead: OutboxEntry[] = [];
    for (const { entry } of needed) {
      const kept = rows.get(recordKey(entry.entity, entry.entityId));
      if (!kept) toRead.push(entry);
      else if (kept.row) syncs.set(recordKey(entry.entity, entry.entityId), kept.row);
    }
    const stored = await db.syncRecords.bulkGet(toRead.map((entry): [string, string] => [entry.entity, entry.entityId]));
    for (const [i, entry] of toRead.entries()) {
      const row = stored[i];
      if (row) syncs.set(recordKey(entry.entity, entry.entityId), row);
    }
    const confirmed = new Set<string>();
    const touched = new Set<string>();
    const deliveries: Delivery[] = [];
    const deleted: string[] = [];
    let blockedBy: { error: string; at: number } | undefined;

    for (const { delivered } of batch) {
      const { entry, outcome, theirs, at } = delivered;
      // Gone already: the agent resolved a conflict meanwhile; nothing to record.
      if (!present.has(entry.id)) continue;
      const key = recordKey(entry.entity, entry.entityId);
      const sync = syncs.get(key)!;
      // Only the engine changes `attempts`, and one drain runs at a time: the entry as read is current.
      const attempts = entry.attempts + 1;
      touched.add(key);
      const row: Omit<Delivery, 'id'> = {
        outboxId: entry.id,
        type: entry.type,
        at,
        status: 'status' in outcome ? outcome.status : undefined,
        attempts,
        ok: outcome.kind === 'ok',
        error: outcome.kind === 'ok' ? undefined : outcome.kind === 'conflict' ? 'sync.error.conflict' : outcome.error,
      };
      // Failures are logged at once (the agent acts on them); confirmations at the drain's end.
      if (outcome.kind === 'ok') confirmations.add(row);
      else deliveries.push({ id: idAt(at), ...row });

      switch (outcome.kind) {
        case 'ok':
          // Made from the answer, the stored row consulted only for what the answer lacks.
          deleted.push(entry.id);
          read.recordOf.delete(entry.id);
          confirmed.add(key);
          syncs.set(key, {
            entity: entry.entity,
            entityId: entry.entityId,
            status: 'syncing',
            // No ETag in the answer: forget the old one, else the next If-Match would be stale.
            etag: outcome.etag,
            remoteVersion: outcome.version ?? sync.remoteVersion,
            remoteId: outcome.remoteId ?? sync.remoteId,
            lastSyncedAt: at,
            echo: outcome.echo,
          });
          break;
        case 'retry': {
          const wait = Math.max(backoffDelay(attempts, { random: clock.random }), outcome.retryAfterMs ?? 0);
          await db.outbox.update(entry.id, { attempts, nextAttemptAt: at + wait, lastError: outcome.error });
          syncs.set(key, { ...sync, status: 'local', error: outcome.error });
          confirmed.delete(key);
          break;
        }
        case 'conflict':
          await db.outbox.update(entry.id, { attempts, lastError: 'sync.error.conflict' });
          syncs.set(key, {
            ...sync,
            status: 'conflict',
            error: undefined,
            theirs: theirs.data,
            // "Keep mine" sends our version with If-Match of THEIR ETag.
            etag: theirs.etag ?? sync.etag,
            remoteVersion: theirs.version ?? sync.remoteVersion,
          });
          confirmed.delete(key);
          break;
        case 'fatal':
          // Kept, never dropped: a refused change waits for the agent (Retry, new settings, Sync now).
          await db.outbox.update(entry.id, {
            attempts,
            lastError: outcome.error,
            nextAttemptAt: outcome.scope === 'record' ? PARKED : entry.nextAttemptAt,
          });
          syncs.set(key, { ...sync, status: 'error', error: outcome.error });
          confirmed.delete(key);
          if (outcome.scope === 'backend') blockedBy = { error: outcome.error, at };
          break;
      }
    }

    if (deliveries.length) await db.deliveries.bulkAdd(deliveries);
    // Confirmed entries mostly lie side by side in id order: one range delete per run of them
    // instead of a request per entry (in a large drain, most of the engine's storage work).
    const going = new Set(deleted);
    const deleting = Promise.all(confirmedRuns(inRange, going).map(([first, last]) => (first === last ? db.outbox.delete(first) : deleteKeyRange(db.outbox, first, last))));
    // A record whose last outcome here was a confirmation: "syncing" while its lane still holds
    // entries (no query needed), else synced when nothing of it is left in the outbox once its
    // confirmed entries are gone (read beside their deletion, not after it: recordsLeft).
    const settled = [...confirmed].filter((key) => !activeLanes.has(key));
    for (const key of confirmed) if (activeLanes.has(key)) syncs.get(key)!.status = 'syncing';
    const [, left] = await Promise.all([deleting, settled.length ? recordsLeft(db, settled.map((key) => syncs.get(key)!), read, going) : undefined]);
    for (const key of settled) syncs.get(key)!.status = left!.has(key) ? 'local' : 'synced';
    for (const key of touched) written.set(key, syncs.get(key)!);
    // While lanes still run, in chunks: the puts of a large batch are made on the worker's one
    // thread, and made all at once they held it for tens of milliseconds, while the answers that
    // came in meanwhile waited to be read and their lanes' next requests to go out. The next chunk
    // is made when the one before the last is written, so the database always has one to write
    // while the thread does other work. With none running (a drain's last write) nothing waits
    // for the thread: all at once.
    const puts = [...written.values()];
    const chunk = activeLanes.size > 0 ? PUT_CHUNK : puts.length;
    const putting: Array<Promise<unknown>> = [];
    for (let i = 0; i < puts.length; i += chunk) {
      if (putting.length >= PUT_CHUNKS_OUT) await putting.shift();
      putting.push(db.syncRecords.bulkPut(puts.slice(i, i + chunk)));
    }
    await Promise.all(putting);
    if (blockedBy) await db.meta.put({ key: BLOCKED_META_KEY, value: blockedBy });
  });
  rows.wrote(revision, written);
}
