import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { typeInto, type ExtensionBrowser } from './support/browser';
import { useFixtureBrowser } from './support/fixture-browser';
import { attachInImageRedactor } from './support/image-redactor';
import { PIXEL_PNG, type FixtureServer } from '../fixtures/pages/server';
import { openFixtureTab, openPanelFor, provenanceOf, readTable, saveForm, valueOf, waitForValue, type FixtureTab } from '../fixtures/pages/harness';

let ext: ExtensionBrowser;
let server: FixtureServer;
let page: FixtureTab;

const CLIPBOARD = ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write'] as const;

useFixtureBrowser(async (started) => {
  ({ ext, server } = started);
  const context = ext.browser.defaultBrowserContext();
  await context.overridePermissions(server.origin, [...CLIPBOARD]);
  await context.overridePermissions(`chrome-extension://${ext.extensionId}`, [...CLIPBOARD]);
  page = await openFixtureTab(ext, server.url('/pages/article.html'));
});

/** Copies in the web page, as the agent would with Ctrl+C. */
async function copyText(text: string): Promise<void> {
  await page.page.bringToFront();
  await page.page.evaluate((value) => navigator.clipboard.writeText(value), text);
}

async function copyImage(): Promise<void> {
  await page.page.bringToFront();
  await page.page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    await navigator.clipboard.write([new ClipboardItem({ 'image/png': new Blob([bytes], { type: 'image/png' }) })]);
  }, PIXEL_PNG.toString('base64'));
}

async function pasteContext(panel: Page): Promise<void> {
  await panel.bringToFront();
  await panel.click('button[name="paste-context"]');
}

describe('"Paste context" and Ctrl+V in the panel', () => {
  it('puts clipboard text in the description and its email and phone in the empty customer fields', async () => {
    const panel = await openPanelFor(ext, page.tabId);
    await copyText('Hi, the kettle lid is loose.\nReach me at jane.doe@example.org or +36 20 555 0199.');
    await pasteContext(panel);
    expect(await waitForValue(panel, 'description')).toBe('Hi, the kettle lid is loose.\nReach me at jane.doe@example.org or +36 20 555 0199.');
    expect(await valueOf(panel, 'customer.email')).toBe('jane.doe@example.org');
    expect(await valueOf(panel, 'customer.phone')).toBe('+36205550199');
    expect(await provenanceOf(panel, 'customer.email')).toBe('clipboard');
    await panel.close();
  });

  it('adds pasted text after what the agent wrote and offers, never forces, a different email', async () => {
    const panel = await openPanelFor(ext, page.tabId);
    await typeInto(panel, 'customer.email', 'typed@example.com');
    await typeInto(panel, 'description', 'Agent notes first.');
    await copyText('Forwarded from other.person@example.net');
    await pasteContext(panel);
    await panel.waitForSelector('button[name="use-email"]').catch(() => undefined);
    expect(await valueOf(panel, 'description')).toBe('Agent notes first.\n\nForwarded from other.person@example.net');
    expect(await valueOf(panel, 'customer.email')).toBe('typed@example.com');
    const offer = await panel.waitForSelector('button[name="use-email"][value="other.person@example.net"]');
    await offer!.click();
    expect(await waitForValue(panel, 'customer.email', 'other.person@example.net')).toBe('other.person@example.net');
    await panel.close();
  });

  it('turns a copied image into an attachment saved with the new case', async () => {
    const panel = await openPanelFor(ext, page.tabId);
    await copyImage();
    await pasteContext(panel);
    // The screenshot editor opens first; attached as it is.
    await attachInImageRedactor(panel);
    await panel.waitForSelector('.draft-attachments li[data-attachment-name]');
    await typeInto(panel, 'title', 'Photo of the loose lid');
    await typeInto(panel, 'customer.name', 'Jane Doe');
    const before = (await readTable(panel, 'attachments')).length;
    await saveForm(panel);
    await panel.waitForFunction(() => !document.querySelector('.draft-attachments li'), { polling: 100 });
    const attachments = await readTable<{ type: string; source: string; size: number }>(panel, 'attachments');
    expect(attachments.length).toBe(before + 1);
    // Chrome re-encodes a pasted image (sanitized PNG), so its size is not the copied file's.
    expect(attachments.at(-1)).toMatchObject({ type: 'image/png', source: 'clipboard' });
    expect(attachments.at(-1)!.size).toBeGreaterThan(0);
    await panel.close();
  });

  it('attaches an image pasted with Ctrl+V anywhere in the panel', async () => {
    const panel = await openPanelFor(ext, page.tabId);
    await panel.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'screenshot.png', { type: 'image/png' }));
      document.querySelector<HTMLElement>('[name="description"]')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, PIXEL_PNG.toString('base64'));
    await attachInImageRedactor(panel);
    await panel.waitForSelector('.draft-attachments li[data-attachment-name]');
    // Nothing was typed into the description by the paste.
    expect(await valueOf(panel, 'description')).toBe('');
    await panel.click('.draft-attachments button');
    await panel.waitForFunction(() => !document.querySelector('.draft-attachments li'), { polling: 100 });
    await panel.close();
  });
});
