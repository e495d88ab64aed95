/**
 * drainOutbox: delivers the outbox to the configured backend.
 *
 * - Order per record: only the oldest entry of a record (its "head") may be
 *   sent; the next one waits until the head is confirmed. Different records
 *   go in parallel, at most `maxConcurrent` requests at a time.
 * - Exactly once: an entry is deleted only after a 2xx, in the same
 *   transaction that records the confirmation. The service worker may die at
 *   any point; the entry is then sent again with the same Idempotency-Key and
 *   the backend applies it once.
 * - No fetch inside a transaction: read, send, then write in a short
 *   transaction of its own.
 * - A failed record is tried at most once per drain; its entry waits
 *   max(backoff with jitter, Retry-After).
 *
 * Its parts, a file each: the drain lock (drain-lock.ts), the request pump
 * (request-pump.ts), the committer (committer.ts, its writes commit-write.ts) and the delivery log
 * (delivery-log.ts); this file runs a drain's passes over them and is the one
 * the rest of Sidecase imports the engine from.
 */
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { createAdapter } from './adapters';
import { Committer } from './committer';
import { ConfirmationLog, trimDeliveries } from './delivery-log';
import { DrainRows } from './drain-rows';
import { serialiseDrain } from './drain-lock';
import type { DrainOptions, DrainResult } from './drain-types';
import { LAST_SYNC_META_KEY, readSyncBlock, unblockSync } from './engine-state';
import { deliverPass, type Pass } from './request-pump';

export type { DrainOptions, DrainResult, SyncIo } from './drain-types';
export { confirmedRuns } from './outbox-left';
export { DELIVERY_LOG_MAX, retryEntry } from './delivery-log';
export { SYNCING_AFTER_MS } from './request-pump';

/** Delivers the outbox; one drain at a time per database, and a call during a drain runs once right after it. */
export function drainOutbox(options: DrainOptions): Promise<DrainResult> {
  const db = options.db ?? defaultDb;
  return serialiseDrain(db, () => runDrain(db, options));
}

async function runDrain(db: SidecaseDb, options: DrainOptions): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, retried: 0, failed: 0, conflicts: 0 };
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const maxConcurrent = Math.max(1, options.maxConcurrent ?? 4);
  // maxConcurrent: an adapter that groups changes into one request keeps its requests to it.
  const io = { fetch: options.fetch ?? globalThis.fetch.bind(globalThis), now, timeoutMs: options.timeoutMs, maxConcurrent };
  const adapter = createAdapter(options.settings, io, db);
  if (!adapter) return result;

  if (options.force) await unblockSync(db, now());
  else {
    const block = await readSyncBlock(db);
    if (block) return { ...result, blocked: block.error };
  }
  // A worker that died mid-send left its records "syncing": they are pending again.
  await db.syncRecords.where('status').equals('syncing').modify({ status: 'local' });

  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const rows = new DrainRows();
  const pass: Pass = {
    db,
    adapter,
    now,
    maxConcurrent,
    pageSize: batchSize,
    result,
    triedAndFailed: new Set<string>(),
    etags: new Map<string, string | undefined>(),
    committer: new Committer(db, { now, random }, new ConfirmationLog(), rows),
    rows,
  };

  // Passes repeat until one sends nothing: a pass streams the outbox once, in id order. Before
  // the next pass reads from the start again, every outcome is committed: a confirmed entry is
  // never read back (and sent twice) because its deletion was still waiting for a flush.
  for (;;) {
    const sentBefore = result.sent;
    try {
      await deliverPass(pass);
    } finally {
      await pass.committer.flush();
    }
    if (pass.blocked || result.sent === sentBefore) break;
  }

  // Records whose lane was cut short (a block) are pending, not syncing.
  await db.syncRecords.where('status').equals('syncing').modify({ status: 'local' });
  await pass.committer.confirmations.write(db);
  if (result.sent > 0) await db.meta.put({ key: LAST_SYNC_META_KEY, value: now() });
  await trimDeliveries(db);
  return pass.blocked ? { ...result, blocked: pass.blocked } : result;
}
