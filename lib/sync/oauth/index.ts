/**
 * lib/sync/oauth: OAuth 2.0 authorization code + PKCE for backends that sign
 * the agent in (Dynamics 365, Zendesk). Provider-neutral: a provider is its
 * URLs, client id and scope. Owns the PKCE pair (pkce.ts), the browser flow
 * and the token endpoint (flow.ts), and the stored tokens (tokens.ts).
 * Must never: put a token, code or verifier into a log, an error or a
 * delivery row; keep tokens anywhere but the extension's IndexedDB.
 */
export { OAuthError, OAUTH_ERRORS, type OAuthErrorKey } from './errors';
export { createPkcePair, challengeOf, base64Url, randomUrlSafe, type PkcePair } from './pkce';
export {
  buildAuthorizeUrl,
  readRedirect,
  signIn,
  refreshTokens,
  TokenAnswer,
  DEFAULT_EXPIRES_IN_S,
  type AuthBrowser,
  type OAuthProvider,
  type TokenSet,
} from './flow';
export {
  accessTokenFor,
  tokenSource,
  type TokenSource,
  clearTokens,
  isFresh,
  loadTokens,
  markSignInAgain,
  saveTokens,
  signInStateOf,
  tokensMetaKey,
  REFRESH_BEFORE_MS,
  StoredTokens,
  type SignInState,
} from './tokens';
export { browserAuth } from './browser-auth';
export { outcomeOfTokenError } from './outcome';
