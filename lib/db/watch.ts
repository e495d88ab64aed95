/**
 * Caches over the database forget what they read when it changes. Dexie's
 * `storagemutated` event reports every write, in this context and in the
 * extension's others; its part keys read `idb://<database>/<table>/…`.
 */
import Dexie from 'dexie';

/** Calls `changed` after every write to one of `tables`, here or in another context. */
export function onTablesChanged(tables: readonly string[], changed: () => void): void {
  Dexie.on('storagemutated', (parts) => {
    if (Object.keys(parts).some((part) => tables.some((table) => part.includes(`/${table}/`)))) changed();
  });
}
