/**
 * getMany (lib/db/get-many.ts): the same rows as bulkGet, in fewer requests
 * when the keys asked for lie together. The contract's numbers: from 8 keys
 * on, the range's keys are read first, up to 4 per key asked for.
 */
import Dexie, { type Table } from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getMany } from '../../../lib/db/get-many';

interface Row {
  id: string;
  n: number;
}
interface Pair {
  entity: string;
  entityId: string;
  n: number;
}

class TestDb extends Dexie {
  rows!: Table<Row, string>;
  pairs!: Table<Pair, [string, string]>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ rows: 'id', pairs: '[entity+entityId]' });
  }
}

let db: TestDb;
let dbs = 0;
const id = (i: number) => `K${String(i).padStart(5, '0')}`;

/** The store requests made: gets by key, reads of keys, reads of rows (getAll). */
function watchRequests() {
  const made = { get: 0, getAllKeys: 0, getAll: 0, cursor: 0 };
  for (const method of ['get', 'getAllKeys', 'getAll', 'openCursor', 'openKeyCursor'] as const) {
    const original = IDBObjectStore.prototype[method] as (...args: unknown[]) => IDBRequest;
    vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, ...args: unknown[]) {
      made[method.startsWith('open') ? 'cursor' : (method as 'get' | 'getAllKeys' | 'getAll')] += 1;
      return original.apply(this, args);
    } as never);
  }
  return made;
}

beforeEach(async () => {
  db = new TestDb(`get-many-${++dbs}`);
  await db.open();
});
afterEach(async () => {
  vi.restoreAllMocks();
  db.close();
  await Dexie.delete(db.name);
});

describe('getMany', () => {
  it('answers as bulkGet does, in the order asked, with undefined for a key not stored', async () => {
    await db.rows.bulkAdd([1, 3, 5, 7, 9, 11, 13, 15, 17, 19].map((i) => ({ id: id(i), n: i })));
    const keys = [id(19), id(2), id(3), id(4), id(5), id(6), id(7), id(8), id(9), id(1)];
    expect(await getMany(db.rows, keys)).toEqual(await db.rows.bulkGet(keys));
    expect((await getMany(db.rows, keys)).map((row) => row?.n)).toEqual([19, undefined, 3, undefined, 5, undefined, 7, undefined, 9, 1]);
  });

  it('reads 8 keys none of which is stored with one read of their range', async () => {
    // Stored rows before and after the range, none in it.
    await db.rows.bulkAdd([0, 1, 100, 101].map((i) => ({ id: id(i), n: i })));
    const made = watchRequests();
    expect(await getMany(db.rows, [10, 11, 12, 13, 14, 15, 16, 17].map(id))).toEqual(Array(8).fill(undefined));
    expect(made).toEqual({ get: 0, getAllKeys: 1, getAll: 0, cursor: 0 });
  });

  it('reads a range holding only keys asked for with one read of its keys and one of its rows', async () => {
    await db.rows.bulkAdd([0, 20, 21, 22, 23, 24, 25, 26, 27, 40].map((i) => ({ id: id(i), n: i })));
    const made = watchRequests();
    // Ten asked for, eight of them stored.
    const rows = await getMany(db.rows, [28, 27, 26, 25, 24, 23, 22, 21, 20, 19].map(id));
    expect(rows.map((row) => row?.n)).toEqual([undefined, 27, 26, 25, 24, 23, 22, 21, 20, undefined]);
    expect(made).toEqual({ get: 0, getAllKeys: 1, getAll: 1, cursor: 0 });
  });

  it('reads by key only the rows asked for when the range holds others too', async () => {
    // 30..49 stored; every other one of 30..45 asked for, with two not stored far off.
    await db.rows.bulkAdd(Array.from({ length: 20 }, (_, i) => ({ id: id(30 + i), n: 30 + i })));
    const made = watchRequests();
    const keys = [30, 32, 34, 36, 38, 40, 42, 44].map(id);
    expect((await getMany(db.rows, keys)).map((row) => row?.n)).toEqual([30, 32, 34, 36, 38, 40, 42, 44]);
    expect(made).toEqual({ get: 8, getAllKeys: 1, getAll: 0, cursor: 0 });
  });

  it('gives up on a range holding 4 keys or more per key asked for: every key asked for read by itself, as bulkGet', async () => {
    // Every even key 0..64 stored (33 keys); 8 asked for, 4 of them stored: the cap of 32 keys is
    // reached, so the 4 not stored are asked for too (with a higher cap, only the 4 stored would be).
    await db.rows.bulkAdd(Array.from({ length: 33 }, (_, i) => ({ id: id(2 * i), n: 2 * i })));
    const made = watchRequests();
    const keys = [0, 1, 16, 17, 32, 33, 63, 64].map(id);
    expect((await getMany(db.rows, keys)).map((row) => row?.n)).toEqual([0, undefined, 16, undefined, 32, undefined, undefined, 64]);
    expect(made).toEqual({ get: 8, getAllKeys: 1, getAll: 0, cursor: 0 });
  });

  it('with 31 keys stored in a range of 8 keys asked for, reads by key only those asked (below the cap of 32)', async () => {
    await db.rows.bulkAdd(Array.from({ length: 31 }, (_, i) => ({ id: id(i), n: i })));
    const made = watchRequests();
    const keys = [0, 5, 10, 15, 20, 25, 29, 30].map(id);
    expect((await getMany(db.rows, keys)).map((row) => row?.n)).toEqual([0, 5, 10, 15, 20, 25, 29, 30]);
    expect(made).toEqual({ get: 8, getAllKeys: 1, getAll: 0, cursor: 0 });
  });

  it('reads fewer than 8 keys by key, without reading their range', async () => {
    await db.rows.bulkAdd([1, 2, 3].map((i) => ({ id: id(i), n: i })));
    const made = watchRequests();
    expect((await getMany(db.rows, [1, 2, 3, 4, 5, 6, 7].map(id))).map((row) => row?.n)).toEqual([1, 2, 3, undefined, undefined, undefined, undefined]);
    expect(made).toEqual({ get: 7, getAllKeys: 0, getAll: 0, cursor: 0 });
  });

  it('takes compound keys: their range is compared as IndexedDB compares arrays', async () => {
    await db.pairs.bulkAdd([
      ...Array.from({ length: 10 }, (_, i) => ({ entity: 'case', entityId: id(i), n: i })),
      ...Array.from({ length: 10 }, (_, i) => ({ entity: 'customer', entityId: id(i), n: 100 + i })),
    ]);
    const made = watchRequests();
    const keys = Array.from({ length: 10 }, (_, i): [string, string] => ['case', id(9 - i)]);
    expect((await getMany(db.pairs, keys)).map((row) => row?.n)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    // The customers' rows lie after the cases' range: it holds only the keys asked for.
    expect(made).toEqual({ get: 0, getAllKeys: 1, getAll: 1, cursor: 0 });
  });

  it('answers a row written in the same transaction before it', async () => {
    const keys = Array.from({ length: 8 }, (_, i) => id(i));
    const rows = await db.transaction('rw', db.rows, async () => {
      await db.rows.put({ id: id(3), n: 3 });
      return getMany(db.rows, keys);
    });
    expect(rows.map((row) => row?.n)).toEqual([undefined, undefined, undefined, 3, undefined, undefined, undefined, undefined]);
  });
});
