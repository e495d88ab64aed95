/**
 * Zendesk in real Chromium: the options page configures Zendesk with an API
 * token against the Zendesk simulator (tests/support/zendesk-simulator.ts, on
 * 127.0.0.1 in this process), the panel works a case, the background delivers.
 *
 * The tests share one browser and one simulator and run in order: the first
 * configures Zendesk through the options page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startZendeskSimulator, type ZendeskFault, type ZendeskRequest, type ZendeskSimulator } from '../support/zendesk-simulator';
import { countRows, launchWithExtension, readTable, setValue, typeInto, until, type ExtensionBrowser } from './support/browser';
import { addNote, goBack, openByNumber, resolveCase, uploadFiles } from './support/case-work';
import { editTitleLocally } from './support/local-edit';
import { waitForSyncSaved } from './support/sync-settings';

const EMAIL = 'ada.agent@acme.example';
const TOKEN = 'zd_e2e_Token_0123456789';

/** Seeded PRNG (mulberry32): the same faults on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** ULIDs in increasing order (outbox ids order the changes): time, then a counter. */
function ulids(count: number): string[] {
  const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let time = '';
  for (let t = Date.now(), i = 0; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32] + time;
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    let tail = '';
    for (let v = n, i = 0; i < 16; i++, v = Math.floor(v / 32)) tail = CROCKFORD[v % 32] + tail;
    out.push(time + tail);
  }
  return out;
}

/** Writes outbox entries (and nothing else) straight into the extension's IndexedDB. */
async function writeOutbox(page: Page, entries: object[]): Promise<void> {
  await page.evaluate(
    (rows) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('sidecase');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const idb = request.result;
          try {
            const tx = idb.transaction(['outbox'], 'readwrite');
            for (const row of rows) tx.objectStore('outbox').add(row);
            tx.oncomplete = () => {
              idb.close();
              resolve();
            };
            tx.onerror = () => reject(new Error(String(tx.error)));
            tx.onabort = () => reject(new Error(`aborted: ${String(tx.error)}`));
          } catch (error) {
            reject(new Error(String(error)));
          }
        };
      }),
    entries,
  );
}

/** Every waiting change is due now, as time passing would make it (a backoff may be minutes long). */
async function makeAllDue(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('sidecase');
        request.onsuccess = () => {
          const idb = request.result;
          const tx = idb.transaction(['outbox'], 'readwrite');
          const cursor = tx.objectStore('outbox').openCursor();
          cursor.onsuccess = () => {
            const c = cursor.result;
            if (!c) return;
            c.update({ ...c.value, nextAttemptAt: 0 });
            c.continue();
          };
          tx.oncomplete = () => {
            idb.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
        request.onerror = () => reject(request.error);
      }),
  );
}


async function syncNow(page: Page): Promise<void> {
  await page.waitForSelector('button[name="sync-now"]:not([disabled])');
  await page.click('button[name="sync-now"]');
  await new Promise((resolve) => setTimeout(resolve, 300));
  await page.waitForSelector('button[name="sync-now"]:not([disabled])', { timeout: 60_000 });
}

async function waitAllSynced(page: Page): Promise<void> {
  await until(async () => (await countRows(page, 'outbox')) === 0, 'an empty outbox', 30_000);
}

