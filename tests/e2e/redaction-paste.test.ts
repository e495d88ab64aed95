/**
 * Text pasted in the panel is masked before anything holds it: the
 * quick-create form's description (whose value is the draft in storage) and
 * the note editor, each with the "Masked …" notice.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, removeDraft, type ExtensionBrowser } from './support/browser';
import { createCase, openByNumber, showTab } from './support/case-work';

// Invented values that pass their checks: a Visa test number, a Romanian IBAN.
const CARD = '4111 1111 1111 1111';
const IBAN = 'RO49 AAAA 1B31 0075 9384 0000';
const MASKED_CARD = '•••• •••• •••• 1111';
const MASKED_IBAN = 'RO49 •••• •••• •••• •••• 0000';

let ext: ExtensionBrowser;
let page: Page;

/** A real paste event with `text/plain` (and `text/html` when given) on the element `selector` finds. */
function paste(selector: string, text: string, html?: string) {
  return page.evaluate(
    (sel, plain, markup) => {
      const target = document.querySelector<HTMLElement>(sel)!;
      target.focus();
      const data = new DataTransfer();
      data.setData('text/plain', plain);
      if (markup) data.setData('text/html', markup);
      target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    },
    selector,
    text,
    html,
  );
}

beforeAll(async () => {
  ext = await launchWithExtension();
  await removeDraft(ext);
  page = await ext.openPage('sidepanel.html');
});
afterAll(async () => {
  await ext?.close();
});

describe('a paste in the panel', () => {
  it('reaches the form and the draft in storage only masked, with the notice', async () => {
    const description = 'form[name="quick-create"] [name="description"]';
    await page.waitForSelector(description);
    // The notice (and its paste listener) comes with the capture controls, loaded lazily.
    await page.waitForSelector('#capture-status');
    await paste(description, `Card ${CARD}, refund to ${IBAN}`);
    await page.waitForFunction((sel) => document.querySelector<HTMLTextAreaElement>(sel)?.value.includes('••••'), {}, description);
    expect(await page.$eval(description, (el) => (el as HTMLTextAreaElement).value)).toBe(`Card ${MASKED_CARD}, refund to ${MASKED_IBAN}`);
    const notice = await page.waitForSelector('.redaction-notice p');
    expect(await notice!.evaluate((el) => el.textContent)).toBe('Masked 1 card number, 1 IBAN');
    const stored = await page.evaluate(async () => JSON.stringify(await (globalThis as unknown as { chrome: { storage: { local: { get(key: string): Promise<unknown> } } } }).chrome.storage.local.get("draft")));
    expect(stored).toContain(MASKED_IBAN);
    expect(stored).not.toContain('1B31');
    expect(stored).not.toContain(CARD);
    await page.click('form[name="quick-create"] button[name="clear"]');
  });

  it('into the note editor is masked inside its text, markup whole, and says so', async () => {
    const number = await createCase(page, 'Pasted card', { name: 'Dora Exemplu', email: 'dora@example.com' });
    await openByNumber(page, number);
    // The note editor is on the case's Notes tab (issue 13's layout).
    await showTab(page, 'notes');
    const box = '.note-editor[data-mode="add"] [data-name="note"]';
    await page.waitForSelector(box);
    await paste(box, `The card was ${CARD}`, `<p>The card was <b>${CARD}</b></p>`);
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes('••••'), {}, box);
    expect(await page.$eval(box, (el) => el.innerHTML)).toContain(`<b>${MASKED_CARD}</b>`);
    expect(await page.$eval(box, (el) => el.innerHTML)).not.toContain('4111');
    expect(await page.$eval('.note-editor[data-mode="add"] [role="status"]', (el) => el.textContent)).toBe(`Masked 1 card number: ${MASKED_CARD}`);
  });
});
