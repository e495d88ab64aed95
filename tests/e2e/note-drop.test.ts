/**
 * HTML dropped into the note editor (dragged from a page or a mail) is cleaned
 * with the notes' DOMPurify set-up as it lands, as pasted HTML is: nothing of
 * it outside the allow-list is in the box, even before Save.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { launchWithExtension, removeDraft, type ExtensionBrowser } from './support/browser';
import { createCase, openByNumber, showTab } from './support/case-work';

let ext: ExtensionBrowser;
let page: Page;

beforeAll(async () => {
  ext = await launchWithExtension();
  await removeDraft(ext);
  page = await ext.openPage('sidepanel.html');
  const number = await createCase(page, 'Dropped thread', { name: 'Dora Exemplu', email: 'dora@example.com' });
  await openByNumber(page, number);
  await showTab(page, 'notes');
});
afterAll(async () => {
  await ext?.close();
});

const DROPPED =
  '<p>Parcel <b>5512</b> is late</p>' +
  '<img src="http://127.0.0.1:9/tracker.gif" onerror="document.title=\'ran\'">' +
  '<a href="javascript:alert(1)" onclick="alert(2)">track it</a>' +
  '<style>.note-editor{display:none}</style><form action="https://evil.example"><input name="password"></form>';

describe('the note editor', () => {
  it('cleans dropped HTML before it enters the box', async () => {
    const box = await page.waitForSelector('.note-editor[data-mode="add"] [data-name="note"]');
    const area = (await box!.boundingBox())!;
    const at = { x: area.x + area.width / 2, y: area.y + area.height / 2 };
    const data = { items: [{ mimeType: 'text/html', data: DROPPED }, { mimeType: 'text/plain', data: 'Parcel 5512 is late track it' }], dragOperationsMask: 1 };
    await page.mouse.dragEnter(at, data);
    await page.mouse.dragOver(at, data);
    await page.mouse.drop(at, data);
    await page.waitForFunction(() => document.querySelector('.note-editor[data-mode="add"] [data-name="note"]')?.textContent?.includes('5512'));

    const html = await box!.evaluate((el) => el.innerHTML);
    expect(html).toContain('<b>5512</b>');
    expect(html).toContain('track it');
    for (const banned of ['onerror', 'onclick', 'javascript:', '<style', 'style=', '<form', '<input', '127.0.0.1:9']) expect(html, banned).not.toContain(banned);
  });

  it('cleans pasted HTML the same way (the drop and the paste share one path)', async () => {
    await page.evaluate(() => {
      const box = document.querySelector<HTMLElement>('.note-editor[data-mode="add"] [data-name="note"]')!;
      box.innerHTML = '';
      box.focus();
    });
    await page.evaluate((html) => {
      const data = new DataTransfer();
      data.setData('text/html', html);
      document
        .querySelector('.note-editor[data-mode="add"] [data-name="note"]')!
        .dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, DROPPED);
    const html = await page.$eval('.note-editor[data-mode="add"] [data-name="note"]', (el) => el.innerHTML);
    expect(html).toContain('<b>5512</b>');
    for (const banned of ['onerror', 'onclick', 'javascript:', '<style', 'style=', '<form', '<input', '127.0.0.1:9']) expect(html, banned).not.toContain(banned);
  });
});
