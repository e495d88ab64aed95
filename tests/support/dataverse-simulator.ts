/**
 * A Dataverse simulator: a small Node HTTP server on 127.0.0.1 with the
 * documented behaviour of the Dataverse Web API that Sidecase uses, and a
 * Microsoft identity platform authority (authorization code + PKCE) to sign
 * in against. Fault injection as in the reference backend.
 *
 * Written from Microsoft Learn, not from the adapter: each rule cites the
 * page it follows. What is not documented is said so where it is guessed.
 *
 *   node --import tsx tests/support/dataverse-simulator.ts --port 0
 *
 * prints its URL: the organisation is that URL, the authority `<url>/organizations`.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';

const API = '/api/data/v9.2';

export type Fault =
  /** Answer this status without applying, with Dataverse's error body (429 gets a service-protection code). */
  | { kind: 'status'; status: number; retryAfter?: string; code?: string }
  /** Apply, then destroy the socket instead of answering (the answer is lost). */
  | { kind: 'dropAfterCommit' }
  /** Never answer; nothing applied. */
  | { kind: 'hang' };

export interface RequestInfo {
  method: string;
  path: string;
  n: number;
  /** A request inside a `$batch` (the batch itself is logged too, before its requests). */
  inBatch?: boolean;
  /** The row it names, by the id in its path or, for a create, in its body. */
  row?: string;
  /** When it arrived and when its answer was written (Date.now()), for the bench's timelines; a request inside a batch has neither. */
  at?: number;
  answeredAt?: number;
}

export interface Row {
  [column: string]: unknown;
  versionnumber: number;
}

export interface DataverseSimulatorOptions {
  port?: number;
  /** Access tokens live this long (seconds); Microsoft's default is 60–90 minutes. */
  accessTokenSeconds?: number;
  /** Refresh tokens of a single-page app live 24 hours from sign-in, not renewed by use. */
  refreshTokenMs?: number;
  /** Redirect URIs the app registration lists; default: any Chrome or Firefox extension redirect URL. */
  redirectUris?: (uri: string) => boolean;
  /** Change tracking on for incidents (the table's "Track changes" setting). */
  changeTracking?: boolean;
  /** The organisation's `maxuploadfilesize` (bytes); Dataverse's default is 5 MB. */
  maxUploadFileSize?: number;
  faults?: (request: RequestInfo) => Fault | undefined;
  now?: () => number;
  /** The authorize endpoint answers `error=access_denied` (the user declined consent). */
  deny?: boolean;
}

/** Entity sets and their primary key columns (the Web API EntityType reference pages). */
const TABLES: Record<string, string> = {
  incidents: 'incidentid',
  contacts: 'contactid',
  accounts: 'accountid',
  annotations: 'annotationid',
  incidentresolutions: 'activityid',
  systemusers: 'systemuserid',
  subjects: 'subjectid',
  products: 'productid',
  organizations: 'organizationid',
};

/** Lookups a create or update may bind, and the set each one names. */
const BINDS: Record<string, string> = {
  'customerid_contact@odata.bind': 'contacts',
  'customerid_account@odata.bind': 'accounts',
  'parentcustomerid_account@odata.bind': 'accounts',
  'objectid_incident@odata.bind': 'incidents',
  'incidentid@odata.bind': 'incidents',
  'ownerid@odata.bind': 'systemusers',
  'subjectid@odata.bind': 'subjects',
  'productid@odata.bind': 'products',
};

/** Codes from learn.microsoft.com/troubleshoot/power-platform/dataverse/user-permissions/client-errors and the API limits page. */
export const CODES = {
  duplicateKey: '0x80040237',
  doesNotExist: '0x80040217',
  versionMismatch: '0x80060882',
  requestsExceeded: '0x80072322',
  executionTimeExceeded: '0x80072321',
  concurrentRequests: '0x80072326',
} as const;

const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension):\/\/[a-z0-9-]+$/i;

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...(text ? { 'Content-Type': 'application/json; odata.metadata=minimal' } : {}), 'OData-Version': '4.0', ...headers });
  res.end(text);
}

