/**
 * The committer's policy (committer.ts), in a file of its own so the bench's
 * plain loop with storage (tests/bench/sync-raw.ts) commits by the same rule.
 */

/**
 * When outcomes are written: once this many wait, or this long after the
 * first of them, whichever comes first. Storage work is CPU taken from the
 * requests themselves on a small machine (with small batches and a delete per
 * entry, the drain's storage work cost the browser as much CPU as its
 * requests). The time bound keeps what a killed
 * worker sends again, and how long a confirmed record still shows "syncing",
 * short.
 */
export const COMMIT_BATCH = 1024;
export const COMMIT_AFTER_MS = 500;
