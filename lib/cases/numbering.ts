/**
 * Case numbers: `CAS-000123-K7Q2M9XA4B`. The running number counts this
 * install's cases; the suffix is drawn once per install. Two agents can both
 * create their case 123, but never with the same suffix, so numbers stay
 * unique across a team without asking a server (the desks' auto-numbering does
 * the same with a prefix per organisation).
 *
 * Ten base-32 characters: among 100,000 installs the chance that two drew the
 * same suffix is about n² / 2·32¹⁰ ≈ 4 in a million. The four characters of
 * earlier versions gave a 1,000-agent team a 38 % chance of a shared suffix;
 * an install that has one draws a long suffix for its next case, and the
 * numbers it already gave stay valid.
 *
 * Must be called inside a read-write transaction that includes `meta`: the
 * counter is read and written in it, so concurrent creates get distinct numbers.
 */
import { randomBase32 } from '../ids';
import type { SidecaseDb } from '../db/db';

const COUNTER_KEY = 'caseCounter';
const SUFFIX_KEY = 'installSuffix';
export const SUFFIX_LENGTH = 10;

export function formatCaseNumber(sequence: number, suffix: string): string {
  return `CAS-${String(sequence).padStart(6, '0')}-${suffix}`;
}

export async function nextCaseNumber(db: SidecaseDb): Promise<{ number: string; written: Promise<unknown> }> {
  const [counter, suffixRow] = await Promise.all([db.meta.get(COUNTER_KEY), db.meta.get(SUFFIX_KEY)]);
  let suffix = typeof suffixRow?.value === 'string' ? suffixRow.value : undefined;
  const writes: Array<Promise<unknown>> = [];
  if (!suffix || suffix.length < SUFFIX_LENGTH) {
    suffix = randomBase32(SUFFIX_LENGTH);
    writes.push(db.meta.put({ key: SUFFIX_KEY, value: suffix }));
  }
  const sequence = (typeof counter?.value === 'number' ? counter.value : 0) + 1;
  writes.push(db.meta.put({ key: COUNTER_KEY, value: sequence }));
  // The counter's write is issued, not awaited: the caller awaits it with its
  // own writes (the number is known now, and the transaction holds the row).
  return { number: formatCaseNumber(sequence, suffix), written: Promise.all(writes) };
}
