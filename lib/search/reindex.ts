/**
 * The words stored cases are found by (and their source key), derived again
 * when what a case is indexed by changes (WORDS_VERSION), in the background
 * and in batches.
 *
 * Not a schema upgrade: an upgrade holds the database closed until it has
 * rewritten every case (minutes over 50,000 cases on a slow machine), so the
 * first panel open after an update would wait for it. Here each batch is one
 * short transaction, the position is kept in `meta`, and a worker stopped
 * half-way goes on from there the next time it starts. Until it is done, an
 * older case is still found by the words it had.
 */
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { deriveCaseFields } from '../cases/derive';
import type { Case, Customer } from '../schema';

import { WORDS_VERSION, WORDS_VERSION_KEY } from './reindex-version';

export { WORDS_VERSION, WORDS_VERSION_KEY };
const CURSOR_KEY = 'searchReindexAfter';

const sameWords = (a: readonly string[] | undefined, b: readonly string[]) =>
  a !== undefined && a.length === b.length && a.every((word, i) => word === b[i]);

/** One batch: the next `size` cases after the stored position. True when none was left. */
async function reindexBatch(db: SidecaseDb, size: number): Promise<boolean> {
  return db.transaction('rw', [db.cases, db.customers, db.meta], async () => {
    const after = (await db.meta.get(CURSOR_KEY))?.value;
    const batch: Case[] = await (typeof after === 'string' ? db.cases.where(':id').above(after) : db.cases.orderBy(':id')).limit(size).toArray();
    if (batch.length === 0) {
      await Promise.all([db.meta.put({ key: WORDS_VERSION_KEY, value: WORDS_VERSION }), db.meta.delete(CURSOR_KEY)]);
      return true;
    }
    const ids = [...new Set(batch.map((c) => c.customerId))];
    const found = await db.customers.bulkGet(ids);
    const customers = new Map<string, Customer>();
    found.forEach((customer, i) => customer && customers.set(ids[i]!, customer));
    const changed: Case[] = [];
    for (const record of batch) {
      const { words, sourceKey } = deriveCaseFields(record, customers.get(record.customerId));
      if (!sameWords(record.words, words) || record.sourceKey !== sourceKey) changed.push({ ...record, words, sourceKey });
    }
    await Promise.all([changed.length ? db.cases.bulkPut(changed) : undefined, db.meta.put({ key: CURSOR_KEY, value: batch.at(-1)!.id })]);
    return false;
  });
}

/**
 * Brings every stored case's words to WORDS_VERSION, `batchSize` cases per
 * transaction, yielding between batches. 'more' when `maxBatches` ran out first.
 */
export async function reindexCaseWords(
  db: SidecaseDb = defaultDb,
  { batchSize = 500, maxBatches = Number.POSITIVE_INFINITY }: { batchSize?: number; maxBatches?: number } = {},
): Promise<'done' | 'more'> {
  if ((await db.meta.get(WORDS_VERSION_KEY))?.value === WORDS_VERSION) return 'done';
  for (let n = 0; n < maxBatches; n++) {
    if (await reindexBatch(db, batchSize)) return 'done';
    // Other work (a save, a search) goes first between two batches.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return 'more';
}

/** For background.ts: started once per worker start; a failure is logged and retried at the next start. */
export function startCaseReindex(): void {
  reindexCaseWords().catch((error: unknown) => console.warn('[sidecase] re-indexing the cases failed', (error as Error)?.name));
}
