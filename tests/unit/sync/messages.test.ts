import { afterEach, describe, expect, it } from 'vitest';
import { appendOutbox } from '../../../lib/db/changes';
import { db } from '../../../lib/db/db';
import { newId } from '../../../lib/ids';
import { PARKED } from '../../../lib/sync/engine-state';
import { answerSyncMessage, isOwnExtensionPage } from '../../../lib/sync/messages';

const OWN = { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/options.html' };

afterEach(async () => {
  await db.outbox.clear();
  await db.meta.clear();
});

describe('sync messages to the background', () => {
  it('accepts only pages of this very extension', () => {
    expect(isOwnExtensionPage(OWN)).toBe(true);
    // A content script of ours runs in a web page: its sender URL is the page's.
    expect(isOwnExtensionPage({ id: 'test-extension-id', url: 'https://mail.example.com/inbox' })).toBe(false);
    expect(isOwnExtensionPage({ id: 'another-extension', url: 'chrome-extension://another-extension/page.html' })).toBe(false);
    expect(isOwnExtensionPage({ id: 'test-extension-id' })).toBe(false);
  });

  it('refuses a sync request from a web page and does nothing', async () => {
    const id = newId();
    const entry = await db.transaction('rw', db.outbox, () =>
      appendOutbox(db, { entity: 'case', entityId: id, type: 'case.created', at: 1, data: { id } }),
    );
    await db.outbox.update(entry.id, { nextAttemptAt: PARKED });
    const reply = await answerSyncMessage({ type: 'sync.retry', outboxId: entry.id }, { id: 'test-extension-id', url: 'https://evil.example/' });
    expect(reply).toEqual({ ok: false, error: 'sync.message.refused' });
    expect((await db.outbox.get(entry.id))?.nextAttemptAt).toBe(PARKED);
  });

  it('answers a malformed request with a message key, not an exception', async () => {
    expect(await answerSyncMessage({ type: 'sync.retry', outboxId: '../../etc' }, OWN)).toEqual({ ok: false, error: 'sync.message.invalid' });
    expect(await answerSyncMessage({ type: 'sync.resolveConflict', entity: 'case', id: newId(), choice: 'both' }, OWN)).toEqual({
      ok: false,
      error: 'sync.message.invalid',
    });
  });

  it('leaves messages of other features to their own listeners', async () => {
    expect(await answerSyncMessage({ type: 'capture.page' }, OWN)).toBeUndefined();
    expect(await answerSyncMessage('sync.now', OWN)).toBeUndefined();
  });

  it('releases a parked change on Retry, and says so when it is gone', async () => {
    const id = newId();
    const entry = await db.transaction('rw', db.outbox, () =>
      appendOutbox(db, { entity: 'case', entityId: id, type: 'case.created', at: 1, data: { id } }),
    );
    await db.outbox.update(entry.id, { nextAttemptAt: PARKED });
    expect(await answerSyncMessage({ type: 'sync.retry', outboxId: entry.id }, OWN)).toEqual({ ok: true });
    expect((await db.outbox.get(entry.id))?.nextAttemptAt).toBeLessThan(PARKED);
    expect(await answerSyncMessage({ type: 'sync.retry', outboxId: newId() }, OWN)).toEqual({ ok: false, error: 'sync.retry.gone' });
  });

  it('turns a known failure of a conflict choice into its message key', async () => {
    expect(await answerSyncMessage({ type: 'sync.resolveConflict', entity: 'case', id: newId(), choice: 'theirs' }, OWN)).toEqual({
      ok: false,
      error: 'sync.conflict.none',
    });
  });
});
