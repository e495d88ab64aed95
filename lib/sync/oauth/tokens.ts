/**
 * Where a backend's OAuth tokens live and how a request gets a valid access
 * token: in the extension's IndexedDB (`meta` row `oauth:<backend>`, out of
 * any content script's reach, like the other credentials of lib/sync/settings.ts),
 * zod-checked when read, refreshed a few minutes before they expire.
 *
 * When the refresh token is refused or missing, the row becomes
 * `{ state: 'signInAgain' }`: the engine treats that as "sync blocked" (the
 * outbox keeps every change) and the panel header offers "Sign in again".
 * Concurrent requests share one refresh: a rotating refresh token used twice
 * would be refused the second time.
 */
import { z } from 'zod';
import { db as defaultDb, type SidecaseDb } from '../../db/db';
import type { HttpIo } from '../http';
import { OAuthError } from './errors';
import { refreshTokens, type OAuthProvider, type TokenSet } from './flow';

/** Refresh this long before the access token expires: a request sent with it must still arrive valid. */
export const REFRESH_BEFORE_MS = 5 * 60_000;

export const StoredTokens = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('signedIn'),
    accessToken: z.string().min(1),
    refreshToken: z.string().min(1).optional(),
    expiresAt: z.number(),
    scope: z.string().optional(),
    signedInAt: z.number(),
  }),
  z.object({ state: z.literal('signInAgain'), since: z.number() }),
]);
export type StoredTokens = z.infer<typeof StoredTokens>;

/** What the UI shows: nothing yet, signed in, or "Sign in again". */
export type SignInState = 'signedOut' | 'signedIn' | 'signInAgain';

export function tokensMetaKey(backend: string): string {
  return `oauth:${backend}`;
}

export async function loadTokens(backend: string, db: SidecaseDb = defaultDb): Promise<StoredTokens | undefined> {
  const row = await db.meta.get(tokensMetaKey(backend));
  const parsed = StoredTokens.safeParse(row?.value);
  return parsed.success ? parsed.data : undefined;
}

export async function saveTokens(backend: string, tokens: TokenSet, { db = defaultDb, now = Date.now() }: { db?: SidecaseDb; now?: number } = {}) {
  const value: StoredTokens = { state: 'signedIn', ...tokens, signedInAt: now };
  await db.meta.put({ key: tokensMetaKey(backend), value: StoredTokens.parse(value) });
}

export async function markSignInAgain(backend: string, { db = defaultDb, now = Date.now() }: { db?: SidecaseDb; now?: number } = {}) {
  await db.meta.put({ key: tokensMetaKey(backend), value: { state: 'signInAgain', since: now } satisfies StoredTokens });
}

export async function clearTokens(backend: string, db: SidecaseDb = defaultDb): Promise<void> {
  await db.meta.delete(tokensMetaKey(backend));
}

export async function signInStateOf(backend: string, db: SidecaseDb = defaultDb): Promise<SignInState> {
  const tokens = await loadTokens(backend, db);
  return tokens === undefined ? 'signedOut' : tokens.state;
}

export function isFresh(tokens: Extract<StoredTokens, { state: 'signedIn' }>, now: number): boolean {
  return tokens.expiresAt - REFRESH_BEFORE_MS > now;
}

const refreshing = new Map<string, Promise<string>>();

/**
 * A valid access token for `backend`, refreshed first when it expires within
 * REFRESH_BEFORE_MS (or when `force`: the API answered 401 to the one we had).
 * Throws OAuthError: `signedOut` (never signed in), `signInAgain` (no usable
 * refresh token: the row is marked so), or a passing `network` / `server`.
 */
export async function accessTokenFor(
  backend: string,
  provider: OAuthProvider,
  io: HttpIo,
  { db = defaultDb, force = false }: { db?: SidecaseDb; force?: boolean } = {},
): Promise<string> {
  const tokens = await loadTokens(backend, db);
  if (!tokens) throw new OAuthError('sync.oauth.signedOut');
  if (tokens.state === 'signInAgain') throw new OAuthError('sync.oauth.signInAgain');
  if (!force && isFresh(tokens, io.now())) return tokens.accessToken;
  const key = `${db.name} ${backend}`;
  const running = refreshing.get(key);
  if (running) return running;
  const refresh = (async () => {
    if (!tokens.refreshToken) {
      await markSignInAgain(backend, { db, now: io.now() });
      throw new OAuthError('sync.oauth.signInAgain');
    }
    try {
      const next = await refreshTokens(provider, tokens.refreshToken, io);
      await saveTokens(backend, next, { db, now: tokens.signedInAt });
      return next.accessToken;
    } catch (error) {
      if (error instanceof OAuthError && error.key === 'sync.oauth.signInAgain') await markSignInAgain(backend, { db, now: io.now() });
      throw error;
    }
  })();
  refreshing.set(key, refresh);
  try {
    return await refresh;
  } finally {
    refreshing.delete(key);
  }
}

/** How long a client keeps the token of its last look-up: accessTokenFor hands out one with more than REFRESH_BEFORE_MS left. */
const KEPT_MS = 60_000;

/** One client's access tokens (tokenSource). */
export interface TokenSource {
  /**
   * A valid access token. The one of the last look-up for a minute, at once
   * (no storage read per request); else one look-up shared by the requests
   * that start together (a drain starts a page of changes at once). `force`:
   * the API refused `refused`, refresh; unless the token was replaced since
   * (another request had it refreshed), then that one. Throws OAuthError as
   * accessTokenFor; a failed look-up is not kept, the next request looks again.
   */
  token(force?: boolean, refused?: string): string | Promise<string>;
  /** The token of the last look-up, if one is kept (a request built outside token(), e.g. a $batch). */
  readonly current: string | undefined;
  /** Forget the kept token: the API refused it for good. */
  forget(): void;
}

/** The token source of one backend client (the Dataverse client, Zendesk's OAuth authorizer): accessTokenFor, kept and shared. */
export function tokenSource(backend: string, provider: OAuthProvider, io: HttpIo, db?: SidecaseDb): TokenSource {
  let kept: { token: string; until: number } | undefined;
  let looking: Promise<string> | undefined;
  return {
    get current() {
      return kept?.token;
    },
    forget() {
      kept = undefined;
    },
    token(force = false, refused) {
      if (!force && kept && kept.until > io.now()) return kept.token;
      if (force && kept && refused !== undefined && kept.token !== refused) return kept.token;
      if (!force && looking) return looking;
      const lookup = accessTokenFor(backend, provider, io, { db, force }).then(
        (token) => {
          kept = { token, until: io.now() + KEPT_MS };
          return token;
        },
        (error: unknown) => {
          kept = undefined;
          throw error;
        },
      );
      if (!force) {
        looking = lookup;
        const done = () => {
          if (looking === lookup) looking = undefined;
        };
        lookup.then(done, done);
      }
      return lookup;
    },
  };
}
