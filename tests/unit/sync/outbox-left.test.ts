/**
 * recordsLeft (lib/sync/outbox-left.ts): which confirmed records still have
 * entries in the outbox once the write's own confirmed entries are deleted.
 * The committer reads it beside the deletions, not after them, so the answer
 * must not depend on which IndexedDB runs first: both orders are tried, on
 * every way of reading (the whole outbox's keys, the index between the records
 * asked about, each record's keys). The contract's number: a range read of the
 * index holding 4 entries or more per record asked about is dropped for a read
 * per record.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appendOutbox } from '../../../lib/db/changes';
import { SidecaseDb } from '../../../lib/db/db';
import { newId } from '../../../lib/ids';
import type { OutboxEntry } from '../../../lib/schema';
import { recordKey } from '../../../lib/sync/drain-types';
import { recordsLeft, type PagesRead } from '../../../lib/sync/outbox-left';

const dbs: SidecaseDb[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const db of dbs.splice(0)) await db.delete();
});

/** Reads of an index's keys (the [entity+entityId] index's, here), counted. */
function watchIndexReads() {
  const made = { getAllKeys: 0 };
  const original = IDBIndex.prototype.getAllKeys;
  vi.spyOn(IDBIndex.prototype, 'getAllKeys').mockImplementation(function (this: IDBIndex, ...args: Parameters<IDBIndex['getAllKeys']>) {
    made.getAllKeys += 1;
    return original.apply(this, args);
  });
  return made;
}

/**
 * Records A (two entries, both confirmed here) and B (two entries, its first confirmed), and C
 * (one entry written after the pages were read); `between` other cases with an entry each, whose
 * ids lie between A's and B's (a range read from A to B finds their entries too).
 */
async function setUp(between = 0) {
  const db = new SidecaseDb(`outbox-left-${Math.random()}`);
  dbs.push(db);
  const [a, b, c] = [newId(1), newId(1000), newId(2000)];
  const entries: OutboxEntry[] = [];
  await db.transaction('rw', db.outbox, async () => {
    entries.push(await appendOutbox(db, { entity: 'case', entityId: a, type: 'case.created', at: 10, data: { id: a } }));
    entries.push(await appendOutbox(db, { entity: 'case', entityId: b, type: 'case.created', at: 11, data: { id: b } }));
    entries.push(await appendOutbox(db, { entity: 'case', entityId: a, type: 'case.updated', at: 12, data: { id: a } }));
    entries.push(await appendOutbox(db, { entity: 'case', entityId: b, type: 'case.updated', at: 13, data: { id: b } }));
    for (let i = 0; i < between; i++) {
      const other = newId(2 + i);
      entries.push(await appendOutbox(db, { entity: 'case', entityId: other, type: 'case.created', at: 14 + i, data: { id: other } }));
    }
  });
  const [a1, b1, a2] = entries;
  const going = new Set([a1!.id, b1!.id, a2!.id]);
  const pages = (hasReadAll: boolean): PagesRead => {
    const recordOf = new Map(entries.map((entry) => [entry.id, recordKey(entry.entity, entry.entityId)]));
    return { recordOf, hasReadAll, seen: (entry) => recordOf.set(entry.id, recordKey(entry.entity, entry.entityId)) };
  };
  const settled = [a, b].map((entityId) => ({ entity: 'case' as const, entityId }));
  return { db, a, b, c, going, pages, settled };
}

describe('recordsLeft', () => {
  // The whole outbox's keys; the index between A and B (4 entries there, under 4 per record asked about: 2 × 4);
  // each record's keys (4 entries more between them: 8, too many for one read).
  for (const [hasReadAll, between, how] of [
    [true, 0, 'the whole outbox read'],
    [false, 0, 'the index read between the records'],
    [false, 4, "each record's keys read"],
  ] as const) {
    it(`with ${how}: the same answer read before the deletions as after them`, async () => {
      const { db, a, b, going, pages, settled } = await setUp(between);
      const answers = await db.transaction('rw', db.outbox, async () => {
        const before = await recordsLeft(db, settled, pages(hasReadAll), going);
        await db.outbox.bulkDelete([...going]);
        const after = await recordsLeft(db, settled, pages(hasReadAll), going);
        return { before: [...before].sort(), after: [...after].sort() };
      });
      // A's entries were all confirmed here; B's update still waits.
      expect(answers.before).toEqual([recordKey('case', b)]);
      expect(answers.after).toEqual([recordKey('case', b)]);
      expect(answers.before).not.toContain(recordKey('case', a));
    });
  }

  for (const hasReadAll of [true, false]) {
    it(`learns the record of an entry written after the pages were read, and counts it (${hasReadAll ? 'whole outbox' : 'index range'})`, async () => {
      const { db, a, going, pages, settled } = await setUp();
      await appendOutbox(db, { entity: 'case', entityId: a, type: 'case.updated', at: 20, data: { id: a } });
      const read = pages(hasReadAll);
      const left = await db.transaction('rw', db.outbox, () => recordsLeft(db, settled, read, going));
      expect(left.has(recordKey('case', a))).toBe(true);
      expect(read.recordOf.size).toBe(5);
    });
  }

  it('reads the index once per entity for records that lie together, and once per record when their range holds 4 entries or more per record', async () => {
    const db = new SidecaseDb(`outbox-left-${Math.random()}`);
    dbs.push(db);
    // 20 cases and 2 customers, two entries each; every case's first entry and the customers' are confirmed.
    const cases = Array.from({ length: 20 }, (_, i) => newId(100 + i));
    const customers = [newId(50), newId(51)];
    const entries: OutboxEntry[] = [];
    await db.transaction('rw', db.outbox, async () => {
      for (const [entity, ids] of [['customer', customers], ['case', cases]] as const) {
        for (const id of ids) entries.push(await appendOutbox(db, { entity, entityId: id, type: `${entity}.created`, at: 10, data: { id } }));
        for (const id of ids) entries.push(await appendOutbox(db, { entity, entityId: id, type: `${entity}.updated`, at: 11, data: { id } }));
      }
    });
    const recordOf = new Map(entries.map((entry) => [entry.id, recordKey(entry.entity, entry.entityId)]));
    const read: PagesRead = { recordOf, hasReadAll: false, seen: () => {} };
    const going = new Set(entries.filter((entry) => entry.type.endsWith('.created') || entry.entity === 'customer').map((entry) => entry.id));
    const settled = [...customers.map((entityId) => ({ entity: 'customer' as const, entityId })), ...cases.map((entityId) => ({ entity: 'case' as const, entityId }))];

    const reads = watchIndexReads();
    const left = await db.transaction('r', db.outbox, () => recordsLeft(db, settled, read, going));
    expect([...left].sort()).toEqual(cases.map((id) => recordKey('case', id)).sort());
    // One read for the customers, one for the cases: not one per record (22).
    expect(reads.getAllKeys).toBe(2);

    // Two cases far apart: 40 case entries lie between the first and the last, 4 per record asked about is 8.
    reads.getAllKeys = 0;
    const apart = [cases[0]!, cases[19]!].map((entityId) => ({ entity: 'case' as const, entityId }));
    const leftApart = await db.transaction('r', db.outbox, () => recordsLeft(db, apart, read, going));
    expect([...leftApart].sort()).toEqual([cases[0]!, cases[19]!].map((id) => recordKey('case', id)).sort());
    // The range read (cut at 8), then one per record.
    expect(reads.getAllKeys).toBe(3);
  });
});
