/**
 * The agent's own addresses, set as an agent sets them (on the options page),
 * keep the agent out of the customer fields of a captured mail: in a thread
 * whose last message the agent wrote, the customer is the person written to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, setValue, type ExtensionBrowser } from './support/browser';
import { startFixtureServer, type FixtureServer } from '../fixtures/pages/server';
import { clickToolbarButton, openFixtureTab, openPanelFor, valueOf, waitForValue } from '../fixtures/pages/harness';

/** The extension API, called inside the options page (the code runs there, not in Node). */
declare const chrome: { storage: { local: { get(key: string): Promise<Record<string, unknown>> } } };

let ext: ExtensionBrowser;
let server: FixtureServer;

beforeAll(async () => {
  server = await startFixtureServer();
  ext = await launchWithExtension();
});
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

/** Captures the Gmail thread (Ana Kovács ↔ bence@sidecase.example, Bence wrote last) and returns the customer fields. */
async function captureGmailThread(): Promise<{ name: string; email: string }> {
  const tab = await openFixtureTab(ext, server.url('/mail/u/0/'));
  await clickToolbarButton(ext, tab.page);
  const panel = await openPanelFor(ext, tab.tabId);
  await panel.click('button[name="capture"]');
  await waitForValue(panel, 'title', 'Order 4411 arrived damaged');
  const customer = { name: await valueOf(panel, 'customer.name'), email: await waitForValue(panel, 'customer.email') };
  await panel.close();
  await tab.page.close();
  return customer;
}

describe("the agent's own addresses, saved on the options page", () => {
  it('keep the agent out of a captured mail, while a customer at a look-alike domain is kept', async () => {
    // Nothing set yet: the agent, who wrote last, is taken for the customer. This is why the option exists.
    expect((await captureGmailThread()).email).toBe('bence@sidecase.example');

    const options = await ext.openPage('options.html');
    await options.waitForSelector('form[name="options"][aria-busy="false"]');
    await setValue(options, 'agentName', 'Bence Tóth');
    // The agent's own domain, and a second one that the customer's example.com merely ends with.
    await setValue(options, 'ownAddresses', 'sidecase.example');
    await options.keyboard.press('Enter');
    await options.keyboard.type('ample.com');
    await options.click('form[name="options"] button[type="submit"]');
    await options.waitForFunction(() => document.querySelector('form[name="options"] [role="status"]')?.textContent === 'Saved.');
    const stored = await options.evaluate(async () => (await chrome.storage.local.get('settings')).settings);
    expect(stored).toMatchObject({ agentName: 'Bence Tóth', ownAddresses: ['sidecase.example', 'ample.com'] });
    await options.close();

    expect(await captureGmailThread()).toEqual({ name: 'Ana Kovács', email: 'ana.kovacs@example.com' });
  });
});
