import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { centre, countRows, errorFor, launchWithExtension, pasteInto, removeDraft, typeInto, waitForError, type ExtensionBrowser } from './support/browser';
import { pressSave, showTab, showView } from './support/case-work';

let ext: ExtensionBrowser;

beforeAll(async () => {
  ext = await launchWithExtension();
});
afterAll(async () => {
  await ext?.close();
});
// Each test starts from an empty form, whatever the one before it left.
beforeEach(() => removeDraft(ext));

async function listedNumbers(page: Page): Promise<string[]> {
  if (!(await page.$('.case-list'))) await showView(page, 'cases');
  await page.waitForSelector('.case-list .cases, .case-list .empty');
  return page.$$eval('.case-list [data-case-number]', (rows) => rows.map((row) => row.getAttribute('data-case-number')!));
}

async function saveAndWaitForToast(page: Page): Promise<string> {
  // Ilona's second case: she has an open case, and the duplicate offer moves Save (pressSave says how).
  await pressSave(page);
  const toast = await page.waitForSelector('.toast__message');
  const text = (await toast!.evaluate((el) => el.textContent)) ?? '';
  const number = /CAS-\d{6}-[0-9A-Z]{10}/.exec(text)?.[0];
  expect(number, `toast says ${text}`).toBeTruthy();
  return number!;
}

