import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceBackend, type ReferenceBackend } from '../support/reference-backend';
import { countRows, launchWithExtension, readTable, typeInto, until, type ExtensionBrowser } from './support/browser';
import { saveWebhookBackend } from './support/sync-settings';
import { clickToolbarButton, openFixtureTab, openPanelFor, saveForm, setAgentSettings, valueOf, waitForValue } from '../fixtures/pages/harness';

// Invented values that pass their checks: a Visa test number, a Romanian IBAN, a password.
const CARD = '4111 1111 1111 1111';
const IBAN = 'RO49 AAAA 1B31 0075 9384 0000';
const PASSWORD = 'Alma1234!';
const MAIL = `Hello, I paid twice with my card ${CARD}. Please refund to ${IBAN}. My shop login is ana.k, password: ${PASSWORD}`;
const MASKED_CARD = '•••• •••• •••• 1111';

/** A mail page on 127.0.0.1 with the customer's message in its body. */
function startMailPage(): Promise<{ url: string; close(): Promise<void> }> {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Double charge</title></head>
<body><main><h1>Double charge</h1><p>From: Ana Kovács &lt;ana.kovacs@example.com&gt;</p><div id="body">${MAIL}</div></main></body></html>`;
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/mail/42`, close: () => new Promise((done) => server.close(() => done())) });
    }),
  );
}

let ext: ExtensionBrowser;
let backend: ReferenceBackend;
let page: { url: string; close(): Promise<void> };
const SECRET = 'whsec_e2e_0123456789abcdef';

beforeAll(async () => {
  backend = await startReferenceBackend({ webhookSecret: SECRET });
  page = await startMailPage();
  ext = await launchWithExtension();
  await setAgentSettings(ext);
  await saveWebhookBackend(ext, `${backend.url}/hooks`, SECRET);
});
afterAll(async () => {
  await ext?.close();
  await backend?.close();
  await page?.close();
});

describe('redaction of a captured mail', () => {
  it('stores and sends only the masked card and password, and the IBAN the agent kept, with "kept unmasked" on the timeline', async () => {
    const tab = await openFixtureTab(ext, page.url);
    // The agent selected the customer's message: the capture takes it as the description.
    await tab.page.evaluate(() => getSelection()!.selectAllChildren(document.getElementById('body')!));
    await clickToolbarButton(ext, tab.page);
    const panel = await openPanelFor(ext, tab.tabId);
    await panel.click('button[name="capture"]');
    await waitForValue(panel, 'description');
    const description = await valueOf(panel, 'description');
    expect(description).toContain(MASKED_CARD);
    expect(description).toContain('password: [secret removed]');
    expect(description).not.toContain(IBAN);

    const notice = await panel.waitForSelector('.redaction-notice');
    expect(await notice!.evaluate((el) => el.querySelector('p')?.textContent)).toBe('Masked 1 card number, 1 IBAN, 1 password');
    expect(await panel.$$eval('.redaction-notice mark', (marks) => marks.map((m) => m.textContent))).toEqual([
      MASKED_CARD,
      'RO49 •••• •••• •••• •••• 0000',
      '[secret removed]',
    ]);
    await panel.click('.redaction-notice li[data-label="iban"] button[name="keep-unmasked"]');
    await panel.waitForFunction((iban) => document.querySelector<HTMLTextAreaElement>('[name="description"]')?.value.includes(iban), { polling: 100 }, IBAN);
    if (!(await valueOf(panel, 'title'))) await typeInto(panel, 'title', 'Double charge');

    const toast = await saveForm(panel);
    const number = /CAS-\d{6}-[0-9A-Z]{10}/.exec(toast)?.[0];
    expect(number).toBeTruthy();
    const stored = (await readTable<{ id: string; number: string; description: string }>(panel, 'cases')).find((c) => c.number === number)!;
    expect(stored.description).toContain(MASKED_CARD);
    expect(stored.description).toContain(IBAN);

    // The webhook receives the case as stored: masked, with the kept IBAN.
    const event = await until(() => backend.applied.find((change) => change.via === 'webhook' && change.type === 'case.created' && change.id === stored.id), 'the webhook event');
    await until(async () => (await countRows(panel, 'outbox')) === 0, 'an empty outbox');
    const everything = JSON.stringify([await readTable(panel, 'cases'), await readTable(panel, 'notes'), await readTable(panel, 'timeline'), backend.applied]);
    expect(everything).not.toContain('4111 1111');
    expect(everything).not.toContain(PASSWORD);
    expect(JSON.stringify(event.data)).toContain(IBAN);

    const kept = (await readTable<{ caseId: string; kind: string; data: { label?: string } }>(panel, 'timeline')).filter((e) => e.caseId === stored.id && e.kind === 'redaction');
    expect(kept.map((e) => e.data.label)).toEqual(['iban']);
    await panel.close();
    await tab.page.close();
  });
});
