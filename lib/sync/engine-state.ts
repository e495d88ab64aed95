/**
 * The engine's small persistent state besides the outbox itself: a "parked"
 * entry (refused by the backend for its content: waits for the agent's Retry)
 * and a "blocked" backend (401, 403, 404, redirect: no point sending anything
 * until the settings change or the agent presses "Sync now").
 *
 * Kept apart from engine.ts so settings.ts can lift the block without loading
 * the engine.
 */
import { z } from 'zod';
import type { SidecaseDb } from '../db/db';

/** nextAttemptAt of an entry that waits for the agent, not for the clock. */
export const PARKED = Number.MAX_SAFE_INTEGER;

export const BLOCKED_META_KEY = 'syncBlocked';
export const LAST_SYNC_META_KEY = 'lastSyncAt';
export const CURSOR_META_KEY = 'syncCursor';

export const SyncBlock = z.object({ error: z.string(), at: z.number() });
export type SyncBlock = z.infer<typeof SyncBlock>;

export async function readSyncBlock(db: SidecaseDb): Promise<SyncBlock | undefined> {
  const parsed = SyncBlock.safeParse((await db.meta.get(BLOCKED_META_KEY))?.value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Lift the block and make every waiting entry due now: parked ones and those
 * in backoff alike (call inside or outside a transaction on meta + outbox).
 * Only the agent triggers this (Save, "Sync now"): they expect a try at once,
 * not after a backoff that was chosen for the old settings.
 */
export async function unblockSync(db: SidecaseDb, now: number): Promise<void> {
  await db.transaction('rw', [db.meta, db.outbox], async () => {
    await db.meta.delete(BLOCKED_META_KEY);
    await db.outbox.where('nextAttemptAt').above(now).modify({ nextAttemptAt: now });
  });
}

/**
 * Changed by every writer of `syncRecords` rows other than the engine's own
 * (the pull, "Load their version" / "Keep mine", a backend switch, the
 * Dynamics 365 deletion marks, an upload dropped with its file), in the
 * transaction of its write. A drain keeps the rows it read and wrote
 * (drain-rows.ts) only while this value stays the one it read with them:
 * a row changed by anyone else meanwhile is read again, never overwritten
 * from a stale copy. Read and written in any context (the side panel
 * resolves conflicts too), so it lives in the database, not in memory.
 */
export const SYNC_ROWS_REVISION_META_KEY = 'syncRowsRevision';

/** Marks the sync rows changed (inside the caller's transaction, which must hold `meta`). */
export async function markSyncRowsChanged(db: SidecaseDb): Promise<void> {
  await db.meta.put({ key: SYNC_ROWS_REVISION_META_KEY, value: crypto.randomUUID() });
}

/** The sync rows' revision (undefined: never changed by another writer). */
export async function readSyncRowsRevision(db: SidecaseDb): Promise<string | undefined> {
  const value = (await db.meta.get(SYNC_ROWS_REVISION_META_KEY))?.value;
  return typeof value === 'string' ? value : undefined;
}
