import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { freshDb } from '../cases/helpers';
import type { SidecaseDb } from '../../../lib/db/db';
import { RECORDS_KEPT, clearSearchCaches, readCases } from '../../../lib/search/reads';

let db: SidecaseDb;
/** Ids in the order they are read: 0 first. */
const ids = Array.from({ length: 700 }, (_, i) => `case-${String(i).padStart(4, '0')}`);

beforeEach(async () => {
  db = freshDb();
  // Only what readCases needs: records by id (search matches their words, not tested here).
  await db.cases.bulkPut(ids.map((id, i) => ({ id, number: `CAS-${i}`, title: `Case ${i}`, words: [`w${i}`] }) as never));
  clearSearchCaches();
});
afterEach(() => db.close());

describe('records kept between keystrokes', () => {
  it('keeps as many as one keystroke reads at most, so the next keystroke reads none of them again', async () => {
    // The largest read search.ts makes in one keystroke: the cases of known complete sets, 2 × KEY_CAP (300).
    expect(RECORDS_KEPT).toBe(600);
    const first = ids.slice(0, 600);
    expect((await readCases(db, first)).map((record) => record?.id)).toEqual(first);
    const reads = vi.spyOn(db.cases, 'bulkGet');
    expect((await readCases(db, first)).map((record) => record?.id)).toEqual(first);
    expect(reads).not.toHaveBeenCalled();
  });

  it('forgets the records read longest ago beyond that, and reads them again when asked', async () => {
    await readCases(db, ids.slice(0, 600));
    await readCases(db, ids.slice(600));
    const reads = vi.spyOn(db.cases, 'bulkGet');
    // The newest 600 are kept…
    await readCases(db, ids.slice(100));
    expect(reads).not.toHaveBeenCalled();
    // …the first 100 are not: read from the database again, and still right.
    expect((await readCases(db, ids.slice(0, 100))).map((record) => record?.title)).toEqual(ids.slice(0, 100).map((_, i) => `Case ${i}`));
    expect(reads).toHaveBeenCalledTimes(1);
    expect(reads.mock.calls[0]![0]).toEqual(ids.slice(0, 100));
  });
});
