/**
 * The request pump's lanes across records: a record that needs another at the
 * backend first (a case its customer, a note its case) goes after that
 * record's lane, in the same place of the pool, so the pool's places all hold
 * a request out instead of one waiting inside an adapter.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { appendOutbox } from '../../../lib/db/changes';
import { SidecaseDb } from '../../../lib/db/db';
import { newId } from '../../../lib/ids';
import { drainOutbox } from '../../../lib/sync/engine';
import { startReferenceBackend, type ReferenceBackend } from '../../support/reference-backend';

const TOKEN = 'tok_lane_order_0123456789';
const T0 = Date.UTC(2025, 5, 2, 9, 0, 0);

const backends: ReferenceBackend[] = [];
afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.close()));
});

/** Node's fetch, watched: when each path's request went out and when its answer came, and how many were out at once. */
function watchedFetch() {
  const log: Array<{ path: string; sentAt: number; answeredAt: number }> = [];
  const stats = { inFlight: 0, maxInFlight: 0 };
  let tick = 0;
  const watched: typeof fetch = async (input, init) => {
    const row = { path: new URL(String(input)).pathname, sentAt: tick++, answeredAt: Infinity };
    log.push(row);
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    try {
      // A moment on the wire, so that requests of the pool overlap.
      await new Promise((resolve) => setTimeout(resolve, 5));
      return await fetch(input, init);
    } finally {
      stats.inFlight -= 1;
      row.answeredAt = tick++;
    }
  };
  return { fetch: watched, log, stats };
}

describe('lanes of records that need another record', () => {
  it('sends a case after its customer and a note after its case, keeping every place of the pool busy', { timeout: 30_000 }, async () => {
    const server = await startReferenceBackend({ auth: { type: 'bearer', token: TOKEN } });
    backends.push(server);
    const db = new SidecaseDb(`lane-order-${Math.random()}`);
    const people: Array<{ customerId: string; caseId: string; noteId: string }> = [];
    await db.transaction('rw', db.outbox, async () => {
      for (let i = 0; i < 8; i++) {
        const ids = { customerId: newId(T0), caseId: newId(T0), noteId: newId(T0) };
        people.push(ids);
        const at = T0 + i;
        await appendOutbox(db, { entity: 'customer', entityId: ids.customerId, type: 'customer.created', at, data: { id: ids.customerId, name: `Customer ${i}` } });
        await appendOutbox(db, { entity: 'case', entityId: ids.caseId, type: 'case.created', at, data: { id: ids.caseId, title: `Case ${i}`, customerId: ids.customerId } });
        await appendOutbox(db, { entity: 'case', entityId: ids.caseId, type: 'case.updated', at, data: { id: ids.caseId, title: `Case ${i}!`, customerId: ids.customerId } });
        await appendOutbox(db, { entity: 'note', entityId: ids.noteId, type: 'note.added', at, data: { id: ids.noteId, caseId: ids.caseId, body: 'Called back' } });
      }
    });
    const watched = watchedFetch();

    const result = await drainOutbox({ db, settings: { kind: 'rest', url: server.url, auth: { type: 'bearer', token: TOKEN } }, fetch: watched.fetch, maxConcurrent: 3 });

    expect(result).toMatchObject({ sent: 32, failed: 0, retried: 0 });
    expect(server.applied).toHaveLength(32);
    const requests = (path: string) => watched.log.filter((row) => row.path.endsWith(path));
    for (const { customerId, caseId, noteId } of people) {
      const [customer] = requests(`/customers/${customerId}`);
      const [created, updated] = requests(`/cases/${caseId}`);
      const [note] = requests(`/notes/${noteId}`);
      expect(created!.sentAt).toBeGreaterThan(customer!.answeredAt);
      expect(updated!.sentAt).toBeGreaterThan(created!.answeredAt);
      expect(note!.sentAt).toBeGreaterThan(updated!.answeredAt);
    }
    // The pool is full all the same: other customers' lanes run meanwhile.
    expect(watched.stats.maxInFlight).toBe(3);
    db.close();
  });
});
