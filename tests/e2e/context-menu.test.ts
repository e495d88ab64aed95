import { describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { typeInto, type ExtensionBrowser } from './support/browser';
import { saveOpenCase, useFixtureBrowser } from './support/fixture-browser';
import { attachInImageRedactor } from './support/image-redactor';
import { showView } from './support/case-work';
import type { FixtureServer } from '../fixtures/pages/server';
import {
  clickMenu,
  clickToolbarButton,
  openFixtureTab,
  openPanelFor,
  provenanceOf,
  readTable,
  saveForm,
  valueOf,
  waitForValue,
  type FixtureTab,
} from '../fixtures/pages/harness';

let ext: ExtensionBrowser;
let server: FixtureServer;
let article: FixtureTab;
let tab: { id: number; windowId: number; url: string; title: string };

useFixtureBrowser(async (started) => {
  ({ ext, server } = started);
  article = await openFixtureTab(ext, server.url('/pages/article.html'));
  tab = { id: article.tabId, windowId: article.windowId, url: server.url('/pages/article.html'), title: 'Order 5512 · Kettle shop' };
  // One open case of the agent's for "Add … to case" to offer.
  await saveOpenCase(ext, article.tabId, { title: 'Delivery missed twice', email: 'marta.szabo@example.com' });
});

/** The id of the case a save's toast names (`CAS-000123-K7Q2M9XA4B`). */
async function caseIdOfToast(panel: Page, toast: string): Promise<string> {
  const number = /CAS-\d{6}-[0-9A-Z]{10}/.exec(toast)?.[0];
  expect(number).toBeTruthy();
  const found = (await readTable<{ id: string; number: string }>(panel, 'cases')).find((c) => c.number === number);
  expect(found).toBeDefined();
  return found!.id;
}

async function caseByTitle(panel: Page, title: string): Promise<{ id: string; number: string }> {
  const found = (await readTable<{ id: string; number: string; title: string }>(panel, 'cases')).filter((c) => c.title === title);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** The card of a context-menu result, once it has arrived, in the Inbox view where it shows. */
async function pendingCard(panel: Page, action: string) {
  const card = await panel.waitForSelector(`.pending__item[data-action="${action}"]`, { timeout: 15_000 });
  if (!(await panel.$('button[name="view-inbox"][aria-current="page"]'))) await showView(panel, 'inbox');
  return card;
}

describe('context-menu actions, through the background', () => {
  it('"New case from selection" fills the form with the selection and the page\'s customer', async () => {
    // The panel is open beside the page; the toolbar click stands for the menu click's own activeTab grant.
    const panel = await openPanelFor(ext, article.tabId);
    await clickToolbarButton(ext, article.page);
    const selection = 'The courier missed the delivery twice. Please call me on +36 30 555 0177 before Friday.';
    await clickMenu(ext, { menuItemId: 'newCaseFromSelection', selectionText: selection, pageUrl: tab.url }, tab);
    await panel.bringToFront();
    expect(await waitForValue(panel, 'description', selection)).toBe(selection);
    expect(await provenanceOf(panel, 'description')).toBe('selection');
    expect(await valueOf(panel, 'customer.email')).toBe('marta.szabo@example.com');
    expect(await valueOf(panel, 'customer.phone')).toBe('+36305550177');
    const text = await saveForm(panel);
    expect(text).toMatch(/CAS-/);
    const cases = await readTable<{ source?: { kind: string; url?: string; pageTitle?: string } }>(panel, 'cases');
    expect(cases.some((c) => c.source?.kind === 'selection' && c.source.url === tab.url && c.source.pageTitle === tab.title)).toBe(true);
    await panel.close();
  });

  it('"New case from this page" fills the form as the capture button does', async () => {
    const panel = await openPanelFor(ext, article.tabId);
    await clickToolbarButton(ext, article.page);
    await clickMenu(ext, { menuItemId: 'newCaseFromPage', pageUrl: tab.url }, tab);
    await panel.bringToFront();
    expect(await waitForValue(panel, 'title', 'Order 5512 · Kettle shop')).toBe('Order 5512 · Kettle shop');
    expect(await valueOf(panel, 'customer.email')).toBe('marta.szabo@example.com');
    expect(await valueOf(panel, 'origin')).toBe('web');
    await panel.click('button[name="clear"]');
    await panel.close();
  });

  it('"Add selection to case…" offers the latest open case and adds the selection as a note on it', async () => {
    // The agent's latest case: the one the card must offer.
    const creating = await openPanelFor(ext, article.tabId);
    await typeInto(creating, 'title', 'Parcel 5512 left at the wrong door');
    await typeInto(creating, 'customer.email', 'marta.szabo@example.com');
    const latest = await caseIdOfToast(creating, await saveForm(creating));
    await creating.close();

    await clickMenu(ext, { menuItemId: 'addSelectionToCase', selectionText: 'Customer prefers delivery after 5 pm.', pageUrl: tab.url }, tab);
    const panel = await openPanelFor(ext, article.tabId);
    const card = await pendingCard(panel, 'addSelectionToCase');
    expect(await card!.evaluate((el) => el.textContent)).toContain('Customer prefers delivery after 5 pm.');
    await panel.waitForSelector('.pending__item[data-action="addSelectionToCase"] select[name="pending-case"]');
    expect(await panel.$eval('.pending__item[data-action="addSelectionToCase"] select[name="pending-case"]', (el) => (el as HTMLSelectElement).value)).toBe(latest);
    const notesBefore = (await readTable(panel, 'notes')).length;
    await panel.click('.pending__item[data-action="addSelectionToCase"] button[name="pending-add"]');
    await panel.waitForFunction(() => document.querySelector('.toast__message')?.textContent?.startsWith('Added to'), { polling: 100 });
    const notes = await readTable<{ body: string; caseId?: string }>(panel, 'notes');
    expect(notes.length).toBe(notesBefore + 1);
    const note = notes.find((n) => n.body.startsWith('Customer prefers delivery after 5 pm.'));
    expect(note?.caseId).toBe(latest);
    expect(note?.body).toContain(tab.url);
    expect(await panel.$('.pending__item[data-action="addSelectionToCase"]')).toBeNull();
    await panel.close();
  });

  it('"Add link to case" waits in the panel with the link', async () => {
    await clickMenu(ext, { menuItemId: 'addLinkToCase', linkUrl: 'https://tracking.example.net/parcel/5512', pageUrl: tab.url }, tab);
    const panel = await openPanelFor(ext, article.tabId);
    const card = await pendingCard(panel, 'addLinkToCase');
    expect(await card!.evaluate((el) => el.textContent)).toContain('https://tracking.example.net/parcel/5512');
    expect(await panel.$('.pending__item[data-action="addLinkToCase"] select[name="pending-case"]')).not.toBeNull();
    await panel.click('.pending__item[data-action="addLinkToCase"] button[name="pending-dismiss"]');
    await panel.waitForFunction(() => !document.querySelector('.pending__item[data-action="addLinkToCase"]'));
    await panel.close();
  });

  it('"Quick note from selection" lands in the Notes inbox and can be turned into a case', async () => {
    await clickMenu(ext, { menuItemId: 'quickNoteFromSelection', selectionText: 'Ask the courier about parcel 5512', pageUrl: tab.url }, tab);
    const panel = await openPanelFor(ext, article.tabId);
    const note = await panel.waitForSelector('.notes-inbox__note', { timeout: 15_000 });
    await showView(panel, 'inbox');
    expect(await note!.evaluate((el) => el.textContent)).toContain('Ask the courier about parcel 5512');
    await panel.click('.notes-inbox__note button[name="inbox-to-case"]');
    expect(await waitForValue(panel, 'title')).toBe('Ask the courier about parcel 5512');
    expect(await provenanceOf(panel, 'title')).toBe('inbox');
    await typeInto(panel, 'customer.name', 'Márta Szabó');
    const created = await caseIdOfToast(panel, await saveForm(panel));
    await panel.waitForFunction(() => !document.querySelector('.notes-inbox__note'));
    const notes = await readTable<{ body: string; caseId?: string; inboxAt?: number }>(panel, 'notes');
    const filed = notes.find((n) => n.body.startsWith('Ask the courier'));
    expect(filed?.caseId).toBe(created);
    expect(filed?.inboxAt).toBeUndefined();
    await panel.close();
  });

  it('"Attach image to case" fetches the image, checks it, and attaches it to the chosen case', async () => {
    await clickMenu(ext, { menuItemId: 'attachImageToCase', srcUrl: server.url('/pixel.png'), mediaType: 'image', pageUrl: tab.url }, tab);
    const panel = await openPanelFor(ext, article.tabId);
    await pendingCard(panel, 'attachImageToCase');
    expect(await panel.$eval('.pending__item[data-action="attachImageToCase"] img', (img) => img.getAttribute('src')?.slice(0, 22))).toBe('data:image/png;base64,');
    // The agent picks an older case than the one offered.
    const chosen = await caseByTitle(panel, 'Delivery missed twice');
    const picker = '.pending__item[data-action="attachImageToCase"] select[name="pending-case"]';
    await panel.waitForSelector(picker);
    expect(await panel.$eval(picker, (el) => (el as HTMLSelectElement).value)).not.toBe(chosen.id);
    await panel.select(picker, chosen.id);
    await panel.click('.pending__item[data-action="attachImageToCase"] button[name="pending-attach"]');
    await panel.waitForFunction(() => document.querySelector('.toast__message')?.textContent?.startsWith('Attached to'), { polling: 100 });
    expect(await panel.$eval('.toast__message', (el) => el.textContent)).toBe(`Attached to ${chosen.number}`);
    const attachments = await readTable<{ name: string; type: string; source: string; sourceUrl?: string; caseId: string }>(panel, 'attachments');
    expect(attachments.filter((a) => a.name === 'pixel.png')).toEqual([
      expect.objectContaining({ type: 'image/png', source: 'page', sourceUrl: tab.url, caseId: chosen.id }),
    ]);
    await panel.close();
  });

  it('refuses an "image" that is not one, and says so in the panel', async () => {
    await clickMenu(ext, { menuItemId: 'attachImageToCase', srcUrl: server.url('/fake.png'), mediaType: 'image', pageUrl: tab.url }, tab);
    const panel = await openPanelFor(ext, article.tabId);
    const card = await pendingCard(panel, 'attachImageToCase');
    expect(await card!.evaluate((el) => el.getAttribute('data-kind'))).toBe('error');
    expect(await card!.evaluate((el) => el.textContent)).toContain('not an image');
    await panel.click('.pending__item[data-action="attachImageToCase"] button[name="pending-dismiss"]');
    await panel.close();
  });

  it('"Screenshot to case" takes the visible tab and offers it for a case', async () => {
    await clickToolbarButton(ext, article.page);
    await clickMenu(ext, { menuItemId: 'screenshotToCase', pageUrl: tab.url }, tab);
    const panel = await openPanelFor(ext, article.tabId);
    await pendingCard(panel, 'screenshotToCase');
    expect(await panel.$eval('.pending__item[data-action="screenshotToCase"] img', (img) => img.getAttribute('src')?.slice(0, 22))).toBe('data:image/png;base64,');
    // Attach it to the case being written instead, then save it with that case.
    await panel.click('.pending__item[data-action="screenshotToCase"] button[name="pending-to-draft"]');
    // Through the screenshot editor (tests/e2e/screenshot-editor.test.ts), attached as it is.
    await attachInImageRedactor(panel);
    await panel.waitForSelector('.draft-attachments li');
    await typeInto(panel, 'title', 'Courier page as it looked');
    await typeInto(panel, 'customer.email', 'marta.szabo@example.com');
    await panel.evaluate(() => document.querySelector<HTMLButtonElement>('button[name="create-new-case"]')?.click());
    const before = (await readTable(panel, 'attachments')).length;
    const created = await caseIdOfToast(panel, await saveForm(panel));
    await panel.waitForFunction(() => !document.querySelector('.draft-attachments li'));
    const attachments = await readTable<{ source: string; caseId: string }>(panel, 'attachments');
    expect(attachments.length).toBe(before + 1);
    expect(attachments.filter((a) => a.source === 'screenshot').map((a) => a.caseId)).toEqual([created]);
    await panel.close();
  });
});
