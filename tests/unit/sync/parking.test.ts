import { afterEach, describe, expect, it } from 'vitest';
import { appendOutbox } from '../../../lib/db/changes';
import { SidecaseDb } from '../../../lib/db/db';
import { newId } from '../../../lib/ids';
import { drainOutbox, retryEntry } from '../../../lib/sync/engine';
import { PARKED } from '../../../lib/sync/engine-state';
import { resolveConflict } from '../../../lib/sync/conflicts';
import { recentDeliveries, recordSyncStatus } from '../../../lib/sync/status';
import { startReferenceBackend, type ReferenceBackend } from '../../support/reference-backend';

let server: ReferenceBackend | undefined;
afterEach(async () => {
  await server?.close();
});

describe('a change the backend refuses', () => {
  it('is kept, holds back later changes of its record only, and goes again on Retry', async () => {
    server = await startReferenceBackend();
    const db = new SidecaseDb(`parking-${Math.random()}`);
    const settings = { kind: 'rest' as const, url: server.url, auth: { type: 'bearer' as const, token: 'unused-token' } };
    const refused = newId();
    const other = newId();
    await db.transaction('rw', db.outbox, async () => {
      await appendOutbox(db, { entity: 'case', entityId: refused, type: 'case.created', at: 1, data: { id: refused, n: 1 } });
      await appendOutbox(db, { entity: 'case', entityId: refused, type: 'case.updated', at: 2, data: { id: refused, n: 2 } });
      await appendOutbox(db, { entity: 'case', entityId: other, type: 'case.created', at: 3, data: { id: other } });
    });
    server.setFaults((request) => (request.path.endsWith(refused) ? { kind: 'status', status: 422 } : undefined));

    const first = await drainOutbox({ db, settings, now: () => 10 });
    expect(first).toMatchObject({ sent: 1, failed: 1 });
    expect(first.blocked).toBeUndefined();
    const [head, next] = await db.outbox.orderBy('id').toArray();
    expect(head).toMatchObject({ entityId: refused, nextAttemptAt: PARKED, lastError: 'sync.error.rejected', attempts: 1 });
    expect(next).toMatchObject({ entityId: refused, attempts: 0 });
    expect(await recordSyncStatus('case', refused, db)).toMatchObject({ status: 'error', error: 'sync.error.rejected' });
    expect((await recentDeliveries(10, db)).find((delivery) => delivery.outboxId === head!.id)).toMatchObject({
      ok: false,
      status: 422,
      error: 'sync.error.rejected',
    });

    // Still parked an hour later.
    expect(await drainOutbox({ db, settings, now: () => 3_600_000 })).toMatchObject({ sent: 0, failed: 0 });

    server.setFaults(undefined);
    expect(await retryEntry(head!.id, { db, now: 3_600_001 })).toBe(true);
    expect(await drainOutbox({ db, settings, now: () => 3_600_002 })).toMatchObject({ sent: 2 });
    expect(server.applied.filter((change) => change.id === refused).map((change) => (change.data as { n: number }).n)).toEqual([1, 2]);
  });

  it('cannot be "resolved" when it is not in conflict', async () => {
    const db = new SidecaseDb(`parking-${Math.random()}`);
    await expect(resolveConflict('case', newId(), 'theirs', { db })).rejects.toMatchObject({ key: 'sync.conflict.none' });
  });
});
