import { describe, expect, it, vi } from 'vitest';
import { SidecaseDb } from '../../../lib/db/db';
import type { HttpIo } from '../../../lib/sync/http';
import {
  accessTokenFor,
  buildAuthorizeUrl,
  challengeOf,
  createPkcePair,
  loadTokens,
  OAuthError,
  readRedirect,
  REFRESH_BEFORE_MS,
  saveTokens,
  signIn,
  signInStateOf,
  tokensMetaKey,
  tokenSource,
  type AuthBrowser,
  type OAuthProvider,
} from '../../../lib/sync/oauth';

const provider: OAuthProvider = {
  authorizeUrl: 'https://login.example/tenant/oauth2/v2.0/authorize',
  tokenUrl: 'https://login.example/tenant/oauth2/v2.0/token',
  clientId: 'client-123',
  scope: 'https://org.example/user_impersonation offline_access',
};
const REDIRECT = 'https://abcdefgh.chromiumapp.org/';
const T0 = Date.UTC(2026, 0, 5, 9);

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

/** A token endpoint that answers from a function and records the forms it was sent. */
function tokenEndpoint(answer: (form: URLSearchParams) => Response | Promise<Response>, now = () => T0) {
  const forms: URLSearchParams[] = [];
  const io: HttpIo = {
    now,
    fetch: (async (url: string, init: RequestInit) => {
      expect(url).toBe(provider.tokenUrl);
      expect(init.method).toBe('POST');
      const form = new URLSearchParams(String(init.body));
      forms.push(form);
      return answer(form);
    }) as typeof fetch,
  };
  return { io, forms };
}

/** An auth window that lets the test decide where the provider redirects, given the authorize URL. */
function authWindow(redirect: (authorize: URL) => string | undefined): AuthBrowser & { opened: URL[] } {
  const opened: URL[] = [];
  return {
    opened,
    redirectUrl: REDIRECT,
    launchWebAuthFlow: async (url) => {
      const parsed = new URL(url);
      opened.push(parsed);
      return redirect(parsed);
    },
  };
}

const approve = (authorize: URL) => `${REDIRECT}?code=the-code&state=${authorize.searchParams.get('state')}&session_state=x`;

function tokensFor(form: URLSearchParams, extra: Record<string, unknown> = {}) {
  return json(200, { token_type: 'Bearer', access_token: `at-${form.get('grant_type')}`, expires_in: 3599, refresh_token: 'rt-1', scope: provider.scope, ...extra });
}

async function rejection(promise: Promise<unknown>): Promise<OAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OAuthError);
  return error as OAuthError;
}

describe('PKCE', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('draws a fresh 43-character unreserved verifier each time, with its challenge', async () => {
    const a = await createPkcePair();
    const b = await createPkcePair();
    expect(a.verifier).toMatch(/^[A-Za-z0-9\-._~]{43}$/);
    expect(a.verifier).not.toBe(b.verifier);
    expect(a.challenge).toBe(await challengeOf(a.verifier));
    expect(a.method).toBe('S256');
  });
});

