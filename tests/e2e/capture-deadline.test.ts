/**
 * A page showing `alert()` does not answer the extension's scripts until the
 * dialog is closed. Capture gives up at its deadline and says so (the button
 * works again), and "New case from selection" still fills the form with the
 * selection, with the same note.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialog } from 'puppeteer-core';
import { launchWithExtension, type ExtensionBrowser } from './support/browser';
import { startFixtureServer, type FixtureServer } from '../fixtures/pages/server';
import { clickMenu, clickToolbarButton, openFixtureTab, openPanelFor, setAgentSettings, waitForValue, type FixtureTab } from '../fixtures/pages/harness';

let ext: ExtensionBrowser;
let server: FixtureServer;
let article: FixtureTab;
const dialogs: Dialog[] = [];

beforeAll(async () => {
  server = await startFixtureServer();
  ext = await launchWithExtension();
  await setAgentSettings(ext);
  article = await openFixtureTab(ext, server.url('/pages/article.html'));
  // The dialog is left open, as an agent who has not noticed it would.
  article.page.on('dialog', (dialog) => void dialogs.push(dialog));
});
afterAll(async () => {
  await Promise.all(dialogs.map((dialog) => dialog.dismiss().catch(() => {})));
  await ext?.close();
  await server?.close();
});

async function showAlert(): Promise<void> {
  await article.page.evaluate(() => void setTimeout(() => alert('Your session expires in 1 minute'), 0));
  const started = Date.now();
  while (dialogs.length === 0 && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 50));
  expect(dialogs.length).toBeGreaterThan(0);
}

describe('a page showing alert()', () => {
  it('ends Capture at its deadline with a message, and Capture can be clicked again', async () => {
    await clickToolbarButton(ext, article.page);
    const panel = await openPanelFor(ext, article.tabId);
    await showAlert();
    await panel.bringToFront();
    await panel.click('button[name="capture"]');
    await panel.waitForSelector('[data-error="capture.error.timeout"]', { timeout: 30_000 });
    expect(await panel.$eval('button[name="capture"]', (el) => (el as HTMLButtonElement).disabled)).toBe(false);
    await panel.close();
  });

  it('"New case from selection" still fills the form with the selection, and says the page was not read', async () => {
    const panel = await openPanelFor(ext, article.tabId);
    const tab = { id: article.tabId, windowId: article.windowId, url: server.url('/pages/article.html'), title: 'Order 5512 · Kettle shop' };
    const selection = 'The kettle arrived with a cracked lid. Order 5512.';
    await clickMenu(ext, { menuItemId: 'newCaseFromSelection', selectionText: selection, pageUrl: tab.url }, tab);
    await panel.bringToFront();
    expect(await waitForValue(panel, 'description', selection)).toBe(selection);
    await panel.waitForSelector('[data-error="capture.error.timeout"]', { timeout: 10_000 });
    await panel.close();
  });
});
