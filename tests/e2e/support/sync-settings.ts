/**
 * Sync settings the browser tests set through the options page, as an agent
 * would: a webhook backend for the tests that check what reaches one.
 */
import type { Page } from 'puppeteer-core';
import { typeInto, type ExtensionBrowser } from './browser';

/** Chooses a webhook backend on the options page, types its URL and secret, and saves. */
export async function saveWebhookBackend(ext: ExtensionBrowser, url: string, secret: string): Promise<void> {
  const options = await ext.openPage('options.html');
  await options.waitForSelector('form[name="sync"][data-loaded="true"]');
  await options.select('[name="backend.kind"]', 'webhook');
  await typeInto(options, 'webhook.url', url);
  await typeInto(options, 'webhook.secret', secret);
  await options.click('button[name="save-sync"]');
  await waitForSyncSaved(options);
  await options.close();
}

/** Waits for the options page's sync form to say "Saved." (`timeout` as puppeteer's, its default 30 s). */
export async function waitForSyncSaved(page: Page, timeout?: number): Promise<void> {
  await page.waitForFunction(() => document.querySelector('.sync-settings__saved')?.textContent === 'Saved.', timeout === undefined ? {} : { timeout });
}
