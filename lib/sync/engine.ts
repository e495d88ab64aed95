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
import { idAt } from '../ids';
import type { Delivery, OutboxEntry, SyncRecord } from '../schema';
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
  /** Outbox entries read per page (read ahead while requests fly); passes repeat until one sends nothing. */
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
  /** Due entries of one record in id order; more may join while the lane runs. */
  entries: OutboxEntry[];
  /** Index of the next entry to send. */
  next: number;
  /** If-Match of the first entry, read with the page that brought the lane. */
  etag?: string;
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
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const pass: Pass = {
    db,
    adapter,
    now,
    maxConcurrent,
    pageSize: batchSize,
    result,
    triedAndFailed: new Set<string>(),
    etags: new Map<string, string | undefined>(),
    committer: new Committer(db, { now, random }, new ConfirmationLog()),
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

/** What one drain shares between its passes. */
interface Pass {
  db: SidecaseDb;
  adapter: Adapter;
  now: () => number;
  maxConcurrent: number;
  /** Outbox entries read per page. */
  pageSize: number;
  result: DrainResult;
  /** Records that failed in this drain: tried at most once per drain. */
  triedAndFailed: Set<string>;
  /** The ETag of each record's last confirmation in this drain (undefined: the answer had none). */
  etags: Map<string, string | undefined>;
  committer: Committer;
  blocked?: string;
}

/**
 * One pass over the outbox: a pool that keeps `maxConcurrent` requests in
 * flight all the time (a lane starts as soon as another ends, not in waves),
 * fed by pages of due entries read ahead while requests fly.
 *
 * Order per record: the outbox is read in id order and a record has at most
 * one lane at a time; an entry of a record whose lane is still running joins
 * that lane (sent after the entries before it are confirmed), one of a record
 * whose lane ended well starts a new lane with the last confirmation's ETag,
 * one of a record that failed, is in conflict or whose head is not due is
 * skipped, with everything after it.
 */
async function deliverPass(pass: Pass): Promise<void> {
  const { db, now, maxConcurrent, pageSize, triedAndFailed, etags, committer } = pass;
  const conflicted = new Set(
    (await db.syncRecords.where('status').equals('conflict').primaryKeys()).map(([entity, id]) => recordKey(entity, id)),
  );
  /** Lanes queued or running, by record. */
  const lanes = new Map<string, Lane>();
  const closed = new Set<string>();
  let ready: Lane[] = [];
  let nextReady = 0;
  let after: string | undefined;
  let exhausted = false;
  let reading = false;
  let running = 0;
  let failure: { error: unknown } | undefined;

  /**
   * Reads one page (getAll via `limit().toArray()`, not a cursor: a cursor
   * costs a round trip per entry) and reads the ETags its new records send.
   */
  const readPage = async () => {
    const page: OutboxEntry[] = await (after === undefined ? db.outbox.orderBy('id') : db.outbox.where('id').above(after))
      .limit(pageSize)
      .toArray();
    if (page.length < pageSize) exhausted = true;
    if (page.length) after = page.at(-1)!.id;
    const at = now();
    const fresh: Lane[] = [];
    // Synchronous from here to the push: a running lane checks for more entries and ends without an await in between.
    for (const entry of page) {
      const key = recordKey(entry.entity, entry.entityId);
      if (closed.has(key)) continue;
      if (triedAndFailed.has(key) || conflicted.has(key) || entry.nextAttemptAt > at) {
        closed.add(key);
        continue;
      }
      const lane = lanes.get(key);
      if (lane) {
        lane.entries.push(entry);
        continue;
      }
      const created: Lane = { entity: entry.entity, entityId: entry.entityId, key, entries: [entry], next: 0 };
      lanes.set(key, created);
      committer.laneStart(key);
      fresh.push(created);
    }
    if (fresh.length === 0) return;
    const stored = await readEtags(db, fresh);
    // A record confirmed earlier in this drain: its stored ETag may wait for a flush; the one in memory is current.
    for (const lane of fresh) lane.etag = etags.has(lane.key) ? etags.get(lane.key) : stored.get(lane.key);
    if (nextReady > 0) {
      ready = ready.slice(nextReady);
      nextReady = 0;
    }
    ready.push(...fresh);
  };

  /** Lanes with a request out now; a slow one shows its record "syncing" (the ticker below). */
  const inFlight = new Set<Lane>();
  const shownSyncing = new Set<string>();

  const runLane = async (lane: Lane) => {
    let etag = lane.etag;
    inFlight.add(lane);
    try {
      while (lane.next < lane.entries.length) {
        if (pass.blocked || failure) return;
        const entry = lane.entries[lane.next++]!;
        const delivered = await deliverOne(db, pass.adapter, entry, etag, now);
        committer.add(delivered, lane.key);
        pass.result[countOf(delivered.outcome)] += 1;
        if (delivered.outcome.kind === 'ok') {
          etag = delivered.outcome.etag;
          etags.set(lane.key, etag);
          continue;
        }
        triedAndFailed.add(lane.key);
        if (delivered.outcome.kind === 'fatal' && delivered.outcome.scope === 'backend') pass.blocked = delivered.outcome.error;
        return;
      }
    } finally {
      inFlight.delete(lane);
      lanes.delete(lane.key);
      committer.laneDone(lane.key);
    }
  };

  // Only records whose lane is still out after a moment are marked "syncing": marking every
  // record as its lane started was a read and a write per record, most of them confirmed and
  // marked again within milliseconds (in a 10,000-change drain, a fifth of its storage work).
  const ticker = setInterval(() => {
    const slow = [...inFlight].filter((lane) => !shownSyncing.has(lane.key));
    if (slow.length === 0) return;
    for (const lane of slow) shownSyncing.add(lane.key);
    // Written in a transaction created now, while these lanes are still out: the flush that records
    // their last outcome comes later and overwrites "syncing" with what happened.
    void markSyncing(db, slow).catch(noop);
  }, SYNCING_AFTER_MS);

  await new Promise<void>((resolve, reject) => {
    // A failed read or write stops the pass, but only once no request is in flight: nothing of
    // this drain may still be sending when the next one (after the lock is released) starts.
    const fail = (error: unknown) => {
      failure ??= { error };
    };
    const pump = () => {
      if (failure) {
        if (running === 0 && !reading) reject(failure.error);
        return;
      }
      while (running < maxConcurrent && nextReady < ready.length && !pass.blocked) {
        const lane = ready[nextReady++]!;
        running += 1;
        runLane(lane)
          .catch(fail)
          .then(() => {
            running -= 1;
            pump();
          });
      }
      // Read ahead while fewer lanes are queued than a few rounds of the pool need.
      if (!reading && !exhausted && !pass.blocked && ready.length - nextReady < Math.max(4 * maxConcurrent, pageSize / 4)) {
        reading = true;
        readPage()
          .catch(fail)
          .then(() => {
            reading = false;
            pump();
          });
      }
      if (running === 0 && !reading && (pass.blocked || (exhausted && nextReady >= ready.length))) resolve();
    };
    pump();
  }).finally(() => clearInterval(ticker));
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

/** A lane's request out for this long shows its record "syncing". */
export const SYNCING_AFTER_MS = 1000;

/** The ETag each lane's first entry sends (If-Match), as stored. */
async function readEtags(db: SidecaseDb, lanes: Lane[]): Promise<Map<string, string | undefined>> {
  const current = await db.syncRecords.bulkGet(lanes.map((lane): [string, string] => [lane.entity, lane.entityId]));
  return new Map(lanes.map((lane, i) => [lane.key, current[i]?.etag]));
}

/** Marks the lanes' records "syncing" (a conflict stays a conflict). */
async function markSyncing(db: SidecaseDb, lanes: Lane[]): Promise<void> {
  await db.transaction('rw', db.syncRecords, async () => {
    const keys = lanes.map((lane): [string, string] => [lane.entity, lane.entityId]);
    const current = await db.syncRecords.bulkGet(keys);
    await db.syncRecords.bulkPut(
      lanes
        .map((lane, i) => current[i] ?? { entity: lane.entity, entityId: lane.entityId, status: 'local' as const })
        .filter((record) => record.status !== 'conflict')
        .map((record) => ({ ...record, status: 'syncing' as const })),
    );
  });
}

interface Delivered {
  entry: OutboxEntry;
  outcome: Outcome;
  /** Their version, fetched after a conflict (before any transaction). */
  theirs: { data?: Record<string, unknown>; etag?: string; version?: number };
  at: number;
}

/** One request, no database write: the Committer records the outcome. */
async function deliverOne(
  db: SidecaseDb,
  adapter: Adapter,
  entry: OutboxEntry,
  etag: string | undefined,
  now: () => number,
): Promise<Delivered> {
  const blob = entry.entity === 'attachment' ? (await db.attachments.get(entry.entityId))?.blob : undefined;
  const outcome = await adapter.deliver(entry, { etag, blob });
  let theirs: Delivered['theirs'] = {};
  if (outcome.kind === 'conflict' && adapter.fetchRecord) {
    const fetched = await adapter.fetchRecord(entry.entity, entry.entityId);
    if (fetched.ok && fetched.record) {
      theirs = { data: fetched.record.data, etag: fetched.record.etag, version: fetched.record.version };
    }
  }
  return { entry, outcome, theirs, at: now() };
}

/**
 * The delivery log's confirmed rows of one drain, written once at its end:
 * the log keeps only its newest DELIVERY_LOG_MAX rows, so writing 10,000
 * rows to delete 9,500 of them was most of a large drain's database work.
 * A worker killed mid-drain loses these log rows only; the confirmations
 * themselves were committed with their batch.
 */
class ConfirmationLog {
  /** Without ids: an id (a ULID, random bits and all) is drawn only for the rows kept. */
  private rows: Array<Omit<Delivery, 'id'>> = [];

  add(row: Omit<Delivery, 'id'>): void {
    this.rows.push(row);
    if (this.rows.length >= 2 * DELIVERY_LOG_MAX) this.rows = this.rows.slice(-DELIVERY_LOG_MAX);
  }

  async write(db: SidecaseDb): Promise<void> {
    const rows = this.rows.slice(-DELIVERY_LOG_MAX).map((row) => ({ id: idAt(row.at), ...row }));
    this.rows = [];
    if (rows.length) await db.deliveries.bulkAdd(rows);
  }
}

/**
 * When outcomes are written: once this many wait, or this long after the
 * first of them, whichever comes first. Storage work is CPU taken from the
 * requests themselves on a small machine (with 128 per transaction and a
 * delete per entry, the drain's storage work cost the browser as much CPU as
 * its requests, 0.74× a plain fetch loop). The time bound keeps what a killed
 * worker sends again, and how long a confirmed record still shows "syncing",
 * short.
 */
const COMMIT_BATCH = 1024;
const COMMIT_AFTER_MS = 500;

/**
 * Records outcomes in batches: one transaction per batch instead of one per
 * entry (the per-entry transactions made the engine four times slower than a
 * plain fetch loop). Exactly once still holds: an entry is deleted only in the
 * transaction that records its confirmation; a worker killed before the flush
 * sends the confirmed entries again with the same Idempotency-Key, and the
 * backend answers what it answered the first time.
 *
 * The lane's next entry does not wait for the flush: its order at the backend
 * is kept by the lane itself, and its If-Match comes from the confirmation in
 * memory.
 */
class Committer {
  private batch: Array<{ delivered: Delivered; lane: string }> = [];
  private writing: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly activeLanes = new Set<string>();

  constructor(
    private readonly db: SidecaseDb,
    private readonly clock: { now: () => number; random: () => number },
    readonly confirmations: ConfirmationLog,
  ) {}

  /** A lane of this record is queued or running: a record with entries left stays "syncing". */
  laneStart(lane: string): void {
    this.activeLanes.add(lane);
  }

  add(delivered: Delivered, lane: string): void {
    this.batch.push({ delivered, lane });
    if (this.batch.length >= COMMIT_BATCH) void this.flush().catch(noop);
    else this.timer ??= setTimeout(() => void this.flush().catch(noop), COMMIT_AFTER_MS);
  }

  laneDone(lane: string): void {
    this.activeLanes.delete(lane);
  }

  /** Writes what was added so far; resolves after every earlier flush too. Rejects when a write failed. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.batch;
    this.batch = [];
    const previous = this.writing;
    this.writing = previous.then(() => (batch.length ? this.write(batch) : undefined));
    return this.writing;
  }

  private async write(batch: Array<{ delivered: Delivered; lane: string }>): Promise<void> {
    const { db, clock } = this;
    await db.transaction('rw', [db.outbox, db.syncRecords, db.deliveries, db.meta], async () => {
      // Which entries are still there: keys only (no record is read back and decoded), and one
      // getAllKeys over the batch's id range, not anyOf (a cursor step, a round trip, per id).
      const ids = batch.map(({ delivered }) => delivered.entry.id).sort();
      const inRange = await db.outbox.where(':id').between(ids[0]!, ids.at(-1)!, true, true).primaryKeys();
      const present = new Set(inRange);
      const keys = [...new Map(batch.map(({ delivered: { entry } }) => [recordKey(entry.entity, entry.entityId), entry])).values()];
      const stored = await db.syncRecords.bulkGet(keys.map((entry): [string, string] => [entry.entity, entry.entityId]));
      const syncs = new Map<string, SyncRecord>(
        keys.map((entry, i) => [
          recordKey(entry.entity, entry.entityId),
          stored[i] ?? { entity: entry.entity, entityId: entry.entityId, status: 'local' },
        ]),
      );
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
        if (outcome.kind === 'ok') this.confirmations.add(row);
        else deliveries.push({ id: idAt(at), ...row });

        switch (outcome.kind) {
          case 'ok':
            deleted.push(entry.id);
            confirmed.add(key);
            syncs.set(key, {
              entity: entry.entity,
              entityId: entry.entityId,
              status: 'syncing',
              // No ETag in the answer: forget the old one, else the next If-Match would be stale.
              etag: outcome.etag,
              remoteVersion: outcome.version ?? sync.remoteVersion,
              lastSyncedAt: at,
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
      await Promise.all(
        confirmedRuns(inRange, new Set(deleted)).map(([first, last]) =>
          first === last ? db.outbox.delete(first) : db.outbox.where(':id').between(first, last, true, true).delete(),
        ),
      );
      // A record whose last outcome here was a confirmation: "syncing" while its lane still holds
      // entries (no query needed), else synced when nothing of it is left in the outbox: one count
      // per such record, all requested at once (anyOf would walk a cursor, a round trip per key).
      const settled = [...confirmed].filter((key) => !this.activeLanes.has(key));
      for (const key of confirmed) if (this.activeLanes.has(key)) syncs.get(key)!.status = 'syncing';
      const left = await Promise.all(
        settled.map((key) => {
          const { entity, entityId } = syncs.get(key)!;
          return db.outbox.where('[entity+entityId]').equals([entity, entityId]).count();
        }),
      );
      for (const [i, key] of settled.entries()) syncs.get(key)!.status = left[i] === 0 ? 'synced' : 'local';
      await db.syncRecords.bulkPut([...touched].map((key) => syncs.get(key)!));
      if (blockedBy) await db.meta.put({ key: BLOCKED_META_KEY, value: blockedBy });
    });
  }
}

/**
 * The runs of `keys` (sorted, as read in one range) whose every key is in
 * `confirmed`, as [first, last]: deleting each run as a range deletes exactly
 * the confirmed keys, because the range holds no other key.
 */
export function confirmedRuns(keys: readonly string[], confirmed: ReadonlySet<string>): Array<[string, string]> {
  const runs: Array<[string, string]> = [];
  let first: string | undefined;
  let last: string | undefined;
  for (const key of keys) {
    if (confirmed.has(key)) {
      first ??= key;
      last = key;
      continue;
    }
    if (first !== undefined) runs.push([first, last!]);
    first = undefined;
  }
  if (first !== undefined) runs.push([first, last!]);
  return runs;
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
