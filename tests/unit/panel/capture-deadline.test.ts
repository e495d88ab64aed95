/**
 * A tab that never answers (a page frozen by its own script, or showing
 * `alert()`): capture gives up at its deadline with a message, and the
 * context-menu actions still store what they have.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { PendingItem } from '../../../lib/inbox/pending';
import { handleMenuClick } from '../../../lib/menus';
import { realServices, type MenuServices } from '../../../lib/menus/action';
import { CAPTURE_DEADLINE_MS, captureTab } from '../../../lib/panel/capture-tab';

const TAB = { id: 7, windowId: 1, url: 'https://portal.example.com/tickets/88', title: 'Ticket 88 · Portal' };
const OPTIONS = { ownAddresses: [], ownNames: ['Eva'] };

/** The page never answers executeScript, as a page showing alert() does. */
function freezeTabs() {
  vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue('en-US');
  return vi.spyOn(fakeBrowser.scripting, 'executeScript').mockImplementation(() => new Promise(() => {}));
}

function menuServices(): { s: MenuServices; stored: PendingItem[] } {
  const stored: PendingItem[] = [];
  return {
    stored,
    s: {
      ...realServices,
      openPanel: () => undefined,
      now: () => 1_700_000_000_000,
      settings: async () => ({ agentName: 'Eva', ownAddresses: [], defaultCountry: '' }),
      store: async (item) => void stored.push(item),
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('a tab that never answers', () => {
  it('ends the capture at its deadline with a message saying why', async () => {
    freezeTabs();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let outcome: unknown;
    void captureTab(7, OPTIONS).then((value) => (outcome = value));
    await vi.advanceTimersByTimeAsync(CAPTURE_DEADLINE_MS - 1);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toEqual({ ok: false, error: 'capture.error.timeout' });
  });

  it('still gives "New case from selection" the selection, with a note that the page was not read', async () => {
    freezeTabs();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { s, stored } = menuServices();
    const click = handleMenuClick({ menuItemId: 'newCaseFromSelection', selectionText: 'Parcel 5512 never arrived' }, TAB, s);
    await vi.advanceTimersByTimeAsync(CAPTURE_DEADLINE_MS);
    await click;
    expect(stored).toEqual([
      expect.objectContaining({ kind: 'draft', text: 'Parcel 5512 never arrived', captureError: 'capture.error.timeout' }),
    ]);
    expect(stored[0]).not.toHaveProperty('capture', expect.anything());
  });

  it('still gives "New case from page" the page\'s address and title, with the note', async () => {
    freezeTabs();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { s, stored } = menuServices();
    const click = handleMenuClick({ menuItemId: 'newCaseFromPage' }, TAB, s);
    await vi.advanceTimersByTimeAsync(CAPTURE_DEADLINE_MS);
    await click;
    expect(stored).toEqual([
      expect.objectContaining({
        kind: 'draft',
        action: 'newCaseFromPage',
        source: expect.objectContaining({ url: TAB.url, pageTitle: TAB.title }),
        captureError: 'capture.error.timeout',
      }),
    ]);
  });
});
