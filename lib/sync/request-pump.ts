/**
 * The request pump: one pass over the outbox, keeping `maxConcurrent`
 * requests in flight, one lane per record so that a record's entries go in
 * order. It sends and hands each outcome to the Committer; it writes nothing
 * itself but the "syncing" mark of a slow record.
 */
import type { SidecaseDb } from '../db/db';
import { getMany } from '../db/get-many';
import type { OutboxEntry } from '../schema';
import type { Adapter, Outcome } from './adapters/types';
import type { Committer } from './committer';
import type { DrainRows, StoredRow } from './drain-rows';
import { recordKey, type Delivered, type DrainResult } from './drain-types';
import { readSyncRowsRevision } from './engine-state';

const noop = () => {};

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
  /** Lanes of records that need this one (dependsOn): run after it, in the same place in the pool. */
  followers: Lane[];
  /** It and its followers have run: a lane that needs it now goes to the pool. */
  ended?: boolean;
}

/**
 * The record a change needs at the backend before its own: a case names its
 * customer (the requester of a Zendesk ticket, the contact of an incident),
 * a note or an attachment its case. Adapters wait for that record's creation
 * themselves; a lane that waited inside the pool would hold one of its
 * `maxConcurrent` places with no request out (a Zendesk drain of customers
 * and their cases kept about three requests of four out).
 */
function dependsOn(entry: OutboxEntry): string | undefined {
  const { customerId, caseId } = entry.data as { customerId?: unknown; caseId?: unknown };
  if (entry.entity === 'case') return typeof customerId === 'string' ? recordKey('customer', customerId) : undefined;
  if (entry.entity === 'note' || entry.entity === 'attachment') return typeof caseId === 'string' ? recordKey('case', caseId) : undefined;
  return undefined;
}

/** What one drain shares between its passes. */
export interface Pass {
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
  /** The sync rows read and written in this drain (drain-rows.ts), shared with the committer. */
  rows: DrainRows;
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
export async function deliverPass(pass: Pass): Promise<void> {
  const { db, now, pageSize, triedAndFailed, etags, committer } = pass;
  // Lanes running at once: one per request in flight, or as many as the adapter puts in one request (adapters/types.ts).
  const lanesAtOnce = pass.maxConcurrent * Math.max(1, pass.adapter.changesPerRequest ?? 1);
  /**
   * Only then does the committer write as outcomes come at the pass's end (Committer.finishing):
   * with one change per request the last round is a few answers coming one by one, and writing
   * the outcomes waiting when it starts made the last write wait behind that one.
   */
  const batching = lanesAtOnce > pass.maxConcurrent;
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
   * costs a round trip per entry) and the stored sync rows of its new records
   * (the ETag each sends; the committer needs the rows again).
   */
  const readPage = async () => {
    // The pass's first page is small: its first requests go out after a short read, not after a
    // whole page's (and its rows' and customers'); the pages after it are read while requests fly.
    // An adapter that puts many changes in one request gets two requests' worth, not the pool's
    // (the README's Speed section has the figures).
    const limit = after === undefined ? Math.min(pageSize, Math.max(FIRST_PAGE_MIN, 2 * Math.max(1, pass.adapter.changesPerRequest ?? 1))) : pageSize;
    const page: OutboxEntry[] = await (after === undefined ? db.outbox.orderBy('id') : db.outbox.where('id').above(after))
      .limit(limit)
      .toArray();
    if (page.length < limit) {
      exhausted = true;
      committer.readAll();
    }
    if (page.length) after = page.at(-1)!.id;
    const at = now();
    /** New lanes: all of them (their ETags are read), and those that go to the pool itself (not after another lane). */
    const fresh: Lane[] = [];
    const queued: Lane[] = [];
    const following: Array<[Lane, Lane]> = [];
    // Synchronous from here to the push: a running lane checks for more entries and ends without an await in between.
    for (const entry of page) {
      const key = recordKey(entry.entity, entry.entityId);
      // Every entry read, sent or not: the committer tells from these which records have entries left.
      committer.seen(entry);
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
      const created: Lane = { entity: entry.entity, entityId: entry.entityId, key, entries: [entry], next: 0, followers: [] };
      lanes.set(key, created);
      committer.laneStart(key);
      fresh.push(created);
      // The record it needs has a lane queued or running (read before it: the outbox is in id order): after that one.
      const needed = dependsOn(entry);
      const leader = needed === undefined ? undefined : lanes.get(needed);
      if (leader) following.push([created, leader]);
      else queued.push(created);
    }
    if (fresh.length === 0) return;
    // Before the rows' read: what the adapter reads for these entries is asked for first, and ready as their requests are made.
    pass.adapter.prepare?.(fresh.flatMap((lane) => lane.entries));
    const { revision, rows } = await readRows(db, fresh);
    pass.rows.addRead(revision, rows);
    // A record confirmed earlier in this drain: its stored ETag may wait for a flush; the one in memory is current.
    for (const lane of fresh) lane.etag = etags.has(lane.key) ? etags.get(lane.key) : rows.get(lane.key)?.etag;
    // Only now, with its ETag known, may a lane run; its leader may have ended meanwhile.
    for (const [lane, leader] of following) (leader.ended ? queued : leader.followers).push(lane);
    if (nextReady > 0) {
      ready = ready.slice(nextReady);
      nextReady = 0;
    }
    ready.push(...queued);
  };

