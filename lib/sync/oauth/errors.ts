/**
 * Why a sign-in or a token refresh failed, as a message key the agent can
 * read. `signInAgain` is the one that needs the agent: the refresh token is
 * gone or refused, and only a new interactive sign-in brings tokens back.
 * The others are passing (network, a server error) or a set-up mistake.
 * No token, code or verifier ever goes into an error.
 */
import { SidecaseError } from '../../errors';

export const OAUTH_ERRORS = [
  'sync.oauth.cancelled',
  'sync.oauth.stateMismatch',
  'sync.oauth.denied',
  'sync.oauth.invalidResponse',
  'sync.oauth.network',
  'sync.oauth.server',
  'sync.oauth.signInAgain',
  'sync.oauth.signedOut',
] as const;
export type OAuthErrorKey = (typeof OAUTH_ERRORS)[number];

export class OAuthError extends SidecaseError {
  constructor(
    override readonly key: OAuthErrorKey,
    /** The provider's own `error` code (`access_denied`, `invalid_grant`), safe to show: never a secret. */
    readonly code?: string,
  ) {
    super(key);
    this.name = 'OAuthError';
  }

  /** Worth trying again later without the agent (network, 5xx). */
  get isPassing(): boolean {
    return this.key === 'sync.oauth.network' || this.key === 'sync.oauth.server';
  }
}
