/**
 * What search reads from the `*words` and `*noteWords` indexes of cases, and
 * what it keeps of it between keystrokes. Keys first (a record weighs many
 * times its key; the README's "Why search is built this way" has the measured
 * figures), each read in a read-only transaction of its own, cached per range;
 * records cached by id; every case of a token, once a read found them all
 * ("complete sets"). All of it is dropped as soon as any case or customer
 * changes (Dexie's storagemutated event, which also reports writes from the
 * other contexts of the extension), and a read that began before a change
 * fills no cache after it.
 */
import { onTablesChanged } from '../db/watch';
import type { SidecaseDb } from '../db/db';
import type { Case } from '../schema';

export type WordIndex = 'words' | 'noteWords';

/** Complete sets larger than this are few and heavy: they get a small cache of their own. */
const SMALL_SET = 600;

/**
 * Records kept between keystrokes: as many as one keystroke reads at most
 * (the cases of known complete sets, up to 2 × KEY_CAP in search.ts; most
 * keystrokes read a few dozen), so the next keystroke of the same query finds
 * what this one read. More would serve only a query typed again after others,
 * and each record kept holds all its search words in the worker's heap (the
 * README's Speed section has the figures).
 */
export const RECORDS_KEPT = 600;

/**
 * What search needs of a case: what it filters and ranks on, its words, and
 * what a result row shows. A kept record holds only these: the rest (the
 * description, tags, SLA, resolutions) was read once and never looked at by
 * a search. The words are one string, each word after a space and the last
 * followed by one (" elena ionescu 104217 "): read as an array, each word was
 * a string of its own, two to three times its length in the worker's heap,
 * and the kept records' words were most of what the search holds.
 */
export interface SearchCase
  extends Pick<Case, 'id' | 'number' | 'title' | 'customerId' | 'customerLabel' | 'priority' | 'state' | 'statusReason' | 'owner' | 'updatedAt'> {
  /** The case's search words (Case.words), joined as above. */
  words: string;
  /** The words of its notes (Case.noteWords), joined as above. */
  noteWords: string;
}

const joinedWords = (words: readonly string[] | undefined) => (words?.length ? ` ${words.join(' ')} ` : '');

function searchCaseOf(record: Case): SearchCase {
  const { id, number, title, customerId, customerLabel, priority, state, statusReason, owner, updatedAt } = record;
  return {
    id,
    number,
    title,
    customerId,
    customerLabel,
    priority,
    state,
    statusReason,
    owner,
    updatedAt,
    words: joinedWords(record.words),
    noteWords: joinedWords(record.noteWords),
  };
}

/** Joined words (SearchCase) hold a word starting with `token` (words never hold a space). */
export const hasWordStarting = (words: string, token: string) => words.includes(` ${token}`);
/** Joined words (SearchCase) hold `token` as a whole word. */
export const hasWord = (words: string, token: string) => words.includes(` ${token} `);

/**
 * Which end of a range is read. One word (lower = upper): its newest cases
 * first (ULIDs sort by time). A prefix range: from its start, the words
 * nearest to what was typed first. Reading a wide range backwards makes
 * Chromium's IndexedDB walk to its end first (many times slower for a short
 * prefix such as "1"), and the newest cases of a prefix come in
 * through its exact word, which every search reads too.
 */
function directionOf(lower: string, upper: string): IDBCursorDirection {
  return lower === upper ? 'prev' : 'next';
}

/**
 * Primary keys of cases whose `index` holds a word in [lower, upper], in the
 * order of directionOf, at most `count`. Chromium 141+ reads them in one
 * request (getAllKeys with a direction); elsewhere Dexie walks a
 * cursor, correct but a round trip per few keys.
 */
export async function newestKeys(db: SidecaseDb, index: WordIndex, lower: string, upper: string, count: number): Promise<string[]> {
  const cacheKey = `${db.name}|${index}|${lower}|${upper === lower ? '=' : '*'}|${count}`;
  const cached = keyCache.get(cacheKey);
  if (cached) return cached;
  // The promise is cached, so a read still under way (a read-ahead) is shared, not made twice.
  const keys = readNewestKeys(db, index, lower, upper, count);
  remember(keyCache, cacheKey, keys, 256);
  keys.catch(() => keyCache.get(cacheKey) === keys && keyCache.delete(cacheKey));
  return keys;
}

async function readNewestKeys(db: SidecaseDb, index: WordIndex, lower: string, upper: string, count: number): Promise<string[]> {
  if (NATIVE_DIRECTION) return nativeNewestKeys(db, index, lower, upper, count);
  return (await dexieRange(db, index, lower, upper).limit(count).primaryKeys()) as string[];
}

function dexieRange(db: SidecaseDb, index: WordIndex, lower: string, upper: string) {
  return lower === upper ? db.cases.where(index).equals(lower).reverse() : db.cases.where(index).between(lower, upper, true, true);
}

/**
 * Each read has a read-only transaction of its own: the browser runs separate
 * read-only transactions side by side, where the requests of one run in turn
 * (a word's three key reads finish sooner in three transactions than in one).
 */
