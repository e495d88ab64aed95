/**
 * The context-menu actions, in the order the menu shows them, and their
 * wiring (see README.md). Adding an action: one file, one line here, its
 * title `menus.<id>` in the catalogs.
 */
import { browser } from 'wxt/browser';
import { t } from '../i18n/t';
import type { PendingItem } from '../inbox/pending';
import { redactPending } from './redact-pending';
import { SidecaseError } from '../errors';
import { pendingId, realServices, sourceOf, type MenuAction, type MenuContext, type MenuClickInfo, type MenuServices, type MenuTab } from './action';
import { addLinkToCase } from './add-link-to-case';
import { addSelectionToCase } from './add-selection-to-case';
import { attachImageToCase } from './attach-image-to-case';
import { newCaseFromPage } from './new-case-from-page';
import { newCaseFromSelection } from './new-case-from-selection';
import { quickNoteFromSelection } from './quick-note-from-selection';
import { screenshotToCase } from './screenshot-to-case';

export const MENU_ACTIONS: readonly MenuAction[] = [
  newCaseFromSelection, // selection → the form, with the page's customer
  addSelectionToCase, // selection → a note on the latest open case, or one picked in the panel
  quickNoteFromSelection, // selection → the Notes inbox, no case yet
  addLinkToCase, // link → a note on a case
  attachImageToCase, // image → fetched, size-capped, type-checked, attached to a case
  newCaseFromPage, // page → the form, as the capture button fills it
  screenshotToCase, // page → the visible tab as an image for a case
];

const byId = new Map(MENU_ACTIONS.map((action) => [action.id, action]));

/**
 * One click. Call synchronously from `onClicked`: the panel opens before any
 * await, while the click still counts as a user gesture. Resolves when the
 * result, or the reason there is none, is stored for the panel.
 */
export function handleMenuClick(info: MenuClickInfo, tab: MenuTab | undefined, services: MenuServices = realServices): Promise<void> {
  const action = byId.get(String(info.menuItemId));
  if (!action) return Promise.resolve();
  services.openPanel(tab);
  // What a menu action keeps (a selection, a page's capture) is masked before it is stored: lib/redaction.
  const click = { info, tab, services: { ...services, store: async (item: PendingItem) => services.store(await redactPending(item)) } };
  return action.run(click).catch(async (error: unknown) => {
    if (!(error instanceof SidecaseError)) console.error(`menu action ${action.id} failed`, error);
    const key = error instanceof SidecaseError ? error.key : 'menus.error.failed';
    await services
      .store({ kind: 'error', id: pendingId(click), action: action.id, source: sourceOf(click, 'page'), error: key })
      .catch((stored: unknown) => console.error('menu error not stored', stored));
  });
}

export function registerContextMenus(): void {
  const menus = browser.contextMenus;
  browser.runtime.onInstalled.addListener(() => {
    menus.removeAll(() => {
      for (const action of MENU_ACTIONS) {
        menus.create({ id: action.id, title: t(`menus.${action.id}`), contexts: action.contexts as [MenuContext, ...MenuContext[]] });
      }
    });
  });
  menus.onClicked.addListener((info, tab) => void handleMenuClick(info, tab));
  // Native menus cannot be clicked in headless browser tests: they call this from
  // the service worker instead, with the info and tab Chrome would pass. It can
  // only do what a click does, and only code running in this worker reaches it.
  (globalThis as { sidecaseMenus?: unknown }).sidecaseMenus = { click: (info: MenuClickInfo, tab?: MenuTab) => handleMenuClick(info, tab) };
}
