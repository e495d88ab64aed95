import { describe, expect, it } from 'vitest';
import { AxePuppeteer } from '@axe-core/puppeteer';
import type { Page } from 'puppeteer-core';
import { typeInto, type ExtensionBrowser } from './support/browser';
import { useFixtureBrowser } from './support/fixture-browser';
import type { FixtureServer } from '../fixtures/pages/server';
import { clickToolbarButton, openFixtureTab, openPanelFor, provenanceOf, saveForm, valueOf, waitForValue } from '../fixtures/pages/harness';

let ext: ExtensionBrowser;
let server: FixtureServer;

useFixtureBrowser((started) => ({ ext, server } = started));

async function bannerNumber(page: Page): Promise<string | null> {
  return page.evaluate(() => document.querySelector('[data-source-case]')?.getAttribute('data-source-case') ?? null);
}

describe('the panel knows the page it is opened on', () => {
  it('says a case was already made from this page, opens it, and offers the values last saved on the site', async () => {
    const tab = await openFixtureTab(ext, server.url('/mail/u/0/'));
    await clickToolbarButton(ext, tab.page);
    const first = await openPanelFor(ext, tab.tabId);
    // Nothing was made from this page yet.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await bannerNumber(first)).toBeNull();
    await first.click('button[name="capture"]');
    await waitForValue(first, 'title', 'Order 4411 arrived damaged');
    await first.select('[name="priority"]', 'high');
    await typeInto(first, 'product', 'Webshop');
    const toast = await saveForm(first);
    const number = /CAS-\d{6}-[0-9A-Z]{10}/.exec(toast)?.[0];
    expect(number, toast).toBeTruthy();
    await first.close();

    // The next panel on that tab: the case is named at the top, before a second one is made.
    const panel = await openPanelFor(ext, tab.tabId, { clear: false });
    await panel.waitForSelector('[data-source-case]', { timeout: 15_000 });
    expect(await bannerNumber(panel)).toBe(number);
    expect(await panel.$eval('.source-case', (el) => el.textContent)).toContain(`${number} was created from this page`);
    // The site's last values are offered, and say so.
    expect(await waitForValue(panel, 'priority', 'high')).toBe('high');
    expect(await valueOf(panel, 'product')).toBe('Webshop');
    expect(await provenanceOf(panel, 'priority')).toBe('site');
    expect(await panel.$eval('[data-provenance-for="product"]', (el) => el.textContent)).toBe('remembered for 127.0.0.1');

    // The banner and the remembered hints pass axe in both themes (tests/e2e/a11y.test.ts covers the rest).
    for (const scheme of ['light', 'dark']) {
      await panel.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      const results = await new AxePuppeteer(panel).include('.source-case').include('form[name="quick-create"]').analyze();
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${scheme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }

    await panel.click('button[name="open-source-case"]');
    await panel.waitForFunction((n) => document.querySelector('.case-detail .case-number')?.textContent?.includes(n), { timeout: 15_000 }, number!);
    await panel.close();
    await tab.page.close();
  });

  it('says nothing on a page no case was made from', async () => {
    const tab = await openFixtureTab(ext, server.url('/capture/jsonld'));
    await clickToolbarButton(ext, tab.page);
    const panel = await openPanelFor(ext, tab.tabId);
    await panel.click('button[name="capture"]');
    await waitForValue(panel, 'customer.email');
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await bannerNumber(panel)).toBeNull();
    await panel.close();
    await tab.page.close();
  });
});
