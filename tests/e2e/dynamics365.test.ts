/**
 * Dynamics 365 in real Chromium: the options page configures the Dataverse
 * simulator (tests/support/dataverse-simulator.ts, on 127.0.0.1 in this
 * process), "Sign in with Microsoft" runs identity.launchWebAuthFlow against
 * the simulated authority, the panel works a case, the background delivers.
 * No host permission is granted (headless Chromium never answers the
 * prompt): every request goes through CORS.
 *
 * The tests share one browser and one simulator and run in order.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startDataverseSimulator, type DataverseSimulator, type Fault } from '../support/dataverse-simulator';
import { countRows, launchWithExtension, readTable, setValue, storedCase, until, type ExtensionBrowser } from './support/browser';
import { addNote, createCase, goHome, openByNumber, resolveCase, uploadFiles } from './support/case-work';
import { waitForSyncSaved } from './support/sync-settings';

const CLIENT_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

/** The GUID the adapter sends for a ULID (lib/sync/dynamics365/guid.ts), recomputed here as the contract. */
function guidOf(ulid: string): string {
  const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let value = 0n;
  for (const char of ulid) value = value * 32n + BigInt(CROCKFORD.indexOf(char));
  const hex = value.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function waitAllSynced(page: Page, timeoutMs = 60_000): Promise<void> {
  try {
    await until(async () => (await countRows(page, 'outbox')) === 0, 'an empty outbox', timeoutMs);
  } catch (error) {
    const left = (await readTable<Record<string, unknown>>(page, 'outbox')).slice(0, 5).map(({ data: _data, ...entry }) => entry);
    throw new Error(`${(error as Error).message}: ${JSON.stringify(left)}`);
  }
}

/** A note and its outbox entry written as notes.ts writes them (one transaction), behind the panel: many changes at once. */
async function addNotesLocally(page: Page, caseId: string, count: number): Promise<string[]> {
  return page.evaluate(
    (id, n) =>
      new Promise<string[]>((resolve, reject) => {
        const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
        const now = Date.now();
        let time = '';
        for (let t = now, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32] + time;
        const ulid = (i: number) => {
          let tail = '';
          for (let k = 0; k < 12; k++) tail += CROCKFORD[Math.floor(Math.random() * 32)];
          return time + tail + String(i).padStart(4, '0').replace(/\d/g, (d) => CROCKFORD[Number(d)]!);
        };
        const request = indexedDB.open('sidecase');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const idb = request.result;
          const tx = idb.transaction(['notes', 'outbox'], 'readwrite');
          const ids: string[] = [];
          for (let i = 0; i < n; i++) {
            const noteId = ulid(i);
            const entryId = ulid(i);
            ids.push(noteId);
            const note = { id: noteId, caseId: id, body: `Bulk note ${i}`, format: 'text', author: 'e2e', createdAt: now, updatedAt: now, version: 1, words: ['bulk', 'note'] };
            tx.objectStore('notes').add(note);
            tx.objectStore('outbox').add({
              id: entryId,
              entity: 'note',
              entityId: noteId,
              type: 'note.added',
              idempotencyKey: `note:${noteId}:${entryId}`,
              occurredAt: now,
              data: note,
              attempts: 0,
              nextAttemptAt: now,
            });
          }
          tx.oncomplete = () => {
            idb.close();
            resolve(ids);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    caseId,
    count,
  );
}

describe('sync with Dynamics 365, configured and signed in on the options page', () => {
  let ext: ExtensionBrowser;
  let sim: DataverseSimulator;
  let panel: Page;
  let files: string;
  let faults: ((request: { method: string; path: string; n: number }) => Fault | undefined) | undefined;

  beforeAll(async () => {
    sim = await startDataverseSimulator({ faults: (request) => faults?.(request) });
    ext = await launchWithExtension();
    files = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecase-d365-'));
    fs.writeFileSync(path.join(files, 'receipt.txt'), 'Receipt 4411: 2 × toner');
  });
  afterAll(async () => {
    await ext?.close();
    await sim?.close();
    if (files) fs.rmSync(files, { recursive: true, force: true });
  });

  it('signs in through launchWebAuthFlow and the authority, with PKCE', async () => {
    const options = await ext.openPage('options.html');
    await options.waitForSelector('form[name="sync"][data-loaded="true"]');
    await options.select('[name="backend.kind"]', 'dynamics365');
    await setValue(options, 'd365.url', sim.url);
    await setValue(options, 'd365.clientId', CLIENT_ID);
    await setValue(options, 'd365.authority', sim.authority);
    await options.click('button[name="save-sync"]');
    await waitForSyncSaved(options, 10_000);
    expect(await options.$eval('output[name="d365.status"]', (el) => el.getAttribute('data-state'))).toBe('signedOut');

    await options.click('button[name="d365.signIn"]');
    await options.waitForSelector('output[name="d365.status"][data-state="signedIn"]', { timeout: 30_000 });
    expect(sim.signIns()).toBe(1);
    const meta = await readTable<{ key: string; value: { state?: string } }>(options, 'meta');
    expect(meta.find((row) => row.key === `oauth:dynamics365 ${sim.url}`)?.value.state).toBe('signedIn');
    await options.close();
  });

  it('sends a case with a new customer, a note and a file, resolved: one incident, one contact, two annotations, one resolution', async () => {
    panel = await ext.openPage('sidepanel.html');
    const number = await createCase(panel, 'Toner not delivered', { name: 'Sari Wibowo', email: 'sari.wibowo@example.id' });
    await openByNumber(panel, number);
    await addNote(panel, 'Courier says the parcel went back to the depot.');
    await uploadFiles(panel, path.join(files, 'receipt.txt'));
    await resolveCase(panel, 'problemSolved', 'Redelivered on Monday.');

    await waitAllSynced(panel);
    const id = String((await storedCase(panel, number)).id);
    expect(sim.rows('incidents').map((row) => row.incidentid)).toEqual([guidOf(id)]);
    expect(sim.rows('incidents')[0]).toMatchObject({ title: 'Toner not delivered', statecode: 1, statuscode: 5 });
    expect(sim.rows('contacts')).toHaveLength(1);
    expect(sim.rows('contacts')[0]).toMatchObject({ firstname: 'Sari', lastname: 'Wibowo', emailaddress1: 'sari.wibowo@example.id' });
    expect(sim.rows('annotations')).toHaveLength(2);
    expect(sim.rows('annotations').find((row) => row.isdocument)).toMatchObject({ filename: 'receipt.txt', documentbody: Buffer.from('Receipt 4411: 2 × toner').toString('base64') });
    expect(sim.rows('incidentresolutions')).toHaveLength(1);
    expect(sim.rows('incidentresolutions')[0]).toMatchObject({ description: 'Redelivered on Monday.' });
  });

  it('applies 500 changes exactly once through 30 % faults: 429 and 503 with Retry-After, and dropped answers', async () => {
    await goHome(panel);
    const number = await createCase(panel, 'Bulk notes from the import', { name: 'Budi Santoso', email: 'budi.santoso@example.id' });
    await waitAllSynced(panel);
    const caseId = String((await storedCase(panel, number)).id);
    const before = sim.rows('annotations').length;
    const logBefore = sim.requests().length;
    let n = 0;
    let dropped = 0;
    // Each POST the service receives (a $batch of writes or a write alone): 30 % of them fail.
    faults = (request) => {
      if (request.method !== 'POST') return undefined;
      n += 1;
      const roll = (n * 7919) % 100;
      if (roll < 10) return { kind: 'status', status: 429, retryAfter: '1' };
      if (roll < 20) return { kind: 'status', status: 503, retryAfter: '1' };
      if (roll < 30) {
        dropped += 1;
        return { kind: 'dropAfterCommit' };
      }
      return undefined;
    };
    const ids = await addNotesLocally(panel, caseId, 500);
    await panel.click('button[name="sync-now"]');
    await waitAllSynced(panel, 240_000);
    faults = undefined;
    const annotations = sim.rows('annotations').slice(before);
    expect(annotations).toHaveLength(500);
    expect(new Set(annotations.map((row) => row.annotationid))).toEqual(new Set(ids.map(guidOf)));
    // Answers were lost, and their notes' creates sent again (alone or in a later batch): still one annotation each.
    expect(dropped).toBeGreaterThan(0);
    expect(sim.requests().slice(logBefore).filter((r) => r.method === 'POST' && r.path === '/annotations').length).toBeGreaterThan(500);
  }, 300_000);

  it('shows the conflict banner when the incident changed in Dynamics 365 (412 on If-Match)', async () => {
    await goHome(panel);
    const number = await createCase(panel, 'Headset crackles', { name: 'Rina Putri', email: 'rina.putri@example.id' });
    await waitAllSynced(panel);
    const id = String((await storedCase(panel, number)).id);
    // The edit waits while Dataverse answers 503, and the desk changes the
    // incident meanwhile: the canonical conflict. (Changed before the edit
    // with the backend up, a pull may bring the desk's title first, and the
    // edit then rightly applies over it without a conflict.)
    faults = (request) => (request.path.includes('incidents') ? { kind: 'status', status: 503, retryAfter: '1' } : undefined);
    await openByNumber(panel, number);
    await panel.click('button[name="edit.title"]');
    const title = await panel.waitForSelector('form[name="edit-title"] [name="title"]');
    await title!.click({ count: 3 });
    await panel.keyboard.type('Headset crackles on calls');
    await panel.keyboard.press('Enter');
    await panel.waitForFunction(() => document.getElementById('case-title')?.textContent === 'Headset crackles on calls');
    sim.externalUpdate('incidents', guidOf(id), { title: 'Headset crackles (desk: replaced)' });
    faults = undefined;
    await panel.click('button[name="sync-now"]');
    await panel.waitForSelector('.conflict-banner', { timeout: 30_000 });
    expect(await panel.$eval('.conflict-banner', (el) => el.textContent)).toContain('Changed elsewhere');
    expect(sim.rows('incidents').find((row) => row.incidentid === guidOf(id))).toMatchObject({ title: 'Headset crackles (desk: replaced)' });
  });

  it('says "Sign in again" in the panel header when the refresh token has expired, and sends what waited after it', async () => {
    await goHome(panel);
    sim.expireRefreshTokens();
    sim.expireAccessTokens();
    const number = await createCase(panel, 'Router reboots hourly', { name: 'Agus Salim', email: 'agus.salim@example.id' });
    await panel.click('button[name="sync-now"]');
    await panel.waitForSelector('.sync-status button[name="d365.signInAgain"]', { timeout: 30_000 });
    // Waited for, not read once: a drain the save or a nudge started unblocks the header for a
    // moment, and it then shows the conflict the test before left (a fresh-clone CI read that).
    await panel.waitForSelector('.sync-status [data-error-key="sync.oauth.signInAgain"]', { timeout: 30_000 });
    expect(await countRows(panel, 'outbox')).toBeGreaterThan(0);
    const signInsBefore = sim.signIns();
    const id = String((await storedCase(panel, number)).id);
    // Clicked through a locator: the button found above may belong to the block the save's own
    // sync set, and "Sync now" unblocks, then blocks again with a new button (disabled meanwhile).
    await panel.locator('.sync-status button[name="d365.signInAgain"]').setTimeout(30_000).click();
    // The conflict of the test before stays in the outbox: wait for this case's own changes.
    await until(async () => sim.rows('incidents').some((row) => row.incidentid === guidOf(id)), 'the waiting case in Dynamics 365', 30_000);
    await until(async () => (await readTable<{ entityId: string }>(panel, 'outbox')).every((entry) => entry.entityId !== id), 'its outbox entries confirmed', 30_000);
    expect(sim.signIns()).toBe(signInsBefore + 1);
    expect(sim.rows('incidents').filter((row) => row.incidentid === guidOf(id))).toHaveLength(1);
    await panel.waitForFunction(() => !document.querySelector('.sync-status button[name="d365.signInAgain"]'), { timeout: 15_000 });
  });

  it('marks a case whose incident was deleted in Dynamics 365, keeps it, and re-creates the incident on request', async () => {
    await goHome(panel);
    const number = await createCase(panel, 'Scanner offline', { name: 'Wayan Sudarma', email: 'wayan.sudarma@example.id' });
    const id = String((await storedCase(panel, number)).id);
    await until(async () => sim.rows('incidents').some((row) => row.incidentid === guidOf(id)), 'the incident in Dynamics 365', 30_000);
    await until(async () => (await readTable<{ entityId: string }>(panel, 'outbox')).every((entry) => entry.entityId !== id), 'its outbox entries confirmed', 30_000);
    sim.externalDelete('incidents', guidOf(id));
    await openByNumber(panel, number);
    // Sync now pulls: change tracking brings the deleted row.
    await panel.click('button[name="sync-now"]');
    await panel.waitForSelector('.case-detail [data-error-key="sync.d365.caseDeleted"]', { timeout: 30_000 });
    expect(await panel.$eval('.case-detail [data-error-key="sync.d365.caseDeleted"]', (el) => el.textContent)).toContain('Deleted in Dynamics 365');
    // Nothing local was deleted.
    expect(await storedCase(panel, number)).toMatchObject({ title: 'Scanner offline' });

    await panel.click('.case-detail button[name="d365.recreate"]');
    await until(async () => sim.rows('incidents').some((row) => row.incidentid === guidOf(id)), 'the incident re-created', 30_000);
    await panel.waitForFunction(() => !document.querySelector('.case-detail [data-error-key="sync.d365.caseDeleted"]'), { timeout: 30_000 });
    expect(sim.rows('incidents').filter((row) => row.incidentid === guidOf(id))).toHaveLength(1);
    expect(sim.rows('incidents').find((row) => row.incidentid === guidOf(id))).toMatchObject({ title: 'Scanner offline' });
  });
});
