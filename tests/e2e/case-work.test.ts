import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { errorFor, launchWithExtension, removeDraft, typeInto, storedCase, type ExtensionBrowser } from './support/browser';
import { addNote, createCase, goBack, goHome, openByNumber, showTab, showView, timelineKinds, uploadFiles } from './support/case-work';

let ext: ExtensionBrowser;
let files: string;

// A 1×1 PNG and the smallest PDF a viewer opens, written as bytes by the test.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
function tinyPdf(): Buffer {
  const objects = [
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj',
    '4 0 obj << /Length 44 >> stream\nBT /F1 18 Tf 20 40 Td (Invoice 4411) Tj ET\nendstream endobj',
    '5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const object of objects) {
    offsets.push(body.length);
    body += object + '\n';
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer << /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

beforeAll(async () => {
  ext = await launchWithExtension();
  files = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecase-files-'));
  fs.writeFileSync(path.join(files, 'screenshot.png'), PNG);
  fs.writeFileSync(path.join(files, 'invoice.pdf'), tinyPdf());
  fs.writeFileSync(path.join(files, 'contract.pdf'), tinyPdf());
});
afterAll(async () => {
  await ext?.close();
  fs.rmSync(files, { recursive: true, force: true });
});
// Each test starts from an empty form, whatever the one before it left.
beforeEach(() => removeDraft(ext));

/**
 * Each test makes the case it works on: with one case shared by all of them, the first
 * test to break one left it resolved, merged or half-edited, and failed every test after it.
 */
async function createPrinterCase(page: Page): Promise<string> {
  return createCase(page, 'Printer jams on every page', { name: 'Dewi Contoh', email: 'dewi.contoh@example.id' });
}

describe('working a case in the side panel', () => {
  it('adds a bold note and two files, and previews the PDF in a dialog', async () => {
    const page = await ext.openPage('sidepanel.html');
    const first = await createPrinterCase(page);
    await openByNumber(page, first);

    await addNote(page, ' before Friday.', 'Replace the fuser unit');
    const note = await page.$eval('.notes__list .note .note__body', (el) => el.innerHTML);
    expect(note).toMatch(/<(b|strong)>Replace the fuser unit<\/(b|strong)>/);

    await uploadFiles(page, path.join(files, 'screenshot.png'), path.join(files, 'invoice.pdf'));
    expect(await page.$eval('.attachments h3 .count', (el) => el.textContent)).toBe('(2)');

    await page.click('[data-attachment="invoice.pdf"] button[name="attachment.preview"]');
    const frame = await page.waitForSelector('dialog[data-name="preview"][open] iframe');
    const src = await frame!.evaluate((el) => (el as HTMLIFrameElement).src);
    expect(src.startsWith('blob:')).toBe(true);
    const type = await page.evaluate(async (url) => (await (await fetch(url)).blob()).type, src);
    expect(type).toBe('application/pdf');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('dialog[data-name="preview"]'));

    // The image previews as an <img> of an object URL.
    await page.click('[data-attachment="screenshot.png"] button[name="attachment.preview"]');
    const image = await page.waitForSelector('dialog[data-name="preview"][open] img');
    expect(await image!.evaluate((el) => (el as HTMLImageElement).src.startsWith('blob:'))).toBe(true);
    await page.keyboard.press('Escape');

    const kinds = await timelineKinds(page);
    expect(kinds).toContain('note');
    expect(kinds).toContain('attachment');
    await page.close();
  });

  it('asks for a resolution type and text, offers to close open follow-ups, then keeps the case read-only until reopened', async () => {
    const page = await ext.openPage('sidepanel.html');
    const first = await createPrinterCase(page);
    await openByNumber(page, first);

    // A follow-up blocks resolving.
    await typeInto(page, 'followUp.title', 'Call back after the engineer visit');
    await page.$eval('[name="followUp.due"]', (el) => {
      (el as HTMLInputElement).value = '2030-01-15T10:30';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.click('button[name="followUp.add"]');
    await page.waitForSelector('[data-follow-up="Call back after the engineer visit"]');

    await page.click('.case-actions button[name="resolve"]');
    await page.waitForSelector('dialog[data-name="resolve"][open]');
    // The dialog puts the focus on its first field.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('resolution.type');
    await page.click('form[name="resolve"] button[name="confirm"]');
    await page.waitForSelector('form[name="resolve"] .field__error');
    expect(await errorFor(page, 'resolution.type')).toBe('Choose a resolution type.');
    expect(await errorFor(page, 'resolution.text')).toBe('Describe the resolution.');

    await page.select('[name="resolution.type"]', 'problemSolved');
    await typeInto(page, 'resolution.text', 'Fuser unit replaced; printed 50 pages without a jam.');
    await page.click('form[name="resolve"] button[name="confirm"]');
    const offer = await page.waitForSelector('dialog[data-name="resolve"] button[name="closeFollowUps"]');
    expect(await offer!.evaluate((el) => el.textContent)).toBe('Close them and resolve');
    await offer!.click();
    await page.waitForSelector('.case-detail[data-state="resolved"]');
    expect(await page.$('dialog[data-name="resolve"]')).toBeNull();

    // Read-only: the edit controls are disabled and say why; the stored title is unchanged.
    const titleBefore = (await storedCase(page, first)).title;
    const edit = await page.$eval('button[name="edit.title"]', (el) => ({
      disabled: (el as HTMLButtonElement).disabled,
      reason: document.getElementById((el.getAttribute('aria-describedby') ?? '').split(' ').pop() ?? '')?.textContent ?? '',
    }));
    expect(edit.disabled).toBe(true);
    expect(edit.reason).toContain('resolved and read-only');
    await page.click('button[name="edit.title"]');
    expect(await page.$('form[name="edit-title"]')).toBeNull();
    await showTab(page, 'notes');
    expect(await page.$eval('.note-editor, .notes', (el) => el.querySelector('.note-editor') === null)).toBe(true);
    expect(await page.$eval('input[name="attachments"]', (el) => (el as HTMLInputElement).disabled)).toBe(true);
    expect((await storedCase(page, first)).title).toBe(titleBefore);

    // Reopen: editable again, the resolution kept in the history.
    await showTab(page, 'details');
    await page.click('button[name="reopen"]');
    await page.waitForSelector('.case-detail[data-state="active"]');
    expect(await page.$eval('button[name="edit.title"]', (el) => (el as HTMLButtonElement).disabled)).toBe(false);
    await page.click('button[name="edit.title"]');
    const title = await page.waitForSelector('form[name="edit-title"] [name="title"]');
    await title!.click({ count: 3 });
    await page.keyboard.type('Printer jams on every page (fuser)');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('case-title')?.textContent === 'Printer jams on every page (fuser)');
    const stored = await storedCase(page, first);
    expect(stored.state).toBe('active');
    expect((stored.resolutions as unknown[]).length).toBe(1);
    const kinds = await timelineKinds(page);
    expect(kinds.slice(0, 3)).toEqual(['fieldChanged', 'reopened', 'resolved']);
    expect(await page.$eval('.timeline__item[data-kind="fieldChanged"] .timeline__detail', (el) => el.textContent)).toBe(
      'Title: Printer jams on every page → Printer jams on every page (fuser)',
    );
    await page.close();
  });

  it('merges a case into another: its notes and files move, and both timelines say so', async () => {
    const page = await ext.openPage('sidepanel.html');
    // The case merged into holds two files already (three after the merge).
    const first = await createPrinterCase(page);
    await openByNumber(page, first);
    await uploadFiles(page, path.join(files, 'screenshot.png'), path.join(files, 'invoice.pdf'));
    await goHome(page);
    const second = await createCase(page, 'Toner order arrived damaged', { name: 'Dewi Contoh', email: 'dewi.contoh@example.id' });
    await openByNumber(page, second);
    await addNote(page, 'Courier photo shows a crushed box.');
    await uploadFiles(page, path.join(files, 'contract.pdf'));
    await showTab(page, 'details');

    await page.click('.case-actions button[name="merge"]');
    await page.waitForSelector('dialog[data-name="merge"][open]');
    await page.keyboard.type(first.split('-')[1]!);
    await page.waitForSelector(`[name="merge.target"][value="${first}"]`);
    await page.click(`[name="merge.target"][value="${first}"]`);
    await page.click('form[name="merge"] button[name="confirm"]');
    await page.waitForSelector('.case-detail[data-state="cancelled"]');
    expect(await page.$eval('#case-readonly-reason', (el) => el.textContent)).toContain(first);
    expect(await page.$$('.notes__list .note')).toHaveLength(0);
    expect((await timelineKinds(page))[0]).toBe('merged');
    expect(await page.$eval('.timeline__item[data-kind="merged"] .timeline__detail', (el) => el.textContent)).toContain(`Merged into ${first}`);

    await page.click('button[name="openMergedInto"]');
    await page.waitForFunction((n) => document.querySelector('.case-detail .case-number')?.textContent?.includes(n), {}, first);
    await page.waitForSelector('[data-attachment="contract.pdf"]');
    const notes = await page.$$eval('.notes__list .note__body', (bodies) => bodies.map((b) => b.textContent));
    expect(notes).toContain('Courier photo shows a crushed box.');
    expect(await page.$$('[data-attachment]')).toHaveLength(3);
    await page.waitForSelector('.timeline__item[data-kind="merged"]');
    expect(await page.$eval('.timeline__item[data-kind="merged"] .timeline__detail', (el) => el.textContent)).toContain(
      `${second} was merged into this case (1 notes, 1 files moved here)`,
    );
    await page.close();
  });

  it('finds a case by a word that is only in one of its notes', async () => {
    const page = await ext.openPage('sidepanel.html');
    const number = await createCase(page, 'Router keeps rebooting', { name: 'Ioana Exemplu', email: 'ioana@example.ro' });
    await openByNumber(page, number);
    await addNote(page, 'Customer mentioned the marmalade jar sits on the router.');
    await goHome(page);

    await typeInto(page, 'search', 'marmal');
    await page.waitForSelector('.search-results[data-query="marmal"]');
    const found = await page.$$eval('.search-results [data-case-number]', (rows) => rows.map((r) => r.getAttribute('data-case-number')));
    expect(found).toEqual([number]);
    expect(await page.$eval('.search-results', (el) => el.textContent)).toContain('found in a note');
    // The search measured keystroke → results (what npm run bench reads).
    expect(await page.evaluate(() => performance.getEntriesByName('sidecase:search').length)).toBeGreaterThan(0);

    // Another query's cases fill the rows already drawn, not rows built anew (each keystroke's render).
    const other = await createCase(page, 'Printer jams on tray two', { name: 'Dan Exemplu', email: 'dan@example.ro' });
    await goHome(page);
    await page.click('input[name="search"]', { count: 3 });
    await page.keyboard.type('marmal');
    await page.waitForSelector(`.search-results[data-query="marmal"] [data-case-number="${number}"]`);
    await page.$eval('.search-results [data-case-number]', (row) => ((row as HTMLElement & { drawnFor?: string }).drawnFor = 'marmal'));
    await page.click('input[name="search"]', { count: 3 });
    await page.keyboard.type('printer jams');
    await page.waitForSelector(`.search-results[data-query="printer jams"] [data-case-number="${other}"]`);
    expect(await page.$eval('.search-results [data-case-number]', (row) => (row as HTMLElement & { drawnFor?: string }).drawnFor)).toBe('marmal');

    // A word that is nowhere finds nothing.
    await page.click('input[name="search"]', { count: 3 });
    await page.keyboard.type('zzqqxx');
    await page.waitForSelector('.search-results[data-query="zzqqxx"]');
    expect(await page.$$('.search-results [data-case-number]')).toHaveLength(0);
    await page.close();
  });

  it('searches in the background, and finds a case saved right after a search that found nothing', async () => {
    const page = await ext.openPage('sidepanel.html');
    await typeInto(page, 'search', 'quokka');
    await page.waitForSelector('.search-results[data-query="quokka"]');
    expect(await page.$$('.search-results [data-case-number]')).toHaveLength(0);

    // The background has read "quokka" and found nothing; a case with that word is saved now.
    await page.click('input[name="search"]', { count: 3 });
    await page.keyboard.press('Backspace');
    const number = await createCase(page, 'Quokka enclosure gate jammed', { name: 'Wayan Quokka-Keeper', email: 'wayan@zoo.example' });
    await typeInto(page, 'search', 'quokka');
    await page.waitForSelector(`.search-results[data-query="quokka"] [data-case-number="${number}"]`);
    expect(await page.$eval(`.search-results [data-case-number="${number}"]`, (row) => row.textContent)).toContain('Wayan Quokka-Keeper');
    // Answered by the background, not by the page's own fallback.
    expect(await page.evaluate(() => performance.getEntriesByName('sidecase:search-local').length)).toBe(0);
    await page.close();
  });

  it('stores and shows a note with script and onerror markup without running any of it', async () => {
    const page = await ext.openPage('sidepanel.html');
    const first = await createPrinterCase(page);
    await openByNumber(page, first);
    const caseId = await page.$eval('.case-detail', (el) => el.getAttribute('data-case-id')!);

    // Pasted into the editor as HTML: cleaned on paste and again on save.
    await showTab(page, 'notes');
    await page.click('.note-editor[data-mode="add"] [data-name="note"]');
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData(
        'text/html',
        'Pasted <b>report</b><img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>' +
          '<svg><style><img src=x onerror="window.__pwned=3"></style></svg>' +
          '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=4">' +
          '<noscript><p title="</noscript><img src=x onerror=window.__pwned=5>">' +
          '<a href="javascript:window.__pwned=6">link</a>',
      );
      document
        .querySelector('.note-editor[data-mode="add"] [data-name="note"]')!
        .dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    const before = await page.$$eval('.notes__list .note', (n) => n.length);
    await page.click('.note-editor[data-mode="add"] button[name="saveNote"]');
    await page.waitForFunction((count) => document.querySelectorAll('.notes__list .note').length > count, {}, before);

    // Written straight into the database, as a sync or an older build might: shown sanitized all the same.
    await page.evaluate(
      (id) =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.open('sidecase');
          request.onsuccess = () => {
            const tx = request.result.transaction('notes', 'readwrite');
            const now = Date.now();
            tx.objectStore('notes').put({
              id: '01J0000000000000000000XSS1',
              caseId: id,
              body: 'Raw <img src=x onerror="window.__pwned=7"><script>window.__pwned=8</script><iframe src="javascript:window.__pwned=9"></iframe><b onclick="window.__pwned=10">click</b>',
              format: 'html',
              author: 'Somebody else',
              createdAt: now + 1000,
              updatedAt: now + 1000,
              version: 1,
              words: ['raw'],
            });
            tx.oncomplete = () => {
              request.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
          request.onerror = () => reject(request.error);
        }),
      caseId,
    );
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('[data-note-id="01J0000000000000000000XSS1"] .note__body');
    await new Promise((r) => setTimeout(r, 300));

    const rendered = await page.$eval('.notes', (el) => ({
      html: el.innerHTML,
      scripts: el.querySelectorAll('script, iframe, style, svg, math, noscript').length,
      handlers: [...el.querySelectorAll('*')].filter((n) => [...n.attributes].some((a) => a.name.startsWith('on'))).length,
      jsLinks: [...el.querySelectorAll('a')].filter((a) => /^javascript:/i.test(a.getAttribute('href') ?? '')).length,
    }));
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(rendered.scripts).toBe(0);
    expect(rendered.handlers).toBe(0);
    expect(rendered.jsLinks).toBe(0);
    expect(rendered.html).not.toMatch(/onerror|onclick|<script/i);
    expect(rendered.html).toContain('<b>report</b>');
    expect(rendered.html).toContain('click');
    // Another agent's note cannot be edited or deleted here.
    expect(await page.$('[data-note-id="01J0000000000000000000XSS1"] button[name="note.edit"]')).toBeNull();
    await page.close();
  });

  it('asks to save or discard unsaved customer changes before leaving the case', async () => {
    const page = await ext.openPage('sidepanel.html');
    const first = await createPrinterCase(page);
    await openByNumber(page, first);
    await page.click('button[name="customer.edit"]');
    const name = await page.waitForSelector('form[name="customer"] [name="customer.name"]');
    await name!.click({ count: 3 });
    await page.keyboard.type('Dewi Contoh-Santoso');

    await goBack(page);
    await page.waitForSelector('dialog[data-name="unsaved-customer"][open]');
    // Still on the case, the edit as typed.
    expect(await page.$('.case-detail')).not.toBeNull();
    expect(await page.$eval('form[name="customer"] [name="customer.name"]', (el) => (el as HTMLInputElement).value)).toBe('Dewi Contoh-Santoso');

    await page.click('button[name="unsaved.save"]');
    // Left the case (the search box is in the header of every view now: no sign of having left).
    await page.waitForFunction(() => !document.querySelector('.case-detail'));
    expect(await page.$('.case-detail')).toBeNull();
    await page.waitForFunction(() => document.querySelector('.case-list')?.textContent?.includes('Dewi Contoh-Santoso'));

    // Discard: the stored customer keeps its name.
    await openByNumber(page, first);
    await page.click('button[name="customer.edit"]');
    await page.click('form[name="customer"] [name="customer.name"]', { count: 3 });
    await page.keyboard.type('Somebody Else');
    await goBack(page);
    await page.waitForSelector('dialog[data-name="unsaved-customer"][open]');
    await page.click('button[name="unsaved.discard"]');
    await page.waitForFunction(() => !document.querySelector('.case-detail'));
    await openByNumber(page, first);
    expect(await page.$eval('.customer-card__name', (el) => el.textContent)).toBe('Dewi Contoh-Santoso');
    await page.close();
  });

  it('lists resolved cases in their own view and filters the active ones by priority', async () => {
    const page = await ext.openPage('sidepanel.html');
    const urgent = await createCase(page, 'Site down for all users', { name: 'Putu Contoh', email: 'putu@example.id' });
    await showView(page, 'cases');
    await page.waitForSelector(`[data-case-number="${urgent}"]`);
    await page.select('select[name="view"]', 'allActive');
    await page.click('.view-filters summary');
    await page.select('select[name="filter.priority"]', 'normal');
    await page.waitForSelector(`[data-case-number="${urgent}"]`);
    await page.select('select[name="filter.priority"]', 'urgent');
    await page.waitForFunction(() => document.querySelector('.case-list .empty') !== null);
    await page.select('select[name="filter.priority"]', '');
    await page.select('select[name="view"]', 'cancelled');
    await page.waitForFunction(() => document.querySelector('#my-cases-heading')?.textContent?.startsWith('Cancelled cases'));
    await page.waitForSelector('.case-list [data-case-number]');
    const states = await page.$$eval('.case-list [data-case-number]', (rows) => rows.map((r) => r.textContent));
    expect(states.every((text) => text?.includes('Cancelled'))).toBe(true);
    await page.select('select[name="view"]', 'mine');
    await page.close();
  });
});