describe('sync with Zendesk, configured with an API token', () => {
  let ext: ExtensionBrowser;
  let sim: ZendeskSimulator;
  let panel: Page;
  let files: string;

  beforeAll(async () => {
    sim = await startZendeskSimulator({ email: EMAIL, token: TOKEN });
    ext = await launchWithExtension();
    files = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecase-zd-'));
    fs.writeFileSync(path.join(files, 'receipt.txt'), 'Receipt 4411: 29.90 EUR');
  });
  afterAll(async () => {
    await ext?.close();
    await sim?.close();
    if (files) fs.rmSync(files, { recursive: true, force: true });
  });

  it('is set up on the options page: Test connection says who is signed in, Save stores it', async () => {
    const options = await ext.openPage('options.html');
    await options.waitForSelector('form[name="sync"][data-loaded="true"]');
    await options.select('[name="backend.kind"]', 'zendesk');
    await setValue(options, 'zendesk.url', 'https://acme.example.com');
    await setValue(options, 'zendesk.email', EMAIL);
    await setValue(options, 'zendesk.token', TOKEN);
    await options.click('button[name="save-sync"]');
    await options.waitForSelector('[name="zendesk.url"][aria-invalid="true"]');
    expect(await options.$eval('form[name="sync"]', (el) => el.textContent)).toContain('https://your-subdomain.zendesk.com');

    await setValue(options, 'zendesk.url', sim.url);
    await options.click('button[name="test-connection"]');
    await options.waitForFunction(() => document.querySelector('output[name="test-result"]')?.textContent?.startsWith('Connected'));
    expect(await options.$eval('output[name="test-result"]', (el) => el.textContent)).toBe(`Connected: signed in as Ada Agent <${EMAIL}>.`);
    await options.click('button[name="save-sync"]');
    await waitForSyncSaved(options, 15_000);
    await options.close();
  });

  it('makes a case with a note, a file and its resolution one solved ticket', async () => {
    panel = await ext.openPage('sidepanel.html');
    await typeInto(panel, 'title', 'Refund for order 1042');
    await typeInto(panel, 'customer.name', 'Ilona Példa');
    await panel.focus('form[name="quick-create"] [name="customer.email"]');
    await panel.keyboard.type('ilona.pelda@example.org');
    await panel.keyboard.press('Escape');
    await panel.select('form[name="quick-create"] select[name="priority"]', 'urgent');
    await typeInto(panel, 'tags', 'Billing Issue');
    await panel.keyboard.press('Enter');
    await typeInto(panel, 'tags', 'VIP');
    await panel.keyboard.press('Enter');
    await typeInto(panel, 'description', 'Paid on the 3rd, no refund yet.');
    await panel.focus('form[name="quick-create"] [name="title"]');
    await panel.keyboard.down('Control');
    await panel.keyboard.press('Enter');
    await panel.keyboard.up('Control');
    await panel.waitForFunction(() => /CAS-\d{6}-[0-9A-Z]{10}/.test(document.querySelector('.toast__message')?.textContent ?? ''));
    const number = /CAS-\d{6}-[0-9A-Z]{10}/.exec((await panel.$eval('.toast__message', (el) => el.textContent)) ?? '')![0];
    const c = (await readTable<{ id: string; number: string }>(panel, 'cases')).find((row) => row.number === number)!;

    await openByNumber(panel, number);
    await addNote(panel, 'Customer sent the bank receipt.');
    await uploadFiles(panel, path.join(files, 'receipt.txt'));
    await resolveCase(panel, 'problemSolved', 'Refund sent on the 12th.');

    await until(() => sim.ticketByExternalId(c.id)[0]?.status === 'solved', 'the ticket solved in Zendesk', 30_000);
    await waitAllSynced(panel);
    const tickets = sim.ticketByExternalId(c.id);
    expect(tickets).toHaveLength(1);
    const ticket = tickets[0]!;
    expect(ticket).toMatchObject({ subject: 'Refund for order 1042', priority: 'urgent', status: 'solved', tags: ['billing_issue', 'vip'] });
    expect(sim.users.get(ticket.requester_id)).toMatchObject({ name: 'Ilona Példa', email: 'ilona.pelda@example.org' });
    const [description, ...rest] = ticket.comments;
    expect(description).toMatchObject({ plain_body: 'Paid on the 3rd, no refund yet.', public: true });
    const notes = rest.filter((comment) => !comment.public && comment.plain_body === 'Customer sent the bank receipt.');
    expect(notes).toHaveLength(1);
    expect(rest.flatMap((comment) => comment.attachments.map((a) => a.file_name))).toEqual(['receipt.txt']);
    expect(rest.filter((comment) => comment.plain_body === 'Refund sent on the 12th.' && !comment.public)).toHaveLength(1);
    expect(rest.every((comment) => !comment.public)).toBe(true);
    expect([...sim.uploads.values()]).toHaveLength(1);
    // The case shows its ticket.
    await panel.waitForSelector(`.case-detail [data-remote-id="${ticket.id}"]`);
    expect(await panel.$eval('.case-detail [data-remote-id]', (el) => el.textContent?.trim())).toBe(`Zendesk #${ticket.id}`);
    await goBack(panel);
  });

  it('creates each ticket and each note once through 500 changes with 30 % faults (429, 503, broken answers, keys expired on later replays)', { timeout: 240_000 }, async () => {
    panel ??= await ext.openPage('sidepanel.html');
    const CASES = 125;
    const ids = ulids(CASES * 8);
    let next = 0;
    const entries: object[] = [];
    const caseIds: string[] = [];
    const entry = (entity: string, entityId: string, type: string, data: object) => {
      const id = ids[next++]!;
      return { id, entity, entityId, type, idempotencyKey: `${entity}:${entityId}:${id}`, occurredAt: Date.now(), data, attempts: 0, nextAttemptAt: 0 };
    };
    for (let i = 0; i < CASES; i++) {
      const customerId = ids[next++]!;
      const caseId = ids[next++]!;
      caseIds.push(caseId);
      const customer = { id: customerId, name: `Bulk Customer ${i}`, emails: [`bulk${i}@example.org`], phones: [], company: '' };
      const record = { id: caseId, title: `Bulk case ${i}`, customerId, priority: 'normal', tags: ['bulk'], description: `Case ${i}`, state: 'active', version: 1 };
      entries.push(entry('customer', customerId, 'customer.created', customer));
      entries.push(entry('case', caseId, 'case.created', record));
      entries.push(entry('case', caseId, 'case.updated', { ...record, priority: 'high', version: 2 }));
      entries.push(entry('note', ids[next++]!, 'note.added', { caseId, body: `Note on case ${i}`, format: 'text' }));
    }
    expect(entries).toHaveLength(500);

    const random = seeded(14);
    const injected: Record<string, number> = {};
    // The round each creation's key was first sent in: a replay in a later round comes "two hours later"
    // (the browser itself resends a request whose connection broke at once, within the same round).
    let round = 0;
    const firstSent = new Map<string, number>();
    sim.setFaults((request: ZendeskRequest): ZendeskFault | undefined => {
      const isCreate = request.method === 'POST' && request.path === '/api/v2/tickets.json';
      const isLaterReplay = isCreate && request.idempotencyKey !== undefined && (firstSent.get(request.idempotencyKey) ?? round) < round;
      if (isCreate && request.idempotencyKey && !firstSent.has(request.idempotencyKey)) firstSent.set(request.idempotencyKey, round);
      if (random() >= 0.3) return undefined;
      const roll = random();
      const fault: ZendeskFault =
        isLaterReplay && roll < 0.5
          ? { kind: 'expireKeys' }
          : roll < 0.5
            ? { kind: 'status', status: 429, retryAfter: '1' }
            : roll < 0.75
              ? { kind: 'status', status: 503 }
              : { kind: 'dropAfterCommit' };
      injected[fault.kind === 'status' ? String(fault.status) : fault.kind] = (injected[fault.kind === 'status' ? String(fault.status) : fault.kind] ?? 0) + 1;
      return fault;
    });
    await writeOutbox(panel, entries);
    for (; round < 40 && (await countRows(panel, 'outbox')) > 0; round++) {
      await makeAllDue(panel);
      await syncNow(panel);
    }
    sim.setFaults(undefined);
    const stuck = (await readTable<{ type: string; lastError?: string; attempts: number; nextAttemptAt: number }>(panel, 'outbox')).map(
      (e) => `${e.type} ${e.lastError} ${e.attempts} ${e.nextAttemptAt}`,
    );
    expect(stuck).toEqual([]);

    expect(injected['429']).toBeGreaterThan(10);
    expect(injected['503']).toBeGreaterThan(10);
    expect(injected.dropAfterCommit).toBeGreaterThan(10);
    for (const caseId of caseIds) {
      const tickets = sim.ticketByExternalId(caseId);
      expect(tickets, caseId).toHaveLength(1);
      expect(tickets[0]!.priority).toBe('high');
      expect(tickets[0]!.comments.filter((comment) => comment.plain_body.startsWith('Note on case'))).toHaveLength(1);
    }
    const requesters = caseIds.map((caseId) => sim.ticketByExternalId(caseId)[0]!.requester_id);
    expect(new Set(requesters).size).toBe(CASES);
  });

  it('shows the conflict banner when the ticket changed in Zendesk since', async () => {
    const options = { name: 'Cem Örnek', email: 'cem.ornek@example.org' };
    await typeInto(panel, 'title', 'Headset crackles');
    await typeInto(panel, 'customer.name', options.name);
    await panel.focus('form[name="quick-create"] [name="customer.email"]');
    await panel.keyboard.type(options.email);
    await panel.keyboard.press('Escape');
    await panel.focus('form[name="quick-create"] [name="title"]');
    await panel.keyboard.down('Control');
    await panel.keyboard.press('Enter');
    await panel.keyboard.up('Control');
    await panel.waitForFunction(() => /Headset|CAS-/.test(document.querySelector('.toast__message')?.textContent ?? ''));
    const c = await until(async () => (await readTable<{ id: string; number: string; title: string }>(panel, 'cases')).find((row) => row.title === 'Headset crackles'), 'the case');
    await until(() => sim.ticketByExternalId(c.id).length === 1, 'its ticket');
    await waitAllSynced(panel);

    // Zendesk answers 503 while the edit is queued and the desk changes the ticket: the canonical conflict. With
    // Zendesk up, a sync running meanwhile (the pull that follows the case's delivery, the minute's alarm) may bring
    // the desk's subject first, and the edit then rightly applies over it without a conflict: a fresh-clone run on a
    // busy machine did just that.
    sim.setFaults(() => ({ kind: 'status', status: 503 }));
    await editTitleLocally(panel, c.id, 'Headset crackles on calls');
    sim.externalUpdate(sim.ticketByExternalId(c.id)[0]!.id, { subject: 'Headset crackles (desk: replaced)' });
    sim.setFaults(undefined);
    await makeAllDue(panel);
    await syncNow(panel);
    await openByNumber(panel, c.number);
    await panel.waitForSelector('.conflict-banner');
    expect(await panel.$eval('.conflict-banner', (el) => el.textContent)).toContain('Changed elsewhere');
    expect(sim.ticketByExternalId(c.id)[0]!.subject).toBe('Headset crackles (desk: replaced)');
  });
});