function casesStore(db: SidecaseDb): IDBObjectStore {
  return db.backendDB().transaction('cases', 'readonly').objectStore('cases');
}

function answer<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function nativeNewestKeys(db: SidecaseDb, index: WordIndex, lower: string, upper: string, count: number) {
  if (!db.isOpen()) await db.open();
  const target = casesStore(db).index(index) as unknown as { getAllKeys(options: object): IDBRequest<string[]> };
  return answer(target.getAllKeys({ query: IDBKeyRange.bound(lower, upper), count, direction: directionOf(lower, upper) }));
}

/** getAllKeys({ query, count, direction }) exists where getAllRecords does (the same IndexedDB addition). */
const NATIVE_DIRECTION = typeof IDBIndex !== 'undefined' && 'getAllRecords' in IDBIndex.prototype;

/** Index entries of words starting with `token`, in the case words and the note words (a case with two such words counts twice). */
export async function countKeys(db: SidecaseDb, token: string): Promise<number> {
  const cacheKey = `${db.name}|${token}`;
  const cached = countCache.get(cacheKey);
  if (cached) return cached;
  const count = (async () => {
    if (!db.isOpen()) await db.open();
    const range = IDBKeyRange.bound(token, token + '\uffff');
    const [own, inNotes] = await Promise.all((['words', 'noteWords'] as const).map((index) => answer(casesStore(db).index(index).count(range))));
    return own! + inNotes!;
  })();
  remember(countCache, cacheKey, count, 64);
  count.catch(() => countCache.get(cacheKey) === count && countCache.delete(cacheKey));
  return count;
}

/** Every case with a word starting with `token`, in the case words or the note words: one keys-only read per index, uncapped. */
export async function allKeys(db: SidecaseDb, token: string): Promise<string[]> {
  return (await keysUpTo(db, token))!;
}

/**
 * Every case with a word starting with `token`, as allKeys, when each index
 * holds at most `limit` of them (each read capped one past it); undefined
 * when one holds more, and then nothing is kept. It costs about what a count
 * of the range would, up to the cap, and answers more. No limit: all of them.
 */
export function keysUpTo(db: SidecaseDb, token: string, limit?: number): Promise<string[] | undefined> {
  // The promise is kept while it is out, so a read-ahead's read (readAheadForNextWord) is shared, not made twice.
  const cacheKey = `${db.name}|${token}|${limit ?? ''}`;
  const pending = pendingKeys.get(cacheKey);
  if (pending) return pending;
  const keys: Promise<string[] | undefined> = readKeysUpTo(db, token, limit).finally(() => pendingKeys.get(cacheKey) === keys && pendingKeys.delete(cacheKey));
  pendingKeys.set(cacheKey, keys);
  return keys;
}

async function readKeysUpTo(db: SidecaseDb, token: string, limit?: number): Promise<string[] | undefined> {
  if (!db.isOpen()) await db.open();
  const since = generation;
  const range = IDBKeyRange.bound(token, token + '\uffff');
  const read = (index: WordIndex) => casesStore(db).index(index).getAllKeys(range, limit === undefined ? undefined : limit + 1);
  const [own, inNotes] = (await Promise.all((['words', 'noteWords'] as const).map((index) => answer(read(index))))) as string[][];
  if (limit !== undefined && (own!.length > limit || inNotes!.length > limit)) return undefined;
  const ids = [...new Set([...own!, ...inNotes!])];
  rememberComplete(db, token, ids, since);
  return ids;
}

// ---------------------------------------------------------------- caches

const keyCache = new Map<string, Promise<string[]>>();
const countCache = new Map<string, Promise<number>>();
/** Reads of keysUpTo still out, by database, token and limit. */
const pendingKeys = new Map<string, Promise<string[] | undefined>>();
const recordCache = new Map<string, SearchCase>();
/**
 * Records being read, by id: a keystroke that needs one waits for that read
 * instead of reading it again (a read-ahead may still be out when the agent
 * types the next character).
 */
const pendingRecords = new Map<string, Promise<SearchCase | undefined>>();
/**
 * Tokens whose every case is known: a read found fewer than its cap, in the
 * case words and in the note words, or read them all. Any longer word typed
 * from one of them ("ione" → "ionesc") matches a subset of these cases.
 */
const completeSets = new Map<string, string[]>();
const largeCompleteSets = new Map<string, string[]>();

/**
 * Bumped by every clear: what a read that began before a change found must not
 * fill the caches after it (it may be the state before the change).
 */
let generation = 0;

/** The generation a read begins in: pass it to rememberComplete when the read is done. */
export function currentGeneration(): number {
  return generation;
}

export function rememberComplete(db: SidecaseDb, token: string, ids: readonly string[], since: number): void {
  if (since !== generation) return;
  const unique = [...new Set(ids)];
  if (unique.length <= SMALL_SET) remember(completeSets, `${db.name}|${token}`, unique, 256);
  else remember(largeCompleteSets, `${db.name}|${token}`, unique, 8);
}

