/**
 * Sync in real Chromium: the options page configures the reference backend
 * (tests/support/reference-backend.ts, on 127.0.0.1 in this process), the
 * panel creates cases, the background delivers them.
 *
 * No host permission is ever granted here (headless Chromium never answers
 * permissions.request): every request goes through CORS, as it does for an
 * agent who declined the prompt.
 *
 * The tests of the first describe share one browser and one backend and run
 * in order: the first one configures the backend through the options page.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startReferenceBackend, type Fault, type ReferenceBackend, type RequestInfo } from '../support/reference-backend';
import { countRows, errorFor, launchWithExtension, readTable, setValue, typeInto, until, type ExtensionBrowser } from './support/browser';
import { goBack, showView } from './support/case-work';
import { editTitleLocally } from './support/local-edit';
import { waitForSyncSaved } from './support/sync-settings';

const TOKEN = 'tok_e2e_Secret_4242';

async function configureRest(page: Page, url: string, token = TOKEN): Promise<void> {
  await page.waitForSelector('form[name="sync"][data-loaded="true"]');
  await page.select('[name="backend.kind"]', 'rest');
  await setValue(page, 'backend.url', url);
  await setValue(page, 'backend.token', token);
  await page.click('button[name="save-sync"]');
  await waitForSyncSaved(page, 15_000);
}

async function createCase(page: Page, title: string): Promise<{ id: string; number: string }> {
  if (!(await page.$('form[name="quick-create"]'))) await showView(page, 'new');
  await typeInto(page, 'title', title);
  await typeInto(page, 'customer.email', `${title.replace(/\W+/g, '.').toLowerCase()}@example.org`);
  const before = await page.$eval('body', () => document.querySelector('.toast__message')?.textContent ?? '');
  await page.click('form[name="quick-create"] button[name="save"]');
  const text = await until(
    () => page.$eval('body', (_, old) => {
      const now = document.querySelector('.toast__message')?.textContent ?? '';
      return now && now !== old ? now : undefined;
    }, before),
    'the case-created toast',
  );
  const number = /CAS-\d{6}-[0-9A-Z]{10}/.exec(text)?.[0];
  expect(number, `toast says ${text}`).toBeTruthy();
  const created = (await readTable<{ id: string; number: string }>(page, 'cases')).find((c) => c.number === number);
  return { id: created!.id, number: number! };
}

const appliedFor = (backend: ReferenceBackend, id: string) => backend.applied.filter((change) => change.id === id);
const pendingShown = (page: Page) => page.$eval('.sync-status', (el) => Number(el.getAttribute('data-pending')));
const headerText = (page: Page) => page.$eval('.app__header', (el) => el.textContent ?? '');

async function waitAllSynced(page: Page): Promise<void> {
  try {
    await until(async () => (await countRows(page, 'outbox')) === 0, 'an empty outbox');
  } catch (error) {
    // What is left and why, for the failure message.
    const left = (await readTable<Record<string, unknown>>(page, 'outbox')).map(({ data: _data, ...entry }) => entry);
    const meta = await readTable(page, 'meta');
    throw new Error(`${(error as Error).message}: ${JSON.stringify({ left, now: Date.now(), meta: meta.filter((row) => (row as { key: string }).key !== 'backend') })}`);
  }
  await page.waitForFunction(() => document.querySelector('.sync-status')?.getAttribute('data-pending') === '0', { timeout: 10_000 });
}

/** The fault for the first request that matches, then none. */
function onceFor(match: (request: RequestInfo) => boolean, fault: Fault): (request: RequestInfo) => Fault | undefined {
  let used = false;
  return (request) => {
    if (used || !match(request)) return undefined;
    used = true;
    return fault;
  };
}
const isCasePut = (request: RequestInfo) => request.method === 'PUT' && request.path.startsWith('/cases/');

