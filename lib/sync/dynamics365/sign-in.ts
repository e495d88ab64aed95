/**
 * "Sign in with Microsoft" (options page) and "Sign in again" (panel header):
 * the interactive flow of lib/sync/oauth against the organisation's
 * authority, the tokens stored, and a "sign in again" block lifted so the
 * waiting outbox goes at once.
 */
import { db as defaultDb, type SidecaseDb } from '../../db/db';
import { browserAuth, OAuthError, saveTokens, signIn, signInStateOf, type AuthBrowser, type SignInState } from '../oauth';
import { unblockSync } from '../engine-state';
import { loadBackendSettings, type Dynamics365Settings } from '../settings';
import { providerOf, tokenKeyOf } from './client';

export type SignInResult = { ok: true } | { ok: false; error: string };

export async function signInToDynamics365(
  settings: Dynamics365Settings,
  {
    db = defaultDb,
    auth,
    fetch = globalThis.fetch.bind(globalThis),
    now = Date.now,
  }: { db?: SidecaseDb; auth?: AuthBrowser; fetch?: typeof globalThis.fetch; now?: () => number } = {},
): Promise<SignInResult> {
  try {
    const tokens = await signIn(providerOf(settings), auth ?? browserAuth(), { fetch, now });
    await saveTokens(tokenKeyOf(settings), tokens, { db, now: now() });
    await unblockSync(db, now());
    return { ok: true };
  } catch (error) {
    if (error instanceof OAuthError) return { ok: false, error: error.key };
    throw error;
  }
}

/** The panel header's "Sign in again": the stored Dynamics 365 settings, signed in anew. */
export async function signInAgain(options: { db?: SidecaseDb } = {}): Promise<SignInResult> {
  const settings = await loadBackendSettings(options.db);
  if (settings.kind !== 'dynamics365') return { ok: false, error: 'sync.oauth.signedOut' };
  return signInToDynamics365(settings, options);
}

export function dynamics365SignInState(settings: Dynamics365Settings, db: SidecaseDb = defaultDb): Promise<SignInState> {
  return signInStateOf(tokenKeyOf(settings), db);
}