  /** Lanes with a request out now, and since when (performance.now()); a slow one shows its record "syncing" (the ticker below). */
  const inFlight = new Map<Lane, number>();
  const shownSyncing = new Set<string>();

  /** Runs a lane, then the lanes that followed it (whatever its outcome: each decides for itself, as before). */
  const runLane = async (lane: Lane): Promise<void> => {
    try {
      await sendLane(lane);
      // Followers joining while this loop runs are taken too; `ended` is set with no await after its last check.
      for (const follower of lane.followers) await runLane(follower);
    } finally {
      lane.ended = true;
    }
  };

  const sendLane = async (lane: Lane) => {
    let etag = lane.etag;
    inFlight.set(lane, performance.now());
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

  // Only records whose lane has been out SYNCING_AFTER_MS are marked "syncing": marking every
  // record as its lane started was a read and a write per record, most of them confirmed and
  // marked again within milliseconds (in a 10,000-change drain, a fifth of its storage work).
  // Nor every lane out when the ticker fires: a Dynamics 365 drain keeps 200 lanes out (a
  // $batch of 50 each), nearly all of them answered well within the second.
  const ticker = setInterval(() => {
    const outSince = performance.now() - SYNCING_AFTER_MS;
    const slow: Lane[] = [];
    for (const [lane, since] of inFlight) if (since <= outSince && !shownSyncing.has(lane.key)) slow.push(lane);
    if (slow.length === 0) return;
    for (const lane of slow) shownSyncing.add(lane.key);
    // Written here, not by the committer: its copies of these rows would be stale.
    pass.rows.forget(slow.map((lane) => lane.key));
    // Written in a transaction created now, while these lanes are still out: the flush that records
    // their last outcome comes later and overwrites "syncing" with what happened.
    void markSyncing(db, slow, now()).catch(noop);
  }, SYNCING_AFTER_MS / 2);

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
      while (running < lanesAtOnce && nextReady < ready.length && !pass.blocked) {
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
      if (!reading && !exhausted && !pass.blocked && ready.length - nextReady < Math.max(4 * lanesAtOnce, pageSize / 4)) {
        reading = true;
        readPage()
          .catch(fail)
          .then(() => {
            reading = false;
            pump();
          });
      }
      // An adapter that puts many changes in one request: its last round still brings hundreds of outcomes at once.
      if (batching && exhausted && !reading && nextReady >= ready.length) committer.finishing();
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

/** Entries in a pass's first page, at least (more when one request takes more changes: twice as many). */
const FIRST_PAGE_MIN = 64;

/** A lane's request out for this long shows its record "syncing". */
export const SYNCING_AFTER_MS = 1000;

/**
 * The stored sync rows of the lanes' records (undefined: none), read in one
 * transaction with the rows' revision (drain-rows.ts). A row is a request of
 * its own to read, and a drain of new records (an import, a day offline)
 * finds none for most: the rows of each entity's lanes are read by getMany,
 * which reads the keys between their smallest and largest id first.
 */
async function readRows(db: SidecaseDb, lanes: Lane[]): Promise<{ revision: string | undefined; rows: Map<string, StoredRow> }> {
  return db.transaction('r', [db.syncRecords, db.meta], async () => {
    const byEntity = new Map<string, Lane[]>();
    for (const lane of lanes) {
      const group = byEntity.get(lane.entity);
      if (group) group.push(lane);
      else byEntity.set(lane.entity, [lane]);
    }
    const rows = new Map<string, StoredRow>();
    const revision = readSyncRowsRevision(db);
    await Promise.all(
      [...byEntity.values()].map(async (group) => {
        const read = await getMany(db.syncRecords, group.map((lane): [string, string] => [lane.entity, lane.entityId]));
        for (const [i, lane] of group.entries()) rows.set(lane.key, read[i]);
      }),
    );
    return { revision: await revision, rows };
  });
}

/** Marks the lanes' records "syncing" since about `at` (a conflict stays a conflict). */
async function markSyncing(db: SidecaseDb, lanes: Lane[], at: number): Promise<void> {
  await db.transaction('rw', db.syncRecords, async () => {
    const keys = lanes.map((lane): [string, string] => [lane.entity, lane.entityId]);
    const current = await db.syncRecords.bulkGet(keys);
    await db.syncRecords.bulkPut(
      lanes
        .map((lane, i) => current[i] ?? { entity: lane.entity, entityId: lane.entityId, status: 'local' as const })
        .filter((record) => record.status !== 'conflict')
        .map((record) => ({ ...record, status: 'syncing' as const, sendingSince: at - SYNCING_AFTER_MS })),
    );
  });
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