describe('sign-in through the browser auth window', () => {
  it('sends client id, redirect URI, scope, state and an S256 challenge in the authorize URL', () => {
    const url = new URL(buildAuthorizeUrl(provider, { state: 'st', challenge: 'ch', redirectUri: REDIRECT }));
    expect(url.origin + url.pathname).toBe(provider.authorizeUrl);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'client-123',
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: provider.scope,
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
    });
  });

  it('exchanges the code with the verifier whose challenge it sent, and keeps the zod-checked tokens', async () => {
    const auth = authWindow(approve);
    const { io, forms } = tokenEndpoint((form) => tokensFor(form));
    const tokens = await signIn(provider, auth, io);
    expect(tokens).toEqual({ accessToken: 'at-authorization_code', refreshToken: 'rt-1', expiresAt: T0 + 3599_000, scope: provider.scope });
    const form = forms[0]!;
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('code')).toBe('the-code');
    expect(form.get('redirect_uri')).toBe(REDIRECT);
    expect(form.get('client_id')).toBe('client-123');
    expect(await challengeOf(form.get('code_verifier')!)).toBe(auth.opened[0]!.searchParams.get('code_challenge'));
  });

  it('refuses a redirect whose state is not the one it sent, without asking for tokens', async () => {
    const { io, forms } = tokenEndpoint((form) => tokensFor(form));
    const error = await rejection(signIn(provider, authWindow(() => `${REDIRECT}?code=stolen&state=someone-else`), io));
    expect(error.key).toBe('sync.oauth.stateMismatch');
    const missing = await rejection(signIn(provider, authWindow(() => `${REDIRECT}?code=stolen`), io));
    expect(missing.key).toBe('sync.oauth.stateMismatch');
    expect(forms).toHaveLength(0);
  });

  it('reads an error redirect: access_denied is "denied", another code is an invalid answer', async () => {
    const { io, forms } = tokenEndpoint((form) => tokensFor(form));
    const denied = await rejection(
      signIn(provider, authWindow((a) => `${REDIRECT}?error=access_denied&error_description=no&state=${a.searchParams.get('state')}`), io),
    );
    expect([denied.key, denied.code]).toEqual(['sync.oauth.denied', 'access_denied']);
    const other = await rejection(
      signIn(provider, authWindow((a) => `${REDIRECT}?error=invalid_scope&state=${a.searchParams.get('state')}`), io),
    );
    expect([other.key, other.code]).toEqual(['sync.oauth.invalidResponse', 'invalid_scope']);
    expect(forms).toHaveLength(0);
  });

  it('reads parameters from the fragment too, and refuses a redirect to another address', () => {
    expect(readRedirect(`${REDIRECT}#code=c&state=s`, { state: 's', redirectUri: REDIRECT })).toBe('c');
    expect(() => readRedirect('https://evil.example/?code=c&state=s', { state: 's', redirectUri: REDIRECT })).toThrow('sync.oauth.invalidResponse');
  });

  it('is "cancelled" when the agent closes the window', async () => {
    const { io } = tokenEndpoint((form) => tokensFor(form));
    expect((await rejection(signIn(provider, authWindow(() => undefined), io))).key).toBe('sync.oauth.cancelled');
    const throwing: AuthBrowser = { redirectUrl: REDIRECT, launchWebAuthFlow: () => Promise.reject(new Error('The user did not approve access.')) };
    expect((await rejection(signIn(provider, throwing, io))).key).toBe('sync.oauth.cancelled');
  });

  it('refuses token answers that are not bearer tokens of the documented shape', async () => {
    for (const bad of [
      { token_type: 'mac', access_token: 'x', expires_in: 10 },
      { token_type: 'Bearer', expires_in: 10 },
      { token_type: 'Bearer', access_token: '', expires_in: 10 },
      { token_type: 'Bearer', access_token: 'x', expires_in: -5 },
      'not json at all',
    ]) {
      const { io } = tokenEndpoint(() => json(200, bad));
      expect((await rejection(signIn(provider, authWindow(approve), io))).key).toBe('sync.oauth.invalidResponse');
    }
    const html = tokenEndpoint(() => new Response('<html>login</html>', { status: 200, headers: { 'Content-Type': 'text/html' } }));
    expect((await rejection(signIn(provider, authWindow(approve), html.io))).key).toBe('sync.oauth.invalidResponse');
  });

  it('says "denied" when the token endpoint refuses the code, "server" for a 5xx, "network" when unreachable', async () => {
    const refused = tokenEndpoint(() => json(400, { error: 'invalid_grant', error_description: 'AADSTS501481: The Code_Verifier does not match' }));
    expect((await rejection(signIn(provider, authWindow(approve), refused.io))).key).toBe('sync.oauth.denied');
    const down = tokenEndpoint(() => json(503, {}));
    expect((await rejection(signIn(provider, authWindow(approve), down.io))).key).toBe('sync.oauth.server');
    const offline = tokenEndpoint(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = await rejection(signIn(provider, authWindow(approve), offline.io));
    expect([error.key, error.isPassing]).toEqual(['sync.oauth.network', true]);
  });
});

