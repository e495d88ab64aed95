/**
 * Seeds the extension's database straight through IndexedDB: 50,000 cases,
 * 20,000 customers and 200,000 notes, instead of 50,000 createCase transactions.
 *
 * The record shape is taken from real records the app wrote (one case and one
 * customer created through the form first), so the seed follows the schema of
 * the build being measured; only ids, numbers, words and times vary.
 *
 * The rows are made here, in Node, and put by the page in chunks: no call into
 * the page runs long (a chunk is sized to take a few seconds on the machine at
 * hand), progress is printed as it goes, and the search bench can compute from
 * the same rows which cases each of its queries must find.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { BenchError, step, withDeadline } from './harness';
import { phoneNumberWords } from '../../lib/search/phones';

/**
 * A copy of the seeded profile kept in `kept` (BENCH_SEEDED_PROFILE) into
 * `profile`, without its service worker registration: Chromium would run the
 * worker script it cached there, not the build being measured. The build is
 * loaded from `kept`/extension (seededExtensionDir): an unpacked extension's
 * id comes from its path, and the seeded database belongs to that id.
 */
export function copySeededProfile(kept: string, profile: string): void {
  fs.cpSync(path.join(kept, 'profile'), profile, { recursive: true });
  fs.rmSync(path.join(profile, 'Default', 'Service Worker'), { recursive: true, force: true });
}

/** Where a build runs on the profile kept in `kept`: its copy goes there (copySeededProfile says why). */
export function seededExtensionDir(kept: string): string {
  return path.join(kept, 'extension');
}

export interface SeedCounts {
  cases: number;
  customers: number;
  notes: number;
}

type Row = Record<string, unknown>;

export interface Templates {
  case: Row;
  customer: Row;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function ulid(time: number, n: number): string {
  let head = '';
  for (let t = time, i = 0; i < 10; i++, t = Math.floor(t / 32)) head = CROCKFORD[t % 32] + head;
  let tail = '';
  for (let v = n, i = 0; i < 16; i++, v = Math.floor(v / 32)) tail = CROCKFORD[v % 32] + tail;
  return head + tail;
}

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
/**
 * Cut like lib/search/words.ts (tokenize / caseWords / noteWords): letters and
 * digits, folded, at least two characters, so the seeded `*words` and
 * `*noteWords` indexes hold what the app itself would write.
 */
export const tokens = (text: string) =>
  fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2)
    .map((w) => w.slice(0, 40));
const words = (...parts: string[]) => [...new Set(parts.flatMap(tokens))];

/** Default SLA targets in minutes (lib/cases/case-settings.ts), for the SLA sort and the badge. */
const SLA: Record<string, [number, number]> = { urgent: [60, 240], high: [240, 1440], normal: [480, 4320], low: [1440, 7200] };
const FIRST = ['Ana', 'Bence', 'Csilla', 'Dewi', 'Elena', 'Ferenc', 'Gita', 'Hana', 'Ioana', 'János', 'Kadek', 'Luca', 'Mihai', 'Nyoman', 'Oana', 'Putu'];
const LAST = ['Kovács', 'Popescu', 'Santoso', 'Nagy', 'Ionescu', 'Wijaya', 'Tóth', 'Stan', 'Hidayat', 'Szabó'];
const TOPICS = ['refund', 'invoice', 'login', 'delivery', 'warranty', 'password', 'upgrade', 'cancellation', 'billing', 'outage', 'shipping', 'discount'];
const OBJECTS = ['order', 'account', 'subscription', 'parcel', 'router', 'app', 'card', 'contract'];
const PRIORITY = ['low', 'normal', 'normal', 'high', 'urgent'];

/**
 * The seeded rows, each a pure function of its index: the page puts them, the
 * search bench reads their words to know what each query must find.
 */
export class SeedData {
  readonly base: number;
  /** Each case's words and note words, made once for all queries. */
  private allWords: string[][] | undefined;
  private readonly wordsOfCustomer = new Map<number, string[]>();
  private readonly suffix: string;
  private readonly owner: string;

  constructor(
    readonly counts: SeedCounts,
    readonly templates: Templates = { case: { number: 'CAS-000001-SEED', owner: 'Bench' }, customer: {} },
    readonly now = Date.now(),
  ) {
    this.base = now - 400 * 86_400_000;
    this.suffix = String(templates.case.number).slice(-4);
    this.owner = String(templates.case.owner);
  }

