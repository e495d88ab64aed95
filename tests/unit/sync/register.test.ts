import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { appendOutbox } from '../../../lib/db/changes';
import { db } from '../../../lib/db/db';
import { newId } from '../../../lib/ids';
import { nudgeSync, registerSync, runSync, SYNC_ALARM, syncNow } from '../../../lib/sync/register';
import { saveBackendSettings } from '../../../lib/sync/settings';
import { syncSummary } from '../../../lib/sync/status';
import { startReferenceBackend, type ReferenceBackend } from '../../support/reference-backend';

let server: ReferenceBackend | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await db.outbox.clear();
  await db.meta.clear();
});

const until = async (check: () => boolean | Promise<boolean>, tries = 200) => {
  for (let i = 0; i < tries && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

async function queue(count: number) {
  await db.transaction('rw', db.outbox, async () => {
    for (let i = 0; i < count; i++) {
      const id = newId();
      await appendOutbox(db, { entity: 'case', entityId: id, type: 'case.created', at: Date.now(), data: { id } });
    }
  });
}

describe('sync wiring', () => {
  it('wakes every minute through an alarm and does nothing without a backend', async () => {
    await queue(1);
    registerSync();
    expect(await fakeBrowser.alarms.get(SYNC_ALARM)).toMatchObject({ periodInMinutes: 1 });
    const run = await syncNow();
    expect(run.drain).toEqual({ sent: 0, retried: 0, failed: 0, conflicts: 0 });
    expect((await syncSummary()).pending).toBe(1);
  });

  it('makes one sync of a burst of nudges', async () => {
    server = await startReferenceBackend({ auth: { type: 'bearer', token: 'tok_register_123' } });
    await saveBackendSettings({ kind: 'rest', url: server.url, auth: { type: 'bearer', token: 'tok_register_123' } });
    await queue(5);
    for (let i = 0; i < 5; i++) nudgeSync(20);
    await until(async () => (await db.outbox.count()) === 0 && server!.requests() >= 6);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Five deliveries and one pull of the changes feed: one sync run.
    expect(server.applied).toHaveLength(5);
    expect(server.requests()).toBe(6);
    expect((await syncSummary()).lastSyncAt).toBeTypeOf('number');
  });

  it('tries a change in a short backoff again by itself, without waiting for the minute alarm', async () => {
    server = await startReferenceBackend({ auth: { type: 'bearer', token: 'tok_register_123' } });
    await saveBackendSettings({ kind: 'rest', url: server.url, auth: { type: 'bearer', token: 'tok_register_123' } });
    server.queueFault({ kind: 'status', status: 503 });
    await queue(1);
    const first = await runSync();
    expect(first.drain).toMatchObject({ sent: 0, retried: 1 });
    // Backoff after one failure is at most a second; no alarm fires in this test.
    await until(async () => (await db.outbox.count()) === 0, 400);
    expect(server.applied).toHaveLength(1);
  });
});
