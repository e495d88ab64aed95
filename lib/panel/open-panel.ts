/**
 * Opening the panel from the toolbar button and the keyboard command.
 *
 * Chrome: `sidePanel.open({ tabId })` is called synchronously inside
 * `action.onClicked`, the only place that both opens the panel and leaves the
 * click's `activeTab` grant usable (`openPanelOnActionClick` opens it without
 * the grant). The keyboard command is `_execute_action`, so it lands here too.
 * Firefox: `sidebarAction.open()` from the same listener (user gesture).
 */
import { browser } from 'wxt/browser';

type ChromeSidePanel = { open(options: { tabId?: number; windowId?: number }): Promise<void> };
type FirefoxSidebar = { open(): Promise<void> };

export function registerPanelOpening(): void {
  const api = browser as unknown as { sidePanel?: ChromeSidePanel; sidebarAction?: FirefoxSidebar };
  const action = browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
  action.onClicked.addListener((tab) => {
    if (api.sidePanel && tab.id !== undefined) {
      // No await before this call: the user gesture must still be current.
      void api.sidePanel.open({ tabId: tab.id }).catch((error: unknown) => console.warn('sidePanel.open failed', error));
    } else if (api.sidebarAction) {
      void api.sidebarAction.open();
    }
  });
}
