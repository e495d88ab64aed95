/**
 * What a widened search reads (search.ts widenedCandidates). With 50,000
 * cases a count of a word walks its index range at nearly the cost of reading
 * its keys (a count of every case 270–610 ms on the `number` index, half that
 * on the table), so nothing is counted that decides nothing, the count of all
 * cases is made once, and records kept from earlier keystrokes are checked
 * before anything is counted or read. The key cap is lowered (keyCap) so that
 * a hundred cases do what 50,000 do.
 */
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { addNote } from '../../../lib/notes/notes';
import { SidecaseDb } from '../../../lib/db/db';
import { clearSearchCaches, readAheadForNextWord, searchCases } from '../../../lib/search/search';
import { readCases } from '../../../lib/search/reads';
import { caseInput } from '../cases/helpers';

let db: SidecaseDb;
let now = 1_700_000_000_000;
let n = 0;

/** A case of `name`, no word starting with "i" but in `title` (letters-only case number suffix, a .com address). */
async function make(title: string, name: string) {
  n += 1;
  const input = caseInput({ title }, { name, email: `c${n}@example.com`, phone: '', company: '' });
  return (await createCase(input, { actor: 'Bea', db, now: ++now })).case;
}
async function makeMany(count: number, title: string, name: string) {
  for (let i = 0; i < count; i++) await make(title, name);
}

/** 225 cases of Putu Santoso: 200 orders, then five invoices (the only words starting with "i"), then 20 orders. */
async function invoicesBelowOrders() {
  await makeMany(200, 'Order copy', 'Putu Santoso');
  for (let i = 0; i < 5; i++) await make(`Invoice copy ${i}`, 'Putu Santoso');
  await makeMany(20, 'Order copy', 'Putu Santoso');
}
/**
 * 30 installs of Putu Santoso's and 30 of Dewi Wijaya's (words starting with "in" on 60 cases), then
 * the newest ten of Putu Wijaya's, one an invoice: "putu wijaya " finds its first matches among the
 * newest cases of "wijaya", and "putu wijaya in" widens.
 */
async function putuWijayaAmongOthers() {
  await makeMany(30, 'Install copy', 'Putu Santoso');
  await makeMany(30, 'Install copy', 'Dewi Wijaya');
  await make('Invoice copy', 'Putu Wijaya');
  await makeMany(9, 'Order copy', 'Putu Wijaya');
}
const invoices = ['Invoice copy 4', 'Invoice copy 3', 'Invoice copy 2', 'Invoice copy 1', 'Invoice copy 0'];

/**
 * IndexedDB requests a search makes: counts (of an index, of the table), reads
 * of an index's whole range of keys (`uncapped`), and batches of records read.
 */
function watchReads() {
  const indexCounts: string[] = [];
  const storeCounts: string[] = [];
  const uncapped: string[] = [];
  /** Capped reads of a range: index, the range's lower bound, and how many keys were asked for. */
  const capped: Array<{ index: string; from: string; count: number }> = [];
  const indexCount = IDBIndex.prototype.count;
  const storeCount = IDBObjectStore.prototype.count;
  const getAllKeys = IDBIndex.prototype.getAllKeys;
  vi.spyOn(IDBIndex.prototype, 'count').mockImplementation(function (this: IDBIndex, ...args) {
    indexCounts.push(this.name);
    return indexCount.apply(this, args);
  });
  vi.spyOn(IDBIndex.prototype, 'getAllKeys').mockImplementation(function (this: IDBIndex, query, count) {
    // getAllKeys(range) reads a whole range; with a count (or options holding one, Chromium 141+) a page.
    const options = query as { count?: number } | null;
    if (!count && !(options && !(options instanceof IDBKeyRange) && options.count)) uncapped.push(this.name);
    else {
      const range = options instanceof IDBKeyRange ? options : (query as { query?: IDBKeyRange } | null)?.query;
      capped.push({ index: this.name, from: String(range?.lower ?? ''), count: count ?? options?.count ?? 0 });
    }
    return getAllKeys.call(this, query, count);
  });
  vi.spyOn(IDBObjectStore.prototype, 'count').mockImplementation(function (this: IDBObjectStore, ...args) {
    storeCounts.push(this.name);
    return storeCount.apply(this, args);
  });
  const batches: number[] = [];
  const batchIds: string[][] = [];
  const bulkGet = db.cases.bulkGet.bind(db.cases);
  vi.spyOn(db.cases, 'bulkGet').mockImplementation(((keys: string[]) => {
    batches.push(keys.length);
    batchIds.push([...keys]);
    return bulkGet(keys);
  }) as typeof db.cases.bulkGet);
  const reset = () => {
    indexCounts.length = 0;
    storeCounts.length = 0;
    uncapped.length = 0;
    capped.length = 0;
    batches.length = 0;
    batchIds.length = 0;
  };
  return { indexCounts, storeCounts, uncapped, capped, batches, batchIds, reset };
}

