/**
 * Widening (search.ts): when the first candidates of a search hold fewer
 * matches than asked for and more may exist, every case that can match,
 * from the words' key sets; and the intersections of known complete sets
 * both steps use.
 */
import type { SidecaseDb } from '../db/db';
import { allKeys, countKeys, keysUpTo, knownComplete } from './reads';

/** The ids of `pool` found in every one of `sets` (all of the pool when there is none). */
export function intersect(pool: readonly string[], sets: ReadonlyArray<readonly string[]>): string[] {
  const lookups = sets.map((set) => new Set(set));
  return pool.filter((id) => lookups.every((set) => set.has(id)));
}

/**
 * The cases every known complete set of the tokens holds (see knownComplete),
 * or undefined when no token has one.
 */
export function knownCandidates(db: SidecaseDb, tokens: readonly string[]): string[] | undefined {
  const sets = tokens.map((token) => knownComplete(db, token)).filter((set) => set !== undefined);
  if (sets.length === 0) return undefined;
  const [smallest, ...others] = [...sets].sort((a, b) => a.length - b.length);
  return intersect(smallest!, others);
}

/**
 * Reading a key costs about a tenth of reading a record (the README's "Why
 * search is built this way"): a word's whole key set is read to narrow the
 * candidates when it has at most this many keys per record it may spare.
 */
const KEYS_PER_RECORD = 8;

/**
 * A widened read takes each word's keys without counting them first, up to
 * this many times the key cap (9,600 at 300): a count walks its range at
 * nearly the cost of reading its keys, and says less. A word an agent types
 * beside a name most often has a few thousand cases.
 */
const WIDE_KEYS_PER_CAP = 32;

/**
 * Every case that can match, when the first reads found fewer than the limit
 * and could not tell that there are no more (each word's key set was cut by
 * its cap, as for "Putu Wijaya 1215" among 50,000 cases, or more candidates
 * remain than were read). The complete sets already known cost nothing. A
 * word left alone has its keys read in full (one keys-only read per index,
 * kept as a complete set for the next keystrokes). Several have their keys
 * read at once, each up to WIDE_KEYS_PER_CAP times the key cap and, beside
 * the cases already known, up to what narrowing them is worth: a word's keys
 * narrow the candidates while they cost less than reading every case left (a
 * read is widened because the first candidates held too few matches, so it
 * most often goes through all of them). A word with more keys than that is
 * checked on the records; only when every word has more are they counted and
 * the rarest one's keys read in full (rarestKeys). (Weighed against the
 * records needed for the limit's worth of matches at the rate the word's
 * cases are among all, as if words were independent, the keys of "wijaya"
 * were not read beside those of "putu": names go together, and every case of
 * "putu" was read for a few matches.) Newest first.
 */
export async function widenedCandidates(db: SidecaseDb, keyed: readonly string[], recordCap: number, keyCap: number): Promise<string[]> {
  const first = firstKeyReads(db, keyed, recordCap, keyCap);
  const { tokens, limit } = first;
  let pool = first.pool;
  if (tokens.length > 0) {
    const read = await Promise.all(tokens.map((token) => keysUpTo(db, token, limit)));
    for (const ids of read.filter((ids) => ids !== undefined).sort((a, b) => a.length - b.length)) pool = pool ? intersect(pool, [ids]) : ids;
    pool ??= await rarestKeys(db, tokens, recordCap);
  }
  return [...pool!].sort().reverse();
}

/**
 * What a widened read starts from: the cases of the complete sets already
 * known (`pool`), and the words whose keys it reads, each up to `limit` (all
 * of them when undefined: a word left alone), as widenedCandidates says.
 */
function firstKeyReads(db: SidecaseDb, keyed: readonly string[], recordCap: number, keyCap: number) {
  const known = keyed.map((token) => knownComplete(db, token));
  const pool = known.some((set) => set) ? knownCandidates(db, keyed) : undefined;
  let unknown = keyed.filter((_, i) => !known[i]);
  // A word of two characters beside a longer one ("Putu Wijaya 12") begins thousands of words:
  // reading or counting its keys walks them all only to find them not worth it. It is checked on the records.
  if (keyed.some((token) => token.length > 2)) unknown = unknown.filter((token) => token.length > 2);
  if (!pool && unknown.length === 1) return { pool, tokens: unknown, limit: undefined };
  if (unknown.length === 0 || (pool && pool.length <= recordCap)) return { pool, tokens: [], limit: undefined };
  return { pool, tokens: unknown, limit: Math.min(WIDE_KEYS_PER_CAP * keyCap, pool ? KEYS_PER_RECORD * pool.length : Infinity) };
}

/**
 * Read ahead (search.ts readAheadForNextWord), once a word of several is
 * finished and every one of them is common (each key set was cut by the cap):
 * the next word most often leaves too few of their shared cases among the
 * first candidates ("Putu Wijaya 12"), and that keystroke widens, reading
 * first the keys read here, with the same limits. A read still out when the
 * keystroke comes is shared (keysUpTo), and once done the sets are known
 * complete.
 */
export async function readWideningAhead(db: SidecaseDb, keyed: readonly string[], recordCap: number, keyCap: number): Promise<void> {
  const { tokens, limit } = firstKeyReads(db, keyed, recordCap, keyCap);
  await Promise.all(tokens.map((token) => keysUpTo(db, token, limit)));
}

/**
 * Words that each begin more cases than a widened read takes uncounted: counted
 * (the one place a search counts), the rarest one's keys read in full, and the
 * others' while they cost less than reading every case left.
 */
async function rarestKeys(db: SidecaseDb, tokens: readonly string[], recordCap: number): Promise<string[]> {
  const counts = await Promise.all(tokens.map((token) => countKeys(db, token)));
  const byCount = tokens.map((token, i) => ({ token, count: counts[i]! })).sort((a, b) => a.count - b.count);
  let pool: string[] | undefined;
  for (const { token, count } of byCount) {
    if (pool) {
      if (pool.length <= recordCap) break;
      if (count > KEYS_PER_RECORD * pool.length) break;
    }
    const ids = await allKeys(db, token);
    pool = pool ? intersect(pool, [ids]) : ids;
  }
  return pool!;
}
