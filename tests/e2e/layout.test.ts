/**
 * The panel's layout for a narrow column (issue 13): three views with their
 * counts, New with its "More" disclosure and a Save bar that stays in reach,
 * and a case's sections as tabs driven by the arrow keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launchWithExtension, pasteInto, removeDraft, until, type ExtensionBrowser } from './support/browser';
import { createCase, goBack, openByNumber, showView } from './support/case-work';

let ext: ExtensionBrowser;

beforeAll(async () => {
  ext = await launchWithExtension();
  await removeDraft(ext);
});
afterAll(async () => {
  await ext?.close();
});

/** The count a view's button shows, once its module has read it. */
async function countOf(page: Page, view: string): Promise<number | undefined> {
  const value = await page.$eval(`button[name="view-${view}"]`, (el) => el.getAttribute('data-count'));
  return value === null ? undefined : Number(value);
}

/** Writes extension storage through an extension page, as the background would. */
async function setStorage(area: 'local' | 'session', items: Record<string, unknown>): Promise<void> {
  const page = await ext.openPage('options.html', { waitReady: false });
  await page.evaluate(
    (where, values) =>
      (globalThis as unknown as { chrome: { storage: Record<string, { set(v: object): Promise<void> }> } }).chrome.storage[where]!.set(values),
    area,
    items,
  );
  await page.close();
}

describe('the panel for a narrow column', () => {
  it('opens on New and shows New, Cases and Inbox with counts that a saved case and a pending capture raise', async () => {
    const page = await ext.openPage('sidepanel.html');
    expect(await page.$eval('button[name="view-new"]', (el) => el.getAttribute('aria-current'))).toBe('page');
    expect(await page.$('form[name="quick-create"]')).not.toBeNull();
    expect(await page.$('.case-list')).toBeNull();
    // A count of 0 is a count: wait until the attribute is there, not until it is truthy.
    const cases = await until(async () => (await countOf(page, 'cases')) !== undefined, 'the Cases count').then(() => countOf(page, 'cases'));
    const inbox = await until(async () => (await countOf(page, 'inbox')) !== undefined, 'the Inbox count').then(() => countOf(page, 'inbox'));

    const number = await createCase(page, 'Printer jams on every page', { name: 'Dewi Contoh', email: 'dewi.contoh@example.id' });
    // Saved: the panel stays on New, the form cleared, and Cases counts one more.
    expect(await page.$eval('button[name="view-new"]', (el) => el.getAttribute('aria-current'))).toBe('page');
    await until(async () => (await countOf(page, 'cases')) === cases! + 1, 'the Cases count to grow by one');

    // A context-menu result waiting for a case raises the Inbox's count, and the Inbox view shows it.
    await setStorage('session', {
      pending: [{ kind: 'note', id: 'layout-note-1', action: 'addSelectionToCase', source: { kind: 'selection', capturedAt: Date.now() }, text: 'The fuser is worn.' }],
    });
    await until(async () => (await countOf(page, 'inbox')) === inbox! + 1, 'the Inbox count to grow by one');
    await showView(page, 'inbox');
    await page.waitForSelector('.inbox-view:not([hidden]) .pending__item[data-action="addSelectionToCase"]');
    expect(await page.$('form[name="quick-create"]')).toBeNull();

    // Cases lists the new case; the search box in the header, typed in from Inbox, shows Cases with the results.
    await showView(page, 'cases');
    await page.waitForSelector(`.case-list [data-case-number="${number}"]`);
    await showView(page, 'inbox');
    await page.type('input[name="search"]', 'printer jams');
    await page.waitForSelector('button[name="view-cases"][aria-current="page"]');
    await page.waitForSelector(`.search-results [data-case-number="${number}"]`);
    await page.close();
  }, 120_000);

  it('opens "More" by itself when a restored draft fills subject, product or tags, and keeps it closed otherwise', async () => {
    await removeDraft(ext);
    const empty = await ext.openPage('sidepanel.html');
    expect(await empty.$eval('form[name="quick-create"] details.more', (el) => (el as HTMLDetailsElement).open)).toBe(false);
    // The fields the agent fills every time come first, outside "More".
    for (const name of ['title', 'customer.name', 'priority', 'origin', 'description']) {
      expect(await empty.$eval(`form[name="quick-create"] [name="${name}"]`, (el) => el.closest('details') === null)).toBe(true);
    }
    for (const name of ['subject', 'product']) {
      expect(await empty.$eval(`form[name="quick-create"] [name="${name}"]`, (el) => el.closest('details.more') !== null)).toBe(true);
    }
    await empty.close();

    await setStorage('local', { draft: { title: 'Scanner offline', product: 'ScanJet 4000', tags: ['hardware'] } });
    const page = await ext.openPage('sidepanel.html');
    expect(await page.$eval('form[name="quick-create"] details.more', (el) => (el as HTMLDetailsElement).open)).toBe(true);
    expect(await page.$eval('[name="product"]', (el) => (el as HTMLInputElement).value)).toBe('ScanJet 4000');
    await page.click('form[name="quick-create"] button[name="clear"]');
    await page.close();
    await removeDraft(ext);
  }, 60_000);

  it('keeps the Save bar inside an 800 px panel with a long description', async () => {
    const page = await ext.openPage('sidepanel.html');
    await page.setViewport({ width: 400, height: 800 });
    await pasteInto(page, 'description', Array.from({ length: 60 }, (_, i) => `Line ${i + 1} of what the customer wrote.`).join('\n'));
    await page.$eval('[name="description"]', (el) => ((el as HTMLTextAreaElement).rows = 40));
    await page.evaluate(() => window.scrollTo(0, 0));
    const inView = () =>
      page.$eval('form[name="quick-create"] button[name="save"]', (el) => {
        const rect = el.getBoundingClientRect();
        return rect.top >= 0 && rect.bottom <= window.innerHeight;
      });
    expect(await page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight)).toBe(true);
    expect(await inView()).toBe(true);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
    expect(await inView()).toBe(true);
    await page.click('form[name="quick-create"] button[name="clear"]');
    await page.close();
  }, 60_000);

  it("switches a case's four tabs with the arrow keys", async () => {
    const page = await ext.openPage('sidepanel.html');
    const number = await createCase(page, 'Invoice shows the wrong address', { name: 'Mihai Exemplu', email: 'mihai@example.org' });
    await openByNumber(page, number);
    // Its header: number, status, priority, SLA.
    expect(await page.$eval('.case-head', (el) => el.textContent)).toContain(number);
    const selected = () => page.$eval('.case-detail [role="tab"][aria-selected="true"]', (el) => el.getAttribute('name'));
    const shownPanel = () => page.$$eval('.case-detail [role="tabpanel"]:not([hidden])', (els) => els.map((el) => el.id));
    expect(await selected()).toBe('tab-details');
    await page.focus('.case-detail [role="tab"][aria-selected="true"]');
    for (const tab of ['notes', 'attachments', 'timeline', 'details']) {
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((t) => document.querySelector('[role="tab"][aria-selected="true"]')?.getAttribute('name') === `tab-${t}`, {}, tab);
      expect(await shownPanel()).toEqual([`case-panel-${tab}`]);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(`tab-${tab}`);
    }
    await page.keyboard.press('ArrowLeft');
    expect(await selected()).toBe('tab-timeline');
    await page.waitForSelector('#case-panel-timeline .timeline__item');
    // Back goes to the Cases view.
    await goBack(page);
    await page.waitForSelector('button[name="view-cases"][aria-current="page"]');
    await page.close();
  }, 90_000);
});
