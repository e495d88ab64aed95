/**
 * deleteKeyRange (lib/db/delete-range.ts): the rows of a key range deleted
 * in one request, no count first, seen by Dexie's change tracking as its own
 * deletions are.
 */
import Dexie, { liveQuery, type Table } from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deleteKeyRange } from '../../../lib/db/delete-range';

interface Row {
  id: string;
}

class TestDb extends Dexie {
  rows!: Table<Row, string>;
  others!: Table<Row, string>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ rows: 'id', others: 'id' });
  }
}

let db: TestDb;
let dbs = 0;
const id = (i: number) => `K${String(i).padStart(3, '0')}`;

beforeEach(async () => {
  db = new TestDb(`delete-range-${++dbs}`);
  await db.open();
  await db.rows.bulkAdd(Array.from({ length: 10 }, (_, i) => ({ id: id(i) })));
});
afterEach(async () => {
  vi.restoreAllMocks();
  db.close();
  await Dexie.delete(db.name);
});

describe('deleteKeyRange', () => {
  it('deletes the rows from the first key to the last, both included, and no other', async () => {
    await db.transaction('rw', db.rows, () => deleteKeyRange(db.rows, id(3), id(6)));
    expect(await db.rows.toCollection().primaryKeys()).toEqual([0, 1, 2, 7, 8, 9].map(id));
  });

  it('makes one request: a delete of the range, with no count before it', async () => {
    const counts = vi.spyOn(IDBObjectStore.prototype, 'count');
    const deletes = vi.spyOn(IDBObjectStore.prototype, 'delete');
    await db.transaction('rw', db.rows, () => deleteKeyRange(db.rows, id(3), id(6)));
    expect(counts).not.toHaveBeenCalled();
    expect(deletes).toHaveBeenCalledTimes(1);
    expect(deletes.mock.calls[0]![0]).toBeInstanceOf(IDBKeyRange);
  });

  it('is refused outside a read-write transaction of the table, deleting nothing', async () => {
    await expect(deleteKeyRange(db.rows, id(0), id(9))).rejects.toThrow(/not in a read-write transaction of rows/);
    await expect(db.transaction('r', db.rows, () => deleteKeyRange(db.rows, id(0), id(9)))).rejects.toThrow(/not in a read-write transaction/);
    await expect(db.transaction('rw', db.others, () => deleteKeyRange(db.rows, id(0), id(9)))).rejects.toThrow(/not in a read-write transaction/);
    expect(await db.rows.count()).toBe(10);
  });

  it('is undone with the transaction it is in', async () => {
    await expect(
      db.transaction('rw', db.rows, async () => {
        await deleteKeyRange(db.rows, id(0), id(9));
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await db.rows.count()).toBe(10);
  });

  it('wakes a live query of the table, as a delete through Dexie does', async () => {
    const seen: number[] = [];
    const subscription = liveQuery(() => db.rows.count()).subscribe((n) => seen.push(n));
    await vi.waitFor(() => expect(seen).toEqual([10]));
    await db.transaction('rw', db.rows, () => deleteKeyRange(db.rows, id(0), id(4)));
    await vi.waitFor(() => expect(seen).toEqual([10, 5]));
    subscription.unsubscribe();
  });
});
