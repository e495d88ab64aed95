import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, typeInto, type ExtensionBrowser } from './support/browser';
import { pressSave, showView } from './support/case-work';

let ext: ExtensionBrowser;
beforeAll(async () => {
  ext = await launchWithExtension();
});
afterAll(async () => {
  await ext?.close();
});

describe('child cases', () => {
  it('starts a child case from the parent with its customer and links both ways', async () => {
    const page = await ext.openPage('sidepanel.html');
    await typeInto(page, 'title', 'Whole office offline');
    await typeInto(page, 'customer.name', 'Sári Példa');
    await typeInto(page, 'customer.email', 'sari@example.org');
    await page.click('form[name="quick-create"] button[name="save"]');
    const toast = await page.waitForSelector('.toast__message');
    const parentNumber = /CAS-\d{6}-[0-9A-Z]{10}/.exec((await toast!.evaluate((el) => el.textContent)) ?? '')![0];

    // The list (the Cases view) shows a new case once its live query has read again: wait for its row.
    await showView(page, 'cases');
    await page.waitForSelector(`[data-case-number="${parentNumber}"] button`);
    await page.click(`[data-case-number="${parentNumber}"] button`);
    await page.waitForSelector('.case-detail button[name="newChild"]');
    await page.click('.case-detail button[name="newChild"]');

    await page.waitForSelector('form[name="quick-create"] .form__parent');
    expect(await page.$eval('.form__parent', (el) => el.textContent)).toContain(parentNumber);
    expect(await page.$eval('[name="customer.email"]', (el) => (el as HTMLInputElement).value)).toBe('sari@example.org');
    await typeInto(page, 'title', 'Printer on floor 2 offline');
    // The parent's customer has an open case (the parent): the duplicate offer moves Save (pressSave says how).
    await pressSave(page);
    // Wait for the child's own toast: a case number that is not the parent's. "No toast" does not count, since the
    // parent's toast may have gone before the child's appears.
    const childToast = await page.waitForFunction(
      (n) => {
        const text = document.querySelector('.toast__message')?.textContent ?? '';
        const m = /CAS-\d{6}-[0-9A-Z]{10}/.exec(text);
        return m && m[0] !== n ? m[0] : null;
      },
      {},
      parentNumber,
    );
    const childNumber = (await childToast.jsonValue()) as string;
    expect(childNumber).not.toBe(parentNumber);
    // The form is standalone again.
    expect(await page.$('.form__parent')).toBeNull();

    // The parent lists the child, and its timeline says a child was added.
    await showView(page, 'cases');
    await page.waitForSelector(`[data-case-number="${parentNumber}"] button`);
    await page.click(`[data-case-number="${parentNumber}"] button`);
    await page.waitForFunction((n) => document.querySelector('.case-detail')?.textContent?.includes(n), {}, childNumber);
    await page.waitForSelector('.timeline__item[data-kind="child"]');
    await page.close();
  });
});
