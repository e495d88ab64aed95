/**
 * What a committer's write asks of the outbox beside its deletions: which
 * records still have entries there (a confirmed record is synced only when
 * none is left), and which confirmed entries lie side by side (deleted as one
 * range each).
 */
import type { SidecaseDb } from '../db/db';
import type { OutboxEntry, SyncRecord } from '../schema';
import { recordKey } from './drain-types';

/**
 * How many outbox keys one read of them all may cost per record asked about
 * before a read of each record's keys is cheaper: a key in a getAllKeys answer
 * is a few bytes, a read per record a request of its own through IndexedDB.
 */
const KEYS_PER_RECORD_READ = 32;
/** The index keys one range read may return per record asked about before a read per record is made instead (as getMany's range: lib/db/get-many.ts). */
const RANGE_KEYS_PER_RECORD = 4;

/** What the drain's pump has read of the outbox (Committer.seen, Committer.readAll). */
export interface PagesRead {
  /** The record of each outbox entry read (outbox id → recordKey). */
  recordOf: Map<string, string>;
  /** The outbox has been read to its end once in this drain. */
  hasReadAll: boolean;
  /** An entry read here: its record is known from now on. */
  seen(entry: Pick<OutboxEntry, 'id' | 'entity' | 'entityId'>): void;
}

/**
 * Which of the `settled` records have entries in the outbox once the entries `going` are
 * deleted (inside the committer's transaction, which deletes them: whether these reads come
 * before or after the deletions, the answer is the same, so they need not wait for them). Once
 * the pump has read the whole outbox, one read of its keys (getAllKeys) answers for all of
 * them: each key's record is known from the pages read, and the few entries written since are
 * read to learn theirs. Before that (the outbox's tail is unread), or when the outbox is much
 * larger than the records asked about, the `[entity+entityId]` index is read between the
 * smallest and the largest record asked about, per entity: records settled together were mostly
 * created together, so their ids (ULIDs) lie side by side and one request answers for all of
 * them (a request per record held the worker's thread for tens of milliseconds in a large
 * drain). Only when that range holds many more entries than were asked about, or entries whose
 * records the pages have not shown, is the index read per record: a request each, but no key
 * read past them. Exact every way: an entry's record never changes.
 */
export async function recordsLeft(
  db: SidecaseDb,
  settled: Array<Pick<SyncRecord, 'entity' | 'entityId'>>,
  read: PagesRead,
  going: ReadonlySet<string>,
): Promise<Set<string>> {
  const { recordOf } = read;
  /**
   * The records of the outbox ids these reads return, those `going` left out; the few whose
   * record the pages have not shown (written since they were read, or not read yet) are read
   * to learn it. Undefined: a read came back with its `most` keys (there may be more), or too
   * many of them are unknown.
   */
  const fromKeys = async (reads: Array<{ keys: Promise<string[]>; most: number }>): Promise<Set<string> | undefined> => {
    const left = new Set<string>();
    const unknown: string[] = [];
    for (const { keys, most } of reads) {
      const ids = await keys;
      if (ids.length >= most) return undefined;
      for (const id of ids) {
        if (going.has(id)) continue;
        const key = recordOf.get(id);
        if (key === undefined) unknown.push(id);
        else left.add(key);
      }
    }
    if (unknown.length > settled.length) return undefined;
    for (const entry of await db.outbox.bulkGet(unknown)) {
      if (!entry) continue;
      read.seen(entry);
      left.add(recordKey(entry.entity, entry.entityId));
    }
    return left;
  };
  /** The index between the smallest and largest record asked about, one read per entity, at most RANGE_KEYS_PER_RECORD keys per record. */
  const rangeReads = () => {
    const byEntity = new Map<string, string[]>();
    for (const { entity, entityId } of settled) {
      const ids = byEntity.get(entity);
      if (ids) ids.push(entityId);
      else byEntity.set(entity, [entityId]);
    }
    return [...byEntity].map(([entity, ids]) => {
      let low = ids[0]!;
      let high = low;
      for (const id of ids) {
        if (id < low) low = id;
        if (id > high) high = id;
      }
      const most = RANGE_KEYS_PER_RECORD * ids.length;
      return { most, keys: db.outbox.where('[entity+entityId]').between([entity, low], [entity, high], true, true).limit(most).primaryKeys() };
    });
  };
  if (read.hasReadAll && recordOf.size <= KEYS_PER_RECORD_READ * settled.length) {
    const fromAll = await fromKeys([{ keys: db.outbox.toCollection().primaryKeys(), most: Infinity }]);
    if (fromAll) return fromAll;
  }
  const fromRanges = await fromKeys(rangeReads());
  if (fromRanges) return fromRanges;
  // Each record's keys: a request each.
  const keys = await Promise.all(settled.map(({ entity, entityId }) => db.outbox.where('[entity+entityId]').equals([entity, entityId]).primaryKeys()));
  const each = new Set<string>();
  for (const [i, { entity, entityId }] of settled.entries()) if (keys[i]!.some((id) => !going.has(id))) each.add(recordKey(entity, entityId));
  return each;
}

/**
 * The runs of `keys` (sorted, as read in one range) whose every key is in
 * `confirmed`, as [first, last]: deleting each run as a range deletes exactly
 * the confirmed keys, because the range holds no other key.
 */
export function confirmedRuns(keys: readonly string[], confirmed: ReadonlySet<string>): Array<[string, string]> {
  const runs: Array<[string, string]> = [];
  let first: string | undefined;
  let last: string | undefined;
  for (const key of keys) {
    if (confirmed.has(key)) {
      first ??= key;
      last = key;
      continue;
    }
    if (first !== undefined) runs.push([first, last!]);
    first = undefined;
  }
  if (first !== undefined) runs.push([first, last!]);
  return runs;
}