beforeEach(async () => {
  db = new SidecaseDb(`test-${crypto.randomUUID()}`);
  await db.meta.put({ key: 'installSuffix', value: 'KQWXYZMNPR' });
  clearSearchCaches();
});
afterEach(async () => {
  vi.restoreAllMocks();
  db.close();
  await Dexie.delete(db.name);
});

const titles = async (query: string, options: { limit: number; keyCap: number }) => (await searchCases(query, { db, ...options })).map((hit) => hit.case.title);
const SLOW = 30_000;

describe('a widened search', () => {
  it('reads a lone word\'s keys without counting them, and then answers the next keystroke from the records it kept', async () => {
    for (let i = 0; i < 5; i++) await make(`Invoice copy ${i}`, 'Putu Santoso');
    await makeMany(20, 'Order copy', 'Putu Santoso');
    const reads = watchReads();
    // "i" is checked on the records only: "putu" alone is keyed, its newest 15 hold no match.
    expect(await titles('putu i', { limit: 5, keyCap: 4 })).toEqual(['Invoice copy 4', 'Invoice copy 3', 'Invoice copy 2', 'Invoice copy 1', 'Invoice copy 0']);
    expect(reads.indexCounts).toEqual([]);
    expect(reads.storeCounts).toEqual([]);

    // "in" is keyed now, its first keys cut by the cap: the cases of "putu", known, kept from the
    // keystroke before, hold the matches; nothing is counted.
    reads.reset();
    expect(await titles('putu in', { limit: 5, keyCap: 4 })).toEqual(['Invoice copy 4', 'Invoice copy 3', 'Invoice copy 2', 'Invoice copy 1', 'Invoice copy 0']);
    expect(reads.indexCounts).toEqual([]);
    expect(reads.storeCounts).toEqual([]);
  }, SLOW);

  it('reads a second common word\'s keys when they cost less than reading every case of the first, and counts no table', async () => {
    // A name: 10 cases of Putu Wijaya (one matches "i"), among 80 of "putu" and 70 of "wijaya" in 200.
    await make('Invoice copy', 'Putu Wijaya');
    await makeMany(9, 'Order copy', 'Putu Wijaya');
    await makeMany(70, 'Order copy', 'Putu Santoso');
    await makeMany(60, 'Order copy', 'Dewi Wijaya');
    await makeMany(60, 'Order copy', 'Dewi Lestari');
    const reads = watchReads();
    expect(await titles('putu wijaya i', { limit: 3, keyCap: 2 })).toEqual(['Invoice copy']);
    // Each word has more keys than a widened read takes uncounted (32 × the key cap of 2: 64), so
    // both are counted, both read in full (one read per index each): the cases of both, not
    // the 70 of "wijaya", are read. As if words were independent, the 80 keys of "putu" would
    // have been weighed against 8 records (3 matches at 80 in 200) and not read.
    expect(reads.indexCounts.length).toBe(4);
    expect(reads.uncapped.length).toBe(4);
    expect(reads.storeCounts).toEqual([]);
    // The first 13 candidates (limit + slack), then what is left of the 10 cases of both words.
    expect(reads.batches.reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(13 + 10);
  }, SLOW);

  it('reads the keys of words with few enough without counting them, never a two-character word\'s, and checks that one on the records', async () => {
    // Words starting with "in" on 61 cases, one of them Putu Wijaya's; 40 cases of "putu", 40 of "wijaya".
    await make('Invoice copy', 'Putu Wijaya');
    await makeMany(9, 'Order copy', 'Putu Wijaya');
    await makeMany(30, 'Install copy', 'Putu Santoso');
    await makeMany(30, 'Install copy', 'Dewi Wijaya');
    const reads = watchReads();
    expect(await titles('putu wijaya in', { limit: 3, keyCap: 2 })).toEqual(['Invoice copy']);
    // Nothing counted: "putu" and "wijaya" read in full, each capped at 65 keys (32 × the key cap
    // of 2, and one more to tell that there are no more) in both indexes.
    expect(reads.indexCounts).toEqual([]);
    expect(reads.uncapped).toEqual([]);
    for (const word of ['putu', 'wijaya']) {
      expect(reads.capped.filter((read) => read.from === word && read.count === 65).map((read) => read.index).sort()).toEqual(['noteWords', 'words']);
    }
    // "in" read only as the first candidates are (its newest few), never widened.
    expect(reads.capped.filter((read) => read.from === 'in').every((read) => read.count <= 13)).toBe(true);
    // The first 13 candidates (limit + slack), then what is left of the 10 cases of both words.
    expect(reads.batches.reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(13 + 10);
  }, SLOW);

  it('reads ahead the keys of every common word once a word of several is finished, so the keystroke that widens reads none', async () => {
    await putuWijayaAmongOthers();
    // Both words cut by the key cap: what the background does once it has answered "putu wijaya ".
    expect(await titles('putu wijaya ', { limit: 3, keyCap: 2 })).toHaveLength(3);
    await readAheadForNextWord('putu wijaya ', { db, limit: 3, keyCap: 2 });
    const reads = watchReads();
    expect(await titles('putu wijaya in', { limit: 3, keyCap: 2 })).toEqual(['Invoice copy']);
    // Neither word is read again (65 keys: 32 × the key cap of 2, and one more), nor counted.
    expect(reads.capped.filter((read) => read.from === 'putu' || read.from === 'wijaya')).toEqual([]);
    expect(reads.uncapped).toEqual([]);
    expect(reads.indexCounts).toEqual([]);
  }, SLOW);

  it('shares a read-ahead of a word\'s keys still out with the keystroke that widens', async () => {
    await putuWijayaAmongOthers();
    await titles('putu wijaya ', { limit: 3, keyCap: 2 });
    const reads = watchReads();
    const ahead = readAheadForNextWord('putu wijaya ', { db, limit: 3, keyCap: 2 });
    expect(await titles('putu wijaya in', { limit: 3, keyCap: 2 })).toEqual(['Invoice copy']);
    await ahead;
    // One read of each word's keys per index, not one for each of them.
    for (const word of ['putu', 'wijaya']) {
      expect(reads.capped.filter((read) => read.from === word && read.count === 65).map((read) => read.index).sort()).toEqual(['noteWords', 'words']);
    }
  }, SLOW);

  it('answers a query that narrows one which found every match from those cases alone, reading no key', async () => {
    await putuWijayaAmongOthers();
    // One match, fewer than the limit: every match.
    expect(await titles('putu wijaya i', { limit: 3, keyCap: 2 })).toEqual(['Invoice copy']);
    const reads = watchReads();
    // Every earlier word starts one of these: only that case can match, and its record is kept.
    expect(await titles('putu wijaya inv', { limit: 3, keyCap: 2 })).toEqual(['Invoice copy']);
    expect(await titles('putu wijaya invoice c', { limit: 3, keyCap: 2 })).toEqual(['Invoice copy']);
    expect(reads.capped).toEqual([]);
    expect(reads.uncapped).toEqual([]);
    expect(reads.batches).toEqual([]);
  }, SLOW);

  it('never narrows from an answer that stopped at its limit', async () => {
    // The oldest invoice lies below 200 orders; the four newest come in the second batch read.
    await make('Invoice copy 0', 'Putu Santoso');
    await makeMany(200, 'Order copy', 'Putu Santoso');
    for (let i = 1; i <= 4; i++) await make(`Invoice copy ${i}`, 'Putu Santoso');
    await makeMany(20, 'Order copy', 'Putu Santoso');
    expect(await titles('putu i', { limit: 4, keyCap: 4 })).toEqual(['Invoice copy 4', 'Invoice copy 3', 'Invoice copy 2', 'Invoice copy 1']);
    expect(await titles('putu in', { limit: 5, keyCap: 4 })).toEqual(invoices);
  }, SLOW);

  it('reads records in batches that double up to four times the first, the newest first', async () => {
    // The oldest ten are what each word's first keys (in word order) find.
    await makeMany(10, 'Order copy', 'Putu Santoso');
    for (let i = 0; i < 2; i++) await make(`Invoice copy ${i}`, 'Putu Santoso');
    await makeMany(150, 'Order copy', 'Putu Santoso');
    const reads = watchReads();
    // Two words, both on every case: counted, one read in full, the records checked newest first.
    expect(await titles('putu santoso i', { limit: 2, keyCap: 4 })).toEqual(['Invoice copy 1', 'Invoice copy 0']);
    // The first 12 candidates (limit + slack), then the other 150 widened: 12, 24, 48, at most 4 × 12 each, to the oldest.
    expect(reads.batches).toEqual([12, 12, 24, 48, 48, 18]);
  }, SLOW);

  it('reads a lone word\'s newest cases a page of keys at a time, and the next keystroke starts from that page', async () => {
    await invoicesBelowOrders();
    const reads = watchReads();
    // The newest 15 of 225 cases are orders; the invoices come next, within the first page of 140 keys.
    expect(await titles('putu i', { limit: 5, keyCap: 4 })).toEqual(invoices);
    expect(reads.uncapped).toEqual([]);
    expect(reads.indexCounts).toEqual([]);
    // Past the page's records read so far, nothing was read.
    expect(reads.batches.reduce((sum, n) => sum + n, 0)).toBeLessThan(60);

    reads.reset();
    expect(await titles('putu in', { limit: 5, keyCap: 4 })).toEqual(invoices);
    expect(reads.uncapped).toEqual([]);
    expect(reads.indexCounts).toEqual([]);
  }, SLOW);

  it('reads ahead a lone common word\'s newest page once it is finished, so the next letter reads no record', async () => {
    await invoicesBelowOrders();
    expect(await titles('putu ', { limit: 5, keyCap: 4 })).toHaveLength(5);
    // What the background does once it has answered "putu ".
    await readAheadForNextWord('putu ', { db, limit: 5, keyCap: 4 });
    const reads = watchReads();
    expect(await titles('putu i', { limit: 5, keyCap: 4 })).toEqual(invoices);
    expect(reads.batches).toEqual([]);
    expect(reads.uncapped).toEqual([]);
  }, SLOW);

  it('shares a read-ahead still out with the keystroke that needs its records', async () => {
    await invoicesBelowOrders();
    await titles('putu ', { limit: 5, keyCap: 4 });
    const reads = watchReads();
    // The next letter comes while the read-ahead is out: no record is read twice.
    const ahead = readAheadForNextWord('putu ', { db, limit: 5, keyCap: 4 });
    expect(await titles('putu i', { limit: 5, keyCap: 4 })).toEqual(invoices);
    await ahead;
    const ids = reads.batchIds.flat();
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  }, SLOW);

  it('reads a record once for two searches that need it at the same time, but never hands a read begun before a change to one after it', async () => {
    const made = await make('Order copy', 'Putu Santoso');
    const reads = watchReads();
    await Promise.all([readCases(db, [made.id]), readCases(db, [made.id])]);
    expect(reads.batches).toEqual([1]);
    clearSearchCaches();
    reads.reset();
    const before = readCases(db, [made.id]);
    clearSearchCaches(); // what a change does, here while the read is out
    const after = readCases(db, [made.id]);
    await Promise.all([before, after]);
    expect(reads.batches).toEqual([1, 1]);
  }, SLOW);

  it('reads further pages of a lone word until enough match, and all of them when few do', async () => {
    for (let i = 0; i < 2; i++) await make(`Invoice copy ${i}`, 'Putu Santoso');
    await makeMany(300, 'Order copy', 'Putu Santoso');
    expect(await titles('putu i', { limit: 5, keyCap: 4 })).toEqual(['Invoice copy 1', 'Invoice copy 0']);
  }, SLOW);

  it('reads a lone word in the note words too, never checking a note\'s older case before a newer one still unread', async () => {
    // "putu" only in a note of five old invoices; three newer invoices of Putu's below the first page.
    for (let i = 0; i < 5; i++) {
      const old = await make(`Invoice copy old ${i}`, 'Dewi Lestari');
      await addNote(old.id, { body: 'Called Putu back', format: 'text' }, { actor: 'Bea', db, now: ++now });
    }
    for (let i = 0; i < 3; i++) await make(`Invoice copy new ${i}`, 'Putu Santoso');
    await makeMany(200, 'Order copy', 'Putu Santoso');
    expect(await titles('putu i', { limit: 3, keyCap: 4 })).toEqual(['Invoice copy new 2', 'Invoice copy new 1', 'Invoice copy new 0']);
  }, SLOW);

  it('reads every case of a word that longer words start with, not only its whole word\'s', async () => {
    await make('Invoice copy', 'Putuh Santoso');
    await makeMany(20, 'Order copy', 'Putu Santoso');
    expect(await titles('putu i', { limit: 5, keyCap: 4 })).toEqual(['Invoice copy']);
  }, SLOW);
});
