/**
 * The panel at its narrowest (320 px) in each of its four languages: no view
 * scrolls sideways and no button's label is cut. Hungarian and Romanian labels
 * run longest; Indonesian ones too, in places.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launchWithExtension, removeDraft, type ExtensionBrowser } from './support/browser';
import { createCase, openByNumber, showTab, showView } from './support/case-work';
import { openPageIn } from './support/locale';

const LANGUAGES = ['en', 'hu', 'ro', 'id'] as const;
const WIDTH = 320;

let ext: ExtensionBrowser | undefined;
afterEach(async () => {
  await ext?.close();
  ext = undefined;
});

/** What overflows: the page sideways, and each visible button whose label does not fit. */
async function overflows(page: Page, view: string): Promise<string[]> {
  return page.evaluate((where) => {
    const found: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) found.push(`${where}: the page scrolls sideways (${root.scrollWidth} > ${root.clientWidth} px)`);
    for (const button of document.querySelectorAll<HTMLElement>('button, summary')) {
      if (!button.offsetParent || button.closest('dialog:not([open])')) continue;
      if (button.scrollWidth > button.clientWidth + 1 || button.scrollHeight > button.clientHeight + 1) {
        found.push(`${where}: "${button.textContent?.trim()}" is cut (${button.scrollWidth}×${button.scrollHeight} in ${button.clientWidth}×${button.clientHeight})`);
      }
      const rect = button.getBoundingClientRect();
      if (rect.right > root.clientWidth + 0.5) found.push(`${where}: "${button.textContent?.trim()}" runs past the edge (${Math.round(rect.right)} px)`);
    }
    return found;
  }, view);
}

describe('the panel at 320 px in en, hu, ro and id', () => {
  for (const lang of LANGUAGES) {
    it(`fits every view in ${lang}: New, Cases, Inbox, a case's tabs and the options`, async () => {
      ext = await launchWithExtension({ lang });
      await removeDraft(ext);
      const page = await openPageIn(ext, 'sidepanel.html', lang, { width: WIDTH, height: 800 });
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      // The panel speaks the language: "Save case" in English, in the language's own words otherwise.
      const save = await page.$eval('form[name="quick-create"] button[name="save"]', (el) => el.textContent);
      if (lang === 'en') expect(save).toBe('Save case');
      else expect(save).not.toBe('Save case');
      const found: string[] = [];

      // The form with its errors shown (the longest messages), then the list with a case in it.
      await page.click('form[name="quick-create"] button[name="save"]');
      await page.waitForSelector('form[name="quick-create"] [aria-invalid="true"]');
      found.push(...(await overflows(page, `${lang} form with errors`)));
      await page.click('form[name="quick-create"] button[name="clear"]');
      const number = await createCase(page, 'Printer jams on every page', { name: 'Dewi Contoh-Santoso', email: 'dewi.contoh@example.id' }, 'urgent');
      // New with "More" open, then Cases (filters open) and Inbox: each of the header's views.
      if (!(await page.$('form[name="quick-create"] details.more[open]'))) await page.click('form[name="quick-create"] details.more > summary');
      found.push(...(await overflows(page, `${lang} New`)));
      await showView(page, 'cases');
      await page.waitForSelector(`.case-list [data-case-number="${number}"]`);
      await page.click('.view-filters summary');
      found.push(...(await overflows(page, `${lang} Cases`)));
      await showView(page, 'inbox');
      found.push(...(await overflows(page, `${lang} Inbox`)));

      // A case, each of its four tabs.
      await openByNumber(page, number);
      await page.waitForSelector('.timeline .timeline__item');
      for (const tab of ['details', 'notes', 'attachments', 'timeline'] as const) {
        await showTab(page, tab);
        found.push(...(await overflows(page, `${lang} case, ${tab}`)));
      }
      await page.close();

      const options = await openPageIn(ext, 'options.html', lang, { width: WIDTH, height: 800 });
      found.push(...(await overflows(options, `${lang} options`)));
      await options.close();
      expect(found).toEqual([]);
    }, 240_000);
  }
});
