/**
 * "Always allow on this site": after a capture made with the toolbar click's
 * one-time grant, the panel offers a runtime host permission for that one
 * origin; granted, it captures again and stops offering; refused, it says so.
 *
 * Headless Chromium never answers permissions.request (its prompt has no
 * window), and neither CDP nor chrome://extensions can grant an optional host
 * permission. So the panel's permission calls are answered here, as the
 * browser's prompt would answer them: `request` records what was asked and
 * grants or refuses it, `contains` then reports the grant. Everything else —
 * the click handler, the capture after the grant, the offer — is the built
 * panel's own code, reading the real tab.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import type { ExtensionBrowser } from './support/browser';
import { useFixtureBrowser } from './support/fixture-browser';
import type { FixtureServer } from '../fixtures/pages/server';
import { clickToolbarButton, openFixtureTab, openPanelFor, valueOf, waitForValue, type FixtureTab } from '../fixtures/pages/harness';

let ext: ExtensionBrowser;
let server: FixtureServer;

useFixtureBrowser((started) => ({ ext, server } = started));

type Answered = { requests: Array<{ origins?: string[] }> };

/** Answers the panel's permissions.request with `answer` (and grants what it asked for when true). */
async function answerPermissionPrompt(panel: Page, answer: boolean): Promise<void> {
  await panel.evaluate((grant) => {
    const api = (globalThis as unknown as { chrome: { permissions: Record<string, (p: { origins?: string[] }) => Promise<boolean>> } }).chrome.permissions;
    const granted = new Set<string>();
    const record: Answered = { requests: [] };
    (globalThis as unknown as { answered: Answered }).answered = record;
    const contains = api.contains!.bind(api);
    api.request = async (permissions) => {
      record.requests.push(permissions);
      if (grant) for (const origin of permissions.origins ?? []) granted.add(origin);
      return grant;
    };
    api.contains = async (permissions) => ((permissions.origins ?? []).length > 0 && (permissions.origins ?? []).every((o) => granted.has(o))) || contains(permissions);
  }, answer);
}

async function requestsOf(panel: Page): Promise<Answered['requests']> {
  return panel.evaluate(() => (globalThis as unknown as { answered: Answered }).answered.requests);
}

/** A capture of the Gmail fixture with the toolbar's one-time grant, which ends with the offer. */
async function captureWithOneTimeGrant(): Promise<{ tab: FixtureTab; panel: Page }> {
  const tab = await openFixtureTab(ext, server.url('/mail/u/0/'));
  await clickToolbarButton(ext, tab.page);
  const panel = await openPanelFor(ext, tab.tabId);
  await panel.click('button[name="capture"]');
  await waitForValue(panel, 'title', 'Order 4411 arrived damaged');
  const offer = await panel.waitForSelector('button[name="always-allow"]');
  expect(await offer!.evaluate((el) => el.textContent)).toContain(new URL(server.origin).host);
  return { tab, panel };
}

describe('"Always allow on this site"', () => {
  it('asks for that one origin and, once granted, captures again and stops offering', async () => {
    const { tab, panel } = await captureWithOneTimeGrant();
    await answerPermissionPrompt(panel, true);
    // An empty form, so the capture after the grant shows in the fields.
    await panel.click('form[name="quick-create"] button[name="clear"]');
    await panel.waitForFunction(() => document.querySelector<HTMLInputElement>('[name="title"]')?.value === '', { polling: 100 });

    await panel.click('button[name="always-allow"]');

    expect(await waitForValue(panel, 'title', 'Order 4411 arrived damaged')).toBe('Order 4411 arrived damaged');
    expect(await valueOf(panel, 'customer.email')).toBe('ana.kovacs@example.com');
    expect(await requestsOf(panel)).toEqual([{ origins: [`${server.origin}/*`] }]);
    await panel.waitForFunction(() => !document.querySelector('button[name="always-allow"]'), { polling: 100 });
    expect(await panel.$('.capture__error')).toBeNull();
    await panel.close();
    await tab.page.close();
  });

  it('says so when the agent refuses, and captures nothing more', async () => {
    const { tab, panel } = await captureWithOneTimeGrant();
    await answerPermissionPrompt(panel, false);
    await panel.click('form[name="quick-create"] button[name="clear"]');
    await panel.waitForFunction(() => document.querySelector<HTMLInputElement>('[name="title"]')?.value === '', { polling: 100 });

    await panel.click('button[name="always-allow"]');

    await panel.waitForSelector('.capture__error[data-error="capture.allow.refused"]');
    expect(await requestsOf(panel)).toEqual([{ origins: [`${server.origin}/*`] }]);
    expect(await valueOf(panel, 'title')).toBe('');
    await panel.close();
    await tab.page.close();
  });
});
