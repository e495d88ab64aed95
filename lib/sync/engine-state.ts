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
