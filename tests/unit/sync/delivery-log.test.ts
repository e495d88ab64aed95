/**
 * The delivery log keeps its newest DELIVERY_LOG_MAX rows: a drain's
 * confirmations are written at its end, and the oldest rows beyond the limit
 * go, whatever their outcome.
 */
import { describe, expect, it } from 'vitest';
import { SidecaseDb } from '../../../lib/db/db';
import { idAt } from '../../../lib/ids';
import { DELIVERY_LOG_MAX, trimDeliveries } from '../../../lib/sync/delivery-log';
import type { Delivery } from '../../../lib/schema';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);

const row = (i: number, ok: boolean): Delivery => ({
  id: idAt(T0 + i),
  outboxId: `outbox-${i}`,
  type: 'case.updated',
  at: T0 + i,
  status: ok ? 200 : 503,
  attempts: 1,
  ok,
  error: ok ? undefined : 'sync.error.server',
});

describe('the delivery log', () => {
  it('keeps exactly its newest rows when trimmed, failures and confirmations alike', async () => {
    const db = new SidecaseDb(`delivery-log-${Math.random()}`);
    const rows = Array.from({ length: DELIVERY_LOG_MAX + 137 }, (_, i) => row(i, i % 3 !== 0));
    // Written out of order: the log's order is its ids' (their time), not the writing's.
    await db.deliveries.bulkAdd([...rows].reverse());

    await trimDeliveries(db);

    const kept = await db.deliveries.toArray();
    expect(kept.map((r) => r.outboxId)).toEqual(rows.slice(-DELIVERY_LOG_MAX).map((r) => r.outboxId));
    // Nothing more to trim: a second call keeps them all.
    await trimDeliveries(db);
    expect(await db.deliveries.count()).toBe(DELIVERY_LOG_MAX);
    db.close();
  });

  it('leaves a log within its limit alone', async () => {
    const db = new SidecaseDb(`delivery-log-${Math.random()}`);
    await db.deliveries.bulkAdd(Array.from({ length: 12 }, (_, i) => row(i, true)));
    await trimDeliveries(db);
    expect(await db.deliveries.count()).toBe(12);
    db.close();
  });
});
