/**
 * One request to the organisation's Web API (`<org>/api/data/v9.2/…`) with
 * the agent's access token and the OData headers Dataverse expects
 * (learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors).
 * A 401 gets one retry with a refreshed token; no token at all is a "sign in
 * again" block, never a lost change.
 */
import type { SidecaseDb } from '../../db/db';
import { guardedRequest, jsonBody, type HttpIo, type HttpResult } from '../http';
import { outcomeOfTokenError, tokenSource, type OAuthProvider } from '../oauth';
import type { Dynamics365Settings } from '../settings';
import type { Outcome } from '../adapters/types';
import { createBatcher } from './batch';

export const API_PATH = '/api/data/v9.2';

export function providerOf(settings: Dynamics365Settings): OAuthProvider {
  return {
    authorizeUrl: `${settings.authority}/oauth2/v2.0/authorize`,
    tokenUrl: `${settings.authority}/oauth2/v2.0/token`,
    clientId: settings.clientId,
    scope: `${settings.url}/user_impersonation offline_access`,
  };
}

/** The key the tokens are kept under: one sign-in per organisation. */
export function tokenKeyOf(settings: Dynamics365Settings): string {
  return `dynamics365 ${settings.url}`;
}

export type Sent = { ok: true; result: HttpResult } | { ok: false; outcome: Exclude<Outcome, { kind: 'ok' }> };

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
}

export interface DataverseClient {
  request(method: string, path: string, options?: RequestOptions): Promise<Sent>;
  /** GET a JSON answer; undefined when refused or not JSON. */
  getJson(path: string): Promise<{ sent: Sent; json: unknown }>;
  /** Starts the token look-up the next request would wait for (nothing is sent): that request shares it. */
  prepare(): void;
  base: string;
}

/** What a drain's client is given: the engine's limit of requests in flight (a `$batch` counts one). */
export interface DataverseIo extends HttpIo {
  maxConcurrent?: number;
}

export function createDataverseClient(settings: Dynamics365Settings, io: DataverseIo, db: SidecaseDb | undefined): DataverseClient {
  const base = `${settings.url}${API_PATH}`;
  const provider = providerOf(settings);
  const tokenKey = tokenKeyOf(settings);

  /** Kept a minute, one look-up shared by the requests that start together (a drain starts a page of records' changes at once). */
  const tokens = tokenSource(tokenKey, provider, io, db);

  const commonHeaders = (token: string): Record<string, string> => ({
    Accept: 'application/json',
    'OData-MaxVersion': '4.0',
    'OData-Version': '4.0',
    Authorization: `Bearer ${token}`,
  });
  // Writes go through $batch (batch.ts) with the token current when the batch is sent.
  const batcher = createBatcher(io, `${base}/$batch`, Math.max(1, io.maxConcurrent ?? 4), () => commonHeaders(tokens.current ?? ''));

  async function send(method: string, path: string, options: RequestOptions, force: boolean, refused?: string): Promise<Sent & { token?: string }> {
    let token: string;
    try {
      token = await tokens.token(force, refused);
    } catch (error) {
      return { ok: false, outcome: outcomeOfTokenError(error) };
    }
    const url = path.startsWith('http') ? path : `${base}${path}`;
    let body: string | undefined;
    const own: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) {
      own['Content-Type'] = 'application/json; charset=utf-8';
      body = JSON.stringify(options.body);
    }
    if (method !== 'GET') return { ok: true, result: await batcher.send({ method, url, headers: own, body }), token };
    const result = await guardedRequest(io, url, { method, headers: { ...commonHeaders(token), ...own }, body }, {
      readBody: true,
      readErrorBody: true,
    });
    return { ok: true, result, token };
  }

  return {
    base,
    prepare() {
      // A failed look-up is the request's to report: it looks again and gets the refusal.
      const token = tokens.token();
      if (typeof token !== 'string') token.catch(() => undefined);
    },
    async request(method, path, options = {}) {
      const first = await send(method, path, options, false);
      if (!first.ok || first.result.kind !== 'response' || first.result.status !== 401) return first;
      // An access token revoked or expired early: one refresh, then the answer stands.
      return send(method, path, options, true, first.token);
    },
    async getJson(path) {
      const sent = await this.request('GET', path);
      const json = sent.ok && sent.result.kind === 'response' && sent.result.status === 200 ? jsonBody(sent.result) : undefined;
      return { sent, json };
    },
  };
}
