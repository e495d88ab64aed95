/**
 * One request to Zendesk's API and what its answer means: basic auth with an
 * API token or a bearer OAuth access token, JSON in and out through lib/sync/http.ts (timeouts, no
 * redirects, capped bodies), and Zendesk's refusals as Outcomes with the
 * message key the agent reads.
 */
import type { SidecaseDb } from '../../db/db';
import { readCapped } from '../../net/read-capped';
import { guardedRequest, isHtml, jsonBody, type HttpIo, type HttpResult } from '../http';
import { classify } from '../adapters/classify';
import type { Outcome } from '../adapters/types';
import { markSignInAgain, outcomeOfTokenError, tokenSource } from '../oauth';
import type { ZendeskSettings } from '../settings';
import { invalidFieldKey } from './mapping';
import { zendeskProviderOf, zendeskTokenKeyOf } from './sign-in';

export type Refusal = Exclude<Outcome, { kind: 'ok' }>;

/** An answer, or no request at all: the OAuth tokens are gone or could not be refreshed. */
export type ZendeskResult = (HttpResult & { error?: unknown }) | { kind: 'token'; outcome: Refusal };

/** Error answers are small JSON (`{"error", "description", "details"}`); a bigger one is not read. */
const ERROR_BODY_MAX = 64 * 1024;

/**
 * lib/sync/http.ts never reads an error's body (a proxy's HTML page says
 * nothing); Zendesk's 400 and 422 carry the reason in theirs
 * (`IdempotentRequestError`, `RecordInvalid` and the field). So the fetch
 * handed to it reads those, JSON and small only, before it does, keyed by the
 * answer's Headers object, which guardedRequest hands back.
 */
function fetchKeepingErrors(io: HttpIo, errors: WeakMap<Headers, unknown>): typeof fetch {
  const keepError = async (response: Response) => {
    const type = response.headers.get('content-type') ?? '';
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (/json/i.test(type) && declared <= ERROR_BODY_MAX) {
      try {
        const bytes = await readCapped(response.clone(), ERROR_BODY_MAX);
        if (bytes !== undefined) errors.set(response.headers, JSON.parse(new TextDecoder().decode(bytes)));
      } catch {
        // An unreadable error body: the status alone decides.
      }
    }
    return response;
  };
  // A 2xx, the answer of nearly every request, goes on as it came: no headers read, no async frame of its own.
  return (input, init) =>
    io.fetch(input, init).then((response) => (response.status === 400 || response.status === 422 || response.status === 409 ? keepError(response) : response));
}

