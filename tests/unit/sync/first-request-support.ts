/**
 * How much of the outbox a drain read before its first request: a fetch for
 * the drain that notes, at its first call, how many outbox entries had been
 * read from storage (every entry read goes through Dexie's reading hook).
 */
import type { SidecaseDb } from '../../../lib/db/db';

export function watchFirstRequest(db: SidecaseDb): { fetch: typeof fetch; readAtFirstRequest: () => number | undefined } {
  let read = 0;
  db.outbox.hook('reading', (entry) => {
    read += 1;
    return entry;
  });
  let readAtFirstRequest: number | undefined;
  const watched: typeof fetch = (input, init) => {
    readAtFirstRequest ??= read;
    return fetch(input, init);
  };
  return { fetch: watched, readAtFirstRequest: () => readAtFirstRequest };
}
