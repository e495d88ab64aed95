/**
 * "Sign in with Microsoft" (options page) and "Sign in again" (panel header):
 * the interactive flow of lib/sync/oauth against the organisation's
 * authority, the tokens stored, and a "sign in again" block lifted so the
 * waiting outbox goes at once.
 */
import { db as defaultDb, type SidecaseDb } from '../../db/db';
import { signInStateOf, type SignInState } from '../oauth';
import { signInBackend, type SignInOptions, type SignInResult } from '../backend-sign-in';
import { loadBackendSettings, type Dynamics365Settings } from '../settings';
import { providerOf, tokenKeyOf } from './client';

export type { SignInResult };

export function signInToDynamics365(settings: Dynamics365Settings, options: SignInOptions = {}): Promise<SignInResult> {
  return signInBackend(providerOf(settings), tokenKeyOf(settings), options);
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