/** `Basic base64(email/token:api_token)`, UTF-8 safe. */
export function basicAuth(email: string, token: string): string {
  const bytes = new TextEncoder().encode(`${email}/token:${token}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

export interface ZendeskApi {
  request(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    options?: { json?: unknown; body?: Blob; contentType?: string; headers?: Record<string, string> },
  ): Promise<ZendeskResult>;
  base: string;
}

/** Where a request's `Authorization` header comes from. */
interface Authorizer {
  /** A plain value when it is known without waiting (an API token's header is the same for every request). */
  header(force: boolean): string | Refusal | Promise<string | Refusal>;
  /** The API refused the header even after a refresh: what that means. */
  refused(): Promise<Refusal | undefined>;
  canRefresh: boolean;
}

function apiTokenAuthorizer(email: string, token: string): Authorizer {
  const header = basicAuth(email, token);
  return { header: () => header, refused: async () => undefined, canRefresh: false };
}

/**
 * A bearer access token from the stored sign-in, refreshed before it expires
 * (lib/sync/oauth/tokens.ts). A 401 gets one retry with a refreshed token; a
 * 401 to that one means the grant was revoked in Zendesk: "sign in again",
 * the outbox kept. https://developer.zendesk.com/documentation/api-basics/authentication/refresh-token
 */
function oauthAuthorizer(settings: ZendeskSettings & { auth: { type: 'oauth' } }, io: HttpIo, db: SidecaseDb | undefined): Authorizer {
  const provider = zendeskProviderOf(settings);
  const key = zendeskTokenKeyOf(settings);
  /** Kept a minute, one look-up shared by the requests that start together, as the Dataverse client's. */
  const tokens = tokenSource(key, provider, io, db);
  const bearer = (token: string) => `Bearer ${token}`;
  return {
    canRefresh: true,
    header(force) {
      const token = tokens.token(force);
      return typeof token === 'string' ? bearer(token) : token.then(bearer, outcomeOfTokenError);
    },
    async refused() {
      tokens.forget();
      await markSignInAgain(key, { db, now: io.now() });
      return { kind: 'fatal', status: 401, error: 'sync.oauth.signInAgain', scope: 'backend' };
    },
  };
}

export function zendeskApi(settings: ZendeskSettings, io: HttpIo, db?: SidecaseDb): ZendeskApi {
  const errors = new WeakMap<Headers, unknown>();
  const guarded: HttpIo = { ...io, fetch: fetchKeepingErrors(io, errors) };
  const credential = settings.auth;
  const auth =
    credential.type === 'oauth' ? oauthAuthorizer({ ...settings, auth: credential }, io, db) : apiTokenAuthorizer(credential.email, credential.token);

  async function send(method: string, path: string, options: Parameters<ZendeskApi['request']>[2] = {}, force = false): Promise<ZendeskResult> {
    const pending = auth.header(force);
    const authorization = typeof pending === 'string' ? pending : await pending;
    if (typeof authorization !== 'string') return { kind: 'token', outcome: authorization };
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: authorization, ...options.headers };
    let body: BodyInit | undefined;
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.body) {
      headers['Content-Type'] = options.contentType || 'application/octet-stream';
      body = options.body;
    }
    const result = await guardedRequest(guarded, `${settings.url}${path}`, { method, headers, body }, { readBody: true });
    // Only a 400, 409 or 422 has its error body kept (fetchKeepingErrors): a 2xx answer goes as it came.
    if (result.kind !== 'response' || result.status < 400) return result;
    return { ...result, error: errors.get(result.headers) };
  }

  return {
    base: settings.url,
    async request(method, path, options = {}) {
      const first = await send(method, path, options);
      if (!auth.canRefresh || first.kind !== 'response' || first.status !== 401) return first;
      // An access token revoked or expired early: one refresh, then the answer stands.
      const second = await send(method, path, options, true);
      if (second.kind !== 'response' || second.status !== 401) return second;
      const outcome = await auth.refused();
      return outcome ? { kind: 'token', outcome } : second;
    },
  };
}

/** The answer's JSON when it is a 2xx JSON answer (a captive portal's "200 OK" HTML page is none). */
export function okJson(result: ZendeskResult | HttpResult): unknown {
  if (result.kind !== 'response' || result.status < 200 || result.status >= 300 || isHtml(result)) return undefined;
  return jsonBody(result);
}

export const INVALID_RESPONSE: Refusal = { kind: 'retry', error: 'sync.error.invalidResponse' };

/**
 * Zendesk's refusals (https://developer.zendesk.com/api-reference/introduction/requests/):
 * 401 and 403 stop every delivery until the settings change, 404 of a ticket
 * is this case's problem (the ticket was deleted in Zendesk), 409 is a
 * conflict, 422 `RecordInvalid` names the field, 429 and 5xx wait
 * (Retry-After honoured, by classify).
 */
export function refusalOf(result: ZendeskResult, now: number, { isTicket = false } = {}): Refusal | undefined {
  if (result.kind === 'token') return result.outcome;
  if (result.kind === 'response') {
    if (result.status === 404 && isTicket) return { kind: 'fatal', status: 404, error: 'sync.zendesk.ticketGone', scope: 'record' };
    if (result.status === 422) return { kind: 'fatal', status: 422, error: invalidFieldKey(result.error), scope: 'record' };
  }
  return classify(result, now);
}

/** `{"error": "IdempotentRequestError"}`: the key was used before with other parameters. */
export function isIdempotencyMismatch(result: ZendeskResult): boolean {
  return result.kind === 'response' && result.status === 400 && (result.error as { error?: unknown } | undefined)?.error === 'IdempotentRequestError';
}
