/**
 * The one search box: case number, title, customer name, email and phone,
 * tags and note text, answered from two multi-entry indexes on cases: `*words`
 * (the case's own words) and `*noteWords` (the words of its notes).
 *
 * Per keystroke: for each token (at most four, longest first), a keys-only
 * prefix range on both indexes, capped; the key sets are intersected, and only
 * the first candidates are read and ranked. When those hold fewer matches than
 * asked for and more may exist (every word common, so every key set was cut),
 * the read widens (widenedCandidates): the rarest word's keys are read in
 * full, so no match is missed. An answer with fewer matches than asked for
 * holds them all, and a longer query that can only narrow it ("Putu Wijaya
 * 121" after "Putu Wijaya 12") checks only those cases. No table scan and no
 * note bodies read, so it stays fast with 50,000 cases and 200,000 notes.
 *
 * It runs in the background's worker (message-handlers.ts says why), where a
 * keystroke costs IndexedDB round trips and the bytes they carry (a record
 * weighs far more than its key; the README's "Why search is built this way"
 * has the measured figures), so key sets are small and cached per token
 * (typing "Elena Io" reuses what "Elena" read) and records cached by id, all
 * of it dropped on any change (reads.ts).
 */
import { db as defaultDb, type SidecaseDb } from '../db/db';
import type { CaseState, Priority } from '../schema';
import {
  currentGeneration,
  hasWord,
  hasWordStarting,
  keptPrefix,
  knownComplete,
  knownMatches,
  knownSegment,
  newestKeys,
  readCases,
  rememberComplete,
  rememberMatches,
  rememberSegment,
  type NewestSegment,
  type SearchCase,
} from './reads';
import { foldText } from './text';
import { intersect, knownCandidates, readWideningAhead, widenedCandidates } from './widen';
import { queryTokens } from './words';

export { clearSearchCaches } from './reads';

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
  /** Keys read per token and index before widening (KEY_CAP); lowered by tests to reproduce, with a few cases, what 50,000 do. */
  keyCap?: number;
}

