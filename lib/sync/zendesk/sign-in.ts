/**
 * "Sign in with Zendesk" (options page) and "Sign in again" (panel header):
 * OAuth authorization code with PKCE through lib/sync/oauth against the
 * account itself, as Zendesk documents it for a public client:
 *
 * - authorize at `<account>/oauth/authorizations/new` with `response_type=code`,
 *   `client_id`, `redirect_uri`, `scope`, `state`, `code_challenge` and
 *   `code_challenge_method=S256` (a public client must use PKCE):
 *   https://support.zendesk.com/hc/en-us/articles/4408845965210 (Using OAuth authentication with your application),
 *   https://developer.zendesk.com/documentation/api-basics/authentication/oauth-pkce;
 * - the code, the client id, the redirect URI and the `code_verifier` go to
 *   `POST <account>/oauth/tokens` as JSON; so does a refresh token
 *   (`grant_type: refresh_token`), which Zendesk answers with a new access
 *   token and a new refresh token, deleting the old pair:
 *   https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/,
 *   https://developer.zendesk.com/documentation/api-basics/authentication/refresh-token.
 *
 * The scope is `read write`: tickets, users and uploads are created and
 * updated, the incremental export and the search are read. Tokens are kept as
 * Dynamics 365's are (lib/sync/oauth/tokens.ts), one sign-in per account.
 */
import { db as defaultDb, type SidecaseDb } from '../../db/db';
import { signInStateOf, type OAuthProvider, type SignInState } from '../oauth';
import { signInBackend, type SignInOptions, type SignInResult } from '../backend-sign-in';
import { loadBackendSettings, type ZendeskSettings } from '../settings';

export const ZENDESK_SCOPE = 'read write';

type OAuthSettings = ZendeskSettings & { auth: { type: 'oauth' } };

export function isOAuth(settings: ZendeskSettings): settings is OAuthSettings {
  return settings.auth.type === 'oauth';
}

export function zendeskProviderOf(settings: OAuthSettings): OAuthProvider {
  return {
    authorizeUrl: `${settings.url}/oauth/authorizations/new`,
    tokenUrl: `${settings.url}/oauth/tokens`,
    clientId: settings.auth.clientId,
    scope: ZENDESK_SCOPE,
    tokenRequestBody: 'json',
  };
}

/** The key the tokens are kept under: one sign-in per Zendesk account. */
export function zendeskTokenKeyOf(settings: ZendeskSettings): string {
  return `zendesk ${settings.url}`;
}

export type { SignInResult };

export async function signInToZendesk(settings: ZendeskSettings, options: SignInOptions = {}): Promise<SignInResult> {
  if (!isOAuth(settings)) return { ok: false, error: 'sync.oauth.signedOut' };
  return signInBackend(zendeskProviderOf(settings), zendeskTokenKeyOf(settings), options);
}

/** The panel header's "Sign in again" for the stored Zendesk settings. */
export async function signInAgainToZendesk(options: { db?: SidecaseDb } = {}): Promise<SignInResult> {
  const settings = await loadBackendSettings(options.db);
  if (settings.kind !== 'zendesk') return { ok: false, error: 'sync.oauth.signedOut' };
  return signInToZendesk(settings, options);
}

export function zendeskSignInState(settings: ZendeskSettings, db: SidecaseDb = defaultDb): Promise<SignInState> {
  return signInStateOf(zendeskTokenKeyOf(settings), db);
}
