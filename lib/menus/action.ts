/**
 * The shape of a context-menu action, and what every action shares: the
 * click as Chrome gives it, the source of what it took, and its services
 * (real ones in the extension, stand-ins in unit tests).
 */
import { browser } from 'wxt/browser';
import { addPending, type PendingItem, type PendingSource } from '../inbox/pending';
import { captureTab, defaultCountryOf, type TabCapture } from '../panel/capture-tab';
import { loadSettings, type Settings } from '../settings';
import { sendMessage } from '../messages';
import { newId } from '../ids';
import { openPanelForTab } from '../panel/open-panel';
import { cleanBlock } from '../capture/clean';

export type MenuContext = 'selection' | 'link' | 'image' | 'page';

/** The part of Chrome's OnClickData the actions read. */
export interface MenuClickInfo {
  menuItemId: string | number;
  selectionText?: string;
  linkUrl?: string;
  srcUrl?: string;
  mediaType?: string;
  pageUrl?: string;
}

export interface MenuTab {
  id?: number;
  windowId?: number;
  url?: string;
  title?: string;
}

export interface MenuServices {
  /** Opens or focuses the panel: synchronous, while the click is still a user gesture. */
  openPanel(tab: MenuTab | undefined): void;
  now(): number;
  settings(): Promise<Settings>;
  /** Reads the page (allowed by the click's activeTab grant). */
  capture(tabId: number, selection: string | undefined, settings: Settings): Promise<TabCapture>;
  store(item: PendingItem): Promise<void>;
  fetch: typeof fetch;
  captureVisibleTab(windowId: number | undefined, format: 'png' | 'jpeg'): Promise<string>;
}

export interface MenuClick {
  info: MenuClickInfo;
  tab: MenuTab | undefined;
  services: MenuServices;
}

export interface MenuAction {
  /** Menu item id, and `menus.<id>` is its title. */
  id: string;
  contexts: MenuContext[];
  run(click: MenuClick): Promise<void>;
}

export const realServices: MenuServices = {
  openPanel: openPanelForTab,
  now: () => Date.now(),
  settings: loadSettings,
  capture: (tabId, selection, settings) =>
    captureTab(tabId, {
      selection,
      ownAddresses: settings.ownAddresses,
      ownNames: [settings.agentName],
      defaultCountry: defaultCountryOf(browser.i18n.getUILanguage(), settings.defaultCountry),
    }),
  store: async (item) => {
    await addPending(item);
    // An open panel brings it into view; a closed one finds it in storage when it opens
    // (sendMessage then resolves to a failure, which changes nothing here).
    await sendMessage('pending.added', { id: item.id });
  },
  fetch: (input, init) => fetch(input, init),
  captureVisibleTab: (windowId, format) =>
    windowId === undefined
      ? browser.tabs.captureVisibleTab({ format, quality: 80 })
      : browser.tabs.captureVisibleTab(windowId, { format, quality: 80 }),
};

/** Where a result came from: the page's URL and title, and when. */
export function sourceOf(click: MenuClick, kind: PendingSource['kind']): PendingSource {
  const url = click.tab?.url ?? click.info.pageUrl;
  return {
    kind,
    url: url ? url.slice(0, 4096) : undefined,
    pageTitle: click.tab?.title ? click.tab.title.slice(0, 1000) : undefined,
    capturedAt: click.services.now(),
  };
}

export function pendingId(click: MenuClick): string {
  return newId(click.services.now());
}

/** The selection as plain text (no invisible or control characters), capped; empty when there is none. */
export function selectionOf(click: MenuClick, max = 100_000): string {
  return cleanBlock(click.info.selectionText ?? '', max);
}

/**
 * A new-case draft for the panel, read from the page the menu was opened on
 * (with the selection when there is one). A page that cannot be read
 * (refused, frozen, showing a dialog) still gives its URL and title, with the
 * reason it was not read.
 */
export async function storePageDraft(click: MenuClick, action: string, kind: 'page' | 'selection', text?: string): Promise<void> {
  const settings = await click.services.settings();
  const captured = click.tab?.id === undefined ? undefined : await click.services.capture(click.tab.id, text, settings);
  await click.services.store({
    kind: 'draft',
    id: pendingId(click),
    action,
    source: sourceOf(click, kind),
    text,
    capture: captured?.ok ? captured.result : undefined,
    captureError: captured && !captured.ok ? captured.error : undefined,
  });
}
