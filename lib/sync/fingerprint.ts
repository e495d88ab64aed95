/**
 * A record's data compared as the backend's feed shows it: the same fields
 * in any order are the same record. The fingerprint is what a sync row keeps
 * of a change confirmed without a version (an answer with no ETag), so that
 * the pull knows that change when the feed brings it back (pull.ts).
 */

/** JSON with sorted keys: the same record, whatever order the backend keeps its fields in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

export function sameData(ours: Record<string, unknown>, theirs: Record<string, unknown>): boolean {
  return canonicalJson(ours) === canonicalJson(theirs);
}

/**
 * cyrb53 (bryc's public-domain 53-bit string hash) over the canonical JSON, as
 * hex: not a secret and not an id, only "is this the data we sent" for one
 * record. Synchronous, so it runs inside an IndexedDB transaction (a digest
 * from crypto.subtle would let the transaction commit while it waited).
 */
export function fingerprintOf(data: Record<string, unknown>): string {
  const text = canonicalJson(data);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ unit, 2654435761);
    h2 = Math.imul(h2 ^ unit, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}
