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
 */
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { newId } from '../ids';
import type { OutboxEntry, SyncRecord } from '../schema';
import { createAdapter } from './adapters';
import type { Adapter, Outcome } from './adapters/types';
import { backoffDelay } from './backoff';
import { LAST_SYNC_META_KEY, BLOCKED_META_KEY, PARKED, readSyncBlock, unblockSync } from './engine-state';
import type { BackendSettings } from './settings';

export const DELIVERY_LOG_MAX = 500;

export interface SyncIo {
  db?: SidecaseDb;
  settings: BackendSettings;
  fetch?: typeof globalThis.fetch;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
  /** Uniform in [0, 1), for backoff jitter. */
  random?: () => number;
  /** Per request, body read included. */
  timeoutMs?: number;
}

export interface DrainOptions extends SyncIo {
  maxConcurrent?: number;
  /** Entries looked at per round; rounds repeat until nothing is due. */
  batchSize?: number;
  /** "Sync now": lift a 401/404 block and release parked entries first. */
  force?: boolean;
}

export interface DrainResult {
  sent: number;
  retried: number;
  failed: number;
  conflicts: number;
  /** The message key that stopped every delivery (wrong token, wrong URL…), if any. */
  blocked?: string;
}

interface Lane {
  entity: OutboxEntry['entity'];
  entityId: string;
  key: string;
  entries: OutboxEntry[];
}

const recordKey = (entity: string, entityId: string) => `${entity}\u0000${entityId}`;

/** One drain at a time per database; a call during a drain runs once right after it (calls coalesce). */
const locks = new WeakMap<SidecaseDb, { running: Promise<DrainResult>; queued?: Promise<DrainResult> }>();
const noop = () => {};

export function drainOutbox(options: DrainOptions): Promise<DrainResult> {
  const db = options.db ?? defaultDb;
  const state = locks.get(db);
  if (state?.queued) return state.queued;
  if (state) {
    const queued: Promise<DrainResult> = state.running.then(noop, noop).then(() => {
      state.running = queued;
      state.queued = undefined;
      return withCrossContextLock(db, () => runDrain(db, options));
    });
    state.queued = queued;
    queued.finally(() => release(db, state, queued)).catch(noop);
    return queued;
  }
  const running = withCrossContextLock(db, () => runDrain(db, options));
  const fresh = { running };
  locks.set(db, fresh);
  running.finally(() => release(db, fresh, running)).catch(noop);
  return running;
}

/**
 * Across contexts (the background and an extension page both open the same
 * database) the Web Locks API serialises drains; where it is missing (Node),
 * the in-process lock above is the only one.
 */
function withCrossContextLock(db: SidecaseDb, run: () => Promise<DrainResult>): Promise<DrainResult> {
  type Locks = { request(name: string, callback: () => Promise<DrainResult>): Promise<DrainResult> };
  const locksApi = (globalThis.navigator as { locks?: Locks } | undefined)?.locks;
  return locksApi ? locksApi.request(`sidecase-sync-drain:${db.name}`, run) : run();
}

function release(db: SidecaseDb, state: { running: Promise<DrainResult>; queued?: Promise<DrainResult> }, done: Promise<DrainResult>) {
  if (locks.get(db) === state && state.running === done && !state.queued) locks.delete(db);
}

