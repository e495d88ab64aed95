/**
 * Case numbers: `CAS-000123-K7Q2`. The running number counts this install's
 * cases; the suffix is drawn once per install. Two agents can both create
 * their case 123, but never with the same suffix, so numbers stay unique
 * across a team without asking a server (the desks' auto-numbering does the
 * same with a prefix per organisation).
 *
 * Must be called inside a read-write transaction that includes `meta`: the
 * counter is read and written in it, so concurrent creates get distinct numbers.
 */
import { randomBase32 } from '../ids';
import type { SidecaseDb } from '../db/db';

const COUNTER_KEY = 'caseCounter';
const SUFFIX_KEY = 'installSuffix';

export function formatCaseNumber(sequence: number, suffix: string): string {
  return `CAS-${String(sequence).padStart(6, '0')}-${suffix}`;
}

export async function nextCaseNumber(db: SidecaseDb): Promise<string> {
  const [counter, suffixRow] = await Promise.all([db.meta.get(COUNTER_KEY), db.meta.get(SUFFIX_KEY)]);
  let suffix = typeof suffixRow?.value === 'string' ? suffixRow.value : undefined;
  if (!suffix) {
    suffix = randomBase32(4);
    await db.meta.put({ key: SUFFIX_KEY, value: suffix });
  }
  const sequence = (typeof counter?.value === 'number' ? counter.value : 0) + 1;
  await db.meta.put({ key: COUNTER_KEY, value: sequence });
  return formatCaseNumber(sequence, suffix);
}
