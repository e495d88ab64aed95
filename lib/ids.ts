/**
 * Record ids: ULIDs made on the client, so a record has its id before any
 * server sees it, ids from two agents never collide, and sorting by id sorts
 * by creation time (the outbox relies on that for per-record order).
 */
import { monotonicFactory, ulid } from 'ulidx';

/**
 * ulidx's own random source calls crypto.getRandomValues once per character
 * (16 calls an id); this one draws the 16 bytes of an id in one call. The same
 * bytes, the same mapping to characters.
 */
const randomBytes = new Uint8Array(16);
let nextByte = randomBytes.length;
function prng(): number {
  if (nextByte === randomBytes.length) {
    crypto.getRandomValues(randomBytes);
    nextByte = 0;
  }
  return randomBytes[nextByte++]! / 0xff;
}

const nextUlid = monotonicFactory(prng);

export function newId(now: number = Date.now()): string {
  return nextUlid(now);
}

/**
 * An id for a row that happened at `time`, drawn later (a log row written at
 * the end of a sync): sorts by that time, not by when it was drawn.
 */
export function idAt(time: number): string {
  return ulid(time, prng);
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Random Crockford base-32 text (no I, L, O, U: nothing to misread on the phone). */
export function randomBase32(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => CROCKFORD[byte % 32]).join('');
}