async function runDrain(db: SidecaseDb, options: DrainOptions): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, retried: 0, failed: 0, conflicts: 0 };
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const adapter = createAdapter(options.settings, {
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    now,
    timeoutMs: options.timeoutMs,
  });
  if (!adapter) return result;

  if (options.force) await unblockSync(db, now());
  else {
    const block = await readSyncBlock(db);
    if (block) return { ...result, blocked: block.error };
  }
  // A worker that died mid-send left its records "syncing": they are pending again.
  await db.syncRecords.where('status').equals('syncing').modify({ status: 'local' });

  const maxConcurrent = Math.max(1, options.maxConcurrent ?? 4);
  const batchSize = Math.max(1, options.batchSize ?? 200);
  const triedAndFailed = new Set<string>();
  let blocked: string | undefined;

  for (;;) {
    const lanes = await nextLanes(db, now(), batchSize, triedAndFailed);
    if (lanes.length === 0) break;
    await markSyncing(db, lanes);
    const sentBefore = result.sent;
    await runPool(lanes, maxConcurrent, async (lane) => {
      for (const [index, entry] of lane.entries.entries()) {
        if (blocked) return;
        const outcome = await deliverOne(db, adapter, entry, lane.entries.length - index - 1 > 0, { now, random });
        result[countOf(outcome)] += 1;
        if (outcome.kind === 'ok') continue;
        triedAndFailed.add(lane.key);
        if (outcome.kind === 'fatal' && outcome.scope === 'backend') blocked = outcome.error;
        return;
      }
    });
    if (blocked || result.sent === sentBefore) break;
  }

  // Records whose lane was cut short (a block) are pending, not syncing.
  await db.syncRecords.where('status').equals('syncing').modify({ status: 'local' });
  if (result.sent > 0) await db.meta.put({ key: LAST_SYNC_META_KEY, value: now() });
  await trimDeliveries(db);
  return blocked ? { ...result, blocked } : result;
}

function countOf(outcome: Outcome): keyof Omit<DrainResult, 'blocked'> {
  switch (outcome.kind) {
    case 'ok':
      return 'sent';
    case 'retry':
      return 'retried';
    case 'conflict':
      return 'conflicts';
    case 'fatal':
      return 'failed';
  }
}

/**
 * Walk the outbox in id order and take, per record, the run of due entries
 * starting at its head. A record is skipped whole when its head is not due,
 * it is in conflict, or it already failed in this drain.
 */
async function nextLanes(db: SidecaseDb, now: number, batchSize: number, skip: Set<string>): Promise<Lane[]> {
  const conflicted = new Set(
    (await db.syncRecords.where('status').equals('conflict').primaryKeys()).map(([entity, id]) => recordKey(entity, id)),
  );
  const lanes = new Map<string, Lane>();
  const closed = new Set<string>();
  let taken = 0;
  await db.outbox
    .toCollection()
    .until(() => taken >= batchSize)
    .each((entry) => {
      const key = recordKey(entry.entity, entry.entityId);
      if (closed.has(key)) return;
      if (skip.has(key) || conflicted.has(key) || entry.nextAttemptAt > now) {
        closed.add(key);
        return;
      }
      const lane = lanes.get(key);
      if (lane) lane.entries.push(entry);
      else lanes.set(key, { entity: entry.entity, entityId: entry.entityId, key, entries: [entry] });
      taken += 1;
    });
  return [...lanes.values()];
}

async function markSyncing(db: SidecaseDb, lanes: Lane[]): Promise<void> {
  await db.transaction('rw', db.syncRecords, async () => {
    const keys = lanes.map((lane): [string, string] => [lane.entity, lane.entityId]);
    const current = await db.syncRecords.bulkGet(keys);
    await db.syncRecords.bulkPut(
      lanes.map((lane, i) => ({ ...(current[i] ?? { entity: lane.entity, entityId: lane.entityId }), status: 'syncing' as const })),
    );
  });
}