describe('stored tokens', () => {
  const backend = 'dynamics365 https://org.example';
  const freshDb = () => new SidecaseDb(`oauth-${Math.random()}`);

  it('hands out the stored access token while it has more than the refresh margin left, without a request', async () => {
    const db = freshDb();
    await saveTokens(backend, { accessToken: 'at-0', refreshToken: 'rt-0', expiresAt: T0 + REFRESH_BEFORE_MS + 1000 }, { db, now: T0 });
    const { io, forms } = tokenEndpoint((form) => tokensFor(form));
    expect(await accessTokenFor(backend, provider, io, { db })).toBe('at-0');
    expect(forms).toHaveLength(0);
    expect(await signInStateOf(backend, db)).toBe('signedIn');
  });

  it('refreshes before expiry, keeps the rotated refresh token, and shares one refresh among concurrent requests', async () => {
    const db = freshDb();
    await saveTokens(backend, { accessToken: 'at-0', refreshToken: 'rt-0', expiresAt: T0 + REFRESH_BEFORE_MS - 1000 }, { db, now: T0 });
    const { io, forms } = tokenEndpoint((form) => tokensFor(form, { refresh_token: 'rt-rotated', access_token: 'at-new' }));
    const tokens = await Promise.all([1, 2, 3].map(() => accessTokenFor(backend, provider, io, { db })));
    expect(tokens).toEqual(['at-new', 'at-new', 'at-new']);
    expect(forms).toHaveLength(1);
    expect(Object.fromEntries(forms[0]!)).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'rt-0', client_id: 'client-123' });
    expect(await loadTokens(backend, db)).toMatchObject({ state: 'signedIn', accessToken: 'at-new', refreshToken: 'rt-rotated', expiresAt: T0 + 3599_000 });
  });

  it('keeps the old refresh token when the refresh answer brings none', async () => {
    const db = freshDb();
    await saveTokens(backend, { accessToken: 'at-0', refreshToken: 'rt-0', expiresAt: T0 - 1 }, { db, now: T0 });
    const { io } = tokenEndpoint(() => json(200, { token_type: 'bearer', access_token: 'at-1', expires_in: '600' }));
    expect(await accessTokenFor(backend, provider, io, { db })).toBe('at-1');
    expect(await loadTokens(backend, db)).toMatchObject({ refreshToken: 'rt-0', expiresAt: T0 + 600_000 });
  });

  it('turns to "sign in again" when the refresh token is refused (expired after 24 hours) or missing', async () => {
    const db = freshDb();
    await saveTokens(backend, { accessToken: 'at-0', refreshToken: 'rt-old', expiresAt: T0 - 1 }, { db, now: T0 });
    const refused = tokenEndpoint(() => json(400, { error: 'invalid_grant', error_description: 'AADSTS700084: The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00' }));
    expect((await rejection(accessTokenFor(backend, provider, refused.io, { db }))).key).toBe('sync.oauth.signInAgain');
    expect(await signInStateOf(backend, db)).toBe('signInAgain');
    // Later calls say so at once, without a request.
    expect((await rejection(accessTokenFor(backend, provider, refused.io, { db }))).key).toBe('sync.oauth.signInAgain');
    expect(refused.forms).toHaveLength(1);

    await saveTokens(backend, { accessToken: 'at-0', expiresAt: T0 - 1 }, { db, now: T0 });
    const { io, forms } = tokenEndpoint((form) => tokensFor(form));
    expect((await rejection(accessTokenFor(backend, provider, io, { db }))).key).toBe('sync.oauth.signInAgain');
    expect(forms).toHaveLength(0);
    expect(await signInStateOf(backend, db)).toBe('signInAgain');
  });

  it('keeps the tokens when a refresh fails for a passing reason, and refreshes on force', async () => {
    const db = freshDb();
    await saveTokens(backend, { accessToken: 'at-0', refreshToken: 'rt-0', expiresAt: T0 - 1 }, { db, now: T0 });
    const offline = tokenEndpoint(() => Promise.reject(new TypeError('Failed to fetch')));
    expect((await rejection(accessTokenFor(backend, provider, offline.io, { db }))).key).toBe('sync.oauth.network');
    expect(await loadTokens(backend, db)).toMatchObject({ state: 'signedIn', refreshToken: 'rt-0' });

    await saveTokens(backend, { accessToken: 'at-0', refreshToken: 'rt-0', expiresAt: T0 + 3600_000 }, { db, now: T0 });
    const { io, forms } = tokenEndpoint((form) => tokensFor(form));
    expect(await accessTokenFor(backend, provider, io, { db, force: true })).toBe('at-refresh_token');
    expect(forms).toHaveLength(1);
  });

  it('is signed out before any sign-in, and ignores a stored row of the wrong shape', async () => {
    const db = freshDb();
    const { io } = tokenEndpoint((form) => tokensFor(form));
    expect((await rejection(accessTokenFor(backend, provider, io, { db }))).key).toBe('sync.oauth.signedOut');
    await db.meta.put({ key: tokensMetaKey(backend), value: { state: 'signedIn', accessToken: 42 } });
    expect(await signInStateOf(backend, db)).toBe('signedOut');
  });
});

