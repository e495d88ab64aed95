import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyInput, Page } from 'puppeteer-core';
import { launchWithExtension, removeDraft, type ExtensionBrowser } from './support/browser';

let ext: ExtensionBrowser;

beforeAll(async () => {
  ext = await launchWithExtension();
  await removeDraft(ext);
});
afterAll(async () => {
  await ext?.close();
});

/** What has the focus: its `name`, else its row's case number, else its tag. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'body';
    const row = el.closest('[data-case-number]');
    if (row && row.closest('.case-list')) return `row:${row.getAttribute('data-case-number')}`;
    return el.getAttribute('name') ?? el.tagName.toLowerCase();
  });
}

async function waitForFocus(page: Page, expected: string | RegExp): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = '';
  while (Date.now() < deadline) {
    last = await focused(page);
    if (typeof expected === 'string' ? last === expected : expected.test(last)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`expected the focus on ${String(expected)}, it is on ${last}`);
}

async function chord(page: Page, modifier: KeyInput, key: KeyInput): Promise<void> {
  await page.keyboard.down(modifier);
  await page.keyboard.press(key);
  await page.keyboard.up(modifier);
}

/** A case made with the keyboard alone: Alt+N, type, Tab, type, Ctrl+Enter. */
async function createByKeyboard(page: Page, title: string, name: string, email: string): Promise<string> {
  const before = await page.evaluate(() => document.querySelector('.toast__message')?.textContent ?? '');
  await chord(page, 'Alt', 'KeyN');
  await waitForFocus(page, 'title');
  await page.keyboard.type(title);
  await page.keyboard.press('Tab');
  await waitForFocus(page, 'customer.name');
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await waitForFocus(page, 'customer.email');
  await page.keyboard.type(email);
  await page.keyboard.press('Escape');
  await chord(page, 'Control', 'Enter');
  await page.waitForFunction(
    (previous) => {
      const text = document.querySelector('.toast__message')?.textContent ?? '';
      return /CAS-\d{6}-[0-9A-Z]{10}/.test(text) && text !== previous;
    },
    { timeout: 15_000 },
    before,
  );
  return /CAS-\d{6}-[0-9A-Z]{10}/.exec((await page.$eval('.toast__message', (el) => el.textContent)) ?? '')![0];
}

describe('the panel without a mouse', () => {
  it('creates cases, walks the list, opens a case and its dialogs, all from the keyboard', async () => {
    const page = await ext.openPage('sidepanel.html');

    // ? lists the shortcuts; Escape closes the list and the focus is back on the button that opened it.
    await page.keyboard.press('?');
    await page.waitForSelector('dialog[data-name="shortcuts"][open]');
    const help = await page.$eval('dialog[data-name="shortcuts"]', (el) => el.textContent ?? '');
    for (const words of ['New case', 'The case list', 'The inbox', 'Capture from the page', 'Search cases', 'Save the case']) expect(help).toContain(words);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('dialog[data-name="shortcuts"]'));
    await page.focus('button[name="shortcuts"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('dialog[data-name="shortcuts"][open]');
    await page.keyboard.press('Escape');
    await waitForFocus(page, 'shortcuts');

    // ? in a text field is text, not the help.
    await chord(page, 'Alt', 'KeyN');
    await waitForFocus(page, 'title');
    await page.keyboard.type('?/');
    expect(await page.$eval('[name="title"]', (el) => (el as HTMLInputElement).value)).toBe('?/');
    expect(await page.$('dialog[open]')).toBeNull();
    await page.$eval('[name="title"]', (el) => {
      (el as HTMLInputElement).value = '';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });

    const first = await createByKeyboard(page, 'Printer jams on every page', 'Dewi Contoh', 'dewi@example.org');
    const second = await createByKeyboard(page, 'Invoice shows the wrong address', 'Mihai Exemplu', 'mihai@example.org');

    // Saved: the panel stays on New, the focus back on the title for the next case.
    await waitForFocus(page, 'title');
    expect(await page.$eval('button[name="view-new"]', (el) => el.getAttribute('aria-current'))).toBe('page');

    // Alt+I: the Inbox view (empty here: the focus is on its button in the header).
    await chord(page, 'Alt', 'KeyI');
    await page.waitForSelector('button[name="view-inbox"][aria-current="page"]');
    await waitForFocus(page, 'view-inbox');

    // Alt+L: the Cases view, newest first; arrows move between rows; the list is one Tab stop.
    // The list shows a new case once its live query has read again: wait for its row.
    await chord(page, 'Alt', 'KeyL');
    await page.waitForSelector(`[data-case-number="${second}"]`);
    await waitForFocus(page, `row:${second}`);
    await page.keyboard.press('ArrowDown');
    await waitForFocus(page, `row:${first}`);
    await page.keyboard.press('ArrowUp');
    await waitForFocus(page, `row:${second}`);
    await page.keyboard.press('Tab');
    expect(await focused(page)).not.toMatch(/^row:/);
    await chord(page, 'Shift', 'Tab');
    await waitForFocus(page, `row:${second}`);

    // / focuses the search from outside a field.
    await page.keyboard.press('/');
    await waitForFocus(page, 'search');
    await chord(page, 'Alt', 'KeyL');
    await waitForFocus(page, `row:${second}`);

    // Enter opens the case.
    await page.keyboard.press('ArrowDown');
    await waitForFocus(page, `row:${first}`);
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.querySelector('.case-detail .case-number')?.textContent?.includes(n), { timeout: 15_000 }, first);

    // The case's sections are tabs: ← and → move between them, the focus on the selected tab.
    await page.waitForSelector('.case-detail [role="tab"][name="tab-details"][aria-selected="true"]');
    await page.focus('.case-detail [role="tab"][aria-selected="true"]');
    await page.keyboard.press('ArrowRight');
    await waitForFocus(page, 'tab-notes');
    await page.waitForSelector('#case-panel-notes:not([hidden])');
    await page.keyboard.press('End');
    await waitForFocus(page, 'tab-timeline');
    await page.keyboard.press('ArrowRight');
    await waitForFocus(page, 'tab-details');
    await page.waitForSelector('#case-panel-details:not([hidden])');

    // A dialog opened from the keyboard closes on Escape and gives the focus back to its button.
    await page.waitForSelector('.case-actions button[name="merge"]');
    await page.focus('.case-actions button[name="merge"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('dialog[data-name="merge"][open]');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('dialog[data-name="merge"]'));
    await waitForFocus(page, 'merge');

    // Alt+N from a case: back to the form, ready to type.
    await chord(page, 'Alt', 'KeyN');
    await waitForFocus(page, 'title');
    expect(await page.$('form[name="quick-create"]')).not.toBeNull();

    // Alt+C: capture from the page (this panel has no page: it says so, and the focus is on Capture).
    await chord(page, 'Alt', 'KeyC');
    await waitForFocus(page, 'capture');
    await page.waitForSelector('#capture-status [role="alert"]', { timeout: 10_000 });
    // Done capturing, the focus is still there: a button disabled while busy would have dropped it to the page.
    expect(await focused(page)).toBe('capture');
    await page.close();
  });
});
