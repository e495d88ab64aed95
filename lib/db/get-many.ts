/**
 * Many rows by primary key, in as few requests as their keys allow. A get is
 * a request of its own through IndexedDB (bulkGet makes one per key), and the
 * rows a drain asks for together were mostly written together: a page of new
 * cases names customers created with them, the sync rows of new records do
 * not exist yet. Their keys then lie side by side in key order (ids are
 * ULIDs, ordered by time), so the keys stored between the smallest and the
 * largest asked for are read first, in one request: none of them there means
 * no row to read; only they there means one read of that range; else only the
 * rows that exist are read. A range holding many more keys than were asked
 * for (rows far apart among many others) is not read to its end: every row is
 * read by its key, as bulkGet does.
 */
import { cmp, type IndexableType, type Table } from 'dexie';

/** Keys asked for from this many on: their range's keys are read first. */
const RANGE_FROM_KEYS = 8;
/** The keys read of that range, at most, per key asked for. */
const RANGE_KEYS_PER_KEY = 4;

/** The row of each key, in the keys' order (undefined: none), read in one read-only transaction. */
export function getMany<T, K extends IndexableType, I>(table: Table<T, K, I>, keys: readonly K[]): Promise<Array<T | undefined>> {
  if (keys.length < RANGE_FROM_KEYS) return table.bulkGet([...keys]);
  return table.db.transaction('r', table, async () => {
    let low = keys[0]!;
    let high = low;
    for (const key of keys) {
      if (cmp(key, low) < 0) low = key;
      if (cmp(key, high) > 0) high = key;
    }
    const range = () => table.where(':id').between(low, high, true, true);
    const most = RANGE_KEYS_PER_KEY * keys.length;
    const stored = await range().limit(most).primaryKeys();
    // As many as asked for: there may be more, the range was not read to its end.
    if (stored.length >= most) return table.bulkGet([...keys]);
    const asked = new Set(keys.map(keyText));
    const present = stored.filter((key) => asked.has(keyText(key)));
    if (present.length === 0) return keys.map(() => undefined);
    // Every key there was asked for: the range's rows are the rows wanted, in the order of its keys
    // (the whole range was read, in this transaction). Else only the rows asked for.
    const read = present.length === stored.length ? await range().toArray() : await table.bulkGet(present);
    const rows = new Map<string, T>();
    for (const [i, key] of present.entries()) if (read[i] !== undefined) rows.set(keyText(key), read[i]!);
    return keys.map((key) => rows.get(keyText(key)));
  });
}

/** A key as text for a Set or a Map: compound keys are arrays, compared by value. */
function keyText(key: IndexableType): string {
  return typeof key === 'string' ? key : JSON.stringify(key);
}
