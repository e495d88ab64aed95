/**
 * A backend's interactive sign-in (Dynamics 365, Zendesk): the flow of
 * lib/sync/oauth against the backend's authority, the tokens stored, and a
 * "sign in again" block lifted so the waiting outbox goes at once.
 */
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { browserAuth, OAuthError, saveTokens, signIn, type AuthBrowser, type OAuthProvider } from './oauth';
import { unblockSync } from './engine-state';

export type SignInResult = { ok: true } | { ok: false; error: string };

export interface SignInOptions {
  db?: SidecaseDb;
  auth?: AuthBrowser;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

export async function signInBackend(provider: OAuthProvider, tokenKey: string, options: SignInOptions = {}): Promise<SignInResult> {
  const { db = defaultDb, auth, fetch = globalThis.fetch.bind(globalThis), now = Date.now } = options;
  try {
    const tokens = await signIn(provider, auth ?? browserAuth(), { fetch, now });
    await saveTokens(tokenKey, tokens, { db, now: now() });
    await unblockSync(db, now());
    return { ok: true };
  } catch (error) {
    if (error instanceof OAuthError) return { ok: false, error: error.key };
    throw error;
  }
}