export interface SearchHit {
  case: SearchCase;
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

function passes(record: SearchCase, filters: SearchFilters | undefined): boolean {
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

function rankOf(record: SearchCase, query: string, tokens: readonly string[]): number {
  const folded = foldText(query);
  const number = record.number.toLowerCase();
  const sequence = number.split('-')[1] ?? '';
  if (folded === number || folded === sequence || folded === sequence.replace(/^0+/, '') || (folded.length >= 6 && number.startsWith(folded))) {
    return 0;
  }
  const title = foldText(record.title);
  if (title === folded) return 1;
  if (title.startsWith(folded)) return 2;
  if (tokens.every((t) => hasWord(record.words, t) || hasWord(record.noteWords, t))) return 3;
  return 4;
}

/**
 * Ids of cases with a word starting with `token`, in the case words or the note
 * words, in the order of directionOf; `complete` is false when the cap cut the range.
 */
async function idsFor(db: SidecaseDb, token: string, cap: number): Promise<{ ids: string[]; complete: boolean }> {
  const upper = token + '\uffff';
  const since = currentGeneration();
  const [own, inNotes] = await Promise.all([newestKeys(db, 'words', token, upper, cap), newestKeys(db, 'noteWords', token, upper, cap)]);
  const complete = own.length < cap && inNotes.length < cap;
  if (complete) rememberComplete(db, token, [...own, ...inNotes], since);
  return { ids: [...new Set([...own, ...inNotes])], complete };
}

/** Cases to check, in the order to read them; `exhaustive` when every match is among them. */
interface Candidates {
  ids: string[];
  exhaustive: boolean;
}

/**
 * One word (most keystrokes): the newest cases that have it as a whole word,
 * then cases with a word or a note word starting with it. The whole word
 * first, so "123" finds CAS-000123 before the cap fills with 1234…, and
 * "warranty" the newest warranty cases. Keys first, then only the records not
 * read yet: the next keystroke ("warrant" → "warranty") mostly finds the same
 * cases, and a record weighs many times its key.
 */
async function oneWordCandidates(db: SidecaseDb, token: string, cap: number): Promise<Candidates> {
  const { exact, ids, complete } = await tokenSets(db, token, cap, cap);
  const all = [...new Set([...exact, ...ids])];
  return { ids: all.slice(0, cap), exhaustive: complete && all.length <= cap };
}

/** A token's exact-word keys and its prefix keys (words and note words): capped at the key cap for the multi-word path, at the record cap for one word. */
async function tokenSets(db: SidecaseDb, token: string, recordCap: number, keyCap: number) {
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
 * the first's), intersected; the candidates come in the order to read them.
 */
async function manyWordCandidates(db: SidecaseDb, keyed: readonly string[], recordCap: number, keyCap: number): Promise<Candidates> {
  // Per token: its exact word (a whole word outranks the longer words it
  // starts) and its prefix sets; each cached, so only the word being typed is read.
  const found = await Promise.all(keyed.map((t) => tokenSets(db, t, recordCap, keyCap)));
  // Candidates come from the smallest set, complete ones first (a complete
  // set holds every case that has its token), its exact matches first.
  // Another complete set excludes the cases it lacks; a set cut by its cap
  // cannot exclude anything, so a case found in it too only comes first.
  // Every token is checked again on the records read.
  const bySize = [...found].sort((a, b) => Number(b.complete) - Number(a.complete) || a.ids.length - b.ids.length);
  const base = bySize[0]!;
  const pool = intersect([...new Set([...base.exact, ...base.ids])], bySize.slice(1).filter((s) => s.complete).map((s) => s.ids));
  const preferred = bySize.slice(1).filter((s) => !s.complete).map((s) => new Set(s.ids));
  const inPreferred = (id: string) => preferred.every((set) => set.has(id));
  return { ids: [...new Set([...pool.filter(inPreferred), ...pool])], exhaustive: base.complete };
}

/**
 * Each batch of records a widened read checks is twice the one before, up to
 * four times the first (35, 70, 140, 140…): a batch costs about 2 ms beyond
 * its records, and a larger one reads more past the last match it needs.
 */
const WIDENED_BATCH_GROWTH = 2;
const WIDENED_BATCH_MAX = 4;

/**
 * A lone word's keys read per page the first time; each further page reads
 * four times as many, from the newest again (an index read cannot start
 * below a case id), so all pages together read at most 4/3 of the last.
 */
const WORD_PAGE = 140;
const WORD_PAGE_GROWTH = 4;

/** Whether some longer word starts with `token`: then not all of its cases are under the whole word. */
async function hasLongerWords(db: SidecaseDb, token: string): Promise<boolean> {
  const found = await Promise.all((['words', 'noteWords'] as const).map((index) => newestKeys(db, index, `${token}\u0000`, `${token}\uffff`, 1)));
  return found.some((keys) => keys.length > 0);
}

/**
 * The newest `count` cases of the whole word `token`, in the case words and
 * in the note words, newest first, as far as both reads tell: below the last
 * id of a read that was cut, the other index may hold a newer case still
 * unread, so the segment ends at the higher of those (`complete` when neither
 * read was cut). Kept for the next keystrokes (knownSegment), or as the word's
 * complete set, unless a change came after `since` (currentGeneration).
 */
async function newestOfWord(db: SidecaseDb, token: string, count: number, since: number): Promise<NewestSegment & { complete: boolean }> {
  const reads = await Promise.all((['words', 'noteWords'] as const).map((index) => newestKeys(db, index, token, token, count)));
  const cut = reads.filter((keys) => keys.length >= count).map((keys) => keys.at(-1)!);
  const boundary = cut.sort().at(-1) ?? '';
  const ids = [...new Set(reads.flat())].filter((id) => id >= boundary).sort().reverse();
  const complete = cut.length === 0;
  if (complete) rememberComplete(db, token, ids, since);
  else rememberSegment(db, token, { ids, boundary }, since);
  return { ids, boundary, complete };
}

/** Records read per search: a little more than asked, more when filters may drop some. */
function recordCapOf(limit: number, filters: SearchFilters | undefined): number {
  return limit + RECORD_SLACK + (filters ? limit : 0);
}

/**
 * Read ahead, once the agent has finished a word (the query ends with a
 * space): the key sets a search of several words intersects, for the words
 * typed so far, so that the next keystroke reads only its new word's. After a
 * lone word that many cases have ("Elena "), the next keystroke is that word
 * beside one letter ("Elena I"), answered from the word's newest cases a
 * page at a time (checkNewestOfWord): the first page and its records are read
 * now. Same caches as searchCases; call it after answering, never before.
 */
export async function readAheadForNextWord(query: string, options: Pick<SearchOptions, 'limit' | 'filters' | 'db' | 'keyCap'> = {}): Promise<void> {
  if (!/\s$/.test(query)) return;
  const db = options.db ?? defaultDb;
  const recordCap = recordCapOf(options.limit ?? 50, options.filters);
  const byLength = [...queryTokens(query)].sort((a, b) => b.length - a.length).slice(0, MAX_TOKENS);
  const keyed = byLength.filter((t) => t.length > 1);
  const sets = await Promise.all(keyed.map((t) => tokenSets(db, t, recordCap, options.keyCap ?? KEY_CAP)));
  if (keyed.length > 1) {
    if (sets.every((set) => !set.complete)) await readWideningAhead(db, keyed, recordCap, options.keyCap ?? KEY_CAP);
    return;
  }
  if (keyed.length !== 1 || sets[0]!.complete || knownComplete(db, keyed[0]!)) return;
  // A word that longer words start with is widened in full (widenedCandidates): nothing to guess.
  if (await hasLongerWords(db, keyed[0]!)) return;
  const { ids } = await newestOfWord(db, keyed[0]!, WORD_PAGE, currentGeneration());
  // In two reads: the next keystroke checks the first recordCap first, and waits for a read still out.
  await Promise.all([readCases(db, ids.slice(0, recordCap)), readCases(db, ids.slice(recordCap))]);
}

/** Cases matching every token of `query` (each as a word prefix), best first. */
export async function searchCases(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
  const db = options.db ?? defaultDb;
  const limit = options.limit ?? 50;
  const keyCap = options.keyCap ?? KEY_CAP;
  const tokens = queryTokens(query);
  if (tokens.length === 0) return [];
  const byLength = [...tokens].sort((a, b) => b.length - a.length).slice(0, MAX_TOKENS);
  const keyed = byLength.filter((t, _, all) => isKeyed(t, all));
  const recordCap = recordCapOf(limit, options.filters);

  const hits: SearchHit[] = [];
  const checked = new Set<string>();
  /**
   * Reads the records of `ids` not checked yet, `first` at a time and each batch `growth` times
   * the last, until `limit` match: a widened read may go through a thousand records, and a
   * read of 35 costs nearly as much in waiting as in records.
   */
  const check = async (ids: readonly string[], first: number, growth = 1) => {
    const unread = ids.filter((id) => !checked.has(id));
    const largest = first * WIDENED_BATCH_MAX;
    for (let start = 0, batch = first; start < unread.length && hits.length < limit; start += batch, batch = Math.min(batch * growth, largest)) {
      const slice = unread.slice(start, start + batch);
      slice.forEach((id) => checked.add(id));
      for (const record of await readCases(db, slice)) {
        if (!record || !passes(record, options.filters)) continue;
        // Key sets came from prefix ranges; check again on the record
        // (a key cap can cut a range, never add to it).
        if (!tokens.every((t) => hasWordStarting(record.words, t) || hasWordStarting(record.noteWords, t))) continue;
        const inNotes = tokens.some((t) => !hasWordStarting(record.words, t));
        hits.push({ case: record, inNotes, rank: rankOf(record, query, tokens) });
      }
    }
  };

  /**
   * A lone word beside one-letter ones ("Elena I"), or alone with filters: its whole word's
   * cases newest first, a page of keys at a time, while too few match. "Elena I" needs the
   * newest hundred cases of "elena", not all 3,125 of its keys. What a page found is kept for
   * the next keystrokes (knownSegment), or as the word's complete set once both reads came
   * back uncut.
   */
  const checkNewestOfWord = async (token: string) => {
    const since = currentGeneration();
    for (let count = WORD_PAGE; ; count *= WORD_PAGE_GROWTH) {
      const { ids, complete } = await newestOfWord(db, token, count, since);
      await check(ids, recordCap, WIDENED_BATCH_GROWTH);
      if (complete || hits.length >= limit) return;
    }
  };

  // An earlier answer that held every match of a query this one narrows
  // ("Putu Wijaya 12" → "Putu Wijaya 121"): only its cases can match, and they
  // are checked on their records (kept from that keystroke), no key read.
  const since = currentGeneration();
  const filtersKey = JSON.stringify(options.filters ?? null);
  const narrowed = knownMatches(db, tokens, filtersKey, limit);
  // When every case of some words is known (see knownComplete) and they are
  // few, the answer is among them: all are checked on their records, and no
  // key is read.
  const known = narrowed ? undefined : knownCandidates(db, byLength);
  const single = byLength.length === 1;
  if (narrowed) await check(narrowed, Infinity);
  else if (known && known.length <= 2 * keyCap) await check(known, Infinity);
  else {
    const first = single ? await oneWordCandidates(db, byLength[0]!, recordCap) : await manyWordCandidates(db, keyed, recordCap, keyCap);
    await check(first.ids.slice(0, recordCap), Infinity);
    // Fewer than asked for, and more cases may match: read further. Every
    // case one word's range holds has that word, so a one-word search falls
    // short only when filters dropped some.
    const mayHaveMore = !first.exhaustive || first.ids.length > checked.size;
    if (hits.length < limit && mayHaveMore && (!single || options.filters)) {
      // The known cases' records kept from earlier keystrokes cost no read: checked first, newest
      // first, they often hold the rest of the matches ("Elena Io" after "Elena I"), and nothing
      // is counted or read. Checking stops at the first one not kept, so the order stays newest first.
      // A word's newest segment (below) counts as known down to its boundary.
      const segment = keyed.map((token) => knownSegment(db, token)).find((known) => known);
      const known = knownCandidates(db, keyed);
      await check(keptPrefix(db, known ? [...known].sort().reverse() : (segment?.ids ?? [])), Infinity);
      if (hits.length < limit) {
        if (keyed.length === 1 && !known && !(await hasLongerWords(db, keyed[0]!))) await checkNewestOfWord(keyed[0]!);
        else await check(await widenedCandidates(db, keyed, recordCap, keyCap), recordCap, WIDENED_BATCH_GROWTH);
      }
    }
  }
  hits.sort((a, b) => a.rank - b.rank || b.case.updatedAt - a.case.updatedAt);
  // Fewer than the limit: every path above stops short of it only once no case is left that can match.
  if (hits.length < limit) rememberMatches(db, tokens, filtersKey, hits.map((hit) => hit.case.id), since);
  return hits.slice(0, limit);
}
