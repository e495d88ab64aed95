import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { addPending, listPending, removePending, type PendingItem } from '../../../lib/inbox/pending';
import { addDraftAttachment, DRAFT_ATTACHMENTS_MAX, listDraftAttachments } from '../../../lib/inbox/draft-attachments';
import { dispatchMessage } from '../../../lib/messages';

const note = (id: string): PendingItem => ({
  kind: 'note',
  id,
  action: 'addSelectionToCase',
  source: { kind: 'selection', url: 'https://example.com/', capturedAt: 1 },
  text: 'Customer prefers mornings',
});

describe('what waits for the panel', () => {
  it('keeps context-menu results in order and forgets the ones dealt with', async () => {
    await addPending(note('a'));
    await addPending(note('b'));
    expect((await listPending()).map((i) => i.id)).toEqual(['a', 'b']);
    await removePending('a');
    expect((await listPending()).map((i) => i.id)).toEqual(['b']);
  });

  it('keeps both of two results written at once, as two menu clicks in a row write them', async () => {
    await Promise.all([addPending(note('a')), addPending(note('b')), removePending('none')]);
    expect((await listPending()).map((i) => i.id)).toEqual(['a', 'b']);
  });

  it('drops what another context wrote that does not parse, such as an SVG posing as a PNG', async () => {
    await fakeBrowser.storage.session.set({
      pending: [
        note('ok'),
        { kind: 'image', id: 'svg', action: 'attachImageToCase', source: { kind: 'image', capturedAt: 1 }, image: { dataUrl: 'data:image/svg+xml;base64,PHN2Zz4=', name: 'x.png', type: 'image/png', size: 5 } },
        { kind: 'note', id: 'x', action: 'a', source: { kind: 'selection', capturedAt: 1 }, text: 'y'.repeat(200_000) },
      ],
    });
    expect((await listPending()).map((i) => i.id)).toEqual(['ok']);
  });

  it('holds at most ten images for the case being written', async () => {
    const image = { dataUrl: 'data:image/png;base64,iVBORw0KGgo=', name: 'p.png', type: 'image/png' as const, size: 8, source: 'clipboard' as const };
    for (let i = 0; i < DRAFT_ATTACHMENTS_MAX; i++) expect(await addDraftAttachment({ ...image, id: `i${i}` })).toBe(true);
    expect(await addDraftAttachment({ ...image, id: 'one-too-many' })).toBe(false);
    expect(await listDraftAttachments()).toHaveLength(DRAFT_ATTACHMENTS_MAX);
  });
});

describe('the panel nudge', () => {
  const handlers = { 'pending.added': ({ id }: { id: string }) => ({ ok: true as const, shown: id === 'a' }) };
  const OWN = { id: 'ext', origin: 'chrome-extension://ext/' };

  it('is answered by the panel when the background sends it (Chrome gives the worker no URL)', async () => {
    expect(await dispatchMessage(handlers, { sidecase: 1, name: 'pending.added', body: { id: 'a' } }, { id: 'ext' }, OWN)).toEqual({ ok: true, shown: true });
  });

  it('is refused from another sender and ignored when malformed or unknown', async () => {
    expect(await dispatchMessage(handlers, { sidecase: 1, name: 'pending.added', body: { id: 'a' } }, { id: 'other' }, OWN)).toEqual({
      ok: false,
      error: 'sync.message.refused',
    });
    expect(await dispatchMessage(handlers, { sidecase: 1, name: 'case.delete', body: {} }, { id: 'ext' }, OWN)).toBeUndefined();
    expect(await dispatchMessage(handlers, { sidecase: 1, name: 'pending.added', body: { id: 42 } }, { id: 'ext' }, OWN)).toEqual({
      ok: false,
      error: 'sync.message.invalid',
    });
    expect(await dispatchMessage(handlers, { name: 'pending.added', body: { id: 'a' } }, { id: 'ext' }, OWN)).toBeUndefined();
  });
});
