/**
 * Live queries for views that may show a change a moment late (the case
 * list, the toolbar badge): after the first result, a re-run waits until the
 * database has been quiet for a moment.
 *
 * Why: IndexedDB starts a write only when every read transaction opened
 * before it on the same tables has finished. Each save set off the list's and
 * the badge's reads at once, and a save right after it waited for all of
 * them (issue 13: back-to-back saves took fifteen times one save). Reads that
 * wait for a quiet moment let a burst of saves through, then run once.
 */
import Dexie, { liveQuery, type Observable } from 'dexie';

/** How long the database must have been quiet before a settled query re-reads. */
export const QUIET_MS = 150;
/** A stream of writes (a long sync pull) still lets the view refresh this often. */
export const MAX_WAIT_MS = 1000;

let lastWriteAt = 0;
Dexie.on('storagemutated', () => {
  lastWriteAt = Date.now();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once no write was seen for `QUIET_MS`, or `MAX_WAIT_MS` after
 * `since` at the latest.
 */
export async function writesSettled(since: number = Date.now()): Promise<void> {
  // One task first: the write that woke the live query is reported to every
  // listener, this module's included, before its timestamp is read.
  await sleep(0);
  for (;;) {
    const now = Date.now();
    const quietFor = now - lastWriteAt;
    const left = MAX_WAIT_MS - (now - since);
    if (quietFor >= QUIET_MS || left <= 0) return;
    await sleep(Math.min(QUIET_MS - quietFor, left));
  }
}

/**
 * `liveQuery(query)`, except that re-runs wait for `writesSettled()`. Dexie
 * starts a new run for every write it sees and drops the answer of the run
 * before; a run overtaken while it waited reads nothing, and the wait is
 * counted from the first write not yet shown, so a stream of writes still
 * refreshes the view every `MAX_WAIT_MS`.
 */
export function settledLiveQuery<T>(query: () => Promise<T>): Observable<T> {
  let runs = 0;
  let waitingSince: number | undefined;
  return liveQuery(async () => {
    const run = ++runs;
    if (run > 1) {
      waitingSince ??= Date.now();
      // Dexie.waitFor keeps the live query's observation context across the wait.
      await Dexie.waitFor(writesSettled(waitingSince));
      // Overtaken: Dexie ignores this run's answer, so it need not read.
      if (run !== runs) return undefined as T;
      waitingSince = undefined;
    }
    return query();
  });
}