describe('quick case creation in the side panel', () => {
  it('creates a case with a new customer, lists it on top and keeps it after a reload', async () => {
    const page = await ext.openPage('sidepanel.html');
    await typeInto(page, 'title', 'Refund not received for order 4411');
    await typeInto(page, 'customer.name', 'Ilona Példa');
    await typeInto(page, 'customer.email', 'ilona.pelda@example.org');
    await typeInto(page, 'customer.phone', '+36 20 555 0101');
    await typeInto(page, 'customer.company', 'Példa Kft.');
    await page.select('[name="origin"]', 'phone');
    await page.select('[name="priority"]', 'high');
    await typeInto(page, 'subject', 'Billing');
    await typeInto(page, 'product', 'Webshop');
    await typeInto(page, 'tags', 'refund');
    await page.keyboard.press('Enter');
    await typeInto(page, 'tags', 'VIP');
    await page.keyboard.press('Tab');
    await typeInto(page, 'description', 'Paid on the 3rd, no refund yet.');

    const number = await saveAndWaitForToast(page);
    // The form is empty again, ready for the next case (the panel stays on New).
    expect(await page.$eval('[name="title"]', (el) => (el as HTMLInputElement).value)).toBe('');
    await showView(page, 'cases');
    await page.waitForFunction((n) => document.querySelector('.case-list [data-case-number]')?.getAttribute('data-case-number') === n, {}, number);
    expect((await listedNumbers(page))[0]).toBe(number);

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector(`[data-case-number="${number}"]`);
    expect((await listedNumbers(page))[0]).toBe(number);

    // The detail view shows the fields, the customer card and the timeline.
    await page.click(`[data-case-number="${number}"] button`);
    await page.waitForSelector('.case-detail');
    const detail = await page.$eval('.case-detail', (el) => el.textContent ?? '');
    expect(detail).toContain(number);
    expect(detail).toContain('Refund not received for order 4411');
    expect(detail).toContain('ilona.pelda@example.org');
    expect(detail).toContain('High');
    expect(detail).toContain('refund');
    expect(detail).toContain('VIP');
    // The timeline loads after the fields: wait for its first event, on its tab.
    await showTab(page, 'timeline');
    await page.waitForSelector('.timeline__item[data-kind="created"]');
    await page.close();
  });

  it('shows each invalid field its own message and saves nothing', async () => {
    const page = await ext.openPage('sidepanel.html');
    const casesBefore = await countRows(page, 'cases');
    await typeInto(page, 'customer.email', 'not-an-email');
    await typeInto(page, 'customer.phone', '12');
    await pasteInto(page, 'description', 'x'.repeat(2001));
    await page.click('form[name="quick-create"] button[name="save"]');
    await page.waitForSelector('#qc-title-error');

    expect(await errorFor(page, 'title')).toBe('Enter a title.');
    expect(await errorFor(page, 'customer.email')).toBe('Enter an email address like name@example.com.');
    expect(await errorFor(page, 'customer.phone')).toContain('phone number');
    expect(await errorFor(page, 'description')).toBe('The description can be at most 2,000 characters.');
    expect(await page.$eval('#qc-description-counter', (el) => el.textContent)).toBe('2001 / 2000 characters');
    // The first invalid field has the focus.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('title');
    expect(await page.$('.toast__message')).toBeNull();
    expect(await countRows(page, 'cases')).toBe(casesBefore);

    // Tags: a duplicate ignoring case and a tag over 50 characters are refused next to the tag input.
    await typeInto(page, 'tags', 'Billing');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.chip__text');
    await typeInto(page, 'tags', 'billing');
    await page.keyboard.press('Enter');
    await waitForError(page, 'tags', 'This tag is already on the case.');
    await page.$eval('[name="tags"]', (el) => ((el as HTMLInputElement).value = ''));
    await centre((await page.$('[name="tags"]'))!);
    await page.click('[name="tags"]', { count: 3 });
    await page.keyboard.press('Backspace');
    await page.keyboard.type('t'.repeat(51));
    await page.keyboard.press('Enter');
    await waitForError(page, 'tags', 'A tag can be at most 50 characters.');
    expect(await page.$$eval('.chip__text', (chips) => chips.map((c) => c.textContent))).toEqual(['Billing']);
    await page.click('form[name="quick-create"] button[name="clear"]'); // Clear
    await page.close();
  });

  it('restores a half-typed draft after the panel is closed and saves it with Ctrl+Enter', async () => {
    let page = await ext.openPage('sidepanel.html');
    await typeInto(page, 'title', 'Cannot log in since the update');
    await typeInto(page, 'customer.email', 'draft.person@example.com');
    await typeInto(page, 'tags', 'login');
    await page.keyboard.press('Enter');
    await typeInto(page, 'description', 'Half a sentence');
    await page.close();

    page = await ext.openPage('sidepanel.html');
    expect(await page.$eval('[name="title"]', (el) => (el as HTMLInputElement).value)).toBe('Cannot log in since the update');
    expect(await page.$eval('[name="customer.email"]', (el) => (el as HTMLInputElement).value)).toBe('draft.person@example.com');
    expect(await page.$eval('[name="description"]', (el) => (el as HTMLTextAreaElement).value)).toBe('Half a sentence');
    expect(await page.$$eval('.chip__text', (chips) => chips.map((c) => c.textContent))).toEqual(['login']);

    await page.focus('[name="description"]');
    await page.keyboard.down('Control');
    await page.keyboard.press('Enter');
    await page.keyboard.up('Control');
    const toast = await page.waitForSelector('.toast__message');
    expect(await toast!.evaluate((el) => el.textContent)).toMatch(/CAS-\d{6}-[0-9A-Z]{10}/);
    await page.close();

    // Save cleared the draft.
    page = await ext.openPage('sidepanel.html');
    expect(await page.$eval('[name="title"]', (el) => (el as HTMLInputElement).value)).toBe('');
    await page.close();
  });

  it('picks an existing customer by typing part of an email and reuses them', async () => {
    const page = await ext.openPage('sidepanel.html');
    const customersBefore = await countRows(page, 'customers');
    await typeInto(page, 'title', 'Second problem of Ilona');
    await typeInto(page, 'customer.email', 'ilona.pe');
    const option = await page.waitForSelector('[role="listbox"] [role="option"]');
    expect(await option!.evaluate((el) => el.textContent)).toContain('Ilona Példa');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await page.$eval('[name="customer.name"]', (el) => (el as HTMLInputElement).value)).toBe('Ilona Példa');
    expect(await page.$eval('[name="customer.email"]', (el) => (el as HTMLInputElement).value)).toBe('ilona.pelda@example.org');
    expect(await page.$eval('[name="customer.phone"]', (el) => (el as HTMLInputElement).value)).toBe('+36 20 555 0101');
    expect(await page.$eval('[name="customer.company"]', (el) => (el as HTMLInputElement).value)).toBe('Példa Kft.');

    await saveAndWaitForToast(page);
    expect(await countRows(page, 'customers')).toBe(customersBefore);
    await page.close();
  });

  it('opens the side panel from the toolbar button', async () => {
    const page = await ext.browser.newPage();
    await page.goto('about:blank');
    const extension = (await ext.browser.extensions()).get(ext.extensionId);
    expect(extension).toBeTruthy();
    await page.triggerExtensionAction(extension!);
    const panel = await ext.browser.waitForTarget((t) => t.url().startsWith(`chrome-extension://${ext.extensionId}/sidepanel.html`), {
      timeout: 10_000,
    });
    expect(panel.url()).toContain('sidepanel.html');
    await page.close();
  });

  it('takes the README screenshot of the panel', async () => {
    const page = await ext.openPage('sidepanel.html');
    await typeInto(page, 'title', 'Invoice shows the wrong VAT number');
    await typeInto(page, 'customer.name', 'Ana Exemplu');
    await typeInto(page, 'customer.email', 'ana@example.net');
    await typeInto(page, 'customer.company', 'Exemplu SRL');
    await page.select('[name="priority"]', 'urgent');
    await typeInto(page, 'tags', 'invoice');
    await page.keyboard.press('Enter');
    await typeInto(page, 'description', 'Customer needs a corrected invoice before month end.');
    const dir = process.env.UPDATE_SCREENSHOT ? 'docs' : 'tests/e2e/artifacts';
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'panel.png');
    await page.screenshot({ path: file as `${string}.png`, fullPage: true });
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    await page.click('form[name="quick-create"] button[name="clear"]');
    await page.close();
  });
});
