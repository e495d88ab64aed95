/**
 * The delivery log (Options → Sync): one row per outcome, the newest
 * DELIVERY_LOG_MAX kept. Failures are written with their batch (the agent acts
 * on them); confirmations once, at the drain's end. Its "Retry" is here too.
 */
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { idAt } from '../ids';
import type { Delivery } from '../schema';
import { BLOCKED_META_KEY } from './engine-state';

export const DELIVERY_LOG_MAX = 500;

/**
 * The delivery log's confirmed rows of one drain, written once at its end:
 * the log keeps only its newest DELIVERY_LOG_MAX rows, so writing 10,000
 * rows to delete 9,500 of them was most of a large drain's database work.
 * A worker killed mid-drain loses these log rows only; the confirmations
 * themselves were committed with their batch.
 */
export class ConfirmationLog {
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
 * Deletes all but the newest DELIVERY_LOG_MAX rows: ids sort by time, so the
 * rows to go are every id up to the last of the oldest, deleted as one range
 * (bulkDelete was a request per row, as many as a drain confirmed up to the
 * log's size).
 */
export async function trimDeliveries(db: SidecaseDb): Promise<void> {
  await db.transaction('rw', db.deliveries, async () => {
    const count = await db.deliveries.count();
    if (count <= DELIVERY_LOG_MAX) return;
    const oldest = await db.deliveries.limit(count - DELIVERY_LOG_MAX).primaryKeys();
    await db.deliveries.where(':id').belowOrEqual(oldest.at(-1)!).delete();
  });
}

/** The delivery log's "Retry": send this entry at the next drain, whatever stopped it. */
export async function retryEntry(outboxId: string, { db = defaultDb, now = Date.now() } = {}): Promise<boolean> {
  return db.transaction('rw', [db.outbox, db.meta], async () => {
    await db.meta.delete(BLOCKED_META_KEY);
    return (await db.outbox.update(outboxId, { nextAttemptAt: now })) === 1;
  });
}
