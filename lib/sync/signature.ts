/**
 * `Sidecase-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`
 * (the Stripe scheme, which n8n, Power Automate and Zapier recipes know).
 * The timestamp inside the signed text stops a captured request from being
 * replayed later; the receiver refuses anything older than the tolerance.
 * WebCrypto only: the same code runs in the service worker and in Node 20.
 */
const encoder = new TextEncoder();

async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(text)));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The header value for `rawBody`, signed at `t` (unix seconds). */
export async function signWebhook(secret: string, rawBody: string, t: number): Promise<string> {
  const seconds = Math.floor(t);
  return `t=${seconds},v1=${await hmacHex(secret, `${seconds}.${rawBody}`)}`;
}

/** Compares every character, so the time taken does not tell how much matched. */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export interface VerifyOptions {
  /** Milliseconds since the epoch. */
  now: number;
  toleranceSeconds?: number;
}

export async function verifyWebhook(
  secret: string,
  rawBody: string,
  header: string | null | undefined,
  { now, toleranceSeconds = 300 }: VerifyOptions,
): Promise<boolean> {
  if (!header || header.length > 2048) return false;
  let t: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const [name, value, ...rest] = part.trim().split('=');
    if (rest.length > 0 || value === undefined) continue;
    if (name === 't' && /^\d{1,12}$/.test(value)) t = Number(value);
    // Several v1 values are allowed: a sender may sign with an old and a new secret while rotating.
    if (name === 'v1' && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (t === undefined || candidates.length === 0) return false;
  if (Math.abs(now / 1000 - t) > toleranceSeconds) return false;
  const expected = await hmacHex(secret, `${t}.${rawBody}`);
  let matched = false;
  for (const candidate of candidates) matched = constantTimeEqual(candidate, expected) || matched;
  return matched;
}
