import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { appendOutbox } from '../../../lib/db/changes';
import { db } from '../../../lib/db/db';
import { newId } from '../../../lib/ids';
import { dispatchMessage } from '../../../lib/messages';
import { PARKED } from '../../../lib/sync/engine-state';
import { syncMessageHandlers } from '../../../lib/sync/message-handlers';

const OPTIONS_PAGE = { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/options.html' };
const ask = (name: string, body: unknown, sender: { id?: string; url?: string } = OPTIONS_PAGE) =>
  dispatchMessage(syncMessageHandlers, { sidecase: 1, name, body }, sender);

async function parkedChange() {
  const id = newId();
  const entry = await db.transaction('rw', db.outbox, () =>
    appendOutbox(db, { entity: 'case', entityId: id, type: 'case.created', at: 1, data: { id } }),
  );
  await db.outbox.update(entry.id, { nextAttemptAt: PARKED });
  return entry;
}

afterEach(async () => {
  await db.outbox.clear();
  await db.meta.clear();
});

describe('sync requests the background answers', () => {
  it('runs in the extension the tests fake', () => {
    expect(fakeBrowser.runtime.id).toBe(OPTIONS_PAGE.id);
  });

  it('refuses a Retry from a web page and leaves the change parked', async () => {
    const entry = await parkedChange();
    expect(await ask('sync.retry', { outboxId: entry.id }, { id: 'test-extension-id', url: 'https://evil.example/' })).toEqual({
      ok: false,
      error: 'sync.message.refused',
    });
    expect(await ask('sync.retry', { outboxId: entry.id }, { id: 'another-extension', url: 'chrome-extension://another-extension/x.html' })).toEqual({
      ok: false,
      error: 'sync.message.refused',
    });
    expect((await db.outbox.get(entry.id))?.nextAttemptAt).toBe(PARKED);
  });

  it('answers a malformed request with a message key, and changes nothing', async () => {
    const entry = await parkedChange();
    expect(await ask('sync.retry', { outboxId: '../../etc' })).toEqual({ ok: false, error: 'sync.message.invalid' });
    expect(await ask('sync.retry', { outboxId: [entry.id] })).toEqual({ ok: false, error: 'sync.message.invalid' });
    expect(await ask('sync.resolveConflict', { entity: 'case', id: newId(), choice: 'both' })).toEqual({ ok: false, error: 'sync.message.invalid' });
    expect((await db.outbox.get(entry.id))?.nextAttemptAt).toBe(PARKED);
  });

  it('leaves the old `{ type }` shape and messages of other features unanswered', async () => {
    expect(await dispatchMessage(syncMessageHandlers, { type: 'sync.now' }, OPTIONS_PAGE)).toBeUndefined();
    expect(await ask('pending.added', { id: 'a' })).toBeUndefined();
  });

  it('releases a parked change on Retry, and says so when it is gone', async () => {
    const entry = await parkedChange();
    expect(await ask('sync.retry', { outboxId: entry.id })).toEqual({ ok: true });
    expect((await db.outbox.get(entry.id))?.nextAttemptAt).toBeLessThan(PARKED);
    expect(await ask('sync.retry', { outboxId: newId() })).toEqual({ ok: false, error: 'sync.retry.gone' });
  });

  it('turns a known failure of a conflict choice into its message key', async () => {
    expect(await ask('sync.resolveConflict', { entity: 'case', id: newId(), choice: 'theirs' })).toEqual({
      ok: false,
      error: 'sync.conflict.none',
    });
  });

  it('reports "Sync now" without a backend as nothing sent', async () => {
    expect(await ask('sync.now', {})).toEqual({ ok: true, sent: 0 });
  });
});