/**
 * A whole word's newest cases, all of them down to `boundary` (the word is
 * one no longer word starts with, so they are every case of the word there):
 * what a paged read of a lone word found (search.ts), newest first.
 */
export interface NewestSegment {
  ids: string[];
  boundary: string;
}
const segments = new Map<string, NewestSegment>();

export function rememberSegment(db: SidecaseDb, token: string, segment: NewestSegment, since: number): void {
  if (since === generation) remember(segments, `${db.name}|${token}`, segment, 32);
}

export function knownSegment(db: SidecaseDb, token: string): NewestSegment | undefined {
  return segments.get(`${db.name}|${token}`);
}

/** Every case that may match `token`: the complete set of the token or of the longest word it starts with that has one. */
export function knownComplete(db: SidecaseDb, token: string): string[] | undefined {
  for (let end = token.length; end >= 1; end--) {
    const key = `${db.name}|${token.slice(0, end)}`;
    const ids = completeSets.get(key) ?? largeCompleteSets.get(key);
    if (ids) return ids;
  }
  return undefined;
}

/**
 * Every match of a search that found fewer than it was asked for (search.ts
 * says so: such an answer holds all of them), with its tokens and filters. A
 * case that matches a query whose every earlier token starts one of its own
 * ("Putu Wijaya 121" after "Putu Wijaya 12") matches the earlier query too:
 * its matches are among these, and only they need checking.
 */
interface KnownMatches {
  db: string;
  tokens: readonly string[];
  filters: string;
  ids: readonly string[];
}
let knownMatchSets: KnownMatches[] = [];
const MATCH_SETS_KEPT = 16;

export function rememberMatches(db: SidecaseDb, tokens: readonly string[], filters: string, ids: readonly string[], since: number): void {
  if (since !== generation) return;
  knownMatchSets = [{ db: db.name, tokens, filters, ids }, ...knownMatchSets].slice(0, MATCH_SETS_KEPT);
}

/** The fewest known matches `tokens` can only narrow (see KnownMatches), at most `max` of them; undefined when none is known. */
export function knownMatches(db: SidecaseDb, tokens: readonly string[], filters: string, max: number): readonly string[] | undefined {
  let best: readonly string[] | undefined;
  for (const known of knownMatchSets) {
    if (known.db !== db.name || known.filters !== filters || known.ids.length > max) continue;
    if (!known.tokens.every((earlier) => tokens.some((token) => token.startsWith(earlier)))) continue;
    if (!best || known.ids.length < best.length) best = known.ids;
  }
  return best;
}

/** Insert into a Map used as an LRU (Maps keep insertion order). */
function remember<V>(cache: Map<string, V>, key: string, value: V, max: number): void {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > max) cache.delete(cache.keys().next().value!);
}

/** Forget everything read: a case (or a customer, whose words are on its cases) changed. */
export function clearSearchCaches(): void {
  generation += 1;
  keyCache.clear();
  countCache.clear();
  pendingKeys.clear();
  knownMatchSets = [];
  recordCache.clear();
  pendingRecords.clear();
  completeSets.clear();
  largeCompleteSets.clear();
  segments.clear();
}

onTablesChanged(['cases', 'customers'], clearSearchCaches);

/** The leading ids of `ids` whose records are kept (readCases answers them without a read), up to the first that is not. */
export function keptPrefix(db: SidecaseDb, ids: readonly string[]): string[] {
  const end = ids.findIndex((id) => !recordCache.has(`${db.name}|${id}`));
  return end < 0 ? [...ids] : ids.slice(0, end);
}

export async function readCases(db: SidecaseDb, ids: readonly string[]): Promise<Array<SearchCase | undefined>> {
  const key = (id: string) => `${db.name}|${id}`;
  const since = generation;
  const known = new Map<string, SearchCase | undefined>();
  const waits: Array<Promise<unknown>> = [];
  const missing: string[] = [];
  for (const id of ids) {
    const record = recordCache.get(key(id));
    const pending = record ? undefined : pendingRecords.get(key(id));
    if (record) known.set(id, record);
    else if (pending) waits.push(pending.then((found) => known.set(id, found)));
    else missing.push(id);
  }
  if (missing.length > 0) {
    const read = db.cases.bulkGet(missing).then((rows) => rows.map((row) => row && searchCaseOf(row)));
    const each = missing.map((id, i) => {
      const one = read.then((rows) => rows[i]);
      // Awaited by a later keystroke, or by none: a failed read is this call's to report.
      one.catch(() => undefined);
      pendingRecords.set(key(id), one);
      return one;
    });
    try {
      (await read).forEach((record, i) => {
        known.set(missing[i]!, record);
        if (record && since === generation) remember(recordCache, key(missing[i]!), record, RECORDS_KEPT);
      });
    } finally {
      missing.forEach((id, i) => pendingRecords.get(key(id)) === each[i] && pendingRecords.delete(key(id)));
    }
  }
  await Promise.all(waits);
  return ids.map((id) => known.get(id));
}
