import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceBackend, type ReferenceBackend } from '../support/reference-backend';
import { countRows, launchWithExtension, readTable, until, type ExtensionBrowser } from './support/browser';
import { saveWebhookBackend } from './support/sync-settings';
import { setAgentSettings } from '../fixtures/pages/harness';

// Invented values that pass their checks: a Visa test number, a Romanian IBAN.
const CARD = '4111 1111 1111 1111';
const IBAN = 'RO49 AAAA 1B31 0075 9384 0000';
const MASKED_CARD = '•••• •••• •••• 1111';
const MASKED_IBAN = 'RO49 •••• •••• •••• •••• 0000';
const ORIGINALS = ['4111 1111', 'AAAA 1B31'];
/** Cases with nothing to mask, so the scan takes long enough to show its progress and be cancelled. */
const FILLER = 10_000;

const SECRET = 'whsec_e2e_scan_0123456789abcdef';
const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A valid 26-character id (a ULID's alphabet), distinct for each `n`. */
function idOf(prefix: string, n: number): string {
  let digits = '';
  for (let rest = n; digits.length < 8; rest = Math.floor(rest / 32)) digits = CROCKFORD[rest % 32] + digits;
  return (prefix + digits).padEnd(26, '0');
}

const CARD_CASE = { id: idOf('01JSCAN', 1), number: 'CAS-000001-SCANE2EAAA' };
const NOTE_ID = idOf('01JNXTE', 1);
const CUSTOMER_ID = idOf('01JCXST', 1);

/**
 * Cases and a note as a version before masking stored them: written straight
 * into IndexedDB, card number and IBAN in the clear, nothing in the outbox.
 */
function seedUnmasked(page: Page) {
  return page.evaluate(
    (seed) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('sidecase');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const idb = request.result;
          const tx = idb.transaction(['cases', 'customers', 'notes'], 'readwrite');
          const base = {
            customerId: seed.customerId,
            subject: '',
            origin: 'email',
            product: '',
            priority: 'normal',
            state: 'active',
            statusReason: 'inProgress',
            owner: 'Bence Tóth',
            tags: [],
            tagKeys: [],
            createdAt: seed.t0,
            updatedAt: seed.t0,
            version: 1,
          };
          tx.objectStore('customers').put({ id: seed.customerId, kind: 'contact', searchKeys: [], name: 'Ana Kovács', emails: ['ana@example.com'], phones: [], company: '', createdAt: seed.t0, updatedAt: seed.t0, version: 1 });
          tx.objectStore('cases').put({
            ...base,
            id: seed.card.id,
            number: seed.card.number,
            title: `Charged twice on ${seed.cardValue}`,
            description: `Please refund to ${seed.iban}. Order 1042.`,
            words: ['charged', 'twice', ...seed.cardValue.split(' ')],
          });
          tx.objectStore('notes').put({
            id: seed.noteId,
            caseId: seed.card.id,
            body: `<p>The card was <b>${seed.cardValue}</b></p>`,
            format: 'html',
            author: 'Bence Tóth',
            createdAt: seed.t0,
            updatedAt: seed.t0,
            version: 1,
            words: ['the', 'card', 'was', ...seed.cardValue.split(' ')],
          });
          const cases = tx.objectStore('cases');
          for (let i = 0; i < seed.filler.length; i++) {
            cases.put({ ...base, id: seed.filler[i], number: `CAS-${String(i + 2).padStart(6, '0')}-SCANE2EAAA`, title: `Parcel ${i} late`, description: 'Tracking 1Z999AA10123456784' });
          }
          tx.oncomplete = () => {
            idb.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    {
      card: CARD_CASE,
      noteId: NOTE_ID,
      customerId: CUSTOMER_ID,
      cardValue: CARD,
      iban: IBAN,
      t0: T0,
      filler: Array.from({ length: FILLER }, (_, i) => idOf('01JF', i)),
    },
  );
}

const textOf = (page: Page, selector: string) => page.$eval(selector, (el) => el.textContent ?? '');

let ext: ExtensionBrowser;
let backend: ReferenceBackend;

beforeAll(async () => {
  for (const id of [CARD_CASE.id, NOTE_ID, CUSTOMER_ID, idOf('01JF', FILLER - 1)]) expect(id).toMatch(new RegExp(`^[${CROCKFORD}]{26}$`));
  backend = await startReferenceBackend({ webhookSecret: SECRET });
  ext = await launchWithExtension();
  await setAgentSettings(ext);
  await saveWebhookBackend(ext, `${backend.url}/hooks`, SECRET);
});
afterAll(async () => {
  await ext?.close();
  await backend?.close();
});

describe('scanning stored cases', () => {
  it('finds the card number and IBAN an older version stored, masks them on confirmation, and corrects the backend', async () => {
    const options = await ext.openPage('options.html');
    await options.waitForSelector('form[name="sync"][data-loaded="true"]');
    await seedUnmasked(options);
    const total = new Intl.NumberFormat('en').format(FILLER + 2);

    // A running scan shows its progress and stops on Cancel, changing nothing.
    await options.click('button[name="redaction.scan"]');
    await options.waitForSelector('progress[aria-label="Scan progress"]');
    // Read the progress and press Cancel in the same frame: clicked from here, a round trip later, the scan had
    // ended before the click on a loaded machine (a fresh-clone run beside two other jobs).
    const progress = await options.waitForFunction(
      (of) => {
        const status = document.querySelector('.scan-stored [role="status"]')?.textContent ?? '';
        const cancel = document.querySelector<HTMLButtonElement>('button[name="redaction.scan.cancel"]');
        if (!status.endsWith(of) || !cancel) return null;
        cancel.click();
        return status;
      },
      {},
      ` of ${total}`,
    );
    expect(await progress.jsonValue()).toMatch(new RegExp(`^Scanned [\\d,]+ of ${total}$`));
    await options.waitForFunction(() => document.querySelector('.scan-stored [role="status"]')?.textContent?.startsWith('Scan cancelled after'));
    expect(await options.$('progress')).toBeNull();

    // The whole scan: what it found, by case, masked forms only.
    await options.click('button[name="redaction.scan"]');
    await options.waitForSelector('[data-scan-result="found"]', { timeout: 60_000 });
    expect(await textOf(options, '[data-scan-result="found"]')).toBe(`Found 2 card numbers, 1 IBAN in ${total} records. Untick a case to leave it as it is.`);
    const rows = await options.$$eval('.scan-stored__case tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(await options.$$eval('.scan-stored__case', (sections) => sections.map((s) => s.getAttribute('data-case-number')))).toEqual([CARD_CASE.number]);
    expect(rows).toEqual([
      ['Title', 'card number', `Charged twice on ${MASKED_CARD}`],
      ['Description', 'IBAN', `Please refund to ${MASKED_IBAN}. Order 1042.`],
      ['Note', 'card number', `The card was ${MASKED_CARD}`],
    ]);
    const section = await textOf(options, '.scan-stored');
    for (const original of ORIGINALS) expect(section).not.toContain(original);

    await options.click('button[name="redaction.scan.confirm"]');
    await options.waitForSelector('[data-scan-result="masked"]');
    expect(await textOf(options, '[data-scan-result="masked"]')).toBe(
      "Masked 2 card numbers, 1 IBAN (cases changed: 1, notes: 1). Each case's timeline says so, and the corrections are on their way to the backend.",
    );
    // What waits in the outbox (until the background has delivered it) holds only the masked forms.
    const queued = JSON.stringify(await readTable(options, 'outbox'));
    for (const original of ORIGINALS) expect(queued).not.toContain(original);

    // Stored: only masked forms, in the record, its words, its note.
    const stored = (await readTable<{ id: string; title: string; description: string; words: string[]; version: number }>(options, 'cases')).find((c) => c.id === CARD_CASE.id)!;
    expect(stored.title).toBe(`Charged twice on ${MASKED_CARD}`);
    expect(stored.description).toBe(`Please refund to ${MASKED_IBAN}. Order 1042.`);
    expect(stored.words).not.toContain('4111');
    expect(stored.version).toBe(2);
    const note = (await readTable<{ id: string; body: string }>(options, 'notes')).find((n) => n.id === NOTE_ID)!;
    expect(note.body).toBe(`<p>The card was <b>${MASKED_CARD}</b></p>`);
    const timeline = (await readTable<{ caseId: string; kind: string; data: Record<string, unknown> }>(options, 'timeline')).filter((e) => e.caseId === CARD_CASE.id);
    expect(timeline).toEqual([expect.objectContaining({ kind: 'redaction', actor: 'Bence Tóth', data: { action: 'maskedByScan', counts: { card: 2, iban: 1 } } })]);

    // The webhook receives the masked case and note; the outbox empties without ever holding an original.
    const caseEvent = await until(() => backend.applied.find((c) => c.via === 'webhook' && c.type === 'case.updated' && c.id === CARD_CASE.id), 'the case.updated webhook', 30_000);
    expect(caseEvent.data).toMatchObject({ title: `Charged twice on ${MASKED_CARD}`, description: `Please refund to ${MASKED_IBAN}. Order 1042.` });
    const noteEvent = await until(() => backend.applied.find((c) => c.via === 'webhook' && c.type === 'note.updated' && c.id === NOTE_ID), 'the note.updated webhook', 30_000);
    expect(noteEvent.data).toMatchObject({ body: `<p>The card was <b>${MASKED_CARD}</b></p>` });
    await until(async () => (await countRows(options, 'outbox')) === 0, 'an empty outbox');
    const everything = JSON.stringify([await readTable(options, 'notes'), await readTable(options, 'timeline'), backend.applied, stored]);
    for (const original of ORIGINALS) expect(everything).not.toContain(original);

    // A second scan finds nothing left.
    await options.click('button[name="redaction.scan"]');
    await options.waitForFunction(() => document.querySelector('.scan-stored [role="status"]')?.textContent?.startsWith('Nothing to mask in'), { timeout: 60_000 });
    await options.close();
  });
});
