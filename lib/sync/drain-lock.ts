/**
 * One drain at a time per database: within a context by the promise of the
 * running drain (a call during a drain runs once right after it: calls
 * coalesce), across contexts by the Web Locks API.
 */
import type { SidecaseDb } from '../db/db';
import type { DrainResult } from './drain-types';

interface LockState {
  running: Promise<DrainResult>;
  queued?: Promise<DrainResult>;
}

const locks = new WeakMap<SidecaseDb, LockState>();
const noop = () => {};

/** Runs `run` once no other drain of this database runs; a call while one already waits gets that one's result. */
export function serialiseDrain(db: SidecaseDb, run: () => Promise<DrainResult>): Promise<DrainResult> {
  const state = locks.get(db);
  if (state?.queued) return state.queued;
  if (state) {
    const queued: Promise<DrainResult> = state.running.then(noop, noop).then(() => {
      state.running = queued;
      state.queued = undefined;
      return withCrossContextLock(db, run);
    });
    state.queued = queued;
    queued.finally(() => release(db, state, queued)).catch(noop);
    return queued;
  }
  const running = withCrossContextLock(db, run);
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

function release(db: SidecaseDb, state: LockState, done: Promise<DrainResult>) {
  if (locks.get(db) === state && state.running === done && !state.queued) locks.delete(db);
}
