/**
 * The screenshot editor (issue 15, item 4): "Screenshot to case" and a pasted
 * image open it before they are attached; what the agent covers is black in
 * the stored image, at the image's own resolution, and nothing else changed.
 */
import { AxePuppeteer } from '@axe-core/puppeteer';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { readTable, until, type ExtensionBrowser } from './support/browser';
import { saveOpenCase, useFixtureBrowser } from './support/fixture-browser';
import { createCase, openByNumber, showTab, showView } from './support/case-work';
import { IMAGE_REDACTOR, attachInImageRedactor, cancelImageRedactor, waitForImageRedactor } from './support/image-redactor';
import type { FixtureServer } from '../fixtures/pages/server';
import { clickMenu, clickToolbarButton, openFixtureTab, openPanelFor, type FixtureTab } from '../fixtures/pages/harness';

/** The colour of tests/fixtures/pages/colour-block.html's block. */
const BLOCK: Rgb = [32, 160, 96];
type Rgb = [number, number, number];
/** A fraction of the image's width and height. */
type At = [number, number];
interface Area {
  from: At;
  to: At;
}

let ext: ExtensionBrowser;
let server: FixtureServer;
let block: FixtureTab;
let tab: { id: number; windowId: number; url: string; title: string };

useFixtureBrowser(async (started) => {
  ({ ext, server } = started);
  block = await openFixtureTab(ext, server.url('/pages/colour-block.html'));
  tab = { id: block.tabId, windowId: block.windowId, url: server.url('/pages/colour-block.html'), title: 'Card details · Kettle shop' };
  // The agent's open case, which "Attach to case" offers first.
  await saveOpenCase(ext, block.tabId, { title: 'Card form shows the wrong total', email: 'marta.szabo@example.com' });
});

const isBlack = ([r, g, b]: Rgb) => r <= 8 && g <= 8 && b <= 8;
const isBlock = (rgb: Rgb) => rgb.every((value, i) => Math.abs(value - BLOCK[i]!) <= 12);

/**
 * The colours of an image at points given as fractions of its size: a stored
 * attachment (by id, its Blob read from IndexedDB) or a data: URL.
 */
async function pixelsOf(page: Page, source: { attachmentId: string } | { dataUrl: string }, points: At[]): Promise<{ width: number; height: number; pixels: Rgb[] }> {
  return page.evaluate(
    async (from, at) => {
      const blob =
        'dataUrl' in from
          ? await (await fetch(from.dataUrl)).blob()
          : await new Promise<Blob>((resolve, reject) => {
              const request = indexedDB.open('sidecase');
              request.onerror = () => reject(request.error);
              request.onsuccess = () => {
                const get = request.result.transaction('attachments').objectStore('attachments').get(from.attachmentId);
                get.onsuccess = () => {
                  resolve((get.result as { blob: Blob }).blob);
                  request.result.close();
                };
                get.onerror = () => reject(get.error);
              };
            });
      const bitmap = await createImageBitmap(blob);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const pixels = at.map(([fx, fy]) => {
        const x = Math.min(bitmap.width - 1, Math.round(fx * bitmap.width));
        const y = Math.min(bitmap.height - 1, Math.round(fy * bitmap.height));
        const [r, g, b] = ctx.getImageData(x, y, 1, 1).data;
        return [r!, g!, b!] as [number, number, number];
      });
      return { width: bitmap.width, height: bitmap.height, pixels };
    },
    source,
    points,
  );
}

/** A grid of points well inside an area (its edges are left out: rounding may go either way there). */
function inside(area: Area): At[] {
  const points: At[] = [];
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      points.push([area.from[0] + ((i + 0.5) / 4) * (area.to[0] - area.from[0]), area.from[1] + ((j + 0.5) / 4) * (area.to[1] - area.from[1])]);
    }
  }
  return points;
}

/** Drags a rectangle over the editor's image, corners given as fractions of the image; returns the image's width on screen. */
async function dragOver(panel: Page, area: Area): Promise<number> {
  const canvas = await waitForImageRedactor(panel);
  const box = (await canvas.boundingBox())!;
  await panel.mouse.move(box.x + area.from[0] * box.width, box.y + area.from[1] * box.height);
  await panel.mouse.down();
  await panel.mouse.move(box.x + ((area.from[0] + area.to[0]) / 2) * box.width, box.y + ((area.from[1] + area.to[1]) / 2) * box.height, { steps: 4 });
  await panel.mouse.move(box.x + area.to[0] * box.width, box.y + area.to[1] * box.height, { steps: 4 });
  await panel.mouse.up();
  return box.width;
}

async function hiddenCount(panel: Page): Promise<string> {
  return panel.$eval(`${IMAGE_REDACTOR} [role="status"]`, (el) => el.textContent ?? '');
}

/** A screenshot of the block tab through the context menu, waiting in a freshly opened panel. */
async function screenshotToCase(): Promise<Page> {
  await clickToolbarButton(ext, block.page);
  await clickMenu(ext, { menuItemId: 'screenshotToCase', pageUrl: tab.url }, tab);
  const panel = await openPanelFor(ext, block.tabId);
  // Waiting captures are in the Inbox view (issue 13's layout).
  await showView(panel, 'inbox');
  await panel.waitForSelector('.pending__item[data-action="screenshotToCase"] button[name="pending-attach"]:not(:disabled)', { timeout: 15_000 });
  return panel;
}

