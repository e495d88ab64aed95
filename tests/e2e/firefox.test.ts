/**
 * The Firefox build (MV2: sidebar_action, background page) in real Firefox:
 * the panel's page creates a case, keeps a draft, and a case reaches a REST
 * backend configured in the options page.
 *
 * One browser and one reference backend for the file; the tests run in order
 * (the sync test counts the cases the backend receives after it is set up).
 * The panel page is opened as a tab: Firefox's sidebar loads the same
 * sidepanel.html, and WebDriver BiDi cannot drive the sidebar itself.
 *
 * The permission request after saving the backend is never answered here
 * (Firefox refuses permissions.request outside a user gesture, and the save
 * handler has awaited by then): every request goes through CORS, as it does
 * for an agent who declined the prompt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startReferenceBackend, type ReferenceBackend } from '../support/reference-backend';
import { startZendeskSimulator, type ZendeskSimulator } from '../support/zendesk-simulator';
import { countRows, errorFor, readTable, setValue, storedCase, typeInto, until, waitForError } from './support/browser';
import { launchFirefoxWithExtension, type FirefoxExtensionBrowser } from './support/firefox';
import { waitForSyncSaved } from './support/sync-settings';

const TOKEN = 'tok_firefox_e2e_Secret_77';

const ZENDESK_EMAIL = 'ada.agent@acme.example';
const ZENDESK_TOKEN = 'zd_firefox_Token_0123456789';

let ext: FirefoxExtensionBrowser;
let backend: ReferenceBackend;
let zendesk: ZendeskSimulator;

beforeAll(async () => {
  backend = await startReferenceBackend({ auth: { type: 'bearer', token: TOKEN } });
  zendesk = await startZendeskSimulator({ email: ZENDESK_EMAIL, token: ZENDESK_TOKEN, oauth: { clientId: 'sidecase_firefox' } });
  ext = await launchFirefoxWithExtension();
});
afterAll(async () => {
  await ext?.close();
  await backend?.close();
  await zendesk?.close();
});

/** The extension's storage.local as JSON text, read through one of its pages. */
const storageLocalText = (page: Page) =>
  page.evaluate(async () => {
    const { storage } = (globalThis as unknown as { browser: typeof import('wxt/browser').browser }).browser;
    return JSON.stringify(await storage.local.get());
  });

const valueOf = (page: Page, name: string) => page.$eval(`[name="${name}"]`, (el) => (el as HTMLInputElement).value);

/** Presses Save and returns the case number the (new) toast announces. */
async function saveAndReadNumber(page: Page): Promise<string> {
  const before = await page.$eval('body', () => document.querySelector('.toast__message')?.textContent ?? '');
  await page.click('form[name="quick-create"] button[name="save"]');
  const text = await until(
    () =>
      page.$eval(
        'body',
        (_, old) => {
          const now = document.querySelector('.toast__message')?.textContent ?? '';
          return now && now !== old ? now : undefined;
        },
        before,
      ),
    'the case-created toast',
    15_000,
  );
  const number = /CAS-\d{6}-[0-9A-Z]{10}/.exec(text)?.[0];
  expect(number, `toast says ${text}`).toBeTruthy();
  return number!;
}

