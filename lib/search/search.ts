/**
 * The one search box: case number, title, customer name, email and phone,
 * tags and note text, answered from two multi-entry indexes on cases: `*words`
 * (the case's own words) and `*noteWords` (the words of its notes).
 *
 * Per keystroke: for each token (at most four, longest first), a keys-only
 * prefix range on both indexes, capped; the key sets are intersected, and only
 * the first candidates are read and ranked. No table scan and no note bodies
 * read, so it stays fast with 50,000 cases and 200,000 notes.
 */
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { foldText } from '../customers/search-keys';
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
/** Keys read per token and index: keys only, cheap; bounds a keystroke's work. */
const KEY_CAP = 5000;
/** Records read and ranked per keystroke. */
const RECORD_CAP = 200;

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
 * words, newest first; `complete` is false when the cap cut the range.
 */
async function idsFor(db: SidecaseDb, token: string, cap: number): Promise<{ ids: string[]; complete: boolean }> {
  const [own, inNotes] = await Promise.all([
    db.cases.where('words').startsWith(token).reverse().limit(cap).primaryKeys(),
    db.cases.where('noteWords').startsWith(token).reverse().limit(cap).primaryKeys(),
  ]);
  return { ids: [...new Set([...own, ...inNotes])], complete: own.length < cap && inNotes.length < cap };
}

/** Cases matching every token of `query` (each as a word prefix), best first. */
export async function searchCases(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
  const db = options.db ?? defaultDb;
  const limit = options.limit ?? 50;
  const tokens = queryTokens(query);
  if (tokens.length === 0) return [];
  const byLength = [...tokens].sort((a, b) => b.length - a.length).slice(0, MAX_TOKENS);
  const single = byLength.length === 1;

  // Exact words first, so "123" finds CAS-000123 before the cap fills with 1234…
  const [exact, ...sets] = await Promise.all([
    db.cases.where('words').equals(byLength[0]!).reverse().limit(RECORD_CAP).primaryKeys(),
    ...byLength.map((t) => idsFor(db, t, single ? RECORD_CAP : KEY_CAP)),
  ]);
  // Intersect the complete sets, smallest first, keeping its order. A set cut
  // by the cap (a very common word) would lose matches: its token is checked
  // on the records instead.
  const complete = sets.filter((s) => s.complete);
  const ordered = (complete.length > 0 ? complete : sets).map((s) => s.ids).sort((a, b) => a.length - b.length);
  const others = ordered.slice(1).map((ids) => new Set(ids));
  const inAll = (id: string) => others.every((set) => set.has(id));
  const ids = [...new Set([...exact.filter(inAll), ...(ordered[0] ?? []).filter(inAll)])].slice(0, RECORD_CAP);

  const hits: SearchHit[] = [];
  for (const record of await db.cases.bulkGet(ids)) {
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
