/**
 * Dataverse ids drawn on this computer, so a create retried after a lost
 * answer carries the same primary key and Dataverse refuses the second copy
 * (duplicate key) instead of making two incidents.
 *
 * A record's GUID is its ULID's 128 bits written as a GUID: the ULID was
 * drawn locally when the record was made (lib/ids.ts), is unique, and the
 * same on every retry, even one after the service worker died between the
 * send and the confirmation. Rows with no ULID of their own (an account
 * named by a company, a case resolution) get a name-based GUID: SHA-256 of a
 * fixed text, so every try names the same row.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function formatGuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The value of each Crockford digit by char code (upper and lower case), -1 for any other. */
const DIGIT = new Int8Array(128).fill(-1);
for (const [value, char] of [...CROCKFORD].entries()) {
  DIGIT[char.charCodeAt(0)] = value;
  DIGIT[char.toLowerCase().charCodeAt(0)] = value;
}

/**
 * The GUID of a ULID: the same 128 bits. A ULID's 26 digits hold 130 bits, of
 * which the top two are zero: the low 128 are written out four at a time
 * (every create and every If-Match of a drain names its row by this; the
 * BigInt arithmetic below did the same at a far higher cost per call).
 */
export function guidOf(ulid: string): string {
  if (ulid.length !== 26) return guidOfAnyLength(ulid);
  let hex = '';
  // The first digit's top two bits are bits 128 and 129: not kept.
  let bits = DIGIT[ulid.charCodeAt(0)] ?? -1;
  if (bits < 0) throw new Error('not a ULID');
  bits &= 7;
  let held = 3;
  for (let i = 1; i < 26; i++) {
    const digit = DIGIT[ulid.charCodeAt(i)] ?? -1;
    if (digit < 0) throw new Error('not a ULID');
    bits = (bits << 5) | digit;
    held += 5;
    while (held >= 4) {
      held -= 4;
      hex += ((bits >> held) & 15).toString(16);
    }
    bits &= (1 << held) - 1;
  }
  return formatGuid(hex);
}

/** guidOf of text that is not 26 digits long: its value's low 128 bits, as before. */
function guidOfAnyLength(ulid: string): string {
  let value = 0n;
  for (const char of ulid.toUpperCase()) {
    const digit = CROCKFORD.indexOf(char);
    if (digit < 0) throw new Error('not a ULID');
    value = value * 32n + BigInt(digit);
  }
  return formatGuid(value.toString(16).padStart(32, '0').slice(-32));
}

/** The ULID a GUID made by guidOf came from (any other GUID gives some ULID-shaped text, never a local record). */
export function ulidOf(guid: string): string {
  let value = BigInt(`0x${guid.replace(/-/g, '')}`);
  let text = '';
  for (let i = 0; i < 26; i++) {
    text = CROCKFORD[Number(value % 32n)] + text;
    value /= 32n;
  }
  return text;
}

/** A name-based GUID (version 5 layout, SHA-256): the same name gives the same row on every try. */
export async function guidOfName(name: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(name))).slice(0, 16);
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  return formatGuid(hexOf(digest));
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
