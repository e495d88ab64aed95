/**
 * The reference backend: a small Node HTTP server on 127.0.0.1 that implements
 * docs/sync-protocol.md (REST upserts with Idempotency-Key and If-Match, the
 * changes feed, and a webhook receiver that verifies Sidecase-Signature), with
 * fault injection for the sync tests.
 *
 * It is written from the document, not from the client: if the client and
 * this server disagree, one of them does not follow the protocol.
 *
 *   node --import tsx tests/support/reference-backend.ts --port 0 [--token T] [--secret S]
 *
 * prints its URL; `POST /_control/fault` with a Fault as JSON queues a fault
 * for the next request; `GET /_control/applied` lists what was applied.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

export type Fault =
  /** Answer this status without applying (500, 503, 429 …), optionally with Retry-After. */
  | { kind: 'status'; status: number; retryAfter?: string }
  /** Never answer; nothing applied (the client's timeout fires). */
  | { kind: 'hang' }
  /** Apply the change, then destroy the socket instead of answering. */
  | { kind: 'dropAfterCommit' }
  /** 412 whatever the preconditions. */
  | { kind: 'conflict' }
  /** An HTML page, as a proxy or a captive portal sends (default 502); nothing applied. */
  | { kind: 'html'; status?: number }
  /**
   * Apply, then answer 200 with a JSON body of `bytes` (default 20 MB), generated as the
   * client reads it (a chunk is made only once the previous one drained), so an answer far
   * larger than every buffer on the way costs no memory; `hugeAnswers()` says how it ended.
   */
  | { kind: 'huge'; bytes?: number }
  /** Apply, then answer 200 without ETag and without a body. */
  | { kind: 'noEtag' }
  /** Answer a redirect to `location`; nothing applied. */
  | { kind: 'redirect'; location: string; status?: number };

export interface RequestInfo {
  method: string;
  path: string;
  idempotencyKey?: string;
  /** 1 for the first request the server saw. */
  n: number;
}

export interface HugeAnswer {
  path: string;
  /** The length the answer would have had. */
  bytes: number;
  /**
   * Bytes handed to the socket. Not what the client read: the kernel and the browser
   * buffer tens of MB between them, so only `ending` tells a client that hung up.
   */
  written: number;
  /**
   * 'streaming' until the connection closes; then 'complete' if every byte was handed
   * over and the answer ended, 'closedEarly' if the client closed it before its end.
   */
  ending: 'streaming' | 'complete' | 'closedEarly';
}

export type BackendAuth = { type: 'bearer'; token: string } | { type: 'header'; name: string; key: string };

export interface ReferenceBackendOptions {
  port?: number;
  auth?: BackendAuth;
  webhookSecret?: string;
  /** Decides a fault per request (after any queued one). */
  faults?: (request: RequestInfo) => Fault | undefined;
  /** The clock the signature check uses (tests run the client on a fake clock). */
  now?: () => number;
  pageSize?: number;
}

export interface StoredRecord {
  entity: string;
  id: string;
  version: number;
  etag: string;
  data: Record<string, unknown>;
}

export interface AppliedChange {
  via: 'rest' | 'webhook';
  method: string;
  entity: string;
  id: string;
  key?: string;
  type?: string;
  version?: number;
  data?: unknown;
}

export interface ReferenceBackend {
  url: string;
  /** Every change applied, in order. A replayed Idempotency-Key adds nothing. */
  applied: AppliedChange[];
  records: Map<string, StoredRecord>;
  /** Requests seen, control requests and CORS preflights excluded. */
  requests: () => number;
  /** CORS preflights (OPTIONS) answered. */
  preflights: () => number;
  /** Every `huge` answer begun, in order, and how it ended so far. */
  hugeAnswers: () => HugeAnswer[];
  /** Requests seen, in order (control requests and CORS preflights excluded). */
  requestLog: () => RequestInfo[];
  queueFault(fault: Fault): void;
  setFaults(decide: ReferenceBackendOptions['faults']): void;
  /** Another agent's change: bumps the version, appears in the changes feed. */
  externalUpdate(entity: string, id: string, data: Record<string, unknown>): StoredRecord;
  record(entity: string, id: string): StoredRecord | undefined;
  close(): Promise<void>;
}