  customer(i: number): Row {
    const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]} ${i}`;
    const email = `customer${i}@example${i % 50}.com`;
    const phone = `+36 20 ${String(1_000_000 + i).slice(-7)}`;
    const row: Row = {
      ...this.templates.customer,
      id: ulid(this.base + i * 1000, i),
      name,
      emails: [email],
      phones: [phone],
      company: `Company ${i % 900}`,
      createdAt: this.base + i * 1000,
      updatedAt: this.base + i * 1000,
      version: 1,
    };
    if ('searchKeys' in this.templates.customer) row.searchKeys = [...words(name), email, email.split('@')[1]!, phone.replace(/\D/g, '')];
    return row;
  }

  caseId(i: number): string {
    return ulid(this.base + i * 600_000, 1_000_000 + i);
  }

  caseNumber(i: number): string {
    return `CAS-${String(100_000 + i).padStart(6, '0')}-${this.suffix}`;
  }

  /** Notes are spread over the cases round-robin (note j is on case j % cases). */
  noteBody(j: number): string {
    return `Called back about ${TOPICS[(j * 5) % TOPICS.length]} ${OBJECTS[(j * 3) % OBJECTS.length]}, reference R${j}.`;
  }

  /** A case's noteWords: the union of its notes' words. */
  noteWordsOf(i: number): string[] {
    const all = new Set<string>();
    for (let j = i; j < this.counts.notes; j += this.counts.cases) for (const w of words(this.noteBody(j))) all.add(w);
    return [...all];
  }

  /** The words the app stores for case i (lib/search/words.ts caseWords). */
  caseWords(i: number): string[] {
    const number = this.caseNumber(i);
    const [, sequence = '', suffix = ''] = number.split('-');
    const running = sequence.replace(/^0+/, '');
    return [
      ...new Set([
        ...[sequence, suffix.toLowerCase()].filter((w) => w.length >= 2),
        running,
        ...words(this.caseTitle(i), TOPICS[i % TOPICS.length]!),
        ...this.customerWords(i % this.counts.customers),
      ]),
    ];
  }

  /**
   * The words a case takes from its customer, made once per customer (each
   * has two or three cases): parsing the phone is most of a case's cost, and
   * Node's time is the browser's on a busy 2-core machine.
   */
  private customerWords(c: number): string[] {
    let found = this.wordsOfCustomer.get(c);
    if (!found) {
      const customer = this.customer(c);
      // A phone's digit words are the app's own (every form agents type, lib/search/phones.ts), then its groups.
      const phones = (customer.phones as string[]).flatMap((p) => [...phoneNumberWords(p), ...tokens(p)]);
      found = [...words(String(customer.name), String(customer.company), ...(customer.emails as string[])), ...phones];
      this.wordsOfCustomer.set(c, found);
    }
    return found;
  }

  caseTitle(i: number): string {
    const topic = TOPICS[i % TOPICS.length]!;
    return `${topic[0]!.toUpperCase()}${topic.slice(1)} problem with ${OBJECTS[i % OBJECTS.length]} ${i}`;
  }

  case(i: number): Row {
    const customer = this.customer(i % this.counts.customers);
    const at = this.base + i * 600_000;
    const topic = TOPICS[i % TOPICS.length]!;
    const row: Row = {
      ...this.templates.case,
      id: this.caseId(i),
      number: this.caseNumber(i),
      title: this.caseTitle(i),
      customerId: customer.id,
      priority: PRIORITY[i % PRIORITY.length],
      state: i % 10 < 7 ? 'active' : i % 10 < 9 ? 'resolved' : 'cancelled',
      owner: i % 3 === 0 ? this.owner : `Agent ${i % 17}`,
      tags: [topic],
      tagKeys: [topic],
      createdAt: at,
      updatedAt: at,
    };
    if ('words' in this.templates.case) {
      row.words = this.caseWords(i);
      row.noteWords = this.noteWordsOf(i);
      if ('customerLabel' in this.templates.case) row.customerLabel = customer.name;
      const priority = String(row.priority);
      const sla = { firstResponseBy: at + SLA[priority]![0] * 60_000, resolveBy: at + SLA[priority]![1] * 60_000 };
      row.sla = sla;
      row.slaDueAt = Math.min(sla.firstResponseBy, sla.resolveBy);
      row.resolutions = [];
      row.statusReason = row.state === 'active' ? 'inProgress' : row.state === 'resolved' ? 'problemSolved' : 'cancelled';
      delete row.resolution;
    }
    return row;
  }

  note(j: number): Row {
    const at = this.base + j * 150_000;
    const body = this.noteBody(j);
    return {
      format: 'text',
      author: this.owner,
      version: 1,
      id: ulid(at, 5_000_000 + j),
      caseId: this.caseId(j % this.counts.cases),
      body,
      createdAt: at,
      updatedAt: at,
      words: words(body),
    };
  }

  /**
   * Numbers of the seeded cases a query must find, as lib/search/search.ts
   * defines a match: every token of the query starts a word of the case or of
   * its notes. Only for the bench's queries (no phone-like text, no "CAS").
   */
  matchingNumbers(query: string): Set<string> {
    const wanted = [...new Set(fold(query).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0))];
    const found = new Set<string>();
    this.allWords ??= Array.from({ length: this.counts.cases }, (_, i) => [...this.caseWords(i), ...this.noteWordsOf(i)]);
    for (let i = 0; i < this.counts.cases; i++) {
      const all = this.allWords[i]!;
      if (wanted.every((t) => all.some((w) => w.startsWith(t)))) found.add(this.caseNumber(i));
    }
    return found;
  }
}

/** Opens the extension's database in the page, refusing to create it: only the extension creates its schema. */
export async function readTemplates(page: Page): Promise<Templates> {
  return page.evaluate(async () => {
    const idb = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('sidecase');
      request.onupgradeneeded = () => {
        request.transaction!.abort();
        reject(new Error('the extension has not created its database yet'));
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const readFirst = (store: string) =>
      new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
        const request = idb.transaction(store).objectStore(store).openCursor();
        request.onsuccess = () => resolve(request.result?.value as Record<string, unknown> | undefined);
        request.onerror = () => reject(request.error);
      });
    const template = { case: await readFirst('cases'), customer: await readFirst('customers') };
    idb.close();
    if (!template.case || !template.customer) throw new Error('seeding needs one case created through the panel first');
    return template as { case: Record<string, unknown>; customer: Record<string, unknown> };
  });
}

async function putRows(page: Page, store: string, rows: Row[]): Promise<void> {
  await page.evaluate(
    (name, json) =>
      new Promise<void>((resolve, reject) => {
        const values = JSON.parse(json) as unknown[];
        const request = indexedDB.open('sidecase');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const idb = request.result;
          const tx = idb.transaction(name, 'readwrite');
          const os = tx.objectStore(name);
          for (const row of values) os.put(row);
          tx.oncomplete = () => {
            idb.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
        };
      }),
    store,
    // One string, not an array of objects: puppeteer walks every value of an
    // object argument, which cost the bench more than making the rows did.
    JSON.stringify(rows),
  );
}

/** One call into the page should take a few seconds: chunks grow or shrink towards that. */
const TARGET_CALL_MS = 4000;
/** Past this one call is a stall, not a slow machine. */
const CALL_DEADLINE_MS = 30_000;

async function seedTable(page: Page, label: string, store: string, total: number, make: (i: number) => Row, firstChunk: number): Promise<void> {
  const started = Date.now();
  let chunk = firstChunk;
  let reported = 0;
  const every = total >= 100_000 ? 50_000 : 10_000;
  const makeChunk = (start: number, end: number) => {
    const rows: Row[] = [];
    for (let i = start; i < end; i++) rows.push(make(i));
    return rows;
  };
  let end = Math.min(total, chunk);
  let rows = makeChunk(0, end);
  for (let start = 0; start < total; ) {
    step(`seed: putting ${label} ${start.toLocaleString('en-US')}–${end.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`);
    const t0 = Date.now();
    const put = withDeadline(putRows(page, store, rows), CALL_DEADLINE_MS, `putting ${label} ${start}–${end}`);
    // The next chunk is made while the page writes this one (Node and the browser each have a core).
    const nextEnd = Math.min(total, end + chunk);
    const next = end < total ? makeChunk(end, nextEnd) : [];
    await put;
    const took = Date.now() - t0;
    chunk = Math.max(100, Math.min(20_000, Math.round(chunk * Math.min(2, Math.max(0.5, TARGET_CALL_MS / Math.max(took, 1))))));
    start = end;
    end = nextEnd;
    rows = next;
    if (Math.floor(start / every) > Math.floor(reported / every) || start === total) {
      reported = start;
      const elapsed = (Date.now() - started) / 1000;
      const left = start < total ? `, about ${Math.ceil((elapsed / start) * (total - start))} s left` : '';
      console.log(`  seeded ${start.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} ${label} (${elapsed.toFixed(1)} s${left})`);
    }
  }
}

/** Seeds through `page` (an extension page that has created one case); returns the seeded rows' description. */
export async function seedDatabase(page: Page, counts: SeedCounts): Promise<SeedData> {
  if (counts.cases <= 0 || counts.customers <= 0) throw new BenchError('BENCH_CASES and BENCH_CUSTOMERS must be at least 1');
  step('seed: reading the template case and customer');
  const data = new SeedData(counts, await withDeadline(readTemplates(page), CALL_DEADLINE_MS, 'reading the template case'));
  await seedTable(page, 'customers', 'customers', counts.customers, (i) => data.customer(i), 2000);
  await seedTable(page, 'cases', 'cases', counts.cases, (i) => data.case(i), 1000);
  await seedTable(page, 'notes', 'notes', counts.notes, (j) => data.note(j), 5000);
  // The seeded words are the current ones (lib/search/reindex.ts): the background need not derive them again.
  await putRows(page, 'meta', [{ key: 'searchWordsVersion', value: 3 }]);
  return data;
}
