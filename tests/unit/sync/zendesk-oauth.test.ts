/**
 * "Sign in with Zendesk": authorization code with PKCE against the Zendesk
 * simulator's OAuth endpoints (tests/support/zendesk-simulator.ts), the
 * tokens it hands out used as `Authorization: Bearer` by the adapter through
 * the real sync engine, refreshed, and "sign in again" when they are gone.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import type { SidecaseDb } from '../../../lib/db/db';
import { drainOutbox } from '../../../lib/sync/engine';
import { loadTokens, signInStateOf, type AuthBrowser } from '../../../lib/sync/oauth';
import { validateBackendSettings, type ZendeskSettings } from '../../../lib/sync/settings';
import { createZendeskAdapter } from '../../../lib/sync/adapters/zendesk';
import { signInToZendesk, zendeskProviderOf, zendeskTokenKeyOf } from '../../../lib/sync/zendesk/sign-in';
import { zendeskApi, type ZendeskResult } from '../../../lib/sync/zendesk/api';
import { startZendeskSimulator, type ZendeskSimulator, type ZendeskSimulatorOptions } from '../../support/zendesk-simulator';
import { caseInput, freshDb } from '../cases/helpers';

const CLIENT_ID = 'sidecase_desk';
const REDIRECT = 'https://abcdefghijklmnop.chromiumapp.org/';

const sims: ZendeskSimulator[] = [];
async function simulator(oauth: Partial<NonNullable<ZendeskSimulatorOptions['oauth']>> = {}) {
  const sim = await startZendeskSimulator({ oauth: { clientId: CLIENT_ID, ...oauth } });
  sims.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(sims.splice(0).map((sim) => sim.close()));
});

const settingsOf = (sim: ZendeskSimulator): ZendeskSettings => ({ kind: 'zendesk', url: sim.url, auth: { type: 'oauth', clientId: CLIENT_ID } });

/** The browser's auth window, played by fetch: where the authorization page redirects is where the window lands. */
function authWindow(tamper?: (authorize: URL) => void): AuthBrowser & { opened: URL[] } {
  const opened: URL[] = [];
  return {
    opened,
    redirectUrl: REDIRECT,
    async launchWebAuthFlow(url) {
      const authorize = new URL(url);
      opened.push(new URL(url));
      tamper?.(authorize);
      const answer = await fetch(authorize, { redirect: 'manual' });
      return answer.headers.get('location') ?? undefined;
    },
  };
}

async function signedIn(sim: ZendeskSimulator, db: SidecaseDb): Promise<ZendeskSettings> {
  const settings = settingsOf(sim);
  expect(await signInToZendesk(settings, { db, auth: authWindow() })).toEqual({ ok: true });
  return settings;
}

