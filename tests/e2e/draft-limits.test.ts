import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, typeInto, waitForError, type ExtensionBrowser } from './support/browser';

/** The contract's numbers: the case keeps 2,000 characters, a draft 100,000 and 20 notes. */
const DESCRIPTION_MAX = 2_000;
const DRAFT_DESCRIPTION_CAP = 100_000;
const DRAFT_NOTES_CAP = 20;

/** The extension API the tests call inside the extension's own page (it runs there, not in Node). */
declare const chrome: { storage: { local: { get(key: string): Promise<Record<string, unknown>>; set(items: object): Promise<void> } } };

let ext: ExtensionBrowser;
beforeAll(async () => {
  ext = await launchWithExtension();
});
afterAll(async () => {
  await ext?.close();
});

describe('draft limits', () => {
  it('keeps the title and customer after a pasted thread longer than the draft keeps, and says it is too long', async () => {
    let page = await ext.openPage('sidepanel.html');
    await typeInto(page, 'title', 'Invoice thread pasted whole');
    await typeInto(page, 'customer.email', 'long.thread@example.org');
    // A paste as the browser delivers it (insertText honours the control's maxLength).
    await page.$eval(
      '[name="description"]',
      (el, length) => {
        (el as HTMLTextAreaElement).focus();
        document.execCommand('insertText', false, 'quoted reply '.repeat(Math.ceil(length / 13)).slice(0, length));
      },
      DRAFT_DESCRIPTION_CAP + 50_000,
    );
    expect(await page.$eval('[name="description"]', (el) => (el as HTMLTextAreaElement).value.length)).toBe(DRAFT_DESCRIPTION_CAP);
    await waitForError(page, 'description', `The description can be at most ${DESCRIPTION_MAX.toLocaleString('en-US')} characters.`);
    // The draft is written on every change; give the last write its turn before closing.
    await page.waitForFunction(
      async (cap) => {
        const { draft } = (await chrome.storage.local.get('draft')) as { draft?: { description?: string } };
        return draft?.description?.length === cap;
      },
      {},
      DRAFT_DESCRIPTION_CAP,
    );
    await page.close();

    page = await ext.openPage('sidepanel.html');
    await page.waitForFunction(() => (document.querySelector('[name="title"]') as HTMLInputElement | null)?.value === 'Invoice thread pasted whole');
    expect(await page.$eval('[name="customer.email"]', (el) => (el as HTMLInputElement).value)).toBe('long.thread@example.org');
    expect(await page.$eval('[name="description"]', (el) => (el as HTMLTextAreaElement).value.length)).toBe(DRAFT_DESCRIPTION_CAP);
    await page.click('button[name="clear"]');
    await page.close();
  });

  it('restores a draft holding more notes than it keeps, and refuses a 21st note with a message', async () => {
    let page = await ext.openPage('sidepanel.html');
    await page.evaluate(async (count) => {
      await chrome.storage.local.set({
        draft: {
          title: 'Twenty-one notes',
          customer: { name: 'Ana Popescu', email: '', phone: '', company: '' },
          notes: Array.from({ length: count }, (_, i) => ({ body: `<p>note ${i + 1}</p>`, format: 'html' })),
        },
      });
    }, DRAFT_NOTES_CAP + 1);
    await page.close();

    page = await ext.openPage('sidepanel.html');
    await page.waitForFunction(() => (document.querySelector('[name="title"]') as HTMLInputElement | null)?.value === 'Twenty-one notes');
    expect(await page.$$eval('.draft-note__text', (items) => items.length)).toBe(DRAFT_NOTES_CAP);
    expect(await page.$eval('button[name="add-draft-note"]', (el) => (el as HTMLButtonElement).disabled)).toBe(true);
    expect(await page.$eval('#draft-notes-full', (el) => el.textContent)).toBe(`At most ${DRAFT_NOTES_CAP} notes before the case is saved: add more once it is.`);
    await page.click('button[name="clear"]');
    await page.close();
  });
});
