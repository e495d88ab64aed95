/**
 * Opening the panel from the toolbar button, the keyboard command and the
 * context menu.
 *
 * Chrome: `sidePanel.open({ tabId })` is called synchronously inside
 * `action.onClicked` (or `contextMenus.onClicked`), the only place that both
 * opens the panel and leaves the click's `activeTab` grant usable
 * (`openPanelOnActionClick` opens it without the grant, so nothing could be
 * read from the page). The keyboard command is `_execute_action`, so it lands
 * here too. Firefox: `sidebarAction.open()` from the same listener.
 */
import { browser } from 'wxt/browser';
import { rememberTabOrigin } from './tab-origins';

type ChromeSidePanel = { open(options: { tabId?: number; windowId?: number }): Promise<void> };
type FirefoxSidebar = { open(): Promise<void> };

/** Opens (or focuses) the panel for this tab. Call before any await in a click listener. */
export function openPanelForTab(tab: { id?: number; url?: string } | undefined): void {
  const api = browser as unknown as { sidePanel?: ChromeSidePanel; sidebarAction?: FirefoxSidebar };
  const failed = (error: unknown) => console.warn('panel not opened', error);
  try {
    // No await before this call: the user gesture must still be current.
    if (api.sidePanel && tab?.id !== undefined) void api.sidePanel.open({ tabId: tab.id }).catch(failed);
    else if (api.sidebarAction) void api.sidebarAction.open().catch(failed);
  } catch (error) {
    // The panel stays closed; what the click produced is stored all the same.
    failed(error);
  }
  // The click made the tab's URL visible: keep its origin for "Always allow on this site".
  void rememberTabOrigin(tab?.id, tab?.url).catch(() => undefined);
}

export function registerPanelOpening(): void {
  const action = browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
  action.onClicked.addListener((tab) => openPanelForTab(tab));
}