describe('a client\'s token source', () => {
  const backend = 'dynamics365 https://org.example';
  const freshDb = () => new SidecaseDb(`oauth-source-${Math.random()}`);
  /** A clock the test moves; the stored token is good for an hour from T0. */
  async function source() {
    const db = freshDb();
    await saveTokens(backend, { accessToken: 'at-0', refreshToken: 'rt-0', expiresAt: T0 + 3600_000 }, { db, now: T0 });
    let now = T0;
    const endpoint = tokenEndpoint((form) => tokensFor(form, { access_token: `at-${endpoint.forms.length}` }), () => now);
    const reads = vi.spyOn(db.meta, 'get');
    return { db, reads, forms: endpoint.forms, tokens: tokenSource(backend, provider, endpoint.io, db), wait: (ms: number) => (now += ms) };
  }

  it('keeps the token of its look-up for one minute: at once, without reading storage, then reads again', async () => {
    const { tokens, reads, wait } = await source();
    expect(await tokens.token()).toBe('at-0');
    expect(reads).toHaveBeenCalledTimes(1);
    wait(59_000);
    expect(tokens.token()).toBe('at-0');
    expect(tokens.current).toBe('at-0');
    expect(reads).toHaveBeenCalledTimes(1);
    wait(2_000);
    expect(await tokens.token()).toBe('at-0');
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('shares one look-up among the requests that start together, and looks again after one that failed', async () => {
    const { db, tokens, reads } = await source();
    await db.meta.delete(tokensMetaKey(backend));
    const failed = await Promise.all([1, 2, 3].map(() => rejection(Promise.resolve(tokens.token()))));
    expect(failed.map((error) => error.key)).toEqual(Array(3).fill('sync.oauth.signedOut'));
    expect(reads).toHaveBeenCalledTimes(1);
    expect(tokens.current).toBeUndefined();

    await saveTokens(backend, { accessToken: 'at-again', refreshToken: 'rt-0', expiresAt: T0 + 3600_000 }, { db, now: T0 });
    expect(await Promise.all([1, 2, 3].map(() => tokens.token()))).toEqual(['at-again', 'at-again', 'at-again']);
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('refreshes on force, unless the refused token was replaced since: then the new one, with no second refresh', async () => {
    const { tokens, forms } = await source();
    expect(await tokens.token()).toBe('at-0');
    expect(await tokens.token(true, 'at-0')).toBe('at-1');
    expect(forms).toHaveLength(1);
    // A request that was sent with at-0 before the refresh, refused now: it gets at-1 as it is.
    expect(await tokens.token(true, 'at-0')).toBe('at-1');
    expect(forms).toHaveLength(1);
    expect(await tokens.token(true, 'at-1')).toBe('at-2');
    expect(forms).toHaveLength(2);
  });

  it('forgets the kept token when told: the next request reads storage again', async () => {
    const { tokens, reads } = await source();
    expect(await tokens.token()).toBe('at-0');
    tokens.forget();
    expect(tokens.current).toBeUndefined();
    expect(await tokens.token()).toBe('at-0');
    expect(reads).toHaveBeenCalledTimes(2);
  });
});