describe('Sidecase in Firefox', () => {
  it('creates a case from the panel\'s quick-create form, lists it on top and stores it in IndexedDB', async () => {
    const page = await ext.openPage('sidepanel.html');
    const customersBefore = await countRows(page, 'customers');
    await typeInto(page, 'title', 'Firefox: parcel arrived damaged');
    await typeInto(page, 'customer.name', 'Mira Contoh');
    await typeInto(page, 'customer.email', 'mira.contoh@example.id');
    await page.select('[name="priority"]', 'high');
    await typeInto(page, 'tags', 'damage');
    await page.keyboard.press('Enter');
    await typeInto(page, 'description', 'Box crushed, glass broken.');

    const number = await saveAndReadNumber(page);
    // The form is empty again, ready for the next case (the panel stays on New).
    expect(await valueOf(page, 'title')).toBe('');
    // The Cases view lists it first.
    await page.click('button[name="view-cases"]');
    await page.waitForFunction(
      (n) => document.querySelector('.case-list [data-case-number]')?.getAttribute('data-case-number') === n,
      { timeout: 10_000 },
      number,
    );

    const stored = await storedCase(page, number);
    expect(stored).toMatchObject({ number, title: 'Firefox: parcel arrived damaged', priority: 'high', tags: ['damage'] });
    expect(await countRows(page, 'customers')).toBe(customersBefore + 1);
    const customer = (await readTable<{ id: string; name: string; emails: string[] }>(page, 'customers')).find((c) => c.id === stored.customerId);
    expect(customer).toMatchObject({ name: 'Mira Contoh', emails: ['mira.contoh@example.id'] });
    // Written with its outbox entry, waiting for a backend (none is set up yet).
    expect((await readTable<{ entityId: string; type: string }>(page, 'outbox')).filter((e) => e.entityId === stored.id).map((e) => e.type)).toEqual([
      'case.created',
    ]);
    await page.close();
  });

  it('searches through the background page and finds the case by a title word and its customer', async () => {
    const page = await ext.openPage('sidepanel.html');
    await typeInto(page, 'search', 'parcel contoh');
    const rows = await until(
      () => page.$$eval('.search-results[data-query="parcel contoh"] [data-case-number]', (found) => (found.length ? found.map((r) => r.textContent ?? '') : undefined)),
      'the search results',
      15_000,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Firefox: parcel arrived damaged');
    expect(rows[0]).toContain('Mira Contoh');
    // Answered by the background page over the port, not by the panel's own fallback.
    expect(await page.evaluate(() => performance.getEntriesByName('sidecase:search-local').length)).toBe(0);
    await page.close();
  });

  it('shows an invalid field\'s message next to it and saves nothing', async () => {
    const page = await ext.openPage('sidepanel.html');
    const casesBefore = await countRows(page, 'cases');
    await typeInto(page, 'customer.email', 'not-an-email');
    await page.click('form[name="quick-create"] button[name="save"]');
    await waitForError(page, 'title', 'Enter a title.');
    expect(await errorFor(page, 'customer.email')).toBe('Enter an email address like name@example.com.');
    // The message belongs to its own field: the valid ones say nothing.
    expect(await errorFor(page, 'customer.name')).toBeNull();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('title');
    expect(await page.$('.toast__message')).toBeNull();
    expect(await countRows(page, 'cases')).toBe(casesBefore);
    await page.click('form[name="quick-create"] button[name="clear"]');
    await page.waitForFunction(() => (document.querySelector('[name="customer.email"]') as HTMLInputElement).value === '');
    await page.close();
  });

  it('restores a typed draft after the panel page is closed and opened again', async () => {
    let page = await ext.openPage('sidepanel.html');
    await typeInto(page, 'title', 'Draft typed in Firefox');
    await typeInto(page, 'customer.email', 'draft.firefox@example.org');
    await typeInto(page, 'description', 'Half a sent');
    // The draft is written to storage.local as the agent types; wait for it, not for a timer.
    await until(
      async () => (await storageLocalText(page)).includes('Half a sent'),
      'the draft in storage.local',
      5_000,
    );
    await page.close();

    page = await ext.openPage('sidepanel.html');
    expect(await valueOf(page, 'title')).toBe('Draft typed in Firefox');
    expect(await valueOf(page, 'customer.email')).toBe('draft.firefox@example.org');
    expect(await valueOf(page, 'description')).toBe('Half a sent');
    await page.click('form[name="quick-create"] button[name="clear"]');
    await page.waitForFunction(() => (document.querySelector('[name="title"]') as HTMLInputElement).value === '');
    await until(async () => !(await storageLocalText(page)).includes('Draft typed in Firefox'), 'the draft gone from storage.local', 5_000);
    await page.close();

    // Cleared for good: nothing comes back on the next open.
    page = await ext.openPage('sidepanel.html');
    expect(await valueOf(page, 'title')).toBe('');
    await page.close();
  });

  it('saves a REST backend in the options page without waiting for the permission, and delivers a new case exactly once', async () => {
    const options = await ext.openPage('options.html');
    // What waited in the outbox while no backend was set (the first test's case, at least).
    const waiting = (await readTable<{ entity: string; entityId: string }>(options, 'outbox')).filter((e) => e.entity === 'case').map((e) => e.entityId);
    await options.waitForSelector('form[name="sync"][data-loaded="true"]');
    await options.select('[name="backend.kind"]', 'rest');
    await setValue(options, 'backend.url', backend.url);
    await setValue(options, 'backend.token', TOKEN);
    await options.click('button[name="save-sync"]');
    await waitForSyncSaved(options, 15_000);
    // No permission was granted: the page offers to ask again, from a click of its own.
    expect(await options.$('button[name="grant-permission"]')).not.toBeNull();
    // Stored for real: the background page reads them from IndexedDB.
    expect((await readTable<{ key: string }>(options, 'meta')).some((row) => row.key === 'backend')).toBe(true);
    expect(await options.$eval('body', (el) => el.textContent)).not.toContain(TOKEN);
    await options.close();

    // Saving the settings sends what waited.
    expect(waiting.length).toBeGreaterThan(0);
    await until(() => waiting.every((id) => backend.applied.some((change) => change.id === id)), 'the waiting cases at the backend', 15_000);

    const panel = await ext.openPage('sidepanel.html');
    await typeInto(panel, 'title', 'Firefox: synced case');
    await typeInto(panel, 'customer.email', 'synced.firefox@example.org');
    const number = await saveAndReadNumber(panel);
    const { id } = await storedCase(panel, number) as { id: string };

    await until(() => backend.applied.some((change) => change.id === id), 'the new case at the backend', 15_000);
    await until(async () => (await countRows(panel, 'outbox')) === 0, 'an empty outbox', 15_000);
    await panel.waitForFunction(() => document.querySelector('.sync-status')?.getAttribute('data-pending') === '0', { timeout: 10_000 });
    // A moment for a duplicate to arrive, had there been one.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const caseId of [...waiting, id]) {
      expect(backend.applied.filter((change) => change.id === caseId).map((change) => change.type)).toEqual(['case.created']);
    }
    expect(backend.record('case', id)?.data).toMatchObject({ id, number, title: 'Firefox: synced case' });
    // Every key the backend applied, it applied once.
    const keys = backend.applied.map((change) => change.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(await panel.$eval('.app__header', (el) => el.textContent ?? '')).toContain('All synced');
    // Without the host permission Firefox went through CORS (a preflight for the JSON PUT).
    expect(backend.preflights()).toBeGreaterThan(0);
    await panel.close();
  });

  it('asks for the backend\'s host permission from the Save click itself', async () => {
    const options = await ext.openPage('options.html');
    await options.waitForSelector('form[name="sync"][data-loaded="true"]');
    await options.evaluate(() => {
      const w = globalThis as unknown as { browser: typeof import('wxt/browser').browser; permissionAnswers: string[] };
      w.permissionAnswers = [];
      const permissions = w.browser.permissions;
      const request = permissions.request.bind(permissions);
      permissions.request = (wanted) => {
        const answer = request(wanted);
        answer.then(
          (granted) => w.permissionAnswers.push(`granted=${granted}`),
          (error: Error) => w.permissionAnswers.push(`refused: ${error.message}`),
        );
        w.permissionAnswers.push('asked');
        return answer;
      };
    });
    await options.click('button[name="save-sync"]');
    await waitForSyncSaved(options, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Firefox shows its prompt (never answered headless) rather than refusing a request made after the click's handler awaited.
    expect(await options.evaluate(() => (globalThis as unknown as { permissionAnswers: string[] }).permissionAnswers)).toEqual(['asked']);
    await options.close();
  });

  it('delivers a new case to Zendesk with an API token: one ticket with its requester', async () => {
    const options = await ext.openPage('options.html');
    await options.waitForSelector('form[name="sync"][data-loaded="true"]');
    await options.select('[name="backend.kind"]', 'zendesk');
    await setValue(options, 'zendesk.url', zendesk.url);
    await setValue(options, 'zendesk.email', ZENDESK_EMAIL);
    await setValue(options, 'zendesk.token', ZENDESK_TOKEN);
    await options.click('button[name="save-sync"]');
    await waitForSyncSaved(options, 15_000);
    await options.close();

    const panel = await ext.openPage('sidepanel.html');
    await typeInto(panel, 'title', 'Firefox: Zendesk ticket');
    await typeInto(panel, 'customer.name', 'Radu Exemplu');
    await typeInto(panel, 'customer.email', 'radu.exemplu@example.ro');
    const number = await saveAndReadNumber(panel);
    const { id } = (await storedCase(panel, number)) as { id: string };
    await until(() => zendesk.ticketByExternalId(id).length > 0, 'the ticket in Zendesk', 20_000);
    await until(async () => (await countRows(panel, 'outbox')) === 0, 'an empty outbox', 20_000);
    // A moment for a second ticket to arrive, had there been one.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const tickets = zendesk.ticketByExternalId(id);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ subject: 'Firefox: Zendesk ticket' });
    expect(zendesk.users.get(tickets[0]!.requester_id)).toMatchObject({ name: 'Radu Exemplu', email: 'radu.exemplu@example.ro' });
    await panel.close();
  });

  it('signs in with Zendesk (OAuth, PKCE) through Firefox\'s launchWebAuthFlow, then sends a case with the bearer token', async () => {
    const options = await ext.openPage('options.html');
    await options.waitForSelector('form[name="sync"][data-loaded="true"]');
    await options.select('[name="zendesk.auth"]', 'oauth');
    await setValue(options, 'zendesk.clientId', 'sidecase_firefox');
    await options.click('button[name="save-sync"]');
    await waitForSyncSaved(options, 15_000);
    await options.click('button[name="zendesk.signIn"]');
    await options.waitForSelector('output[name="zendesk.status"][data-state="signedIn"]', { timeout: 30_000 });
    expect(zendesk.oauthLog().signIns).toBe(1);
    await options.close();

    const basicBefore = zendesk.oauthLog().basicRequests;
    const panel = await ext.openPage('sidepanel.html');
    await typeInto(panel, 'title', 'Firefox: signed-in ticket');
    await typeInto(panel, 'customer.email', 'signed.in@example.ro');
    const number = await saveAndReadNumber(panel);
    const { id } = (await storedCase(panel, number)) as { id: string };
    await until(() => zendesk.ticketByExternalId(id).length > 0, 'the ticket in Zendesk', 20_000);
    await until(async () => (await countRows(panel, 'outbox')) === 0, 'an empty outbox', 20_000);
    expect(zendesk.ticketByExternalId(id)).toHaveLength(1);
    expect(zendesk.oauthLog().bearerRequests).toBeGreaterThan(0);
    expect(zendesk.oauthLog().basicRequests).toBe(basicBefore);
    await panel.close();
  });
});
