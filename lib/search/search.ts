/**
 * The one search box: case number, title, customer name, email and phone,
 * tags and note text, answered from two multi-entry indexes on cases: `*words`
 * (the case's own words) and `*noteWords` (the words of its notes).
 *
 * Per keystroke: for each token (at most four, longest first), a keys-only
 * prefix range on both indexes, capped; the key sets are intersected, and only
 * the first candidates are read and ranked. No table scan and no note bodies
 * read, so it stays fast with 50,000 cases and 200,000 notes.
 *
 * It runs in the background's worker (message-handlers.ts says why), where a
 * keystroke costs IndexedDB round trips and the bytes they carry (a record
 * weighs far more than its key; the README's "Why search is built this way"
 * has the measured figures), so: key sets are small and cached per token (typing "Elena Io"
 * reuses what "Elena" read), records are cached by id, and all of it is
 * dropped as soon as any case changes (Dexie's storagemutated event, which
 * also reports writes from the other contexts of the extension).
 */
import { onTablesChanged } from '../db/watch';
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { foldText } from './text';
import type { Case, CaseState, Priority } from '../schema';
import { queryTokens } from './words';

export interface SearchFilters {
  state?: CaseState | readonly CaseState[];
  owner?: string;
  priority?: Priority;
  customerId?: string;
}

export interface SearchOptions {
  limit?: number;
  filters?: SearchFilters;
  db?: SidecaseDb;
}

export interface SearchHit {
  case: Case;
  /** True when some word was found only in the case's notes (show "in a note"). */
  inNotes: boolean;
  /** Lower is better: 0 number, 1 exact title, 2 title start, 3 whole words, 4 prefixes. */
  rank: number;
}

const MAX_TOKENS = 4;
/**
 * Keys read per token and index. A token matched by more cases than this (a
 * very common word or a one-letter prefix) is not used to exclude cases, only
 * to prefer them; its presence is checked on the records read.
 */
const KEY_CAP = 300;
/**
 * Records read and ranked per keystroke, beyond the limit asked for. Reading a
 * record costs far more than reading a key, so candidates are chosen on keys, in the order
 * exact word → newest first, and only a few more than shown are read.
 */
const RECORD_SLACK = 10;

