/**
 * PKCE (RFC 7636) with the S256 method: a random verifier kept in memory for
 * the one sign-in, and its SHA-256 challenge sent in the authorize URL. The
 * token endpoint only hands out tokens to whoever shows the verifier, so a
 * code caught on its way back through the redirect is worth nothing alone.
 * WebCrypto only: the same code runs in the background, the options page and
 * Node's tests.
 */

export interface PkcePair {
  verifier: string;
  challenge: string;
  method: 'S256';
}

/** base64url without padding (RFC 7636 appendix A). */
export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Random text of `bytes` bytes of entropy, base64url (43 characters for 32 bytes). */
export function randomUrlSafe(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** code_challenge = BASE64URL(SHA256(ASCII(code_verifier))) (RFC 7636 §4.2). */
export async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** A fresh pair: 32 random bytes give a 43-character verifier, the minimum length RFC 7636 §4.1 allows. */
export async function createPkcePair(): Promise<PkcePair> {
  const verifier = randomUrlSafe(32);
  return { verifier, challenge: await challengeOf(verifier), method: 'S256' };
}
