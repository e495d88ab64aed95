/**
 * OAuth 2.0 authorization code with PKCE (RFC 6749 §4.1, RFC 7636), for a
 * public client: the extension holds no secret. Provider-neutral: a provider
 * is its authorize and token URLs, its client id and scope (Microsoft
 * identity platform for Dynamics 365, Zendesk, …).
 *
 * Sign-in runs `identity.launchWebAuthFlow` with `identity.getRedirectURL()`
 * as redirect URI (the only URL the browser hands back to the extension), then
 * checks the `state` it sent (a redirect carrying someone else's code is
 * refused) and the `error` parameter (RFC 6749 §4.1.2.1), and exchanges the
 * code with the verifier at the token endpoint (§4.1.3). Token answers are
 * untrusted: zod-checked (§5.1), errors read by their `error` code (§5.2).
 */
import { z } from 'zod';
import { guardedRequest, jsonBody, type HttpIo } from '../http';
import { OAuthError } from './errors';
import { createPkcePair, randomUrlSafe } from './pkce';

export interface OAuthProvider {
  /** e.g. `https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize` */
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  /** Space-separated, as sent. */
  scope: string;
  /** Provider-specific authorize parameters (`prompt`, `login_hint`, …). */
  authorizeParams?: Record<string, string>;
  /**
   * How the token endpoint takes its parameters: form-encoded as RFC 6749
   * §4.1.3 says (the default; Microsoft), or a JSON object (Zendesk's
   * `POST /oauth/tokens` documents a JSON body).
   */
  tokenRequestBody?: 'form' | 'json';
}

/** What the flow needs from the browser: injected, so tests drive it without one. */
export interface AuthBrowser {
  /** `identity.launchWebAuthFlow({ url, interactive: true })`: the URL the provider redirected to. */
  launchWebAuthFlow(url: string): Promise<string | undefined>;
  /** `identity.getRedirectURL()`. */
  redirectUrl: string;
}

/** A successful token answer (RFC 6749 §5.1). Extra fields (id_token, ext_expires_in) are ignored. */
export const TokenAnswer = z.object({
  access_token: z.string().min(1).max(16_384),
  token_type: z.string().refine((type) => type.toLowerCase() === 'bearer'),
  expires_in: z.coerce.number().int().positive().max(10 * 365 * 24 * 3600).optional(),
  refresh_token: z.string().min(1).max(16_384).optional(),
  scope: z.string().max(4096).optional(),
});
export type TokenAnswer = z.infer<typeof TokenAnswer>;

/** An error answer (RFC 6749 §5.2). */
const TokenErrorAnswer = z.object({ error: z.string().max(200), error_description: z.string().optional() });

/** Tokens as Sidecase keeps them: when they expire is an absolute time. */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  scope?: string;
}

/** Without expires_in, an access token is taken to live an hour (the common default) and refreshed before. */
export const DEFAULT_EXPIRES_IN_S = 3600;

