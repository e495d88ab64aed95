/**
 * Deletes the rows of a key range in one request. Dexie's
 * `where(':id').between(…).delete()` counts the range first, to answer how
 * many it deleted: a second round trip through IndexedDB, in a transaction
 * where nothing needs the count. This goes to the same DBCore mutation
 * Dexie's delete ends in (`Table.core`, its documented middleware interface),
 * so live queries and hooks see the deletion as they see Dexie's own.
 */
import Dexie, { type DBCoreRangeType, type IndexableType, type Table } from 'dexie';

/** Deletes every row of `table` whose primary key lies in [first, last]. Inside a read-write transaction that holds `table`. */
export async function deleteKeyRange<T, K extends IndexableType, I>(table: Table<T, K, I>, first: K, last: K): Promise<void> {
  const trans = Dexie.currentTransaction;
  if (!trans || trans.mode !== 'readwrite' || !trans.storeNames.includes(table.name)) {
    throw new Error(`deleteKeyRange: not in a read-write transaction of ${table.name}`);
  }
  const range = { type: 2 as DBCoreRangeType.Range, lower: first, upper: last, lowerOpen: false, upperOpen: false };
  const { numFailures, failures } = await table.core.mutate({ trans: trans.idbtrans, type: 'deleteRange', range });
  if (numFailures) throw Object.values(failures)[0] ?? new Error(`deleteKeyRange: ${numFailures} not deleted`);
}
