/**
 * The plain fetch loop every sync figure is measured against, written once:
 * in the extension's service worker (where the engine runs) it reads the
 * outbox, forms one lane per record (its changes in order, the ETag of each
 * answer sent with the next change of that record), and keeps `concurrency`
 * lanes going (a lane starts as soon as another ends), as the engine does.
 *
 * What differs between backends is only the request of one change: a
 * `RawSend` (tests/bench/sync.ts for the reference backend, sync-d365.ts for
 * Dataverse, sync-zendesk.ts for Zendesk), and, where a record's first
 * request needs another record's answer (a Zendesk ticket names its
 * requester's user id), which lane an entry joins (`laneOf`). The loop and
 * these functions are serialised into the worker together, as one piece of
 * function text built below with the send's context as JSON: none of them
 * may close over bench code.
 */
import type { WebWorker } from 'puppeteer-core';
import { KEEP_NAMES_SHIM } from '../e2e/support/browser';
import { pollJob, type JobState } from './harness';

/** An outbox row as the raw loop reads it (the stored shape, untyped data). */
export interface RawEntry {
  id: string;
  entity: string;
  entityId: string;
  type: string;
  idempotencyKey: string;
  data: Record<string, unknown>;
}

/**
 * One change's request, run in the worker: it gets the entry, the ETag of its
 * lane's last answer (null for the first) and the `ctx` given to
 * rawFetchLoop, throws when the answer is not a 2xx, and returns the answer's
 * ETag (or whatever the lane's next request needs of this answer). It may use
 * nothing but its arguments and the worker's globals.
 */
export type RawSend<C> = (entry: RawEntry, etag: string | null, ctx: C) => Promise<string | null>;

/**
 * The lane an entry joins, run in the worker like a send: entries of one lane
 * go in outbox order, each given the answer before it. By default one lane per
 * record, as the engine keeps them.
 */
export type RawLaneOf = (entry: RawEntry) => string;
const laneOfRecord: RawLaneOf = (entry) => `${entry.entity} ${entry.entityId}`;

/** When rawLoop's answers are written: the engine's committer policy (lib/sync/commit-policy.ts). */
export interface RawStorePolicy {
  batch: number;
  afterMs: number;
}

/**
 * The loop itself, serialised into the worker with a send. With `store`, each
 * answer is then written as the least any engine that delivers exactly once
 * must write, and nothing more: its entry deleted from the outbox and its
 * record's sync row put (status, ETag: the answer), raw IndexedDB, no Dexie.
 * The answers are committed as the engine's committer commits them: once
 * `store.batch` wait or `store.afterMs` after the first of them, one
 * transaction at a time, and the rest at the end. The lanes do not wait for
 * it (the engine's lanes do not wait for its committer either); the clock
 * stops once the last of them has committed, as the engine's stops at an
 * empty, committed outbox.
 */
async function rawLoop<C>(job: JobState<{ count: number; ms: number }>, send: RawSend<C>, ctx: C, concurrency: number, laneOf: RawLaneOf, store: RawStorePolicy | false) {
  const idb = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('sidecase');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const entries = await new Promise<RawEntry[]>((resolve, reject) => {
    const request = idb.transaction('outbox').objectStore('outbox').getAll();
    request.onsuccess = () => resolve(request.result as RawEntry[]);
    request.onerror = () => reject(request.error);
  });
  if (!store) idb.close();
  type Answered = { entry: RawEntry; etag: string | null };
  let waiting: Answered[] = [];
  let committing: Promise<void> | undefined;
  const commit = (): Promise<void> => {
    const batch = waiting;
    waiting = [];
    return new Promise<void>((resolve, reject) => {
      const tx = idb.transaction(['outbox', 'syncRecords'], 'readwrite');
      const outbox = tx.objectStore('outbox');
      const rows = new Map<string, Record<string, unknown>>();
      const at = Date.now();
      for (const { entry, etag } of batch) {
        outbox.delete(entry.id);
        rows.set(`${entry.entity} ${entry.entityId}`, { entity: entry.entity, entityId: entry.entityId, status: 'synced', etag: etag ?? undefined, lastSyncedAt: at });
      }
      const syncRecords = tx.objectStore('syncRecords');
      for (const row of rows.values()) syncRecords.put(row);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (waiting.length) committing = (committing ?? Promise.resolve()).then(commit);
  };
  const answered = (entry: RawEntry, etag: string | null) => {
    if (!store) return;
    waiting.push({ entry, etag });
    if (waiting.length >= store.batch) flush();
    else timer ??= setTimeout(flush, store.afterMs);
  };
  // Per lane in order (the outbox is read in id order), lanes in parallel: the engine's lanes.
  const lanes = new Map<string, RawEntry[]>();
  for (const entry of entries) {
    const key = laneOf(entry);
    const lane = lanes.get(key);
    if (lane) lane.push(entry);
    else lanes.set(key, [entry]);
  }
  const queue = [...lanes.values()];
  const start = performance.now();
  let next = 0;
  let sent = 0;
  const work = async () => {
    while (next < queue.length) {
      let etag: string | null = null;
      for (const entry of queue[next++]!) {
        etag = await send(entry, etag, ctx);
        answered(entry, etag);
        job.note = `${++sent} of ${entries.length} sent`;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, work));
  flush();
  await committing;
  const ms = performance.now() - start;
  if (store) idb.close();
  return { count: entries.length, ms };
}

/**
 * Runs the raw loop with `send` in the service worker as the job `jobName`
 * (asked about every half second, harness.ts pollJob; `what` names it in a
 * failure) and returns how many changes it sent and in how many milliseconds.
 * With `store`, each answer is written as rawLoop says (the outbox is emptied).
 */
export async function rawFetchLoop<C>(
  worker: WebWorker,
  what: string,
  jobName: string,
  send: RawSend<C>,
  ctx: C,
  concurrency: number,
  laneOf: RawLaneOf = laneOfRecord,
  store: RawStorePolicy | false = false,
): Promise<{ count: number; ms: number }> {
  await worker.evaluate(KEEP_NAMES_SHIM);
  // The one place the loop's text is built: the loop, the send and their arguments, as one expression.
  const source = `(() => {
    const job = { done: false, note: 'reading the outbox' };
    globalThis[${JSON.stringify(jobName)}] = job;
    const rawLoop = ${rawLoop.toString()};
    const send = ${send.toString()};
    const laneOf = ${laneOf.toString()};
    rawLoop(job, send, ${JSON.stringify(ctx)}, ${JSON.stringify(concurrency)}, laneOf, ${JSON.stringify(store)}).then(
      (result) => Object.assign(job, { done: true, result }),
      (error) => Object.assign(job, { done: true, error: String(error?.message ?? error) }),
    );
  })()`;
  await worker.evaluate(source);
  return pollJob(worker, jobName, what, 180_000, 30_000);
}
