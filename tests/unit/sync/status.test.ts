import { afterEach, describe, expect, it } from 'vitest';
import { appendOutbox } from '../../../lib/db/changes';
import { SidecaseDb } from '../../../lib/db/db';
import { newId } from '../../../lib/ids';
import { watchSyncHeader, type SyncHeaderState } from '../../../lib/sync/header';
import { saveBackendSettings } from '../../../lib/sync/settings';
import { deliveryLog, syncSummary } from '../../../lib/sync/status';

const dbs: SidecaseDb[] = [];
const freshDb = () => {
  const db = new SidecaseDb(`status-${Math.random()}`);
  dbs.push(db);
  return db;
};
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

async function queue(db: SidecaseDb, at: number) {
  const id = newId();
  return db.transaction('rw', db.outbox, () => appendOutbox(db, { entity: 'case', entityId: id, type: 'case.created', at, data: { id } }));
}

async function logAttempt(db: SidecaseDb, outboxId: string, at: number, ok: boolean, error?: string) {
  await db.deliveries.add({ id: newId(at), outboxId, type: 'case.created', at, attempts: 1, ok, status: ok ? 200 : 503, error });
}

describe('what the panel and the options show about sync', () => {
  it('offers Retry once per waiting change, on its newest failed attempt', async () => {
    const db = freshDb();
    const waiting = await queue(db, 1);
    const delivered = newId(2);
    await logAttempt(db, waiting.id, 10, false, 'sync.error.server');
    await logAttempt(db, delivered, 15, false, 'sync.error.network');
    await logAttempt(db, waiting.id, 20, false, 'sync.error.rejected');
    await logAttempt(db, delivered, 30, true);

    const rows = await deliveryLog(100, db);
    expect(rows.map((row) => [row.at, row.canRetry])).toEqual([
      [30, false],
      [20, true],
      [15, false],
      [10, false],
    ]);
  });

  it('shows the newest failure of a change that still waits, and none once it went through', async () => {
    const db = freshDb();
    const entry = await queue(db, 1);
    await logAttempt(db, entry.id, 10, false, 'sync.error.network');
    expect(await syncSummary(db)).toMatchObject({ pending: 1, lastError: 'sync.error.network' });

    await db.outbox.delete(entry.id);
    await logAttempt(db, entry.id, 20, true);
    expect(await syncSummary(db)).toMatchObject({ pending: 0, lastError: undefined });
  });

  it('nudges the background when the outbox grows, not when it shrinks, and never without a backend', async () => {
    const db = freshDb();
    const states: SyncHeaderState[] = [];
    let nudges = 0;
    const next = (count: number) =>
      new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (states.length >= count) {
            clearInterval(check);
            resolve();
          }
        }, 5);
      });
    const stop = watchSyncHeader((state) => states.push(state), { db, nudge: () => (nudges += 1) });
    try {
      await next(1);
      expect(states[0]).toMatchObject({ kind: 'none', summary: { pending: 0 } });
      // Without a backend a save does not make the header read again: it
      // watches the settings row only (each read transaction it opened made
      // the next save wait).
      await queue(db, 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(states).toHaveLength(1);
      expect(nudges).toBe(0);

      await saveBackendSettings({ kind: 'webhook', url: 'https://hooks.example/sidecase', secret: 'whsec_0123456789abcdef' }, { db });
      await next(2);
      expect(states.at(-1)).toMatchObject({ kind: 'webhook', summary: { pending: 1 } });
      // The change made before there was a backend is waiting: sent now.
      expect(nudges).toBe(1);
      const entry = await queue(db, 2);
      await next(3);
      expect(states.at(-1)?.summary.pending).toBe(2);
      expect(nudges).toBe(2);

      await db.outbox.delete(entry.id);
      await next(4);
      expect(states.at(-1)?.summary.pending).toBe(1);
      expect(nudges).toBe(2);
    } finally {
      stop();
    }
  });
});