export function buildAuthorizeUrl(
  provider: OAuthProvider,
  { state, challenge, redirectUri }: { state: string; challenge: string; redirectUri: string },
): string {
  const url = new URL(provider.authorizeUrl);
  const params: Record<string, string> = {
    ...provider.authorizeParams,
    client_id: provider.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: provider.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

/**
 * The authorization code out of the URL the provider redirected to, after
 * checking it is our redirect URI and carries our state. Parameters come in
 * the query (response_mode=query, the default for code) or the fragment.
 */
export function readRedirect(redirectedTo: string | undefined, { state, redirectUri }: { state: string; redirectUri: string }): string {
  if (!redirectedTo) throw new OAuthError('sync.oauth.cancelled');
  let url: URL;
  try {
    url = new URL(redirectedTo);
  } catch {
    throw new OAuthError('sync.oauth.invalidResponse');
  }
  const expected = new URL(redirectUri);
  if (url.origin !== expected.origin || url.pathname !== expected.pathname) throw new OAuthError('sync.oauth.invalidResponse');
  const params = new URLSearchParams(url.search);
  if (!params.has('state') && !params.has('code') && !params.has('error') && url.hash) {
    for (const [name, value] of new URLSearchParams(url.hash.slice(1))) params.set(name, value);
  }
  // State first: an error or a code that is not the answer to our request is not ours to act on.
  if (params.get('state') !== state) throw new OAuthError('sync.oauth.stateMismatch');
  const error = params.get('error');
  if (error) throw new OAuthError(error === 'access_denied' ? 'sync.oauth.denied' : 'sync.oauth.invalidResponse', error.slice(0, 100));
  const code = params.get('code');
  if (!code) throw new OAuthError('sync.oauth.invalidResponse');
  return code;
}

/** One POST to the token endpoint (RFC 6749 §4.1.3 / §6), its answer checked. */
async function requestTokens(provider: OAuthProvider, form: Record<string, string>, io: HttpIo): Promise<TokenSet> {
  const sentAt = io.now();
  const isJson = provider.tokenRequestBody === 'json';
  const result = await guardedRequest(
    io,
    provider.tokenUrl,
    {
      method: 'POST',
      headers: { 'Content-Type': isJson ? 'application/json' : 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: isJson ? JSON.stringify(form) : new URLSearchParams(form).toString(),
    },
    { readBody: true },
  );
  if (result.kind === 'network') throw new OAuthError('sync.oauth.network');
  if (result.kind === 'redirect') throw new OAuthError('sync.oauth.invalidResponse');
  if (result.status === 400 || result.status === 401) {
    // The error body is not read by guardedRequest (non-2xx): a refused grant is a 400 (§5.2),
    // and for a refresh it means the refresh token is expired, revoked or unknown.
    throw new OAuthError(form.grant_type === 'refresh_token' ? 'sync.oauth.signInAgain' : 'sync.oauth.denied', 'invalid_grant');
  }
  if (result.status === 429 || result.status >= 500) throw new OAuthError('sync.oauth.server');
  if (result.status < 200 || result.status >= 300) throw new OAuthError('sync.oauth.invalidResponse');
  const body = jsonBody(result);
  const refused = TokenErrorAnswer.safeParse(body);
  if (refused.success && !(body as { access_token?: unknown }).access_token) {
    throw new OAuthError(form.grant_type === 'refresh_token' ? 'sync.oauth.signInAgain' : 'sync.oauth.denied', refused.data.error.slice(0, 100));
  }
  const parsed = TokenAnswer.safeParse(body);
  if (!parsed.success) throw new OAuthError('sync.oauth.invalidResponse');
  return {
    accessToken: parsed.data.access_token,
    // A refresh answer without a new refresh token keeps the old one (§6: the server MAY issue a new one).
    refreshToken: parsed.data.refresh_token ?? (form.grant_type === 'refresh_token' ? form.refresh_token : undefined),
    // Counted from when the request was sent: the token may have been issued any time after.
    expiresAt: sentAt + (parsed.data.expires_in ?? DEFAULT_EXPIRES_IN_S) * 1000,
    scope: parsed.data.scope,
  };
}

/** The interactive sign-in: authorize in the browser's auth window, then exchange the code. */
export async function signIn(provider: OAuthProvider, auth: AuthBrowser, io: HttpIo): Promise<TokenSet> {
  const pkce = await createPkcePair();
  const state = randomUrlSafe(16);
  const redirectUri = auth.redirectUrl;
  let redirectedTo: string | undefined;
  try {
    redirectedTo = await auth.launchWebAuthFlow(buildAuthorizeUrl(provider, { state, challenge: pkce.challenge, redirectUri }));
  } catch {
    // Chrome rejects when the agent closes the window ("The user did not approve access.").
    throw new OAuthError('sync.oauth.cancelled');
  }
  const code = readRedirect(redirectedTo, { state, redirectUri });
  return requestTokens(
    provider,
    {
      grant_type: 'authorization_code',
      client_id: provider.clientId,
      code,
      redirect_uri: redirectUri,
      code_verifier: pkce.verifier,
      scope: provider.scope,
    },
    io,
  );
}

/** New tokens for a refresh token (RFC 6749 §6); a refused one throws `sync.oauth.signInAgain`. */
export function refreshTokens(provider: OAuthProvider, refreshToken: string, io: HttpIo): Promise<TokenSet> {
  return requestTokens(
    provider,
    { grant_type: 'refresh_token', client_id: provider.clientId, refresh_token: refreshToken, scope: provider.scope },
    io,
  );
}