async function pendingScreenshots(panel: Page): Promise<number> {
  return panel.evaluate(async () => {
    const chrome = (globalThis as unknown as { chrome: { storage: { session: { get(key: string): Promise<Record<string, unknown[] | undefined>> } } } }).chrome;
    const list = (await chrome.storage.session.get('pending')).pending ?? [];
    return list.filter((item) => (item as { action?: string }).action === 'screenshotToCase').length;
  });
}

/** Attaches through the editor and returns the new attachment's id. */
async function attachAndFind(panel: Page): Promise<string> {
  const before = new Set((await readTable<{ id: string }>(panel, 'attachments')).map((a) => a.id));
  await attachInImageRedactor(panel);
  const added = await until(async () => {
    const list = await readTable<{ id: string; source: string; type: string }>(panel, 'attachments');
    return list.find((a) => !before.has(a.id));
  }, 'the screenshot attached');
  expect(added).toMatchObject({ source: 'screenshot', type: 'image/png' });
  return added.id;
}

describe('the screenshot editor', () => {
  it('blacks out the dragged rectangle in the stored screenshot, at its own resolution, and leaves the rest as it was', async () => {
    const panel = await screenshotToCase();
    expect(await pendingScreenshots(panel)).toBe(1);
    await panel.click('.pending__item[data-action="screenshotToCase"] button[name="pending-attach"]');
    await waitForImageRedactor(panel);
    const area: Area = { from: [0.2, 0.3], to: [0.6, 0.5] };
    const shownWidth = await dragOver(panel, area);
    expect(await hiddenCount(panel)).toBe('Areas hidden: 1');

    const id = await attachAndFind(panel);
    // The toast follows the stored row (the waiting original is removed in between): wait for it.
    await panel.waitForFunction(() => document.querySelector('.toast__message')?.textContent?.startsWith('Attached to'), { polling: 100 });
    expect(await panel.$eval('.toast__message', (el) => el.textContent)).toMatch(/^Attached to CAS-\d{6}-[0-9A-Z]{10}$/);
    const outside: At[] = [[0.05, 0.05], [0.95, 0.95], [0.1, 0.4], [0.7, 0.4], [0.4, 0.2], [0.4, 0.6], [0.9, 0.1]];
    const { width, pixels } = await pixelsOf(panel, { attachmentId: id }, [...inside(area), ...outside]);
    // The editor showed the image smaller than it is: the rectangle was scaled up to the image's pixels.
    expect(width).toBeGreaterThan(shownWidth * 1.2);
    expect(pixels.slice(0, 16).filter((p) => !isBlack(p))).toEqual([]);
    expect(pixels.slice(16).filter((p) => !isBlock(p))).toEqual([]);
    // The original left the waiting list with the attach.
    await panel.waitForFunction(() => !document.querySelector('.pending__item[data-action="screenshotToCase"]'));
    expect(await pendingScreenshots(panel)).toBe(0);
    await panel.close();
  });

  it('Undo (the button and Ctrl+Z) takes the rectangles back: the screenshot is attached without any black', async () => {
    const panel = await screenshotToCase();
    await panel.click('.pending__item[data-action="screenshotToCase"] button[name="pending-attach"]');
    const first: Area = { from: [0.1, 0.1], to: [0.5, 0.3] };
    const second: Area = { from: [0.3, 0.6], to: [0.8, 0.8] };
    await dragOver(panel, first);
    await dragOver(panel, second);
    expect(await hiddenCount(panel)).toBe('Areas hidden: 2');
    await panel.click(`${IMAGE_REDACTOR} button[name="image-redactor.undo"]`);
    expect(await hiddenCount(panel)).toBe('Areas hidden: 1');
    await panel.keyboard.down('Control');
    await panel.keyboard.press('z');
    await panel.keyboard.up('Control');
    expect(await hiddenCount(panel)).toBe('Areas hidden: 0');
    expect(await panel.$eval(`${IMAGE_REDACTOR} button[name="image-redactor.undo"]`, (el) => (el as HTMLButtonElement).disabled)).toBe(true);

    const id = await attachAndFind(panel);
    const { pixels } = await pixelsOf(panel, { attachmentId: id }, [...inside(first), ...inside(second)]);
    expect(pixels.filter((p) => !isBlock(p))).toEqual([]);
    await panel.close();
  });

  it('Cancel attaches nothing and leaves the screenshot waiting', async () => {
    const panel = await screenshotToCase();
    const before = (await readTable(panel, 'attachments')).length;
    await panel.click('.pending__item[data-action="screenshotToCase"] button[name="pending-to-draft"]');
    await dragOver(panel, { from: [0.2, 0.2], to: [0.7, 0.7] });
    await cancelImageRedactor(panel);
    expect(await panel.$('.pending__item[data-action="screenshotToCase"] button[name="pending-attach"]:not(:disabled)')).not.toBeNull();
    expect(await pendingScreenshots(panel)).toBe(1);
    // The form (in the New view) did not get it either.
    await showView(panel, 'new');
    await panel.waitForSelector('form[name="quick-create"]');
    expect(await panel.$('.draft-attachments li')).toBeNull();
    expect((await readTable(panel, 'attachments')).length).toBe(before);
    // Dismissed: the original is gone from the waiting list too.
    await showView(panel, 'inbox');
    await panel.click('.pending__item[data-action="screenshotToCase"] button[name="pending-dismiss"]');
    await panel.waitForFunction(() => !document.querySelector('.pending__item[data-action="screenshotToCase"]'));
    expect(await pendingScreenshots(panel)).toBe(0);
    await panel.close();
  });

  it('opens for an image pasted into the form, works from the keyboard alone, and passes axe', async () => {
    const panel = await openPanelFor(ext, block.tabId);
    await panel.evaluate(async () => {
      const canvas = new OffscreenCanvas(300, 150);
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = 'rgb(200, 30, 30)';
      ctx.fillRect(0, 0, 300, 150);
      const data = new DataTransfer();
      data.items.add(new File([await canvas.convertToBlob({ type: 'image/png' })], 'card-photo.png', { type: 'image/png' }));
      document.querySelector<HTMLElement>('[name="description"]')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await waitForImageRedactor(panel);
    const axe = await new AxePuppeteer(panel).include(IMAGE_REDACTOR).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    expect(await panel.$eval(`${IMAGE_REDACTOR} canvas`, (el) => el.getAttribute('aria-label'))).toBe('card-photo.png: areas to hide');

    // The selection starts on the middle half of the image; one step right, then Enter hides it.
    await panel.focus(`${IMAGE_REDACTOR} canvas`);
    await panel.keyboard.press('ArrowRight');
    await panel.keyboard.press('Enter');
    expect(await hiddenCount(panel)).toBe('Areas hidden: 1');
    await attachInImageRedactor(panel);
    await panel.waitForSelector('.draft-attachments li[data-attachment-name]');

    const dataUrl = await panel.evaluate(async () => {
      const chrome = (globalThis as unknown as { chrome: { storage: { session: { get(key: string): Promise<Record<string, Array<{ dataUrl: string }>>> } } } }).chrome;
      return (await chrome.storage.session.get('draft-attachments'))['draft-attachments']![0]!.dataUrl;
    });
    // Shown at its own size (300 × 150): the selection ran from x 85 to 235 after the step, y 38 to 113.
    const { pixels } = await pixelsOf(panel, { dataUrl }, [[0.5, 0.5], [0.75, 0.5], [0.3, 0.3], [0.01, 0.01], [0.99, 0.99], [0.25, 0.5], [0.5, 0.2]]);
    const red = ([r, g, b]: Rgb) => r > 180 && g < 50 && b < 50;
    expect(pixels.slice(0, 3).every(isBlack)).toBe(true);
    expect(pixels.slice(3).every(red)).toBe(true);
    await panel.click('.draft-attachments button');
    await panel.close();
  });

  it('opens for an image pasted into a note: a cancelled one never enters the note, an attached one does', async () => {
    const page = await ext.openPage('sidepanel.html');
    await openByNumber(page, await createCase(page, 'Receipt photo with the card on it', { name: 'Eszter Példa', email: 'eszter@example.hu' }));
    await showTab(page, 'notes');
    const box = '.note-editor[data-mode="add"] [data-name="note"]';
    await page.click(box);
    const paste = () =>
      page.evaluate(async (selector) => {
        const canvas = new OffscreenCanvas(120, 80);
        const ctx = canvas.getContext('2d')!;
        ctx.fillStyle = 'rgb(200, 30, 30)';
        ctx.fillRect(0, 0, 120, 80);
        const data = new DataTransfer();
        data.items.add(new File([await canvas.convertToBlob({ type: 'image/png' })], 'receipt.png', { type: 'image/png' }));
        document.querySelector(selector)!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, box);
    await paste();
    await cancelImageRedactor(page);
    expect(await page.$eval(box, (el) => el.querySelectorAll('img').length)).toBe(0);
    await paste();
    await waitForImageRedactor(page);
    await page.focus(`${IMAGE_REDACTOR} canvas`);
    await page.keyboard.press('Enter');
    await attachInImageRedactor(page);
    const img = await page.waitForSelector(`${box} img[src^="data:image/png;base64,"]`);
    // The note holds the edited image: the middle half black, the corners as pasted.
    const { pixels } = await pixelsOf(page, { dataUrl: await img!.evaluate((el) => el.getAttribute('src')!) }, [[0.5, 0.5], [0.02, 0.02], [0.98, 0.98]]);
    expect(isBlack(pixels[0]!)).toBe(true);
    expect(pixels.slice(1).some(isBlack)).toBe(false);
    // Only the note took it: the form's Ctrl+V did not also keep it for the case being written.
    await showView(page, 'new');
    await page.waitForSelector('form[name="quick-create"]');
    expect(await page.$('.draft-attachments li')).toBeNull();
    await page.close();
  });
});
