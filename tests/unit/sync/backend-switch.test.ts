import { describe, expect, it } from 'vitest';
import { SidecaseDb } from '../../../lib/db/db';
import { newId } from '../../../lib/ids';
import { CURSOR_META_KEY } from '../../../lib/sync/engine-state';
import { isBackendSwitch, saveBackendSettings, type BackendSettings } from '../../../lib/sync/settings';

const token = 'tok_switch_0123456789';
const A: BackendSettings = { kind: 'rest', url: 'https://a.example/api', auth: { type: 'bearer', token } };
const B: BackendSettings = { kind: 'rest', url: 'https://b.example/api', auth: { type: 'bearer', token } };

async function syncedWithA() {
  const db = new SidecaseDb(`switch-${Math.random()}`);
  await saveBackendSettings(A, { db });
  const id = newId();
  await db.syncRecords.put({ entity: 'case', entityId: id, status: 'synced', etag: '"a-7"', remoteVersion: 7, lastSyncedAt: 1 });
  await db.meta.put({ key: CURSOR_META_KEY, value: 'a-cursor-42' });
  return { db, id };
}

describe('switching backends', () => {
  it("clears the old backend's cursor, ETags and versions when the URL changes", async () => {
    const { db, id } = await syncedWithA();
    await saveBackendSettings(B, { db });
    expect(await db.meta.get(CURSOR_META_KEY)).toBeUndefined();
    const record = await db.syncRecords.get(['case', id]);
    expect(record?.etag).toBeUndefined();
    expect(record?.remoteVersion).toBeUndefined();
    expect(record?.status).toBe('synced');
  });

  it('clears them when the kind changes, even with sync turned off in between', async () => {
    const { db, id } = await syncedWithA();
    await saveBackendSettings({ kind: 'none' }, { db });
    expect((await db.meta.get(CURSOR_META_KEY))?.value).toBe('a-cursor-42');
    await saveBackendSettings({ kind: 'webhook', url: 'https://a.example/api', secret: 'x'.repeat(32) }, { db });
    expect(await db.meta.get(CURSOR_META_KEY)).toBeUndefined();
    expect((await db.syncRecords.get(['case', id]))?.etag).toBeUndefined();
  });

  it('keeps them for a new token, a trailing slash, or the same backend turned off and on', async () => {
    const { db, id } = await syncedWithA();
    await saveBackendSettings({ ...A, auth: { type: 'bearer', token: 'tok_rotated_9876543210' } }, { db });
    await saveBackendSettings({ ...A, url: 'https://a.example/api/' }, { db });
    await saveBackendSettings({ kind: 'none' }, { db });
    await saveBackendSettings(A, { db });
    expect((await db.meta.get(CURSOR_META_KEY))?.value).toBe('a-cursor-42');
    expect(await db.syncRecords.get(['case', id])).toMatchObject({ etag: '"a-7"', remoteVersion: 7 });
  });

  it('tells the options page a switch is coming before Save', () => {
    expect(isBackendSwitch(A, B)).toBe(true);
    expect(isBackendSwitch(A, { kind: 'webhook', url: A.url, secret: 'x'.repeat(32) })).toBe(true);
    expect(isBackendSwitch(A, { ...A, auth: { type: 'header', name: 'X-Key', key: 'k' } })).toBe(false);
    expect(isBackendSwitch({ kind: 'none' }, B)).toBe(false);
    expect(isBackendSwitch(A, { kind: 'none' })).toBe(false);
  });
});
