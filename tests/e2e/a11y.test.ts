/**
 * axe (@axe-core/puppeteer) over the panel and the options page, in light and
 * dark: no violation of impact serious or critical. The states: the three
 * views empty (New, Cases, Inbox), the form with field errors, the list of 50
 * cases, each of a case's four tabs (with notes, attachments and timeline),
 * each dialog, the options page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AxePuppeteer } from '@axe-core/puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { countRows, launchWithExtension, removeDraft, type ExtensionBrowser } from './support/browser';
import { addNote, createCase, openByNumber, showTab, showView, uploadFiles } from './support/case-work';
import { seedDatabase } from '../bench/seed';

const SCHEMES = ['light', 'dark'] as const;
type Scheme = (typeof SCHEMES)[number];

let ext: ExtensionBrowser;
let files: string;
let caseNumber: string;

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

beforeAll(async () => {
  ext = await launchWithExtension();
  files = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecase-a11y-'));
  fs.writeFileSync(path.join(files, 'screenshot.png'), PNG);
});
afterAll(async () => {
  await ext?.close();
  fs.rmSync(files, { recursive: true, force: true });
});

/** Serious and critical violations on the page as it is, one line each: rule, impact, where. */
async function audit(page: Page, state: string): Promise<string[]> {
  // Animations and transitions end before axe reads the colours.
  await new Promise((resolve) => setTimeout(resolve, 150));
  const results = await new AxePuppeteer(page).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((node) => `${state}: ${v.id} (${v.impact}) at ${node.target.join(' ')}: ${node.failureSummary?.split('\n').slice(0, 2).join(' ')}`));
}

async function openIn(scheme: Scheme, file: string): Promise<Page> {
  const page = await ext.openPage(file);
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
  return page;
}

async function withDialog(page: Page, open: string, name: string, state: string): Promise<string[]> {
  await page.waitForSelector(`${open}:not(:disabled)`);
  await page.focus(open);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`dialog[data-name="${name}"][open]`);
  const found = await audit(page, state);
  await page.keyboard.press('Escape');
  await page.waitForFunction((n) => !document.querySelector(`dialog[data-name="${n}"]`), {}, name);
  return found;
}

describe('accessibility (axe: no serious or critical violation)', () => {
  it('the empty panel, its field errors and the options page, light and dark', async () => {
    await removeDraft(ext);
    const found: string[] = [];
    for (const scheme of SCHEMES) {
      const page = await openIn(scheme, 'sidepanel.html');
      // Each of the header's views, empty: Cases, Inbox, then New (with "More" open), where the panel opens.
      await showView(page, 'cases');
      await page.waitForSelector('.case-list .empty, .case-list .cases');
      found.push(...(await audit(page, `${scheme} empty Cases`)));
      await showView(page, 'inbox');
      await page.waitForSelector('.capture-inbox .empty');
      found.push(...(await audit(page, `${scheme} empty Inbox`)));
      await showView(page, 'new');
      await page.click('form[name="quick-create"] details.more > summary');
      found.push(...(await audit(page, `${scheme} empty panel`)));
      await page.click('form[name="quick-create"] button[name="save"]');
      await page.waitForSelector('form[name="quick-create"] [aria-invalid="true"]');
      found.push(...(await audit(page, `${scheme} field errors`)));
      found.push(...(await withDialog(page, 'button[name="shortcuts"]', 'shortcuts', `${scheme} shortcuts dialog`)));
      await page.click('form[name="quick-create"] button[name="clear"]');
      await page.close();

      const options = await openIn(scheme, 'options.html');
      found.push(...(await audit(options, `${scheme} options`)));
      await options.close();
    }
    expect(found).toEqual([]);
  }, 300_000);

  it('the list of 50 cases, a case with notes, attachments and timeline, and each dialog, light and dark', async () => {
    await removeDraft(ext);
    const setup = await ext.openPage('sidepanel.html');
    caseNumber = await createCase(setup, 'Printer jams on every page', { name: 'Dewi Contoh', email: 'dewi.contoh@example.id' });
    await seedDatabase(setup, { cases: 49, customers: 20, notes: 60 });
    await openByNumber(setup, caseNumber);
    await addNote(setup, 'Replace the fuser unit before Friday.');
    await uploadFiles(setup, path.join(files, 'screenshot.png'));
    await setup.close();

    const found: string[] = [];
    for (const scheme of SCHEMES) {
      const page = await openIn(scheme, 'sidepanel.html');
      await showView(page, 'cases');
      await page.waitForFunction(() => document.querySelectorAll('.case-list [data-case-number]').length >= 5, { timeout: 20_000 });
      expect(await countRows(page, 'cases')).toBe(50);
      // Every view of the 50, with the filters open.
      await page.click('.view-filters summary');
      for (const view of ['mine', 'allActive', 'resolved', 'cancelled']) {
        await page.select('select[name="view"]', view);
        await page.waitForSelector('.case-list [data-case-number], .case-list .empty');
        found.push(...(await audit(page, `${scheme} list of 50, ${view}`)));
      }
      await page.select('select[name="view"]', 'mine');

      await openByNumber(page, caseNumber);
      await page.waitForSelector('.timeline .timeline__item');
      await page.waitForSelector('[data-attachment="screenshot.png"]');
      // Each of the case's four tabs.
      for (const tab of ['notes', 'attachments', 'timeline', 'details'] as const) {
        await showTab(page, tab);
        found.push(...(await audit(page, `${scheme} case detail, ${tab}`)));
      }
      for (const name of ['resolve', 'cancel', 'merge', 'reassign']) {
        found.push(...(await withDialog(page, `.case-actions button[name="${name}"]`, name, `${scheme} ${name} dialog`)));
      }
      await showTab(page, 'attachments');
      found.push(...(await withDialog(page, '[data-attachment="screenshot.png"] button[name="attachment.preview"]', 'preview', `${scheme} preview dialog`)));
      await page.close();
    }
    expect(found).toEqual([]);
  }, 400_000);
});
