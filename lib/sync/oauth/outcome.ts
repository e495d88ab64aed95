/**
 * What a token problem means for a delivery: "sign in again" (or never signed
 * in) blocks sync for the whole backend, nothing in the outbox is lost; a
 * passing failure of the token endpoint (network, 5xx) is retried.
 */
import type { Outcome } from '../adapters/types';
import { OAuthError } from './errors';

export function outcomeOfTokenError(error: unknown): Exclude<Outcome, { kind: 'ok' }> {
  if (error instanceof OAuthError) {
    if (error.isPassing) return { kind: 'retry', error: error.key };
    return { kind: 'fatal', error: error.key === 'sync.oauth.signedOut' ? 'sync.oauth.signedOut' : 'sync.oauth.signInAgain', scope: 'backend' };
  }
  throw error;
}