describe('sync with a REST backend, configured in the options page', () => {
  let ext: ExtensionBrowser;
  let backend: ReferenceBackend;
  let panel: Page;

  beforeAll(async () => {
    backend = await startReferenceBackend({ auth: { type: 'bearer', token: TOKEN } });
    ext = await launchWithExtension();
  });
  afterAll(async () => {
    await ext?.close();
    await backend?.close();
  });

  it('shows each wrong setting next to its field, tests the connection and saves without waiting for the permission', async () => {
    const options = await ext.openPage('options.html');
    // The agent's own settings are still on the page, by their names.
    expect(await options.$('[name="agentName"]')).not.toBeNull();
    expect(await options.$('[name="ownAddresses"]')).not.toBeNull();
    await options.waitForSelector('form[name="sync"][data-loaded="true"]');
    expect(await options.$eval('[name="backend.kind"]', (el) => (el as HTMLSelectElement).value)).toBe('none');

    await options.select('[name="backend.kind"]', 'rest');
    await typeInto(options, 'backend.url', 'ftp://crm.example');
    await options.click('button[name="save-sync"]');
    await options.waitForSelector('.field__error');
    expect(await errorFor(options, 'backend.url')).toBe('The URL must start with https:// or http://.');
    expect(await errorFor(options, 'backend.token')).toBe('Enter the token.');
    expect((await readTable<{ key: string }>(options, 'meta')).find((row) => row.key === 'backend')).toBeUndefined();

    // A wrong token: the test says what to do, and never shows the token.
    await setValue(options, 'backend.url', backend.url);
    await setValue(options, 'backend.token', 'tok_wrong_but_secret');
    await options.click('button[name="test-connection"]');
    await options.waitForFunction(() => (document.querySelector('output[name="test-result"]')?.textContent ?? '') !== '');
    expect(await options.$eval('output[name="test-result"]', (el) => el.textContent)).toBe('Sync was refused: check the token in the options.');
    expect(await options.$eval('body', (el) => el.textContent)).not.toContain('tok_wrong_but_secret');

    await setValue(options, 'backend.token', TOKEN);
    await options.click('button[name="test-connection"]');
    await options.waitForFunction(() => document.querySelector('output[name="test-result"]')?.textContent === 'Connected: the backend answered.');

    // Save resolves although the permission prompt never does here.
    await configureRest(options, backend.url);
    expect(await options.$('button[name="grant-permission"]')).not.toBeNull();

    await options.reload();
    await options.waitForSelector('form[name="sync"][data-loaded="true"]');
    expect(await options.$eval('[name="backend.kind"]', (el) => (el as HTMLSelectElement).value)).toBe('rest');
    expect(await options.$eval('[name="backend.url"]', (el) => (el as HTMLInputElement).value)).toBe(backend.url);
    expect(await options.$eval('body', (el) => el.textContent)).not.toContain(TOKEN);
    await options.close();
  });

  it('delivers each case created in the panel exactly once, right after it is saved', async () => {
    panel = await ext.openPage('sidepanel.html');
    const created: Array<{ id: string; number: string }> = [];
    for (const title of ['Router reboots every hour', 'Parcel 7731 lost', 'Invoice without VAT number']) {
      created.push(await createCase(panel, title));
    }
    // Pushed by the nudge after each write: the minute alarm would be far too slow for this wait.
    await until(() => created.every((c) => appliedFor(backend, c.id).length === 1), 'the three cases at the backend', 15_000);
    await waitAllSynced(panel);
    for (const c of created) {
      const applied = appliedFor(backend, c.id);
      expect(applied.map((change) => change.type)).toEqual(['case.created']);
      expect(backend.record('case', c.id)?.data).toMatchObject({ id: c.id, number: c.number });
    }
    expect(await headerText(panel)).toContain('All synced');
    expect(await headerText(panel)).toContain('Last sync:');

    await showView(panel, 'cases');
    await panel.waitForSelector(`[data-case-number="${created[0]!.number}"] button`);
    await panel.click(`[data-case-number="${created[0]!.number}"] button`);
    await panel.waitForSelector('.case-detail [data-sync-status="synced"]');
    expect(await panel.$eval('.case-detail .sync-badge', (el) => el.textContent)).toBe('Synced');
    await goBack(panel);
  });

  it('shows "Changed elsewhere" and loads their version when the agent chooses it', async () => {
    const c = await createCase(panel, 'Headset crackles');
    await until(() => appliedFor(backend, c.id).length === 1, 'the case at the backend');
    await waitAllSynced(panel);

    const theirs = backend.externalUpdate('case', c.id, { ...backend.record('case', c.id)!.data, title: 'Headset crackles (desk: replaced)' });
    await editTitleLocally(panel, c.id, 'Headset crackles on calls');
    await panel.click('button[name="sync-now"]');

    await showView(panel, 'cases');
    await panel.waitForSelector(`[data-case-number="${c.number}"] button`);
    await panel.click(`[data-case-number="${c.number}"] button`);
    await panel.waitForSelector('.conflict-banner');
    expect(await panel.$eval('.conflict-banner', (el) => el.textContent)).toContain('Changed elsewhere');
    expect(await panel.$eval('.case-detail [data-sync-status]', (el) => el.getAttribute('data-sync-status'))).toBe('conflict');
    expect(await panel.$eval('#case-title', (el) => el.textContent)).toBe('Headset crackles on calls');
    // Nothing was overwritten at the backend either.
    expect(backend.record('case', c.id)?.version).toBe(theirs.version);

    await panel.waitForSelector('button[name="load-theirs"]:not([disabled])');
    await panel.click('button[name="load-theirs"]');
    await panel.waitForFunction(() => document.querySelector('#case-title')?.textContent === 'Headset crackles (desk: replaced)');
    await panel.waitForFunction(() => !document.querySelector('.conflict-banner'));
    expect(await panel.$eval('.case-detail [data-sync-status]', (el) => el.getAttribute('data-sync-status'))).toBe('synced');
    // Our edit was dropped, not sent.
    expect(appliedFor(backend, c.id)).toHaveLength(1);
    expect((await readTable<{ entityId: string }>(panel, 'outbox')).filter((entry) => entry.entityId === c.id)).toEqual([]);
    await goBack(panel);
  });

  it('sends the agent\'s version over theirs on "Keep mine"', async () => {
    const c = await createCase(panel, 'Password reset mail missing');
    await until(() => appliedFor(backend, c.id).length === 1, 'the case at the backend');
    await waitAllSynced(panel);

    backend.externalUpdate('case', c.id, { ...backend.record('case', c.id)!.data, title: 'Password reset (desk)' });
    await editTitleLocally(panel, c.id, 'Password reset mail lands in spam');
    await panel.click('button[name="sync-now"]');
    await showView(panel, 'cases');
    await panel.waitForSelector(`[data-case-number="${c.number}"] button`);
    await panel.click(`[data-case-number="${c.number}"] button`);
    await panel.waitForSelector('button[name="keep-mine"]');
    await panel.click('button[name="keep-mine"]');

    await until(() => backend.record('case', c.id)?.data.title === 'Password reset mail lands in spam', 'our version at the backend');
    await panel.waitForFunction(() => !document.querySelector('.conflict-banner'));
    await panel.waitForSelector('.case-detail [data-sync-status="synced"]');
    expect(backend.record('case', c.id)?.version).toBe(3);
    expect(await panel.$eval('#case-title', (el) => el.textContent)).toBe('Password reset mail lands in spam');
    await goBack(panel);
  });

  it('survives an HTML error page: says it will retry, keeps the change, delivers it once afterwards', async () => {
    backend.setFaults((request) => (isCasePut(request) ? { kind: 'html', status: 502 } : undefined));
    const c = await createCase(panel, 'Proxy in the way');
    await panel.waitForSelector('.sync-status__problem[data-error-key="sync.error.server"]', { timeout: 15_000 });
    expect(await panel.$eval('.sync-status__problem', (el) => el.textContent)).toBe('The backend had a problem: will retry.');
    expect(await pendingShown(panel)).toBeGreaterThan(0);
    expect(appliedFor(backend, c.id)).toHaveLength(0);

    // The panel still works meanwhile.
    const other = await createCase(panel, 'Still working offline');
    expect(other.number).toMatch(/^CAS-/);

    backend.setFaults(undefined);
    await panel.click('button[name="sync-now"]');
    await until(() => appliedFor(backend, c.id).length === 1 && appliedFor(backend, other.id).length === 1, 'both cases at the backend');
    await waitAllSynced(panel);
    expect(await panel.$('.sync-status__problem')).toBeNull();
  });

  it('cuts a 256 MB answer short and still confirms the change once', async () => {
    // Generated as the client reads it: only a client that stops reading and hangs up ends it
    // early. 256 MB is far more than the kernel and Chromium buffer between them (tens of MB),
    // and a client reading it all would keep it past the request's timeout.
    const bytes = 256 * 1024 * 1024;
    backend.setFaults(onceFor(isCasePut, { kind: 'huge', bytes }));
    const c = await createCase(panel, 'Huge answer');
    await until(() => appliedFor(backend, c.id).length === 1, 'the case at the backend');
    await waitAllSynced(panel);
    const huge = await until(() => backend.hugeAnswers().find((answer) => answer.path === `/cases/${c.id}` && answer.ending !== 'streaming'), 'the huge answer to end');
    // Read up to the 1 MB cap, then the client closed the connection before the end.
    expect(huge.ending).toBe('closedEarly');
    expect(huge.written).toBeLessThan(bytes);
    // One request, one confirmation: no retry of a change the backend applied.
    expect(backend.requestLog().filter((request) => request.path === `/cases/${c.id}`)).toHaveLength(1);
    expect(appliedFor(backend, c.id)).toHaveLength(1);
    const outboxId = appliedFor(backend, c.id)[0]!.key!.split(':').at(-1);
    const confirmations = await until(async () => {
      const rows = (await readTable<{ outboxId: string; ok: boolean }>(panel, 'deliveries')).filter((row) => row.outboxId === outboxId);
      return rows.length ? rows : undefined;
    }, 'the delivery log row');
    expect(confirmations).toMatchObject([{ ok: true }]);
    backend.setFaults(undefined);
  });

  it('confirms an answer without ETag and keeps delivering the record\'s next changes', async () => {
    backend.setFaults(onceFor(isCasePut, { kind: 'noEtag' }));
    const c = await createCase(panel, 'No ETag here');
    await until(() => appliedFor(backend, c.id).length === 1, 'the case at the backend');
    await waitAllSynced(panel);
    // (The changes feed may hand the ETag over later; until then the next change goes without If-Match.)
    await editTitleLocally(panel, c.id, 'No ETag here, edited');
    await panel.click('button[name="sync-now"]');
    await until(() => appliedFor(backend, c.id).length === 2, 'the edit at the backend');
    expect(backend.record('case', c.id)?.data.title).toBe('No ETag here, edited');
    await waitAllSynced(panel);
    expect(await panel.$('.sync-status__problem')).toBeNull();
    backend.setFaults(undefined);
  });

  it('refuses a cross-origin redirect, says to check the URL and loses nothing', async () => {
    let elsewhere = 0;
    const other = http.createServer((req, res) => {
      elsewhere += 1;
      res.writeHead(200, { 'Access-Control-Allow-Origin': '*' }).end('{}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const otherUrl = `http://localhost:${(other.address() as AddressInfo).port}`;
    try {
      backend.setFaults((request) => (isCasePut(request) ? { kind: 'redirect', location: `${otherUrl}${request.path}`, status: 307 } : undefined));
      const c = await createCase(panel, 'Moved backend');
      await panel.waitForSelector('.sync-status__problem[data-error-key="sync.error.redirect"]', { timeout: 15_000 });
      expect(await panel.$eval('.sync-status__problem', (el) => el.textContent)).toBe(
        'The backend answered with a redirect: check the URL in the options.',
      );
      expect(elsewhere).toBe(0);
      expect((await readTable<{ entityId: string }>(panel, 'outbox')).some((entry) => entry.entityId === c.id)).toBe(true);

      backend.setFaults(undefined);
      await panel.click('button[name="sync-now"]');
      await until(() => appliedFor(backend, c.id).length === 1, 'the case at the backend');
      await waitAllSynced(panel);
      expect(elsewhere).toBe(0);
    } finally {
      other.closeAllConnections();
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('lists refused deliveries in the options with a Retry that sends them again', async () => {
    backend.setFaults((request) => (isCasePut(request) ? { kind: 'status', status: 422 } : undefined));
    const c = await createCase(panel, 'Refused at first');
    await until(async () => (await readTable<{ entityId: string; lastError?: string }>(panel, 'outbox')).some((e) => e.entityId === c.id && e.lastError), 'the refusal');

    const options = await ext.openPage('options.html');
    const retry = await options.waitForSelector('.delivery-log button[name="retry"]');
    const row = await retry!.evaluate((el) => el.closest('tr')!.textContent ?? '');
    expect(row).toContain('case.created');
    expect(row).toContain('422 · The backend refused this change. Correct it or press Retry.');
    expect(await options.$eval('.delivery-log', (el) => el.textContent)).toContain('Delivered');
    expect(await options.$eval('body', (el) => el.textContent)).not.toContain(TOKEN);

    backend.setFaults(undefined);
    await retry!.click();
    await until(() => appliedFor(backend, c.id).length === 1, 'the retried case at the backend');
    await options.waitForFunction(() => !document.querySelector('.delivery-log button[name="retry"]'));
    await options.close();
    await waitAllSynced(panel);
  });

  it('keeps every credential out of the database rows the UI shows', async () => {
    const deliveries = JSON.stringify(await readTable(panel, 'deliveries'));
    const outbox = JSON.stringify(await readTable(panel, 'outbox'));
    const records = JSON.stringify(await readTable(panel, 'syncRecords'));
    for (const text of [deliveries, outbox, records]) expect(text).not.toContain(TOKEN);
    expect(deliveries).toContain('case.created');
  });
});

describe('a webhook backend', () => {
  it('receives each case as a signed event the reference receiver verifies', async () => {
    const secret = 'whsec_e2e_0123456789abcdef';
    const backend = await startReferenceBackend({ webhookSecret: secret });
    const ext = await launchWithExtension();
    try {
      const options = await ext.openPage('options.html');
      await options.waitForSelector('form[name="sync"][data-loaded="true"]');
      await options.select('[name="backend.kind"]', 'webhook');
      await typeInto(options, 'webhook.url', `${backend.url}/hooks`);
      await typeInto(options, 'webhook.secret', 'short');
      await options.click('button[name="save-sync"]');
      await options.waitForSelector('.field__error');
      expect(await errorFor(options, 'webhook.secret')).toBe('The secret must be at least 16 characters long.');
      await setValue(options, 'webhook.secret', secret);
      await options.click('button[name="test-connection"]');
      await options.waitForFunction(() => document.querySelector('output[name="test-result"]')?.textContent === 'Connected: the backend answered.');
      await options.click('button[name="save-sync"]');
      await waitForSyncSaved(options);
      await options.close();

      const panel = await ext.openPage('sidepanel.html');
      const c = await createCase(panel, 'Webhook case');
      await until(() => backend.applied.some((change) => change.via === 'webhook' && change.type === 'case.created' && change.id === c.id), 'the event');
      await waitAllSynced(panel);
      expect(backend.applied.filter((change) => change.id === c.id && change.type === 'case.created')).toHaveLength(1);
      // The customer the case created went too.
      expect(backend.applied.some((change) => change.type === 'customer.created')).toBe(true);
    } finally {
      await ext.close();
      await backend.close();
    }
  });
});

describe('a service worker killed mid-sync, then a browser restart', () => {
  it('loses nothing and applies nothing twice', { timeout: 150_000 }, async () => {
    const backend = await startReferenceBackend({ auth: { type: 'bearer', token: TOKEN } });
    let ext = await launchWithExtension();
    const profile = ext.userDataDir;
    try {
      const options = await ext.openPage('options.html');
      await configureRest(options, backend.url);
      await options.close();

      // 1. A request that never comes back, then the worker is stopped while it waits.
      const seen: RequestInfo[] = [];
      backend.setFaults((request) => {
        seen.push(request);
        return isCasePut(request) ? { kind: 'hang' } : undefined;
      });
      let panel = await ext.openPage('sidepanel.html');
      const hung = await createCase(panel, 'Sent while the worker dies');
      await until(() => seen.some((request) => request.path === `/cases/${hung.id}`), 'the hanging request');
      const cdp = await panel.createCDPSession();
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await cdp.detach();
      const workerUrl = `chrome-extension://${ext.extensionId}/background.js`;
      await until(() => !ext.browser.targets().some((t) => t.type() === 'service_worker' && t.url() === workerUrl), 'the worker to stop', 10_000);
      expect(appliedFor(backend, hung.id)).toHaveLength(0);

      // 2. A change the backend commits, whose answer is lost (every time, until the restart).
      backend.setFaults((request) => {
        if (!isCasePut(request)) return undefined;
        return request.path === `/cases/${hung.id}` ? { kind: 'hang' } : { kind: 'dropAfterCommit' };
      });
      const lost = await createCase(panel, 'Answer lost on the way');
      await until(() => appliedFor(backend, lost.id).length === 1, 'the committed change');

      // 3. The browser goes away with both still in its outbox.
      expect((await readTable<{ entityId: string }>(panel, 'outbox')).map((e) => e.entityId)).toEqual(expect.arrayContaining([hung.id, lost.id]));
      await ext.close({ keepProfile: true });
      backend.setFaults(undefined);

      ext = await launchWithExtension({ userDataDir: profile });
      panel = await ext.openPage('sidepanel.html');
      await until(() => appliedFor(backend, hung.id).length === 1 && appliedFor(backend, lost.id).length >= 1, 'both cases after the restart', 30_000);
      await waitAllSynced(panel);
      // A moment for any duplicate to arrive, had there been one.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(appliedFor(backend, hung.id).map((change) => change.type)).toEqual(['case.created']);
      expect(appliedFor(backend, lost.id).map((change) => change.type)).toEqual(['case.created']);
      const cases = await readTable<{ id: string }>(panel, 'cases');
      expect(cases.map((c) => c.id)).toEqual(expect.arrayContaining([hung.id, lost.id]));
      // Every key the backend applied, it applied once.
      const keys = backend.applied.map((change) => change.key);
      expect(new Set(keys).size).toBe(keys.length);
    } finally {
      await ext.close();
      const fs = await import('node:fs');
      fs.rmSync(profile, { recursive: true, force: true });
      await backend.close();
    }
  });
});
