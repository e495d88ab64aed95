import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { freshDb } from '../cases/helpers';
import type { SidecaseDb } from '../../../lib/db/db';
import { RECORDS_KEPT, clearSearchCaches, hasWord, hasWordStarting, readCases } from '../../../lib/search/reads';

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

describe('what a kept record holds', () => {
  it('only what search filters, ranks and shows: not the description, tags, SLA or resolutions', async () => {
    await db.cases.put({
      id: 'case-full',
      number: 'CAS-000001-ABCD',
      title: 'Router drops',
      customerId: 'customer-1',
      customerLabel: 'Elena Ionescu',
      priority: 'high',
      state: 'active',
      owner: 'Ana',
      updatedAt: 5,
      description: 'x'.repeat(2000),
      tags: ['vip'],
      tagKeys: ['vip'],
      sla: { firstResponseDueAt: 10 },
      resolutions: [{ type: 'solved', text: 'done', at: 4 }],
      words: ['router', 'drops', 'elena'],
      noteWords: ['reboot'],
    } as never);
    const [record] = await readCases(db, ['case-full']);
    expect(Object.keys(record!).sort()).toEqual(
      ['customerId', 'customerLabel', 'id', 'noteWords', 'number', 'owner', 'priority', 'state', 'statusReason', 'title', 'updatedAt', 'words'].sort(),
    );
    expect(record).toMatchObject({ title: 'Router drops', customerLabel: 'Elena Ionescu', priority: 'high', state: 'active', owner: 'Ana', updatedAt: 5 });
  });

  it('keeps the words as one string, and finds a word by its start or whole, never by its middle', async () => {
    const [record] = await readCases(db, ['case-0007']);
    expect(record!.words).toBe(' w7 ');
    const words = ' elena ionescu 0722 ';
    expect(hasWordStarting(words, 'ion')).toBe(true);
    expect(hasWordStarting(words, 'elena')).toBe(true);
    expect(hasWordStarting(words, '07')).toBe(true);
    expect(hasWordStarting(words, 'nesc')).toBe(false);
    expect(hasWordStarting(words, 'lena')).toBe(false);
    expect(hasWord(words, 'ionescu')).toBe(true);
    expect(hasWord(words, 'iones')).toBe(false);
    expect(hasWord(words, '0722')).toBe(true);
    // A case with no note words: nothing starts there.
    expect(hasWordStarting('', 'a')).toBe(false);
  });
});