describe('Sign in with Zendesk', () => {
  it('sends the agent to <account>/oauth/authorizations/new with PKCE (S256), scope "read write" and the extension\'s redirect URL', async () => {
    const sim = await simulator();
    const db = freshDb();
    const auth = authWindow();
    expect(await signInToZendesk(settingsOf(sim), { db, auth })).toEqual({ ok: true });
    const [authorize] = auth.opened;
    expect(`${authorize!.origin}${authorize!.pathname}`).toBe(`${sim.url}/oauth/authorizations/new`);
    expect(Object.fromEntries(authorize!.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT,
      scope: 'read write',
      code_challenge_method: 'S256',
    });
    expect(authorize!.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(sim.oauthLog().signIns).toBe(1);
    const tokens = await loadTokens(zendeskTokenKeyOf(settingsOf(sim)), db);
    expect(tokens).toMatchObject({ state: 'signedIn', scope: 'read write' });
  });

  it('exchanges the code at <account>/oauth/tokens as JSON, with the code verifier', async () => {
    const sim = await simulator();
    const sent: Array<{ url: string; type: string | null; body: Record<string, unknown> }> = [];
    const recording: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/oauth/tokens')) {
        sent.push({ url: String(input), type: new Headers(init?.headers).get('content-type'), body: JSON.parse(String(init?.body)) });
      }
      return fetch(input, init);
    };
    expect(await signInToZendesk(settingsOf(sim), { db: freshDb(), auth: authWindow(), fetch: recording })).toEqual({ ok: true });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.type).toBe('application/json');
    expect(sent[0]!.body).toMatchObject({ grant_type: 'authorization_code', client_id: CLIENT_ID, redirect_uri: REDIRECT, scope: 'read write' });
    expect(String(sent[0]!.body.code_verifier)).toMatch(/^[\w-]{43}$/);
  });

  it('is refused when the code verifier does not match the challenge, and stores nothing', async () => {
    const sim = await simulator();
    const db = freshDb();
    // A code obtained with someone else's challenge: our verifier cannot redeem it.
    const auth = authWindow((authorize) => authorize.searchParams.set('code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'));
    expect(await signInToZendesk(settingsOf(sim), { db, auth })).toEqual({ ok: false, error: 'sync.oauth.denied' });
    expect(sim.oauthLog().signIns).toBe(0);
    expect(await signInStateOf(zendeskTokenKeyOf(settingsOf(sim)), db)).toBe('signedOut');
  });

  it('says the agent declined when Zendesk answers access_denied', async () => {
    const sim = await simulator({ deny: true });
    expect(await signInToZendesk(settingsOf(sim), { db: freshDb(), auth: authWindow() })).toEqual({ ok: false, error: 'sync.oauth.denied' });
  });

  it('accepts a client identifier and names the field when it is missing', () => {
    expect(validateBackendSettings({ kind: 'zendesk', url: 'https://acme.zendesk.com', auth: { type: 'oauth', clientId: ' sidecase_desk ' } })).toMatchObject({
      ok: true,
      settings: { auth: { type: 'oauth', clientId: 'sidecase_desk' } },
    });
    expect(validateBackendSettings({ kind: 'zendesk', url: 'https://acme.zendesk.com', auth: { type: 'oauth', clientId: '' } })).toEqual({
      ok: false,
      fields: { 'zendesk.clientId': 'sync.settings.zendesk.clientId.required' },
    });
    expect(zendeskProviderOf({ kind: 'zendesk', url: 'https://acme.zendesk.com', auth: { type: 'oauth', clientId: 'x' } })).toMatchObject({
      authorizeUrl: 'https://acme.zendesk.com/oauth/authorizations/new',
      tokenUrl: 'https://acme.zendesk.com/oauth/tokens',
      scope: 'read write',
    });
  });
});

