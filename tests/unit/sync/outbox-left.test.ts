/**
 * recordsLeft (lib/sync/outbox-left.ts): which confirmed records still have
 * entries in the outbox once the write's own confirmed entries are deleted.
 * The committer reads it beside the deletions, not after them, so the answer
 * must not depend on which IndexedDB runs first: both orders are tried, on
 * both ways of reading (each record's keys, or the whole outbox's).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { appendOutbox } from '../../../lib/db/changes';
import { SidecaseDb } from '../../../lib/db/db';
import { newId } from '../../../lib/ids';
import type { OutboxEntry } from '../../../lib/schema';
import { recordKey } from '../../../lib/sync/drain-types';
import { recordsLeft, type PagesRead } from '../../../lib/sync/outbox-left';

const dbs: SidecaseDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

/** Records A (two entries, both confirmed here) and B (two entries, its first confirmed), and C (one entry written after the pages were read). */
async function setUp() {
  const db = new SidecaseDb(`outbox-left-${Math.random()}`);
  dbs.push(db);
  const [a, b, c] = [newId(1), newId(2), newId(3)];
  const entries: OutboxEntry[] = [];
  await db.transaction('rw', db.outbox, async () => {
    entries.push(await appendOutbox(db, { entity: 'case', entityId: a, type: 'case.created', at: 10, data: { id: a } }));
    entries.push(await appendOutbox(db, { entity: 'case', entityId: b, type: 'case.created', at: 11, data: { id: b } }));
    entries.push(await appendOutbox(db, { entity: 'case', entityId: a, type: 'case.updated', at: 12, data: { id: a } }));
    entries.push(await appendOutbox(db, { entity: 'case', entityId: b, type: 'case.updated', at: 13, data: { id: b } }));
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
  for (const hasReadAll of [false, true]) {
    const how = hasReadAll ? 'the whole outbox read' : "each record's keys read";
    it(`with ${how}: the same answer read before the deletions as after them`, async () => {
      const { db, a, b, going, pages, settled } = await setUp();
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

  it('learns the record of an entry written after the pages were read, and counts it', async () => {
    const { db, a, going, pages, settled } = await setUp();
    await appendOutbox(db, { entity: 'case', entityId: a, type: 'case.updated', at: 20, data: { id: a } });
    const left = await db.transaction('rw', db.outbox, () => recordsLeft(db, settled, pages(true), going));
    expect(left.has(recordKey('case', a))).toBe(true);
  });
});
