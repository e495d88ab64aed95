/**
 * The README's screenshots, taken from the built extension at 400×800 in light
 * and dark: New with a customer captured from a Gmail thread, Cases with some
 * cases, a case's Notes tab. With SIDECASE_SCREENSHOTS=1 the PNGs are written
 * to docs/screenshots/; without it the same views are rendered and checked,
 * and the images are only taken in memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { removeDraft, type ExtensionBrowser } from './support/browser';
import { useFixtureBrowser } from './support/fixture-browser';
import { addNote, createCase, goBack, openByNumber, showTab, showView } from './support/case-work';
import type { FixtureServer } from '../fixtures/pages/server';
import { clickToolbarButton, openFixtureTab, openPanelFor, waitForValue } from '../fixtures/pages/harness';

const SCHEMES = ['light', 'dark'] as const;
const SIZE = { width: 400, height: 800 };
const DIR = path.resolve('docs/screenshots');
const WRITE = process.env.SIDECASE_SCREENSHOTS === '1';

let ext: ExtensionBrowser;
let server: FixtureServer;

useFixtureBrowser(async (started) => {
  ({ ext, server } = started);
  await removeDraft(ext);
  if (WRITE) fs.mkdirSync(DIR, { recursive: true });
});

/** The viewport as the panel shows it: a PNG written to docs/screenshots/ when asked for, else kept in memory. */
async function shoot(page: Page, name: string): Promise<Buffer> {
  // Focus rings and the caret are not part of the picture.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await new Promise((resolve) => setTimeout(resolve, 200));
  const image = Buffer.from(await page.screenshot({ type: 'png' }));
  if (WRITE) fs.writeFileSync(path.join(DIR, `${name}.png`), image);
  return image;
}

async function inScheme(page: Page, scheme: (typeof SCHEMES)[number]): Promise<void> {
  await page.setViewport(SIZE);
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
}

describe('the README screenshots', () => {
  it('renders New with a captured customer, Cases with some cases and a case\'s Notes tab, light and dark', async () => {
    // Some cases to list, one with notes.
    const setup = await ext.openPage('sidepanel.html');
    await createCase(setup, 'Invoice shows the wrong VAT number', { name: 'Ana Exemplu', email: 'ana@example.net' }, 'high');
    await createCase(setup, 'Site down for all users', { name: 'Putu Contoh', email: 'putu@example.id' }, 'urgent');
    await createCase(setup, 'Password reset mail never arrives', { name: 'Mihai Exemplu', email: 'mihai@example.org' }, 'low');
    const noted = await createCase(setup, 'Printer jams on every page', { name: 'Dewi Contoh', email: 'dewi.contoh@example.id' });
    await openByNumber(setup, noted);
    for (const text of ['Called the customer: the jam starts after about 20 pages.', 'Engineer visit booked for Friday; fuser unit on order.']) {
      await addNote(setup, text);
    }
    await setup.close();

    // A Gmail thread captured into the form.
    const tab = await openFixtureTab(ext, server.url('/mail/u/0/'));
    await clickToolbarButton(ext, tab.page);
    const panel = await openPanelFor(ext, tab.tabId);
    await panel.click('button[name="capture"]');
    expect(await waitForValue(panel, 'title')).toBe('Order 4411 arrived damaged');
    await waitForValue(panel, 'customer.email', 'ana.kovacs@example.com');

    for (const scheme of SCHEMES) {
      await inScheme(panel, scheme);
      await showView(panel, 'new');
      await panel.waitForSelector('[data-provenance-for="customer.email"]');
      await panel.evaluate(() => window.scrollTo(0, 0));
      expect(await panel.$eval('[name="customer.name"]', (el) => (el as HTMLInputElement).value)).toBe('Ana Kovács');
      expect((await shoot(panel, `new-${scheme}`)).length).toBeGreaterThan(10_000);

      await showView(panel, 'cases');
      await panel.waitForFunction(() => document.querySelectorAll('.case-list [data-case-number]').length >= 4);
      await panel.waitForFunction(() => !document.querySelector('.case-list [aria-busy="true"]'));
      expect(await panel.$eval('button[name="view-cases"]', (el) => el.getAttribute('data-count'))).toBe('4');
      expect((await shoot(panel, `cases-${scheme}`)).length).toBeGreaterThan(10_000);

      await openByNumber(panel, noted);
      await showTab(panel, 'notes');
      await panel.waitForFunction(() => document.querySelectorAll('#case-panel-notes:not([hidden]) .notes__list .note').length === 2);
      expect((await shoot(panel, `case-notes-${scheme}`)).length).toBeGreaterThan(10_000);
      await goBack(panel);
    }
    // The captured draft stays for the next panel otherwise.
    await showView(panel, 'new');
    await panel.click('form[name="quick-create"] button[name="clear"]');
    await panel.close();
    await tab.page.close();
  }, 180_000);
});