type WordIndex = 'words' | 'noteWords';

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
async function newestKeys(db: SidecaseDb, index: WordIndex, lower: string, upper: string, count: number): Promise<string[]> {
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

async function nativeNewestKeys(db: SidecaseDb, index: WordIndex, lower: string, upper: string, count: number) {
  if (!db.isOpen()) await db.open();
  const target = casesStore(db).index(index) as unknown as { getAllKeys(options: object): IDBRequest<string[]> };
  const request = target.getAllKeys({ query: IDBKeyRange.bound(lower, upper), count, direction: directionOf(lower, upper) });
  return new Promise<string[]>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** getAllKeys({ query, count, direction }) exists where getAllRecords does (the same IndexedDB addition). */
const NATIVE_DIRECTION = typeof IDBIndex !== 'undefined' && 'getAllRecords' in IDBIndex.prototype;

// ---------------------------------------------------------------- caches

const keyCache = new Map<string, Promise<string[]>>();
const recordCache = new Map<string, Case>();
/**
 * Tokens whose every case is known: a read found fewer than its cap, in the
 * case words and in the note words. Any longer word typed from one of them
 * ("ione" → "ionesc") matches a subset of these cases.
 */
const completeSets = new Map<string, string[]>();

/**
 * Bumped by every clear: what a read that began before a change found must not
 * fill the caches after it (it may be the state before the change).
 */
let generation = 0;

function rememberComplete(db: SidecaseDb, token: string, ids: readonly string[], since: number): void {
  if (since === generation) remember(completeSets, `${db.name}|${token}`, [...new Set(ids)], 256);
}

/** The smallest known complete set among the tokens and the words they start with. */
function knownCandidates(db: SidecaseDb, tokens: readonly string[]): string[] | undefined {
  let best: string[] | undefined;
  for (const token of tokens) {
    for (let end = token.length; end >= 1; end--) {
      const ids = completeSets.get(`${db.name}|${token.slice(0, end)}`);
      if (ids && (!best || ids.length < best.length)) best = ids;
      if (ids) break;
    }
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
  recordCache.clear();
  completeSets.clear();
}

onTablesChanged(['cases', 'customers'], clearSearchCaches);

async function readCases(db: SidecaseDb, ids: readonly string[]): Promise<Array<Case | undefined>> {
  const key = (id: string) => `${db.name}|${id}`;
  const since = generation;
  const known = new Map<string, Case>();
  for (const id of ids) {
    const record = recordCache.get(key(id));
    if (record) known.set(id, record);
  }
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length > 0) {
    const read = await db.cases.bulkGet(missing);
    read.forEach((record, i) => {
      if (!record) return;
      known.set(missing[i]!, record);
      if (since === generation) remember(recordCache, key(missing[i]!), record, 2000);
    });
  }
  return ids.map((id) => known.get(id));
}

const matches = (words: readonly string[] | undefined, token: string) => !!words?.some((w) => w.startsWith(token));

function passes(record: Case, filters: SearchFilters | undefined): boolean {
  if (!filters) return true;
  if (filters.state !== undefined) {
    const states: readonly CaseState[] = typeof filters.state === 'string' ? [filters.state] : filters.state;
    if (!states.includes(record.state)) return false;
  }
  if (filters.owner !== undefined && record.owner !== filters.owner) return false;
  if (filters.priority !== undefined && record.priority !== filters.priority) return false;
  if (filters.customerId !== undefined && record.customerId !== filters.customerId) return false;
  return true;
}

function rankOf(record: Case, query: string, tokens: readonly string[]): number {
  const folded = foldText(query);
  const number = record.number.toLowerCase();
  const sequence = number.split('-')[1] ?? '';
  if (folded === number || folded === sequence || folded === sequence.replace(/^0+/, '') || (folded.length >= 6 && number.startsWith(folded))) {
    return 0;
  }
  const title = foldText(record.title);
  if (title === folded) return 1;
  if (title.startsWith(folded)) return 2;
  if (tokens.every((t) => record.words?.includes(t) || record.noteWords?.includes(t))) return 3;
  return 4;
}

/**
 * Ids of cases with a word starting with `token`, in the case words or the note
 * words, in the order of directionOf; `complete` is false when the cap cut the range.
 */
async function idsFor(db: SidecaseDb, token: string, cap: number): Promise<{ ids: string[]; complete: boolean }> {
  const upper = token + '\uffff';
  const since = generation;
  const [own, inNotes] = await Promise.all([newestKeys(db, 'words', token, upper, cap), newestKeys(db, 'noteWords', token, upper, cap)]);
  const complete = own.length < cap && inNotes.length < cap;
  if (complete) rememberComplete(db, token, [...own, ...inNotes], since);
  return { ids: [...new Set([...own, ...inNotes])], complete };
}

/**
 * One word (most keystrokes): the newest cases that have it as a whole word,
 * then cases with a word or a note word starting with it. The whole word
 * first, so "123" finds CAS-000123 before the cap fills with 1234…, and
 * "warranty" the newest warranty cases. Keys first, then only the records not
 * read yet: the next keystroke ("warrant" → "warranty") mostly finds the same
 * cases, and a record weighs many times its key.
 */
async function oneWordCandidates(db: SidecaseDb, token: string, cap: number): Promise<Array<Case | undefined>> {
  const { exact, ids } = await tokenSets(db, token, cap, cap);
  return readCases(db, [...new Set([...exact, ...ids])].slice(0, cap));
}

/** A token's exact-word keys and its prefix keys (words and note words): capped at KEY_CAP for the multi-word path, at the record cap for one word. */
async function tokenSets(db: SidecaseDb, token: string, recordCap: number, keyCap = KEY_CAP) {
  const [exact, set] = await Promise.all([newestKeys(db, 'words', token, token, recordCap), idsFor(db, token, keyCap)]);
  return { exact, ...set };
}

/**
 * A one-letter word beside longer ones (the agent has just begun typing it) is
 * matched by tens of thousands of cases: its first few hundred keys can neither
 * exclude a case nor tell which to prefer, so it is not read, only checked on
 * the records read (as every token is).
 */
function isKeyed(token: string, byLength: readonly string[]): boolean {
  return token.length > 1 || byLength[0]!.length === 1;
}

/**
 * Several words: key sets per word (cached, so typing the second word reuses
 * the first's), intersected; then only the first candidates are read.
 */
async function manyWordCandidates(db: SidecaseDb, byLength: readonly string[], recordCap: number): Promise<string[]> {
  // Per token: its exact word (a whole word outranks the longer words it
  // starts) and its prefix sets; each cached, so only the word being typed is read.
  const found = await Promise.all(byLength.filter((t, _, all) => isKeyed(t, all)).map((t) => tokenSets(db, t, recordCap)));
  // Candidates come from the smallest set, complete ones first (a complete
  // set holds every case that has its token), its exact matches first.
  // Another complete set excludes the cases it lacks; a set cut by its cap
  // cannot exclude anything, so a case found in it too only comes first.
  // Every token is checked again on the records read.
  const bySize = [...found].sort((a, b) => Number(b.complete) - Number(a.complete) || a.ids.length - b.ids.length);
  const base = bySize[0]!;
  const required = bySize.slice(1).filter((s) => s.complete).map((s) => new Set(s.ids));
  const preferred = bySize.slice(1).filter((s) => !s.complete).map((s) => new Set(s.ids));
  const inRequired = (id: string) => required.every((set) => set.has(id));
  const inPreferred = (id: string) => preferred.every((set) => set.has(id));
  const pool = [...base.exact, ...base.ids].filter(inRequired);
  return [...new Set([...pool.filter(inPreferred), ...pool])].slice(0, recordCap);
}

/** Records read per search: a little more than asked, more when filters may drop some. */
function recordCapOf(limit: number, filters: SearchFilters | undefined): number {
  return limit + RECORD_SLACK + (filters ? limit : 0);
}

/**
 * Read ahead, once the agent has finished a word (the query ends with a
 * space): the key sets a search of several words intersects, for the words
 * typed so far, so that the next keystroke reads only its new word's. Same
 * caches as searchCases; call it after answering, never before.
 */
export async function readAheadForNextWord(query: string, options: Pick<SearchOptions, 'limit' | 'filters' | 'db'> = {}): Promise<void> {
  if (!/\s$/.test(query)) return;
  const db = options.db ?? defaultDb;
  const recordCap = recordCapOf(options.limit ?? 50, options.filters);
  const byLength = [...queryTokens(query)].sort((a, b) => b.length - a.length).slice(0, MAX_TOKENS);
  await Promise.all(byLength.filter((t) => t.length > 1).map((t) => tokenSets(db, t, recordCap)));
}

/** Cases matching every token of `query` (each as a word prefix), best first. */
export async function searchCases(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
  const db = options.db ?? defaultDb;
  const limit = options.limit ?? 50;
  const tokens = queryTokens(query);
  if (tokens.length === 0) return [];
  const byLength = [...tokens].sort((a, b) => b.length - a.length).slice(0, MAX_TOKENS);
  const single = byLength.length === 1;

  const recordCap = recordCapOf(limit, options.filters);
  // When every case of some word is known (see completeSets), the answer is
  // among them: all are checked on their records, and no key is read.
  const known = knownCandidates(db, byLength);
  const records = known
    ? await readCases(db, known)
    : single
      ? await oneWordCandidates(db, byLength[0]!, recordCap)
      : await readCases(db, await manyWordCandidates(db, byLength, recordCap));

  const hits: SearchHit[] = [];
  for (const record of records) {
    if (!record || !passes(record, options.filters)) continue;
    // Multi-token sets came from prefix ranges; check again on the record
    // (a key cap can cut a range, never add to it).
    if (!tokens.every((t) => matches(record.words, t) || matches(record.noteWords, t))) continue;
    const inNotes = tokens.some((t) => !matches(record.words, t));
    hits.push({ case: record, inNotes, rank: rankOf(record, query, tokens) });
  }
  hits.sort((a, b) => a.rank - b.rank || b.case.updatedAt - a.case.updatedAt);
  return hits.slice(0, limit);
}