describe('Zendesk with an OAuth sign-in', () => {
  const io = () => ({ fetch: globalThis.fetch.bind(globalThis), now: Date.now, timeoutMs: 5000 });
  const statusOf = (result: ZendeskResult) => (result.kind === 'response' ? result.status : result.kind === 'token' && 'error' in result.outcome ? result.outcome.error : result.kind);

  it('reads the stored sign-in once for requests that start together', async () => {
    const sim = await simulator();
    const db = freshDb();
    const settings = await signedIn(sim, db);
    const api = zendeskApi(settings, io(), db);
    const reads = vi.spyOn(db.meta, 'get');

    const answers = await Promise.all(Array.from({ length: 12 }, () => api.request('GET', '/api/v2/users/me.json')));

    expect(answers.map(statusOf)).toEqual(Array(12).fill(200));
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('looks again after a look-up that failed: signed in meanwhile, the next requests go', async () => {
    const sim = await simulator();
    const db = freshDb();
    const settings = settingsOf(sim);
    const api = zendeskApi(settings, io(), db);

    const before = await Promise.all([api.request('GET', '/api/v2/users/me.json'), api.request('GET', '/api/v2/users/me.json')]);
    expect(before.map(statusOf)).toEqual(['sync.oauth.signedOut', 'sync.oauth.signedOut']);

    // Signed in (on the options page) before the next request.
    await signedIn(sim, db);
    expect(statusOf(await api.request('GET', '/api/v2/users/me.json'))).toBe(200);
  });

  it('creates one ticket with the bearer token, and Test connection says who signed in', async () => {
    const sim = await simulator();
    const db = freshDb();
    const settings = await signedIn(sim, db);
    const { case: created } = await createCase(caseInput(), { db, actor: 'Bea' });
    await drainOutbox({ db, settings, random: () => 0 });
    expect(await db.outbox.count()).toBe(0);
    expect(sim.ticketByExternalId(created.id)).toHaveLength(1);
    expect(sim.oauthLog()).toMatchObject({ bearerRequests: expect.any(Number), basicRequests: 0 });
    expect(sim.oauthLog().bearerRequests).toBeGreaterThan(0);
    const adapter = createZendeskAdapter(settings, { fetch: globalThis.fetch.bind(globalThis), now: Date.now }, db);
    expect(await adapter.testConnection()).toMatchObject({ kind: 'ok', signedInAs: expect.stringContaining('Ada Agent') });
  });

  it('refreshes an expired access token once and goes on; Zendesk rotates the refresh token', async () => {
    const sim = await simulator({ accessTokenSeconds: 7200 });
    const db = freshDb();
    const settings = await signedIn(sim, db);
    const before = await loadTokens(zendeskTokenKeyOf(settings), db);
    // The access token dies early (revoked, or its clock ran out): the API answers 401, the adapter refreshes once.
    sim.expireAccessTokens();
    await createCase(caseInput(), { db, actor: 'Bea' });
    await drainOutbox({ db, settings, random: () => 0 });
    expect(await db.outbox.count()).toBe(0);
    expect(sim.created).toHaveLength(1);
    expect(sim.oauthLog().refreshes).toBe(1);
    const after = await loadTokens(zendeskTokenKeyOf(settings), db);
    expect(after?.state).toBe('signedIn');
    if (before?.state !== 'signedIn' || after?.state !== 'signedIn') throw new Error('not signed in');
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
  });

  it('refreshes before the access token expires, without a 401 first', async () => {
    const sim = await simulator({ accessTokenSeconds: 120 });
    const db = freshDb();
    const settings = await signedIn(sim, db);
    // Two minutes of life is inside the five-minute margin: the first request refreshes first.
    await createCase(caseInput(), { db, actor: 'Bea' });
    await drainOutbox({ db, settings, random: () => 0 });
    expect(sim.oauthLog().refreshes).toBe(1);
    expect(sim.requestLog().filter((r) => r.path.startsWith('/api/'))).not.toHaveLength(0);
    expect(sim.created).toHaveLength(1);
  });

  it('says "sign in again" when the refresh token is refused, keeps the outbox, and goes on after a new sign-in', async () => {
    const sim = await simulator({ accessTokenSeconds: 7200 });
    const db = freshDb();
    const settings = await signedIn(sim, db);
    sim.revokeRefreshTokens();
    sim.expireAccessTokens();
    await createCase(caseInput(), { db, actor: 'Bea' });
    const result = await drainOutbox({ db, settings, random: () => 0 });
    expect(result.blocked).toBe('sync.oauth.signInAgain');
    expect(await signInStateOf(zendeskTokenKeyOf(settings), db)).toBe('signInAgain');
    expect(await db.outbox.count()).toBe(2);
    expect(sim.created).toHaveLength(0);

    await signedIn(sim, db);
    await drainOutbox({ db, settings, random: () => 0, force: true });
    expect(await db.outbox.count()).toBe(0);
    expect(sim.created).toHaveLength(1);
  });

  it('says "sign in again" when the API refuses even a fresh token (the grant was revoked in Zendesk)', async () => {
    const sim = await simulator({ accessTokenSeconds: 7200 });
    const db = freshDb();
    const settings = await signedIn(sim, db);
    // Every access token dies the moment it is handed out.
    sim.setFaults(() => {
      sim.expireAccessTokens();
      return undefined;
    });
    await createCase(caseInput(), { db, actor: 'Bea' });
    const result = await drainOutbox({ db, settings, random: () => 0 });
    expect(result.blocked).toBe('sync.oauth.signInAgain');
    expect(await signInStateOf(zendeskTokenKeyOf(settings), db)).toBe('signInAgain');
    expect(await db.outbox.count()).toBe(2);
  });

  it('says "not signed in" before the first sign-in, and sends nothing', async () => {
    const sim = await simulator();
    const db = freshDb();
    await createCase(caseInput(), { db, actor: 'Bea' });
    const result = await drainOutbox({ db, settings: settingsOf(sim), random: () => 0 });
    expect(result.blocked).toBe('sync.oauth.signedOut');
    expect(sim.requestLog()).toHaveLength(0);
    expect(await db.outbox.count()).toBe(2);
  });
});