async function runPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function deliverOne(
  db: SidecaseDb,
  adapter: Adapter,
  entry: OutboxEntry,
  moreInLane: boolean,
  clock: { now: () => number; random: () => number },
): Promise<Outcome> {
  const key: [string, string] = [entry.entity, entry.entityId];
  const before = await db.syncRecords.get(key);
  const blob = entry.entity === 'attachment' ? (await db.attachments.get(entry.entityId))?.blob : undefined;
  const outcome = await adapter.deliver(entry, { etag: before?.etag, blob });

  // Their version, fetched before the transaction that records the conflict.
  let theirs: { data?: Record<string, unknown>; etag?: string; version?: number } = {};
  if (outcome.kind === 'conflict' && adapter.fetchRecord) {
    const fetched = await adapter.fetchRecord(entry.entity, entry.entityId);
    if (fetched.ok && fetched.record) {
      theirs = { data: fetched.record.data, etag: fetched.record.etag, version: fetched.record.version };
    }
  }

  const at = clock.now();
  await db.transaction('rw', [db.outbox, db.syncRecords, db.deliveries, db.meta], async () => {
    const current = await db.outbox.get(entry.id);
    // Gone already: the agent resolved a conflict meanwhile; nothing to record.
    if (!current) return;
    const attempts = current.attempts + 1;
    const sync = (await db.syncRecords.get(key)) ?? { entity: entry.entity, entityId: entry.entityId, status: 'local' as const };
    await db.deliveries.add({
      id: newId(at),
      outboxId: entry.id,
      type: entry.type,
      at,
      status: 'status' in outcome ? outcome.status : undefined,
      attempts,
      ok: outcome.kind === 'ok',
      error: outcome.kind === 'ok' ? undefined : outcome.kind === 'conflict' ? 'sync.error.conflict' : outcome.error,
    });

    switch (outcome.kind) {
      case 'ok': {
        await db.outbox.delete(entry.id);
        const remaining = await db.outbox.where('[entity+entityId]').equals(key).count();
        const next: SyncRecord = {
          entity: entry.entity,
          entityId: entry.entityId,
          status: remaining === 0 ? 'synced' : moreInLane ? 'syncing' : 'local',
          // No ETag in the answer: forget the old one, else the next If-Match would be stale.
          etag: outcome.etag,
          remoteVersion: outcome.version ?? sync.remoteVersion,
          lastSyncedAt: at,
        };
        await db.syncRecords.put(next);
        return;
      }
      case 'retry': {
        const wait = Math.max(backoffDelay(attempts, { random: clock.random }), outcome.retryAfterMs ?? 0);
        await db.outbox.update(entry.id, { attempts, nextAttemptAt: at + wait, lastError: outcome.error });
        await db.syncRecords.put({ ...sync, status: 'local', error: outcome.error });
        return;
      }
      case 'conflict': {
        await db.outbox.update(entry.id, { attempts, lastError: 'sync.error.conflict' });
        await db.syncRecords.put({
          ...sync,
          status: 'conflict',
          error: undefined,
          theirs: theirs.data,
          // "Keep mine" sends our version with If-Match of THEIR ETag.
          etag: theirs.etag ?? sync.etag,
          remoteVersion: theirs.version ?? sync.remoteVersion,
        });
        return;
      }
      case 'fatal': {
        // Kept, never dropped: a refused change waits for the agent (Retry, new settings, Sync now).
        await db.outbox.update(entry.id, {
          attempts,
          lastError: outcome.error,
          nextAttemptAt: outcome.scope === 'record' ? PARKED : current.nextAttemptAt,
        });
        await db.syncRecords.put({ ...sync, status: 'error', error: outcome.error });
        if (outcome.scope === 'backend') await db.meta.put({ key: BLOCKED_META_KEY, value: { error: outcome.error, at } });
        return;
      }
    }
  });
  return outcome;
}

async function trimDeliveries(db: SidecaseDb): Promise<void> {
  const count = await db.deliveries.count();
  if (count <= DELIVERY_LOG_MAX) return;
  const oldest = await db.deliveries.limit(count - DELIVERY_LOG_MAX).primaryKeys();
  await db.deliveries.bulkDelete(oldest);
}

/** The delivery log's "Retry": send this entry at the next drain, whatever stopped it. */
export async function retryEntry(outboxId: string, { db = defaultDb, now = Date.now() } = {}): Promise<boolean> {
  return db.transaction('rw', [db.outbox, db.meta], async () => {
    await db.meta.delete(BLOCKED_META_KEY);
    return (await db.outbox.update(outboxId, { nextAttemptAt: now })) === 1;
  });
}
