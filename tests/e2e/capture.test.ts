import { describe, expect, it } from 'vitest';
import { typeInto, type ExtensionBrowser } from './support/browser';
import { useFixtureBrowser } from './support/fixture-browser';
import type { FixtureServer } from '../fixtures/pages/server';
import {
  clickToolbarButton,
  openFixtureTab,
  openPanelFor,
  provenanceOf,
  readTable,
  saveForm,
  valueOf,
  waitForValue,
} from '../fixtures/pages/harness';

let ext: ExtensionBrowser;
let server: FixtureServer;

useFixtureBrowser((started) => ({ ext, server } = started));

describe('capture from the page into the quick-create form', () => {
  it('fills the form from an open Gmail thread, says where each value came from, and saves the case with its source', async () => {
    const url = server.url('/mail/u/0/');
    const tab = await openFixtureTab(ext, url);
    await clickToolbarButton(ext, tab.page);
    const panel = await openPanelFor(ext, tab.tabId);

    await panel.click('button[name="capture"]');
    expect(await waitForValue(panel, 'title')).toBe('Order 4411 arrived damaged');
    expect(await valueOf(panel, 'customer.name')).toBe('Ana Kovács');
    expect(await valueOf(panel, 'customer.email')).toBe('ana.kovacs@example.com');
    expect(await valueOf(panel, 'customer.phone')).toBe('+36205550142');
    expect(await valueOf(panel, 'origin')).toBe('email');
    expect(await valueOf(panel, 'description')).toMatch(/^Hello,\n\nmy order 4411 arrived today/);
    // Each filled field says where its value came from; the agent is never the customer.
    expect(await provenanceOf(panel, 'title')).toBe('gmail');
    expect(await provenanceOf(panel, 'customer.email')).toBe('gmail');
    expect(await provenanceOf(panel, 'customer.phone')).toBe('tel');
    expect(await panel.$eval('[data-provenance-for="title"]', (el) => el.textContent)).toBe('from the Gmail message');

    const toast = await saveForm(panel);
    expect(toast).toMatch(/CAS-\d{6}-[0-9A-Z]{10}/);
    const cases = await readTable<{ title: string; source?: { kind: string; url?: string; pageTitle?: string; capturedAt?: number } }>(panel, 'cases');
    const saved = cases.find((c) => c.title === 'Order 4411 arrived damaged');
    expect(saved?.source).toMatchObject({ kind: 'page', url, pageTitle: expect.stringContaining('Order 4411') });
    expect(saved?.source?.capturedAt).toBeGreaterThan(0);
    const customers = await readTable<{ emails: string[]; phones: string[] }>(panel, 'customers');
    expect(customers.filter((c) => c.emails.includes('ana.kovacs@example.com'))).toHaveLength(1);
    await panel.close();
    await tab.page.close();
  });

  it('never overwrites what the agent typed, and links the customer already stored instead of creating a twin', async () => {
    const tab = await openFixtureTab(ext, server.url('/mail/u/0/'));
    await clickToolbarButton(ext, tab.page);
    const panel = await openPanelFor(ext, tab.tabId);
    await typeInto(panel, 'title', 'Kettle glass broken');
    await panel.click('button[name="capture"]');
    await waitForValue(panel, 'customer.email', 'ana.kovacs@example.com');
    expect(await valueOf(panel, 'title')).toBe('Kettle glass broken');
    expect(await provenanceOf(panel, 'title')).toBeNull();
    // Ana was stored by the first test: the form links her.
    await panel.waitForSelector('.customer__linked');

    const customersBefore = (await readTable(panel, 'customers')).length;
    await saveForm(panel);
    expect((await readTable(panel, 'customers')).length).toBe(customersBefore);
    await panel.close();
    await tab.page.close();
  });

  it('reads a structured-data page by its JSON-LD and names the source', async () => {
    const tab = await openFixtureTab(ext, server.url('/capture/jsonld'));
    await clickToolbarButton(ext, tab.page);
    const panel = await openPanelFor(ext, tab.tabId);
    await panel.click('button[name="capture"]');
    await waitForValue(panel, 'customer.email');
    expect(await provenanceOf(panel, 'customer.email')).toBe('jsonld');
    expect(await valueOf(panel, 'origin')).toBe('web');
    await panel.close();
    await tab.page.close();
  });

  it('shows markup in a hostile name as text and never runs it', async () => {
    const tab = await openFixtureTab(ext, server.url('/capture/hostile-markup'));
    await clickToolbarButton(ext, tab.page);
    const panel = await openPanelFor(ext, tab.tabId);
    await panel.click('button[name="capture"]');
    const name = await waitForValue(panel, 'customer.name');
    expect(name).toContain('<');
    expect(await panel.evaluate(() => document.querySelectorAll('form img, form script, form iframe').length)).toBe(0);
    expect(await panel.evaluate(() => (window as unknown as { pwned?: boolean }).pwned)).toBeUndefined();
    await panel.close();
    await tab.page.close();
  });

  it('says what to do when the toolbar button was not clicked on that tab, and offers "Always allow on this site"', async () => {
    const tab = await openFixtureTab(ext, server.url('/pages/article.html'));
    const panel = await openPanelFor(ext, tab.tabId);
    await panel.click('button[name="capture"]');
    const message = await panel.waitForSelector('.capture__error[data-error="capture.error.noPermission"]');
    expect(await message!.evaluate((el) => el.textContent)).toMatch(/toolbar/);
    expect(await panel.$('button[name="always-allow"]')).not.toBeNull();
    // Nothing was filled.
    expect(await valueOf(panel, 'title')).toBe('');
    await panel.close();
    await tab.page.close();
  });
});