const ENTITY_OF: Record<string, string> = {
  cases: 'case',
  customers: 'customer',
  notes: 'note',
  attachments: 'attachment',
  'follow-ups': 'followUp',
};

const MAX_REQUEST_BYTES = 50 * 1024 * 1024;

interface StoredResponse {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface Change extends StoredRecord {
  seq: number;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) req.destroy(new Error('too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Sidecase-Signature as docs/sync-protocol.md ("Verifying Sidecase-Signature")
 * tells a receiver to check it, with node:crypto and not the product's code:
 * `v1` is the hex HMAC-SHA256 of `<t>.<raw body bytes>` with the secret, any
 * `v1` may match (compared in constant time), and `t` (unix seconds) must be
 * within 5 minutes of the receiver's clock.
 */
function isSignedBySecret(secret: string, raw: Buffer, header: string | undefined, nowMs: number): boolean {
  if (!header) return false;
  const fields = header.split(',').map((part) => part.trim().split('='));
  const t = Number(fields.find(([name]) => name === 't')?.[1]);
  if (!Number.isFinite(t) || Math.abs(nowMs / 1000 - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.`).update(raw).digest();
  return fields.some(([name, value]) => {
    const given = Buffer.from(name === 'v1' ? (value ?? '') : '', 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

function send(res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { 'Content-Type': 'application/json' } : {}),
    ...headers,
  });
  res.end(text);
}

function sendStored(res: http.ServerResponse, stored: StoredResponse): void {
  res.writeHead(stored.status, stored.headers);
  res.end(stored.body);
}

/**
 * CORS, as docs/sync-protocol.md asks of a backend: an extension's fetch to a
 * backend it holds no host permission for is a cross-origin request from
 * `chrome-extension://<id>` (or `moz-extension://<uuid>`), with a preflight for
 * the custom headers. ETag and Retry-After must be exposed, else the browser
 * hides them from the client.
 */
const EXTENSION_ORIGIN = /^(chrome|moz|safari-web)-extension:\/\/[a-z0-9-]{1,64}$/i;
const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'If-Match',
  'If-None-Match',
  'Idempotency-Key',
  'Sidecase-Event',
  'Sidecase-Signature',
  'Sidecase-Name',
  'Sidecase-Case-Id',
];

function allowCors(req: http.IncomingMessage, res: http.ServerResponse, extraHeaders: string[]): void {
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || !EXTENSION_ORIGIN.test(origin)) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Expose-Headers', 'ETag, Retry-After');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, PUT, POST, DELETE');
    res.setHeader('Access-Control-Allow-Headers', [...ALLOWED_HEADERS, ...extraHeaders].join(', '));
    res.setHeader('Access-Control-Max-Age', '600');
    // Chrome's Private/Local Network Access preflight for 127.0.0.1 and private addresses.
    if (req.headers['access-control-request-private-network'] === 'true') {
      res.setHeader('Access-Control-Allow-Private-Network', 'true');
    }
  }
}

const HTML_PAGE = '<!doctype html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';

export async function startReferenceBackend(options: ReferenceBackendOptions = {}): Promise<ReferenceBackend> {
  const now = options.now ?? Date.now;
  const pageSize = options.pageSize ?? 100;
  const records = new Map<string, StoredRecord>();
  const changes: Change[] = [];
  const applied: AppliedChange[] = [];
  const idempotency = new Map<string, StoredResponse>();
  const receivedEvents = new Set<string>();
  const queued: Fault[] = [];
  const hanging = new Set<http.ServerResponse>();
  let decide = options.faults;
  let requestCount = 0;
  let preflightCount = 0;
  const hugeAnswers: HugeAnswer[] = [];
  const requestLog: RequestInfo[] = [];
  let seq = 0;

  const keyOf = (entity: string, id: string) => `${entity}/${id}`;

  function commit(entity: string, id: string, data: Record<string, unknown>): StoredRecord {
    const previous = records.get(keyOf(entity, id));
    const version = (previous?.version ?? 0) + 1;
    const record: StoredRecord = { entity, id, version, etag: `"v${version}"`, data };
    records.set(keyOf(entity, id), record);
    changes.push({ ...record, seq: ++seq });
    return record;
  }

  function isAuthorised(req: http.IncomingMessage): boolean {
    const auth = options.auth;
    if (!auth) return true;
    if (auth.type === 'bearer') return req.headers.authorization === `Bearer ${auth.token}`;
    return req.headers[auth.name.toLowerCase()] === auth.key;
  }

  async function streamHuge(req: http.IncomingMessage, res: http.ServerResponse, bytes: number, headers: Record<string, string>): Promise<void> {
    const huge: HugeAnswer = { path: new URL(req.url ?? '/', 'http://127.0.0.1').pathname, bytes, written: 0, ending: 'streaming' };
    hugeAnswers.push(huge);
    res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let closed = false;
    res.on('close', () => {
      closed = true;
      // 'finish' comes before 'close' when the whole answer went out.
      huge.ending = res.writableFinished ? 'complete' : 'closedEarly';
    });
    while (huge.written < bytes && !closed) {
      const piece = bytes - huge.written < chunk.length ? chunk.subarray(0, bytes - huge.written) : chunk;
      const ok = res.write(piece);
      huge.written += piece.length;
      if (!ok) {
        // Backpressure: the next chunk is generated only when the client has taken this one.
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
    }
    if (!closed) res.end();
  }

  /** Faults that replace the answer before anything is applied. Returns true when it answered. */
  function preFault(fault: Fault | undefined, res: http.ServerResponse): boolean {
    if (!fault) return false;
    switch (fault.kind) {
      case 'status':
        send(res, fault.status, { error: 'injected' }, fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {});
        return true;
      case 'hang':
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return true;
      case 'conflict':
        send(res, 412, { error: 'precondition failed' });
        return true;
      case 'html':
        res.writeHead(fault.status ?? 502, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(HTML_PAGE);
        return true;
      case 'redirect':
        res.writeHead(fault.status ?? 307, { Location: fault.location });
        res.end();
        return true;
      default:
        return false;
    }
  }

  /** Answer after the change was applied, unless a fault eats or bloats the answer. */
  function answer(req: http.IncomingMessage, res: http.ServerResponse, fault: Fault | undefined, stored: StoredResponse): void {
    if (fault?.kind === 'dropAfterCommit') {
      res.socket?.destroy();
      return;
    }
    if (fault?.kind === 'huge') {
      void streamHuge(req, res, fault.bytes ?? 20 * 1024 * 1024, { ETag: stored.headers.ETag ?? '' });
      return;
    }
    if (fault?.kind === 'noEtag') {
      res.writeHead(stored.status === 201 ? 201 : 200);
      res.end();
      return;
    }
    sendStored(res, stored);
  }

  async function handleRecord(req: http.IncomingMessage, res: http.ServerResponse, collection: string, id: string, fault?: Fault) {
    const entity = ENTITY_OF[collection];
    if (!entity || !id) return send(res, 404, { error: 'not found' });
    const method = req.method ?? 'GET';
    const path = `/${collection}/${id}`;
    const record = records.get(keyOf(entity, id));

    if (method === 'GET') {
      await readBody(req);
      if (preFault(fault, res)) return;
      if (!record) return send(res, 404, { error: 'not found' });
      return send(res, 200, record, { ETag: record.etag });
    }
    if (method !== 'PUT' && method !== 'DELETE') return send(res, 405, { error: 'method not allowed' });

    const raw = await readBody(req);
    if (preFault(fault, res)) return;

    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
      return send(res, 400, { error: 'Idempotency-Key required' });
    }
    // A key seen before: the stored answer, no second effect. Checked before the
    // preconditions, so a retry of a committed change is not mistaken for a conflict.
    const seen = idempotency.get(key);
    if (seen) {
      if (seen.method !== method || seen.path !== path) return send(res, 422, { error: 'Idempotency-Key reused' });
      return answer(req, res, fault, seen);
    }

    const ifMatch = req.headers['if-match'];
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifMatch !== undefined && (!record || (ifMatch !== '*' && ifMatch !== record.etag))) {
      return send(res, 412, { error: 'precondition failed' });
    }
    if (ifNoneMatch === '*' && record) return send(res, 412, { error: 'precondition failed' });

    if (method === 'DELETE') {
      if (!record) return send(res, 410, { error: 'gone' });
      records.delete(keyOf(entity, id));
      applied.push({ via: 'rest', method, entity, id, key });
      const stored: StoredResponse = { method, path, status: 204, headers: {}, body: '' };
      idempotency.set(key, stored);
      return answer(req, res, fault, stored);
    }

    let data: Record<string, unknown>;
    if (entity === 'attachment') {
      data = {
        name: decodeURIComponent(String(req.headers['sidecase-name'] ?? '')),
        type: String(req.headers['content-type'] ?? 'application/octet-stream'),
        size: raw.length,
        sha256: createHash('sha256').update(raw).digest('hex'),
        caseId: req.headers['sidecase-case-id'],
      };
    } else {
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
        return send(res, 415, { error: 'JSON expected' });
      }
      try {
        const parsed: unknown = JSON.parse(raw.toString('utf8'));
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('object expected');
        data = parsed as Record<string, unknown>;
      } catch {
        return send(res, 400, { error: 'invalid JSON' });
      }
    }
    const saved = commit(entity, id, data);
    const type = req.headers['sidecase-event'];
    applied.push({ via: 'rest', method, entity, id, key, version: saved.version, type: typeof type === 'string' ? type : undefined, data });
    const stored: StoredResponse = {
      method,
      path,
      status: saved.version === 1 ? 201 : 200,
      headers: { 'Content-Type': 'application/json', ETag: saved.etag },
      body: JSON.stringify({ entity, id, version: saved.version, etag: saved.etag }),
    };
    idempotency.set(key, stored);
    answer(req, res, fault, stored);
  }

  async function handleChanges(req: http.IncomingMessage, res: http.ServerResponse, url: URL, fault?: Fault) {
    await readBody(req);
    if (preFault(fault, res)) return;
    const since = url.searchParams.get('since') ?? '';
    if (!/^\d*$/.test(since)) return send(res, 400, { error: 'bad cursor' });
    const after = Number(since || 0);
    const limit = Math.min(Number(url.searchParams.get('limit') || pageSize) || pageSize, 1000);
    const page = changes.filter((change) => change.seq > after).slice(0, limit);
    const cursor = String(page.at(-1)?.seq ?? after);
    const hasMore = changes.some((change) => change.seq > Number(cursor));
    const body = { changes: page.map(({ seq: _seq, ...change }) => change), cursor, hasMore };
    if (fault?.kind === 'huge') return void streamHuge(req, res, fault.bytes ?? 20 * 1024 * 1024, {});
    send(res, 200, body);
  }

  async function handleWebhook(req: http.IncomingMessage, res: http.ServerResponse, fault?: Fault) {
    const bytes = await readBody(req);
    const raw = bytes.toString('utf8');
    if (preFault(fault, res)) return;
    const secret = options.webhookSecret;
    if (!secret || !isSignedBySecret(secret, bytes, req.headers['sidecase-signature'] as string | undefined, now())) {
      return send(res, 401, { error: 'bad signature' });
    }
    let event: { id?: unknown; type?: unknown; occurredAt?: unknown; data?: Record<string, unknown> };
    try {
      event = JSON.parse(raw);
    } catch {
      return send(res, 400, { error: 'invalid JSON' });
    }
    if (typeof event.id !== 'string' || typeof event.type !== 'string' || typeof event.occurredAt !== 'string') {
      return send(res, 400, { error: 'id, type and occurredAt expected' });
    }
    // Deduplicate on the event id: a retried delivery has no second effect.
    if (receivedEvents.has(event.id)) return answer(req, res, fault, { method: 'POST', path: '/hooks', status: 200, headers: {}, body: '' });
    receivedEvents.add(event.id);
    const data = event.data ?? {};
    applied.push({
      via: 'webhook',
      method: 'POST',
      entity: event.type.split('.')[0] ?? '',
      id: typeof data.id === 'string' ? data.id : '',
      key: event.id,
      type: event.type,
      data,
    });
    answer(req, res, fault, { method: 'POST', path: '/hooks', status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' });
  }

  async function handleControl(req: http.IncomingMessage, res: http.ServerResponse, path: string) {
    const raw = (await readBody(req)).toString('utf8');
    if (path === '/_control/fault' && req.method === 'POST') {
      queued.push(JSON.parse(raw) as Fault);
      return send(res, 204);
    }
    if (path === '/_control/applied') return send(res, 200, applied);
    if (path === '/_control/external' && req.method === 'POST') {
      const { entity, id, data } = JSON.parse(raw) as { entity: string; id: string; data: Record<string, unknown> };
      return send(res, 200, commit(entity, id, data));
    }
    send(res, 404, { error: 'not found' });
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    allowCors(req, res, options.auth?.type === 'header' ? [options.auth.name] : []);
    // A preflight is the browser's, not the client's: no fault, not counted.
    if (req.method === 'OPTIONS') {
      preflightCount += 1;
      res.writeHead(204);
      res.end();
      return;
    }
    const run = async () => {
      if (path.startsWith('/_control/')) return handleControl(req, res, path);
      requestCount += 1;
      const info: RequestInfo = {
        method: req.method ?? 'GET',
        path,
        idempotencyKey: req.headers['idempotency-key'] as string | undefined,
        n: requestCount,
      };
      requestLog.push(info);
      const fault = queued.shift() ?? decide?.(info);
      if (path === '/hooks') {
        if (req.method !== 'POST') return send(res, 405, { error: 'method not allowed' });
        return handleWebhook(req, res, fault);
      }
      if (!isAuthorised(req)) {
        await readBody(req);
        return send(res, 401, { error: 'unauthorised' });
      }
      if (path === '/changes' && req.method === 'GET') return handleChanges(req, res, url, fault);
      const [, collection = '', id = '', extra] = path.split('/');
      if (extra !== undefined) return send(res, 404, { error: 'not found' });
      return handleRecord(req, res, collection, decodeURIComponent(id), fault);
    };
    run().catch(() => {
      if (!res.headersSent) send(res, 500, { error: 'internal' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    applied,
    records,
    requests: () => requestCount,
    preflights: () => preflightCount,
    hugeAnswers: () => hugeAnswers.map((huge) => ({ ...huge })),
    requestLog: () => [...requestLog],
    queueFault: (fault) => void queued.push(fault),
    setFaults: (next) => void (decide = next),
    externalUpdate: (entity, id, data) => commit(entity, id, data),
    record: (entity, id) => records.get(keyOf(entity, id)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const token = argument('token');
  const backend = await startReferenceBackend({
    port: Number(argument('port') ?? 0),
    auth: token ? { type: 'bearer', token } : undefined,
    webhookSecret: argument('secret'),
  });
  console.log(backend.url);
  const stop = () => void backend.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
