import { describe, expect, it, vi } from 'vitest';
import { handleMenuClick, MENU_ACTIONS } from '../../../lib/menus';
import type { MenuServices } from '../../../lib/menus/action';
import { sniffImageType } from '../../../lib/menus/image';
import type { PendingItem } from '../../../lib/inbox/pending';
import { listInboxNotes } from '../../../lib/notes/notes';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEUlEQVR4nGP4z8DwnwGMgRQAH+4D/dJQfRoAAAAASUVORK5CYII=', 'base64'));
const TAB = { id: 7, windowId: 1, url: 'https://shop.example.com/orders/5512', title: 'Order 5512' };

function services(overrides: Partial<MenuServices> = {}) {
  const stored: PendingItem[] = [];
  const s: MenuServices = {
    openPanel: () => undefined,
    now: () => 1_700_000_000_000,
    settings: async () => ({ agentName: 'Bence Tóth', ownAddresses: ['sidecase.example'], defaultCountry: '' }),
    capture: async () => ({ ok: false, error: 'capture.error.noPermission' }),
    store: async (item) => void stored.push(item),
    fetch: vi.fn(async () => new Response(PNG, { headers: { 'content-type': 'image/png' } })) as unknown as typeof fetch,
    captureVisibleTab: async () => `data:image/png;base64,${Buffer.from(PNG).toString('base64')}`,
    ...overrides,
  };
  return { s, stored };
}

describe('context-menu actions', () => {
  it('has one title per action in every catalog', () => {
    for (const locale of ['en', 'hu', 'ro', 'id']) {
      const catalog = JSON.parse(readFileSync(path.resolve(`public/_locales/${locale}/messages.json`), 'utf8')) as Record<string, unknown>;
      for (const action of MENU_ACTIONS) expect(catalog[`menus_${action.id}`], `${locale} ${action.id}`).toBeDefined();
    }
  });

  it('keeps the selection, the page and the time for "New case from selection", even when the page cannot be read', async () => {
    const { s, stored } = services();
    await handleMenuClick({ menuItemId: 'newCaseFromSelection', selectionText: '  Parcel\u202E lost  ' }, TAB, s);
    expect(stored).toEqual([
      expect.objectContaining({
        kind: 'draft',
        action: 'newCaseFromSelection',
        text: 'Parcel lost',
        source: { kind: 'selection', url: TAB.url, pageTitle: TAB.title, capturedAt: 1_700_000_000_000 },
      }),
    ]);
    expect(stored[0]).not.toHaveProperty('capture', expect.anything());
  });

  it('puts a quick note in the Notes inbox with its page', async () => {
    const { s } = services();
    await handleMenuClick({ menuItemId: 'quickNoteFromSelection', selectionText: 'Call back at 5' }, TAB, s);
    const [note] = await listInboxNotes();
    expect(note?.caseId).toBeUndefined();
    expect(note?.body).toBe(`Call back at 5\n\n— Order 5512 · ${TAB.url}`);
  });

  it('keeps only links a person can follow', async () => {
    const { s, stored } = services();
    await handleMenuClick({ menuItemId: 'addLinkToCase', linkUrl: 'javascript:alert(1)' }, TAB, s);
    await handleMenuClick({ menuItemId: 'addLinkToCase', linkUrl: 'https://tracking.example.net/5512' }, TAB, s);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ kind: 'note', text: 'https://tracking.example.net/5512', source: { kind: 'link' } });
  });

  it('fetches an image, names it after its URL and checks its bytes', async () => {
    const { s, stored } = services();
    await handleMenuClick({ menuItemId: 'attachImageToCase', srcUrl: 'https://cdn.example.com/photos/parcel.png' }, TAB, s);
    expect(stored[0]).toMatchObject({ kind: 'image', image: { name: 'parcel.png', type: 'image/png', size: PNG.length } });
  });

  it('refuses an SVG served as a PNG, and an image over the cap, with a message for the panel', async () => {
    const svg = services({ fetch: (async () => new Response('<svg onload="alert(1)"/>', { headers: { 'content-type': 'image/png' } })) as unknown as typeof fetch });
    await handleMenuClick({ menuItemId: 'attachImageToCase', srcUrl: 'https://evil.example/x.png' }, TAB, svg.s);
    expect(svg.stored[0]).toMatchObject({ kind: 'error', error: 'menus.image.unsupported' });

    const huge = services({
      fetch: (async () => new Response(PNG, { headers: { 'content-type': 'image/png', 'content-length': String(50 * 1024 * 1024) } })) as unknown as typeof fetch,
    });
    await handleMenuClick({ menuItemId: 'attachImageToCase', srcUrl: 'https://cdn.example.com/big.png' }, TAB, huge.s);
    expect(huge.stored[0]).toMatchObject({ kind: 'error', error: 'menus.image.tooLarge' });
  });

  it('stores the visible tab for "Screenshot to case"', async () => {
    const { s, stored } = services();
    await handleMenuClick({ menuItemId: 'screenshotToCase' }, TAB, s);
    expect(stored[0]).toMatchObject({ kind: 'image', source: { kind: 'screenshot', url: TAB.url }, image: { type: 'image/png' } });
  });

  it('recognises raster images by their first bytes only', () => {
    expect(sniffImageType(PNG)).toBe('image/png');
    expect(sniffImageType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImageType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
  });
});