/**
 * Errors as the Web API sends them: `{"error":{"code","message"}}`
 * (learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors#parse-errors-from-the-response).
 */
function sendError(res: http.ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  send(res, status, { error: { code, message } }, headers);
}

function allowCors(req: http.IncomingMessage, res: http.ServerResponse): void {
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || !EXTENSION_ORIGIN.test(origin)) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Expose-Headers', 'ETag, Retry-After, OData-EntityId, Preference-Applied, OData-Version');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE');
    res.setHeader(
      'Access-Control-Allow-Headers',
      'Authorization, Content-Type, Accept, OData-MaxVersion, OData-Version, Prefer, If-Match, If-None-Match',
    );
    res.setHeader('Access-Control-Max-Age', '600');
    if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('Access-Control-Allow-Private-Network', 'true');
  }
}

/** The row a request names: by the id in its path or, for a create, in its body (for the log). */
function rowOf(path: string, body: string): string | undefined {
  const named = /^\/(\w+)(?:\(([0-9a-f-]{36})\))?$/i.exec(path);
  if (named?.[2]) return named[2].toLowerCase();
  const key = named?.[1] ? TABLES[named[1]] : undefined;
  if (!key || !body.startsWith('{')) return undefined;
  try {
    const id = (JSON.parse(body) as Record<string, unknown>)[key];
    return typeof id === 'string' ? id.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** The parts of a multipart body between `--boundary` lines (RFC 2046), without the closing one. */
function splitMultipart(body: string, boundary: string): string[] {
  const parts = body.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?\\n?`));
  return parts.slice(1).filter((part) => part.trim() !== '');
}

/** A MIME part's own headers (lower-cased) and what follows the blank line. */
function splitPart(part: string): { head: { headers: Record<string, string> }; body: string } {
  const match = /\r?\n\r?\n/.exec(part);
  const headText = match ? part.slice(0, match.index) : part;
  const body = match ? part.slice(match.index + match[0].length) : '';
  const headers: Record<string, string> = {};
  for (const line of headText.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { head: { headers }, body };
}

function changesetBoundary(part: string): string {
  return (/boundary=([^;\s]+)/.exec(splitPart(part).head.headers['content-type'] ?? '')?.[1] ?? '').replace(/"/g, '');
}

export interface DataverseSimulator {
  url: string;
  authority: string;
  /** Rows of an entity set, by id. */
  table(set: string): Map<string, Row>;
  rows(set: string): Row[];
  requests: () => RequestInfo[];
  /** Codes issued, tokens exchanged: what the authority saw. */
  signIns: () => number;
  /** Access tokens issued for a refresh token. */
  refreshes: () => number;
  setFaults(decide: DataverseSimulatorOptions['faults']): void;
  queueFault(fault: Fault): void;
  /** Another user's change in Dynamics 365 (a new version, seen by change tracking). */
  externalUpdate(set: string, id: string, columns: Record<string, unknown>): Row;
  externalDelete(set: string, id: string): void;
  /** Ends every refresh token (as 24 hours passing would). */
  expireRefreshTokens(): void;
  expireAccessTokens(): void;
  close(): Promise<void>;
}

export async function startDataverseSimulator(options: DataverseSimulatorOptions = {}): Promise<DataverseSimulator> {
  const now = options.now ?? Date.now;
  const tables = new Map<string, Map<string, Row>>(Object.keys(TABLES).map((set) => [set, new Map()]));
  /** Deleted rows per set with the version at which they went (change tracking reports them). */
  const deleted: Array<{ set: string; id: string; version: number }> = [];
  const log: RequestInfo[] = [];
  const queued: Fault[] = [];
  const hanging = new Set<http.ServerResponse>();
  let decide = options.faults;
  let version = 1000;
  let signIns = 0;
  let refreshes = 0;
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge: string; scope: string; expiresAt: number }>();
  const accessTokens = new Map<string, number>();
  const refreshTokens = new Map<string, { clientId: string; scope: string; expiresAt: number }>();
  let base = '';

  const organizationId = randomUUID();
  tables.get('organizations')!.set(organizationId, {
    organizationid: organizationId,
    maxuploadfilesize: options.maxUploadFileSize ?? 5 * 1024 * 1024,
    versionnumber: version,
  });

  /**
   * Weak ETags: "Dataverse generates a weakly validating @odata.etag property for every entity instance"
   * (learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api).
   */
  const etagOf = (row: Row) => `W/"${row.versionnumber}"`;
  const withEtag = (row: Row, select?: string[]) => {
    const shown: Record<string, unknown> = { '@odata.etag': etagOf(row) };
    for (const [column, value] of Object.entries(row)) if (!select || select.includes(column)) shown[column] = value;
    return shown;
  };

  function put(set: string, id: string, row: Record<string, unknown>): Row {
    const stored = { ...row, [TABLES[set]!]: id, versionnumber: ++version, modifiedon: new Date(now()).toISOString() } as Row;
    tables.get(set)!.set(id, stored);
    return stored;
  }

  /** A bind names `/set(id)`; the row must exist. */
  function checkBinds(body: Record<string, unknown>): string | undefined {
    for (const [key, value] of Object.entries(body)) {
      const set = BINDS[key];
      if (!set) continue;
      const match = /^\/?(\w+)\(([0-9a-f-]{36})\)$/i.exec(String(value));
      if (!match || match[1] !== set) return `Invalid bind ${key}`;
      if (!tables.get(set)!.has(match[2]!.toLowerCase())) return `${set.replace(/s$/, '')} With Id = ${match[2]} Does Not Exist`;
    }
    return undefined;
  }

  function columnsOf(body: Record<string, unknown>): Record<string, unknown> {
    const columns: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body)) {
      const set = BINDS[key];
      if (set) columns[`_${key.replace('@odata.bind', '')}_value`] = /\(([0-9a-f-]{36})\)/i.exec(String(value))?.[1]?.toLowerCase();
      else columns[key] = value;
    }
    return columns;
  }

  // ——— The authority (learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow) ———

  function authorize(res: http.ServerResponse, url: URL): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    const allowed = options.redirectUris ?? ((uri: string) => /^https:\/\/[a-z0-9]+\.(chromiumapp\.org|extensions\.allizom\.org)\/$/.test(uri));
    // A redirect URI the registration does not list is refused on the page, never redirected to (AADSTS50011).
    if (!allowed(redirectUri)) return sendError(res, 400, 'invalid_request', 'AADSTS50011: The redirect URI does not match');
    const back = new URL(redirectUri);
    back.searchParams.set('state', q.get('state') ?? '');
    if (options.deny) {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'AADSTS65004: User declined to consent');
    } else if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') || !q.get('client_id')) {
      // The SPA flow requires PKCE (learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code).
      back.searchParams.set('error', 'invalid_request');
    } else {
      const code = randomBytes(24).toString('base64url');
      codes.set(code, {
        clientId: q.get('client_id')!,
        redirectUri,
        challenge: q.get('code_challenge')!,
        scope: q.get('scope') ?? '',
        expiresAt: now() + 10 * 60_000,
      });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { Location: back.toString() });
    res.end();
  }

  function issueTokens(res: http.ServerResponse, clientId: string, scope: string, refreshExpiresAt?: number): void {
    const accessToken = randomBytes(32).toString('base64url');
    const seconds = options.accessTokenSeconds ?? 3599;
    accessTokens.set(accessToken, now() + seconds * 1000);
    const refreshToken = randomBytes(32).toString('base64url');
    // SPA refresh tokens: a fixed 24-hour lifetime from the first sign-in (…/refresh-tokens#token-lifetime).
    refreshTokens.set(refreshToken, { clientId, scope, expiresAt: refreshExpiresAt ?? now() + (options.refreshTokenMs ?? 24 * 3600_000) });
    send(res, 200, { token_type: 'Bearer', scope, expires_in: seconds, ext_expires_in: seconds, access_token: accessToken, refresh_token: refreshToken });
  }

  async function token(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    const grant = form.get('grant_type');
    const refuse = (description: string) => send(res, 400, { error: 'invalid_grant', error_description: description });
    if (grant === 'authorization_code') {
      const code = codes.get(form.get('code') ?? '');
      // A code is used once (…/v2-oauth2-auth-code-flow#redeem-a-code-for-an-access-token).
      codes.delete(form.get('code') ?? '');
      if (!code || code.expiresAt < now()) return refuse('AADSTS70008: The provided authorization code or refresh token has expired');
      if (code.clientId !== form.get('client_id') || code.redirectUri !== form.get('redirect_uri')) return refuse('AADSTS50148: mismatch');
      const challenge = createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url');
      if (challenge !== code.challenge) return refuse('AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.');
      signIns += 1;
      return issueTokens(res, code.clientId, code.scope);
    }
    if (grant === 'refresh_token') {
      const stored = refreshTokens.get(form.get('refresh_token') ?? '');
      if (!stored || stored.clientId !== form.get('client_id')) return refuse('AADSTS9002313: Invalid request.');
      if (stored.expiresAt <= now()) {
        return refuse('AADSTS700084: The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00');
      }
      refreshes += 1;
      return issueTokens(res, stored.clientId, stored.scope, stored.expiresAt);
    }
    send(res, 400, { error: 'unsupported_grant_type' });
  }

  // ——— The Web API ———

  function isAuthorised(req: http.IncomingMessage): boolean {
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const expiresAt = match ? accessTokens.get(match[1]!) : undefined;
    return expiresAt !== undefined && expiresAt > now();
  }

  function selectOf(url: URL): string[] | undefined {
    const select = url.searchParams.get('$select');
    return select ? select.split(',').map((column) => column.trim()) : undefined;
  }

  /** `col eq 'text'` (quotes doubled inside) or `modifiedon gt <date>`: the filters the adapter sends. */
  function matches(row: Row, filter: string | null): boolean {
    if (!filter) return true;
    const eq = /^(\w+) eq '((?:[^']|'')*)'$/.exec(filter);
    if (eq) return row[eq[1]!] === eq[2]!.replace(/''/g, "'");
    const gt = /^modifiedon gt (\S+)$/.exec(filter);
    if (gt) return String(row.modifiedon) > gt[1]!;
    throw new Error(`unsupported filter ${filter}`);
  }

  /**
   * Change tracking (learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems):
   * `Prefer: odata.track-changes` answers every row with an `@odata.deltaLink`; the link's
   * `$deltatoken` brings rows changed since, and deleted rows as `$deletedEntity` with `id` and `reason`.
   */
  function listRows(req: http.IncomingMessage, res: http.ServerResponse, set: string, url: URL): void {
    const select = selectOf(url);
    const tracking = /odata\.track-changes/.test(String(req.headers.prefer ?? ''));
    const all = [...tables.get(set)!.values()];
    if (tracking) {
      if (set !== 'incidents' || options.changeTracking === false) {
        return sendError(res, 400, '0x80048c00', `Entity '${set}' is not enabled for change tracking.`);
      }
      const since = Number(url.searchParams.get('$deltatoken') ?? 0);
      const changed = all.filter((row) => row.versionnumber > since).sort((a, b) => a.versionnumber - b.versionnumber);
      const gone = deleted
        .filter((row) => row.set === set && row.version > since)
        .map((row) => ({ '@odata.context': `${base}${API}/$metadata#${set}/$deletedEntity`, id: row.id, reason: 'deleted' }));
      const link = new URL(`${base}${API}/${set}`);
      if (select) link.searchParams.set('$select', select.join(','));
      link.searchParams.set('$deltatoken', String(version));
      return send(
        res,
        200,
        {
          '@odata.context': `${base}${API}/$metadata#${set}/$delta`,
          '@odata.deltaLink': link.toString(),
          value: [...changed.map((row) => withEtag(row, select && [...select, TABLES[set]!])), ...gone],
        },
        { 'Preference-Applied': 'odata.track-changes' },
      );
    }
    let rows = all.filter((row) => matches(row, url.searchParams.get('$filter')));
    if (url.searchParams.get('$orderby') === 'modifiedon asc') rows.sort((a, b) => String(a.modifiedon).localeCompare(String(b.modifiedon)));
    const top = Number(url.searchParams.get('$top') ?? 5000);
    rows = rows.slice(0, top);
    send(res, 200, { '@odata.context': `${base}${API}/$metadata#${set}`, value: rows.map((row) => withEtag(row, select && [...select, TABLES[set]!])) });
  }

  /** Prefer: return=representation → 201/200 with the row, and Preference-Applied (…/create-entity-web-api#create-with-data-returned). */
  function answerWritten(req: http.IncomingMessage, res: http.ServerResponse, set: string, row: Row, url: URL, created: boolean): void {
    const id = String(row[TABLES[set]!]);
    if (/return=representation/.test(String(req.headers.prefer ?? ''))) {
      return send(res, created ? 201 : 200, withEtag(row, selectOf(url) && [...selectOf(url)!, TABLES[set]!]), {
        'Preference-Applied': 'return=representation',
        'OData-EntityId': `${base}${API}/${set}(${id})`,
      });
    }
    // Without it: 204 No Content and OData-EntityId (…/create-entity-web-api#basic-create).
    res.writeHead(204, { 'OData-Version': '4.0', 'OData-EntityId': `${base}${API}/${set}(${id})` });
    res.end();
  }

  // ——— $batch (learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api) ———
  // A POST of multipart/mixed: each part an application/http request, or a change set (a multipart/mixed part
  // of its own) whose requests succeed or fail together. Requests run in order and are answered in order,
  // in a multipart/mixed batchresponse with 200. The first failure stops the batch, unless the request
  // carries Prefer: odata.continue-on-error. A failed change set is rolled back and answered by its
  // failing request's error alone. A request in a change set may name a row made earlier in it by its
  // Content-ID ($1). Up to 1,000 requests per batch.

  /** One request of a batch, answered without a socket: the same handler as a request of its own. */
  async function runPart(part: string, headers: http.IncomingHttpHeaders, ids: Map<string, string>): Promise<{ status: number; text: string; contentId?: string; entityId?: string }> {
    const { head, body } = splitPart(part);
    const contentId = head.headers['content-id'];
    const [requestLine = '', ...lines] = body.split(/\r?\n/);
    const blank = lines.findIndex((line) => line === '');
    const innerHeaders: http.IncomingHttpHeaders = { authorization: headers.authorization };
    for (const line of lines.slice(0, blank < 0 ? lines.length : blank)) {
      const colon = line.indexOf(':');
      if (colon > 0) innerHeaders[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    let content = blank < 0 ? '' : lines.slice(blank + 1).join('\n').trim();
    const [method = 'GET', target = ''] = requestLine.split(' ');
    // $1 in the URL or in a bind: the row a request with Content-ID 1 made earlier in this change set.
    const resolved = target.replace(/^\$(\d+)/, (ref, n: string) => ids.get(n) ?? ref);
    content = content.replace(/"\$(\d+)"/g, (ref, n: string) => (ids.has(n) ? JSON.stringify(ids.get(n)!.slice(`${base}${API}`.length)) : ref));
    const url = new URL(resolved, `${base}${API}/`);
    const inner = url.pathname.slice(API.length);
    log.push({ method, path: inner, n: log.length + 1, inBatch: true, row: rowOf(inner, content) });
    const req = Object.assign(Readable.from(content ? [Buffer.from(content)] : []), { method, headers: innerHeaders, url: url.pathname + url.search });
    const answer = { status: 500, headers: {} as Record<string, string>, text: '' };
    const res = {
      headersSent: false,
      destroyed: false,
      writeHead(status: number, headersOut: Record<string, string> = {}) {
        answer.status = status;
        answer.headers = headersOut;
        this.headersSent = true;
        return this;
      },
      end(text?: string) {
        answer.text = text ?? '';
      },
      destroy() {},
    };
    await handleApi(req as unknown as http.IncomingMessage, res as unknown as http.ServerResponse, url, undefined);
    const lines2 = [`HTTP/1.1 ${answer.status} ${http.STATUS_CODES[answer.status] ?? ''}`, ...Object.entries(answer.headers).map(([k, v]) => `${k}: ${v}`)];
    const text = `${lines2.join('\r\n')}\r\n\r\n${answer.text}`;
    return { status: answer.status, text, contentId: typeof contentId === 'string' ? contentId : undefined, entityId: answer.headers['OData-EntityId'] };
  }

  /** A batch; `dropAnswer` (fault injection): applied, its answer lost with the connection. */
  async function handleBatch(req: http.IncomingMessage, answerTo: http.ServerResponse, dropAnswer = false): Promise<void> {
    const boundary = /boundary=([^;]+)/.exec(String(req.headers['content-type'] ?? ''))?.[1]?.replace(/"/g, '');
    if (!boundary) return sendError(answerTo, 400, '0x80048d19', 'The batch request must have a multipart/mixed Content-Type with a boundary.');
    const parts = splitMultipart((await readBody(req)).toString('utf8'), boundary);
    const res = dropAnswer ? (new http.ServerResponse(req) as http.ServerResponse) : answerTo;
    if (dropAnswer) answerTo.destroy();
    const continueOnError = /odata\.continue-on-error/.test(String(req.headers.prefer ?? ''));
    const requests = parts.reduce((n, part) => n + (/multipart\/mixed/i.test(splitPart(part).head.headers['content-type'] ?? '') ? splitMultipart(splitPart(part).body, changesetBoundary(part)).length : 1), 0);
    if (requests > 1000) return sendError(res, 400, '0x80048d19', 'Number of requests in a batch exceeds the limit of 1000.');
    const answerBoundary = `batchresponse_${randomUUID()}`;
    const out: string[] = [];
    for (const part of parts) {
      const { head, body } = splitPart(part);
      if (!/multipart\/mixed/i.test(head.headers['content-type'] ?? '')) {
        const answer = await runPart(part, req.headers, new Map());
        out.push(`--${answerBoundary}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n${answer.text}\r\n`);
        if (answer.status >= 400 && !continueOnError) break;
        continue;
      }
      // A change set: all or nothing. The tables as they were, to put back on a failure.
      const saved = new Map([...tables].map(([set, rows]) => [set, new Map(rows)]));
      const deletedBefore = deleted.length;
      const ids = new Map<string, string>();
      const answers: Array<{ status: number; text: string; contentId?: string }> = [];
      let failed: { status: number; text: string } | undefined;
      for (const inner of splitMultipart(body, changesetBoundary(part))) {
        const answer = await runPart(inner, req.headers, ids);
        if (answer.status >= 400) {
          failed = answer;
          break;
        }
        if (answer.contentId && answer.entityId) ids.set(answer.contentId, answer.entityId);
        answers.push(answer);
      }
      if (failed) {
        for (const [set, rows] of saved) tables.set(set, rows);
        deleted.length = deletedBefore;
        out.push(`--${answerBoundary}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n${failed.text}\r\n`);
        if (!continueOnError) break;
        continue;
      }
      const changeBoundary = `changesetresponse_${randomUUID()}`;
      const inner = answers.map((a) => `--${changeBoundary}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n${a.contentId ? `Content-ID: ${a.contentId}\r\n` : ''}\r\n${a.text}\r\n`).join('');
      out.push(`--${answerBoundary}\r\nContent-Type: multipart/mixed; boundary=${changeBoundary}\r\n\r\n${inner}--${changeBoundary}--\r\n`);
    }
    res.writeHead(200, { 'Content-Type': `multipart/mixed; boundary=${answerBoundary}`, 'OData-Version': '4.0', ...(continueOnError ? { 'Preference-Applied': 'odata.continue-on-error' } : {}) });
    res.end(`${out.join('')}--${answerBoundary}--\r\n`);
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL, fault: Fault | undefined, info?: RequestInfo): Promise<void> {
    const path = url.pathname.slice(API.length);
    const raw = (await readBody(req)).toString('utf8');
    if (info) info.row = rowOf(path, raw);
    if (fault?.kind === 'hang') return void hanging.add(res);
    if (fault?.kind === 'status') {
      const code = fault.code ?? (fault.status === 429 ? CODES.requestsExceeded : '0x80040216');
      // Service protection: 429 with Retry-After in seconds (learn.microsoft.com/power-apps/developer/data-platform/api-limits#retry-operations).
      return sendError(res, fault.status, code, fault.status === 429 ? 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' : 'injected', {
        ...(fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {}),
      });
    }
    const respond = fault?.kind === 'dropAfterCommit' ? { res: null as http.ServerResponse | null } : { res };
    const out = respond.res ?? (new http.ServerResponse(req) as http.ServerResponse);
    if (!respond.res) res.destroy();
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};

    if (path === '/WhoAmI' && req.method === 'GET') {
      return send(out, 200, { BusinessUnitId: randomUUID(), UserId: randomUUID(), OrganizationId: organizationId });
    }

    // CloseIncident (learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/closeincident):
    // creates the incidentresolution and closes the incident with Status; 204.
    if (path === '/CloseIncident' && req.method === 'POST') {
      const resolution = (body.IncidentResolution ?? {}) as Record<string, unknown>;
      const missing = checkBinds(resolution);
      if (missing) return sendError(out, 404, CODES.doesNotExist, missing);
      const incidentId = /\(([0-9a-f-]{36})\)/i.exec(String(resolution['incidentid@odata.bind']))![1]!.toLowerCase();
      const incident = tables.get('incidents')!.get(incidentId)!;
      // Only an active case can be resolved. The exact code is not documented on the action's page.
      if (incident.statecode !== 0) return sendError(out, 400, '0x8004d2a6', 'This case has already been resolved or cancelled.');
      const activityId = String(resolution.activityid ?? randomUUID()).toLowerCase();
      if (tables.get('incidentresolutions')!.has(activityId)) return sendError(out, 412, CODES.duplicateKey, 'Cannot insert duplicate key.');
      put('incidentresolutions', activityId, columnsOf(resolution));
      put('incidents', incidentId, { ...incident, statecode: 1, statuscode: Number(body.Status ?? 5) });
      out.writeHead(204, { 'OData-Version': '4.0' });
      return void out.end();
    }

    const match = /^\/(\w+)(?:\(([0-9a-f-]{36})\))?$/i.exec(path);
    const set = match?.[1];
    if (!match || !set || !TABLES[set]) return sendError(out, 404, '0x8006088a', `Resource not found for the segment '${path.slice(1)}'.`);
    const table = tables.get(set)!;
    const id = match[2]?.toLowerCase();
    const key = TABLES[set]!;

    if (!id) {
      if (req.method === 'GET') return listRows(req, out, set, url);
      if (req.method !== 'POST') return sendError(out, 405, '0x80060888', 'Method not allowed');
      const newId = String(body[key] ?? randomUUID()).toLowerCase();
      // A create whose primary key exists is refused: "Cannot insert duplicate key", error code
      // -2147220937 = 0x80040237 (checked: learn.microsoft.com/troubleshoot/power-platform/dataverse/user-permissions/client-errors).
      // The HTTP status is not documented there: 412 here is an assumption; the adapter reads the
      // error code first and accepts 412 as well, so it holds whichever status Dataverse sends.
      if (table.has(newId)) return sendError(out, 412, CODES.duplicateKey, 'Cannot insert duplicate key.');
      const missing = checkBinds(body);
      if (missing) return sendError(out, 404, CODES.doesNotExist, missing);
      const defaults = set === 'incidents' ? { statecode: 0, statuscode: 1 } : {};
      return answerWritten(req, out, set, put(set, newId, { ...defaults, ...columnsOf(body) }), url, true);
    }

    const row = table.get(id);
    const notFound = () => sendError(out, 404, CODES.doesNotExist, `${set.replace(/s$/, '')} With Id = ${id} Does Not Exist`);
    if (req.method === 'GET') return row ? send(out, 200, withEtag(row, selectOf(url) && [...selectOf(url)!, key])) : notFound();
    // Optimistic concurrency: If-Match with a stale ETag → 412 Precondition Failed
    // (learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api#apply-optimistic-concurrency;
    // the page and its If-Match mechanism checked, the 412 sentence itself not in the text available).
    const ifMatch = req.headers['if-match'];
    if (ifMatch !== undefined) {
      if (!row) return notFound();
      if (ifMatch !== '*' && ifMatch !== etagOf(row)) {
        return sendError(out, 412, CODES.versionMismatch, "The version of the existing record doesn't match the RowVersion property provided.");
      }
    }
    if (req.method === 'DELETE') {
      if (!row) return notFound();
      table.delete(id);
      deleted.push({ set, id, version: ++version });
      out.writeHead(204, { 'OData-Version': '4.0' });
      return void out.end();
    }
    if (req.method === 'PATCH') {
      // PATCH without If-Match is an upsert: it creates a missing row (…/update-delete-entities-using-web-api#upsert-a-table-row).
      const missing = checkBinds(body);
      if (missing) return sendError(out, 404, CODES.doesNotExist, missing);
      return answerWritten(req, out, set, put(set, id, { ...(row ?? {}), ...columnsOf(body) }), url, !row);
    }
    sendError(out, 405, '0x80060888', 'Method not allowed');
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    allowCors(req, res);
    if (req.method === 'OPTIONS') {
      res.writeHead(204);
      res.end();
      return;
    }
    const run = async () => {
      if (/^\/[\w.-]+\/oauth2\/v2\.0\/authorize$/.test(url.pathname) && req.method === 'GET') return authorize(res, url);
      if (/^\/[\w.-]+\/oauth2\/v2\.0\/token$/.test(url.pathname) && req.method === 'POST') return token(req, res);
      if (!url.pathname.startsWith(`${API}/`)) return sendError(res, 404, '0x8006088a', 'Not found');
      const info: RequestInfo = { method: req.method ?? 'GET', path: url.pathname.slice(API.length), n: log.length + 1, at: Date.now() };
      log.push(info);
      res.on('finish', () => (info.answeredAt = Date.now()));
      // The access token: 401 without a valid one (learn.microsoft.com/power-apps/developer/data-platform/authenticate-oauth).
      if (!isAuthorised(req)) {
        await readBody(req);
        return send(res, 401, undefined, { 'WWW-Authenticate': `Bearer authorization_uri=${base}/organizations/oauth2/v2.0/authorize` });
      }
      const fault = queued.shift() ?? decide?.(info);
      if (info.path === '/$batch' && req.method === 'POST' && (!fault || fault.kind === 'dropAfterCommit')) return handleBatch(req, res, fault?.kind === 'dropAfterCommit');
      return handleApi(req, res, url, fault, info);
    };
    run().catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) sendError(res, 500, '0x80040216', String((error as Error)?.message ?? error));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    authority: `${base}/organizations`,
    table: (set) => tables.get(set)!,
    rows: (set) => [...tables.get(set)!.values()],
    requests: () => [...log],
    signIns: () => signIns,
    refreshes: () => refreshes,
    setFaults: (next) => void (decide = next),
    queueFault: (fault) => void queued.push(fault),
    externalUpdate: (set, id, columns) => put(set, id, { ...(tables.get(set)!.get(id) ?? {}), ...columns }),
    externalDelete: (set, id) => {
      tables.get(set)!.delete(id);
      deleted.push({ set, id, version: ++version });
    },
    expireRefreshTokens: () => {
      for (const stored of refreshTokens.values()) stored.expiresAt = 0;
    },
    expireAccessTokens: () => {
      for (const key of accessTokens.keys()) accessTokens.set(key, 0);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const index = process.argv.indexOf('--port');
  const simulator = await startDataverseSimulator({ port: index >= 0 ? Number(process.argv[index + 1]) : 0 });
  console.log(simulator.url);
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
