/**
 * A Zendesk Support API simulator: a small Node HTTP server on 127.0.0.1 that
 * does what developer.zendesk.com documents, and only that. Each rule names
 * the page it follows; if the adapter and this server disagree, the adapter
 * is wrong (the simulator is the contract and is never bent to fit it).
 *
 * Used in-process by the unit tests (over real HTTP, with Node's fetch), the
 * browser test and the bench. Faults are injected per request.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ZendeskFault =
  /** Answer this status without doing anything (429, 500, 503 …); 429 and 503 carry Retry-After. */
  | { kind: 'status'; status: number; retryAfter?: string }
  /** Do the work, then destroy the socket instead of answering (a dropped answer). */
  | { kind: 'dropAfterCommit' }
  /** Before handling, age every idempotency key past its two-hour life (the replay comes "later"). */
  | { kind: 'expireKeys' }
  /** Never answer; nothing done. */
  | { kind: 'hang' };

export interface ZendeskRequest {
  method: string;
  path: string;
  idempotencyKey?: string;
  n: number;
}

export interface SimUser {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  external_id: string | null;
  role: 'end-user' | 'agent' | 'admin';
}

export interface SimComment {
  id: number;
  author_id: number;
  body: string;
  html_body: string;
  plain_body: string;
  public: boolean;
  attachments: Array<{ id: number; file_name: string; content_type: string; size: number }>;
  created_at: string;
}

export interface SimTicket {
  id: number;
  url: string;
  external_id: string | null;
  subject: string;
  description: string;
  requester_id: number;
  priority: 'low' | 'normal' | 'high' | 'urgent' | null;
  status: 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
  type: 'problem' | 'incident' | 'question' | 'task' | null;
  tags: string[];
  created_at: string;
  updated_at: string;
  comments: SimComment[];
}

export interface ZendeskSimulatorOptions {
  port?: number;
  /** The agent whose API token is accepted: `email/token:token` (basic auth). */
  email?: string;
  token?: string;
  /** The signed-in agent's role: the incremental export needs an admin. */
  role?: 'agent' | 'admin';
  faults?: (request: ZendeskRequest) => ZendeskFault | undefined;
  now?: () => number;
  /** Tickets per page of the incremental export and the search. */
  pageSize?: number;
  /**
   * How long after a ticket's change the search finds it as changed (ms; by
   * default at once): "It can take up to a few minutes for new tickets, users,
   * and other resources to be indexed for search."
   * https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/
   * A number for every change, or a function of the ticket as just changed
   * (the lag varies: an earlier change may become searchable after a later one).
   */
  searchIndexLagMs?: number | ((ticket: SimTicket) => number);
  /** An OAuth client registered in the account (public: PKCE required); absent, no OAuth sign-in is possible. */
  oauth?: {
    clientId: string;
    /** The client's redirect URLs; by default the browser's extension redirect URLs. */
    redirectUris?: (uri: string) => boolean;
    /** Access tokens live this long (seconds); absent, the answer carries no expires_in. */
    accessTokenSeconds?: number;
    /** The agent declines on the authorization page. */
    deny?: boolean;
  };
}

export interface ZendeskSimulator {
  url: string;
  tickets: Map<number, SimTicket>;
  users: Map<number, SimUser>;
  /** Every ticket created, in order: a replay that returns the first ticket adds nothing. */
  created: SimTicket[];
  /** Uploads received (token → file name), attached or not. */
  uploads: Map<string, { file_name: string; size: number; content_type: string; attached: boolean }>;
  requestLog: () => ZendeskRequest[];
  queueFault(fault: ZendeskFault): void;
  setFaults(decide: ZendeskSimulatorOptions['faults']): void;
  /** Another agent's change in Zendesk: bumps updated_at (a later safe_update with the old stamp gets 409). */
  externalUpdate(id: number, change: Partial<Pick<SimTicket, 'subject' | 'priority' | 'status' | 'tags'>>): SimTicket;
  ticketByExternalId(externalId: string): SimTicket[];
  /** OAuth: codes redeemed (sign-ins), refreshes, and API requests authorised by a bearer token. */
  oauthLog(): { signIns: number; refreshes: number; bearerRequests: number; basicRequests: number };
  /** Every access token expires now (as its expires_in passing would). */
  expireAccessTokens(): void;
  /** Every refresh token is revoked (an admin removed the client's tokens, or they expired). */
  revokeRefreshTokens(): void;
  close(): Promise<void>;
}

/**
 * Idempotency: a ticket creation with `Idempotency-Key` answers a first
 * request with `x-idempotency-lookup: miss` (checked); a replay with the same
 * key and body answers the first response with `hit`; keys expire after two
 * hours; the same key with other parameters is refused with 400
 * `IdempotentRequestError` (these three as issue 14 states them: the page's
 * text past the first example was not available to check them).
 * https://developer.zendesk.com/api-reference/ticketing/introduction/#idempotency
 */
export const IDEMPOTENCY_TTL_MS = 2 * 60 * 60_000;
/**
 * Upload tokens are valid for 60 minutes; an upload not attached by then is deleted.
 * https://support.zendesk.com/hc/en-us/articles/4408887057946 (Can I attach files to tickets using the API),
 * https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-attachments/#upload-files
 */
export const UPLOAD_TTL_MS = 60 * 60_000;
/**
 * Rate limits: a 429 says how long to wait in Retry-After (seconds); every
 * answer carries X-Rate-Limit / X-Rate-Limit-Remaining
 * (https://developer.zendesk.com/api-reference/introduction/requests/#response-format);
 * Ticketing API list endpoints add ratelimit-limit / -remaining / -reset,
 * which this server sends on every answer
 * (https://developer.zendesk.com/documentation/ticketing/using-the-zendesk-api/best-practices-for-avoiding-rate-limiting).
 * https://developer.zendesk.com/api-reference/introduction/rate-limits/
 */
const RATE_LIMIT = 700;

const PRIORITIES = new Set(['low', 'normal', 'high', 'urgent']);
const STATUSES = new Set(['new', 'open', 'pending', 'hold', 'solved', 'closed']);
const TYPES = new Set(['problem', 'incident', 'question', 'task']);
/** Response headers a cross-origin caller may read (the browser hides the others). */
const EXPOSED = 'Location, Retry-After, X-Rate-Limit, X-Rate-Limit-Remaining, ratelimit-limit, ratelimit-remaining, ratelimit-reset, x-idempotency-lookup';

interface StoredAnswer {
  hash: string;
  at: number;
  status: number;
  body: string;
  headers: Record<string, string>;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Error bodies: JSON for business-level errors (requests page, 400 range):
 * `{"error": "RecordInvalid", "description": "Record validation errors",
 * "details": {"<field>": [{"description", "error"}]}}` for 422, and
 * `{"error", "description"}` otherwise. The page confirms JSON bodies with
 * `error` and `details`; the field-keyed shape of `details` follows the
 * official Ruby client (ZendeskAPI::Error::RecordInvalid reads body.details).
 * https://developer.zendesk.com/api-reference/introduction/requests/#422-unprocessable-entity
 */
function recordInvalid(field: string, description: string) {
  return {
    error: 'RecordInvalid',
    description: 'Record validation errors',
    details: { [field]: [{ description, error: 'InvalidValue' }] },
  };
}

/**
 * Tags are lower case and hold no spaces: a space separates two tags.
 * https://support.zendesk.com/hc/en-us/articles/4408888664474 (About tags) and
 * https://developer.zendesk.com/api-reference/ticketing/ticket-management/tags/
 */
function storeTags(tags: unknown): string[] {
  if (!Array.isArray(tags)) return [];
  const out = new Set<string>();
  for (const tag of tags) if (typeof tag === 'string') for (const part of tag.toLowerCase().split(/\s+/)) if (part) out.add(part);
  return [...out];
}

const stripHtml = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();

export async function startZendeskSimulator(options: ZendeskSimulatorOptions = {}): Promise<ZendeskSimulator> {
  const email = options.email ?? 'agent@example.org';
  const token = options.token ?? 'zd_token_0123456789';
  const now = options.now ?? Date.now;
  const pageSize = options.pageSize ?? 100;
  const tickets = new Map<number, SimTicket>();
  const users = new Map<number, SimUser>();
  const created: SimTicket[] = [];
  const uploads = new Map<string, { file_name: string; size: number; content_type: string; attached: boolean; at: number; attachmentId: number }>();
  const idempotency = new Map<string, StoredAnswer>();
  const queued: ZendeskFault[] = [];
  const log: ZendeskRequest[] = [];
  const hanging = new Set<http.ServerResponse>();
  let decide = options.faults;
  let nextId = 1000;
  let lastStamp = 0;
  /** Shifts the idempotency clock: `expireKeys` ages the keys without touching the client's clock. */
  let keyAge = 0;
  /**
   * Ticket audits: one per update, with its events (`Create`, `Comment`,
   * `Change` with the field's name), `created_at` the ticket's new updated_at.
   * https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_audits/
   */
  const audits = new Map<number, Array<{ id: number; ticket_id: number; created_at: string; author_id: number; via: { channel: string }; events: Array<{ type: string; field_name?: string }> }>>();
  const audit = (ticket: SimTicket, channel: string, events: Array<{ type: string; field_name?: string }>) => {
    const list = audits.get(ticket.id) ?? [];
    list.push({ id: nextId++, ticket_id: ticket.id, created_at: ticket.updated_at, author_id: me.id, via: { channel }, events });
    audits.set(ticket.id, list);
    index(ticket);
  };

  /**
   * The search index: every change of a ticket (each has its audit) becomes
   * searchable `searchIndexLagMs` after it is made; until then the search
   * finds the ticket as it was last indexed, or not at all.
   * https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/
   */
  const lagOf = options.searchIndexLagMs;
  const indexed = new Map<number, Array<{ at: number; ticket: Omit<SimTicket, 'comments'> }>>();
  const index = (ticket: SimTicket) => {
    if (lagOf === undefined) return;
    const lag = typeof lagOf === 'function' ? lagOf(ticket) : lagOf;
    const versions = indexed.get(ticket.id) ?? [];
    versions.push({ at: now() + lag, ticket: structuredClone(ticketJson(ticket)) });
    indexed.set(ticket.id, versions);
  };
  /** The tickets as the search sees them now. */
  const searchable = (): Array<Omit<SimTicket, 'comments'>> => {
    if (lagOf === undefined) return [...tickets.values()].map(ticketJson);
    const at = now();
    return [...indexed.values()].flatMap((versions) => {
      const newest = versions.filter((version) => version.at <= at).sort((a, b) => Date.parse(a.ticket.updated_at) - Date.parse(b.ticket.updated_at)).at(-1);
      return newest ? [newest.ticket] : [];
    });
  };

  const me: SimUser = { id: nextId++, name: 'Ada Agent', email, phone: null, external_id: null, role: options.role ?? 'admin' };
  users.set(me.id, me);

  let base = '';
  /**
   * updated_at is an ISO time with seconds; a ticket's stamp only ever grows
   * (two updates in one second still differ, as they do in Zendesk's database).
   */
  const stamp = () => {
    lastStamp = Math.max(Math.floor(now() / 1000) * 1000, lastStamp + 1000);
    return new Date(lastStamp).toISOString().replace('.000Z', 'Z');
  };

  /**
   * Authentication: basic auth with `{email}/token:{api_token}`
   * (https://developer.zendesk.com/api-reference/introduction/security-and-auth/#api-token),
   * or `Authorization: Bearer {access_token}` with an OAuth access token that
   * has not expired (https://developer.zendesk.com/documentation/authentication/creating-and-using-oauth-tokens-with-the-api).
   */
  function isAuthorised(req: http.IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const bearer = /^Bearer (\S+)$/.exec(header);
    if (bearer) {
      const expiresAt = accessTokens.get(bearer[1]!);
      if (expiresAt === undefined || expiresAt <= now()) return false;
      oauthCounts.bearerRequests++;
      return true;
    }
    const expected = `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}`;
    if (header !== expected) return false;
    oauthCounts.basicRequests++;
    return true;
  }

  // ——— OAuth: authorization code grant with PKCE ———
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge: string; scope: string; expiresAt: number }>();
  const accessTokens = new Map<string, number>();
  const refreshTokens = new Map<string, { clientId: string; scope: string; accessToken: string }>();
  const oauthCounts = { signIns: 0, refreshes: 0, bearerRequests: 0, basicRequests: 0 };
  const isExtensionRedirect = (uri: string) => /^https:\/\/[a-z0-9]+\.(chromiumapp\.org|extensions\.allizom\.org)\/$/.test(uri);

  /**
   * Step 1, the authorization page: `response_type=code`, `redirect_uri` (one
   * of the client's redirect URLs), `client_id` (the client's unique
   * identifier), `scope` (`read`, `write`, …), `state`; with PKCE
   * `code_challenge` and `code_challenge_method=S256`, which a public client
   * must send. The agent's decision comes back to the redirect URL as `code`
   * (or `error=access_denied`) with the `state`. The agent is signed in to
   * Zendesk already and approves at once here.
   * https://support.zendesk.com/hc/en-us/articles/4408845965210 (Using OAuth authentication with your application)
   * https://developer.zendesk.com/documentation/api-basics/authentication/oauth-pkce
   */
  function authorize(res: http.ServerResponse, url: URL): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    const client = options.oauth;
    const allowed = client?.redirectUris ?? isExtensionRedirect;
    // An unknown client or a redirect URL it does not list: an error page, never a redirect.
    if (!client || q.get('client_id') !== client.clientId || !allowed(redirectUri)) {
      res.writeHead(400, { 'Content-Type': 'text/html' });
      res.end('<p>Invalid authorization request</p>');
      return;
    }
    const back = new URL(redirectUri);
    const state = q.get('state');
    if (state !== null) back.searchParams.set('state', state);
    if (client.deny) {
      back.searchParams.set('error', 'access_denied');
    } else if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') || !q.get('scope')) {
      back.searchParams.set('error', 'invalid_request');
    } else {
      const code = randomBytes(24).toString('base64url');
      codes.set(code, { clientId: client.clientId, redirectUri, challenge: q.get('code_challenge')!, scope: q.get('scope')!, expiresAt: now() + 5 * 60_000 });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { Location: back.toString() });
    res.end();
  }

  function issueTokens(clientId: string, scope: string): Answer {
    const accessToken = randomBytes(32).toString('base64url');
    const seconds = options.oauth?.accessTokenSeconds;
    accessTokens.set(accessToken, seconds === undefined ? Number.MAX_SAFE_INTEGER : now() + seconds * 1000);
    const refreshToken = randomBytes(32).toString('base64url');
    refreshTokens.set(refreshToken, { clientId, scope, accessToken });
    return {
      status: 200,
      body: { access_token: accessToken, token_type: 'bearer', scope, refresh_token: refreshToken, ...(seconds === undefined ? {} : { expires_in: seconds }) },
    };
  }

  /**
   * Step 3, `POST /oauth/tokens` with a JSON body. `grant_type:
   * authorization_code` redeems a code once, with the `client_id` and
   * `redirect_uri` it was issued for and, with PKCE, the `code_verifier`
   * whose SHA-256 (base64url) is the challenge sent in step 1.
   * `grant_type: refresh_token` answers a new access token and a new refresh
   * token, and deletes the previous access and refresh tokens. A refused
   * grant is a 400 with OAuth's `{"error": "invalid_grant", "error_description"}`.
   * https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
   * https://developer.zendesk.com/documentation/api-basics/authentication/oauth-pkce
   * https://support.zendesk.com/hc/en-us/articles/9182123625370 (refresh token grant type)
   */
  function oauthTokens(raw: Buffer): Answer {
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return { status: 400, body: { error: 'invalid_request', error_description: 'The request body must be JSON' } };
    }
    const refuse = (description: string): Answer => ({ status: 400, body: { error: 'invalid_grant', error_description: description } });
    const client = options.oauth;
    if (!client || input.client_id !== client.clientId) return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } };
    if (input.grant_type === 'authorization_code') {
      const code = codes.get(String(input.code ?? ''));
      codes.delete(String(input.code ?? ''));
      if (!code || code.expiresAt < now()) return refuse('The authorization code is invalid or expired');
      if (input.redirect_uri !== code.redirectUri) return refuse('The redirect URI does not match');
      const challenge = createHash('sha256').update(String(input.code_verifier ?? '')).digest('base64url');
      if (challenge !== code.challenge) return refuse('The code verifier does not match the code challenge');
      oauthCounts.signIns++;
      return issueTokens(code.clientId, code.scope);
    }
    if (input.grant_type === 'refresh_token') {
      const stored = refreshTokens.get(String(input.refresh_token ?? ''));
      if (!stored) return refuse('The refresh token is invalid or expired');
      refreshTokens.delete(String(input.refresh_token));
      accessTokens.delete(stored.accessToken);
      oauthCounts.refreshes++;
      return issueTokens(stored.clientId, stored.scope);
    }
    return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'The grant type is not supported' } };
  }

  function ticketJson(ticket: SimTicket) {
    const { comments: _comments, ...rest } = ticket;
    return rest;
  }

  function addComment(ticket: SimTicket, comment: Record<string, unknown>): { ok: true } | { ok: false; field: string; description: string } {
    const html = typeof comment.html_body === 'string' ? comment.html_body : undefined;
    const body = typeof comment.body === 'string' ? comment.body : html !== undefined ? stripHtml(html) : '';
    const tokens = Array.isArray(comment.uploads) ? comment.uploads : [];
    const attachments: SimComment['attachments'] = [];
    for (const given of tokens) {
      const upload = typeof given === 'string' ? uploads.get(given) : undefined;
      // An unknown or expired token: the upload is gone (deleted after 60 minutes unattached).
      if (!upload || upload.attached || now() - upload.at > UPLOAD_TTL_MS) {
        return { ok: false, field: 'uploads', description: 'Uploads: token is invalid or expired' };
      }
      upload.attached = true;
      attachments.push({ id: upload.attachmentId, file_name: upload.file_name, content_type: upload.content_type, size: upload.size });
    }
    if (!body.trim() && attachments.length === 0) return { ok: false, field: 'comment', description: 'Comment: cannot be blank' };
    ticket.comments.push({
      id: nextId++,
      author_id: me.id,
      body,
      html_body: html ?? `<p>${body}</p>`,
      plain_body: body,
      public: comment.public !== false,
      attachments,
      created_at: stamp(),
    });
    return { ok: true };
  }

  function rateHeaders(): Record<string, string> {
    return {
      'X-Rate-Limit': String(RATE_LIMIT),
      'X-Rate-Limit-Remaining': String(RATE_LIMIT - 1),
      'ratelimit-limit': String(RATE_LIMIT),
      'ratelimit-remaining': String(RATE_LIMIT - 1),
      'ratelimit-reset': '60',
    };
  }

  type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

  /**
   * Create Ticket: 201 with the ticket and `Location`. The requester must be a
   * user; priority, status and type take their documented values.
   * https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#create-ticket
   */
  function createTicket(input: Record<string, unknown>): Answer {
    const comment = (input.comment ?? {}) as Record<string, unknown>;
    const requesterId = Number(input.requester_id);
    if (!users.has(requesterId)) return { status: 422, body: recordInvalid('requester', 'Requester: is invalid') };
    if (input.priority !== undefined && input.priority !== null && !PRIORITIES.has(String(input.priority))) {
      return { status: 422, body: recordInvalid('priority', 'Priority: is invalid') };
    }
    if (input.type !== undefined && input.type !== null && !TYPES.has(String(input.type))) {
      return { status: 422, body: recordInvalid('type', 'Type: is invalid') };
    }
    if (input.status !== undefined && !STATUSES.has(String(input.status))) {
      return { status: 422, body: recordInvalid('status', 'Status: is invalid') };
    }
    const at = stamp();
    const ticket: SimTicket = {
      id: nextId++,
      url: '',
      external_id: typeof input.external_id === 'string' ? input.external_id : null,
      subject: typeof input.subject === 'string' ? input.subject : '',
      description: '',
      requester_id: requesterId,
      priority: (input.priority as SimTicket['priority']) ?? null,
      status: (input.status as SimTicket['status']) ?? 'new',
      type: (input.type as SimTicket['type']) ?? null,
      tags: storeTags(input.tags),
      created_at: at,
      updated_at: at,
      comments: [],
    };
    ticket.url = `${base}/api/v2/tickets/${ticket.id}.json`;
    const added = addComment(ticket, comment);
    if (!added.ok) return { status: 422, body: recordInvalid(added.field, added.description) };
    ticket.description = ticket.comments[0]!.plain_body;
    // A ticket created by an agent without a status is open (new only when unassigned; this agent assigns itself).
    if (input.status === undefined) ticket.status = 'open';
    tickets.set(ticket.id, ticket);
    created.push(ticket);
    audit(ticket, 'api', [{ type: 'Create' }, { type: 'Comment' }]);
    return { status: 201, body: { ticket: ticketJson(ticket) }, headers: { Location: ticket.url } };
  }

  /**
   * Update Ticket. With `safe_update: true` and an `updated_stamp` older than
   * the ticket's updated_at, nothing is changed and the answer is 409
   * `UpdateConflict`. A closed ticket cannot be updated (422). The reference
   * section was not available to check; the rule matches what clients built
   * on it document ("only if no other changes have been made since" the
   * stamp: the PwshZendesk module's Update-Ticket -SafeUpdate -UpdatedStamp).
   * https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#protecting-against-ticket-update-collisions
   */
  function updateTicket(ticket: SimTicket, input: Record<string, unknown>): Answer {
    if (input.safe_update === true && input.updated_stamp !== ticket.updated_at) {
      return { status: 409, body: { error: 'UpdateConflict', description: 'Ticket was updated by another user since updated_stamp' } };
    }
    if (ticket.status === 'closed') return { status: 422, body: recordInvalid('status', 'Status: closed prevents ticket update') };
    if (input.priority !== undefined && input.priority !== null && !PRIORITIES.has(String(input.priority))) {
      return { status: 422, body: recordInvalid('priority', 'Priority: is invalid') };
    }
    if (input.status !== undefined && !STATUSES.has(String(input.status))) {
      return { status: 422, body: recordInvalid('status', 'Status: is invalid') };
    }
    if (input.type !== undefined && input.type !== null && !TYPES.has(String(input.type))) {
      return { status: 422, body: recordInvalid('type', 'Type: is invalid') };
    }
    if (input.comment) {
      const added = addComment(ticket, input.comment as Record<string, unknown>);
      if (!added.ok) return { status: 422, body: recordInvalid(added.field, added.description) };
    }
    const changes = (['subject', 'priority', 'status', 'type', 'tags'] as const).filter(
      (field) => input[field] !== undefined && JSON.stringify(input[field]) !== JSON.stringify(field === 'tags' ? storeTags(input.tags) : ticket[field]),
    );
    if (input.additional_tags !== undefined) changes.push('tags');
    if (typeof input.subject === 'string') ticket.subject = input.subject;
    if (input.priority !== undefined) ticket.priority = input.priority as SimTicket['priority'];
    if (input.status !== undefined) ticket.status = input.status as SimTicket['status'];
    if (input.type !== undefined) ticket.type = input.type as SimTicket['type'];
    if (input.tags !== undefined) ticket.tags = storeTags(input.tags);
    if (input.additional_tags !== undefined) ticket.tags = [...new Set([...ticket.tags, ...storeTags(input.additional_tags)])];
    ticket.updated_at = stamp();
    audit(ticket, 'api', [...(input.comment ? [{ type: 'Comment' }] : []), ...changes.map((field_name) => ({ type: 'Change', field_name }))]);
    return { status: 200, body: { ticket: ticketJson(ticket), audit: { ticket_id: ticket.id } } };
  }

  /**
   * Incremental ticket export, cursor based: `start_time` (unix seconds) for
   * the first page, then `cursor` = the page's `after_cursor` until
   * `end_of_stream` (checked: JSON format with after_url, after_cursor,
   * end_of_stream). Admins only (403 for an agent). Not simulated: the
   * documented exclusion of changes made in the minute before the request
   * (https://support.zendesk.com/hc/en-us/articles/8143500919322) and the
   * limit of 10 requests a minute.
   * https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-export-cursor-based
   */
  function incremental(url: URL): Answer {
    if (me.role !== 'admin') return { status: 403, body: { error: 'Forbidden', description: 'You do not have access to this page' } };
    const cursor = url.searchParams.get('cursor');
    const startTime = url.searchParams.get('start_time');
    let after: { t: number; id: number };
    if (cursor) {
      const [t, id] = Buffer.from(cursor, 'base64url').toString().split(':').map(Number);
      if (!Number.isFinite(t) || !Number.isFinite(id)) return { status: 400, body: { error: 'InvalidCursor', description: 'cursor is invalid' } };
      after = { t: t!, id: id! };
    } else if (startTime && /^\d+$/.test(startTime)) {
      after = { t: Number(startTime) * 1000 - 1, id: Number.MAX_SAFE_INTEGER };
    } else {
      return { status: 400, body: { error: 'InvalidPaginationParameter', description: 'start_time or cursor is required' } };
    }
    const ordered = [...tickets.values()]
      .map((ticket) => ({ ticket, t: Date.parse(ticket.updated_at) }))
      .filter(({ ticket, t }) => t > after.t || (t === after.t && ticket.id > after.id))
      .sort((a, b) => a.t - b.t || a.ticket.id - b.ticket.id);
    const page = ordered.slice(0, pageSize);
    const last = page.at(-1);
    const next = last ? { t: last.t, id: last.ticket.id } : after;
    const afterCursor = Buffer.from(`${next.t}:${next.id}`).toString('base64url');
    return {
      status: 200,
      body: {
        tickets: page.map(({ ticket }) => ticketJson(ticket)),
        after_cursor: afterCursor,
        after_url: `${base}/api/v2/incremental/tickets/cursor.json?cursor=${afterCursor}`,
        before_cursor: null,
        end_of_stream: ordered.length <= pageSize,
      },
    };
  }

  /**
   * Search: `query=type:ticket updated>ISO-time` (the subset used here),
   * results in `results` with `result_type`, `sort_by=updated_at`,
   * `sort_order=asc`, paged with `page` (checked). Open to agents. A change
   * is found only once indexed (searchIndexLagMs). Not simulated: at most
   * 1,000 results a query (a page past it is a 422).
   * https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/#list-search-results
   */
  function search(url: URL): Answer {
    const query = url.searchParams.get('query') ?? '';
    const since = /updated>(\S+)/.exec(query)?.[1];
    const sinceMs = since ? Date.parse(since) : 0;
    if (since && Number.isNaN(sinceMs)) return { status: 400, body: { error: 'InvalidQuery', description: 'updated is invalid' } };
    const results = searchable()
      .filter((ticket) => /type:ticket/.test(query) && Date.parse(ticket.updated_at) > sinceMs)
      .sort((a, b) => (url.searchParams.get('sort_order') === 'desc' ? -1 : 1) * (Date.parse(a.updated_at) - Date.parse(b.updated_at) || a.id - b.id));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const slice = results.slice((page - 1) * pageSize, page * pageSize);
    const more = results.length > page * pageSize;
    const nextUrl = new URL(url.toString(), base);
    nextUrl.searchParams.set('page', String(page + 1));
    return {
      status: 200,
      body: {
        results: slice.map((ticket) => ({ ...ticket, result_type: 'ticket' })),
        count: results.length,
        next_page: more ? `${base}${nextUrl.pathname}${nextUrl.search}` : null,
        previous_page: null,
      },
    };
  }

  async function route(req: http.IncomingMessage, url: URL, raw: Buffer): Promise<Answer> {
    const path = url.pathname.replace(/\.json$/, '');
    const json = (): Record<string, unknown> | undefined => {
      try {
        const parsed = JSON.parse(raw.toString('utf8'));
        return parsed && typeof parsed === 'object' ? parsed : undefined;
      } catch {
        return undefined;
      }
    };

    // Show Self. https://developer.zendesk.com/api-reference/ticketing/users/users/#show-self
    if (req.method === 'GET' && path === '/api/v2/users/me') return { status: 200, body: { user: me } };

    // Create Or Update User: matched by external_id, else email; 201 created, 200 updated.
    // https://developer.zendesk.com/api-reference/ticketing/users/users/#create-or-update-user
    if (req.method === 'POST' && path === '/api/v2/users/create_or_update') {
      const user = (json()?.user ?? {}) as Record<string, unknown>;
      if (typeof user.name !== 'string' || !user.name.trim()) return { status: 422, body: recordInvalid('name', 'Name: is too short') };
      const externalId = typeof user.external_id === 'string' ? user.external_id : null;
      const mail = typeof user.email === 'string' ? user.email.toLowerCase() : null;
      const existing = [...users.values()].find((u) => (externalId && u.external_id === externalId) || (mail && u.email === mail));
      const target: SimUser = existing ?? { id: nextId++, name: '', email: null, phone: null, external_id: null, role: 'end-user' };
      target.name = user.name;
      if (mail) target.email = mail;
      if (typeof user.phone === 'string') target.phone = user.phone;
      if (externalId) target.external_id = externalId;
      users.set(target.id, target);
      return { status: existing ? 200 : 201, body: { user: target } };
    }

    // Search Users by external_id. https://developer.zendesk.com/api-reference/ticketing/users/users/#search-users
    if (req.method === 'GET' && path === '/api/v2/users/search') {
      const externalId = url.searchParams.get('external_id');
      return { status: 200, body: { users: [...users.values()].filter((u) => externalId && u.external_id === externalId) } };
    }

    // Upload Files: `filename` is required; 201 with `upload.token`.
    // https://developer.zendesk.com/api-reference/ticketing/tickets/ticket-attachments/#upload-files
    if (req.method === 'POST' && path === '/api/v2/uploads') {
      const filename = url.searchParams.get('filename');
      if (!filename) return { status: 400, body: { error: 'InvalidParameter', description: 'filename is required' } };
      const uploadToken = randomBytes(12).toString('hex');
      const attachmentId = nextId++;
      const contentType = String(req.headers['content-type'] ?? 'application/octet-stream');
      uploads.set(uploadToken, { file_name: filename, size: raw.length, content_type: contentType, attached: false, at: now(), attachmentId });
      return {
        status: 201,
        body: { upload: { token: uploadToken, attachment: { id: attachmentId, file_name: filename, content_type: contentType, size: raw.length } } },
      };
    }

    if (path === '/api/v2/tickets') {
      // List Tickets by external_id. https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#list-tickets
      if (req.method === 'GET') {
        const externalId = url.searchParams.get('external_id');
        const list = [...tickets.values()].filter((t) => !externalId || t.external_id === externalId);
        return { status: 200, body: { tickets: list.map(ticketJson), next_page: null, count: list.length } };
      }
      if (req.method === 'POST') {
        const body = json();
        if (!body?.ticket) return { status: 400, body: { error: 'InvalidParameter', description: 'ticket is required' } };
        const key = req.headers['idempotency-key'];
        if (typeof key !== 'string') return createTicket(body.ticket as Record<string, unknown>);
        const hash = createHash('sha256').update(raw).digest('hex');
        const stored = idempotency.get(key);
        if (stored && now() + keyAge - stored.at < IDEMPOTENCY_TTL_MS) {
          if (stored.hash !== hash) {
            return {
              status: 400,
              body: { error: 'IdempotentRequestError', description: 'The request parameters do not match those of the original request with this key' },
            };
          }
          return { status: stored.status, body: JSON.parse(stored.body), headers: { ...stored.headers, 'x-idempotency-lookup': 'hit' } };
        }
        const answer = createTicket(body.ticket as Record<string, unknown>);
        if (answer.status < 300) {
          idempotency.set(key, { hash, at: now() + keyAge, status: answer.status, body: JSON.stringify(answer.body), headers: answer.headers ?? {} });
        }
        return { ...answer, headers: { ...answer.headers, 'x-idempotency-lookup': 'miss' } };
      }
    }

    const one = /^\/api\/v2\/tickets\/(\d+)(\/comments|\/audits)?$/.exec(path);
    if (one) {
      const ticket = tickets.get(Number(one[1]));
      // A deleted or unknown ticket. https://developer.zendesk.com/api-reference/introduction/requests/#404-not-found
      if (!ticket) return { status: 404, body: { error: 'RecordNotFound', description: 'Not found' } };
      if (req.method === 'GET' && /\/audits$/.test(path)) return { status: 200, body: { audits: audits.get(ticket.id) ?? [], next_page: null } };
      // List Comments. https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/#list-comments
      if (one[2] === '/comments' && req.method === 'GET') return { status: 200, body: { comments: ticket.comments, next_page: null } };
      if (!one[2] && req.method === 'GET') return { status: 200, body: { ticket: ticketJson(ticket) } };
      if (!one[2] && req.method === 'PUT') {
        const body = json();
        if (!body?.ticket) return { status: 400, body: { error: 'InvalidParameter', description: 'ticket is required' } };
        return updateTicket(ticket, body.ticket as Record<string, unknown>);
      }
    }

    if (req.method === 'GET' && path === '/api/v2/incremental/tickets/cursor') return incremental(url);
    if (req.method === 'GET' && path === '/api/v2/search') return search(url);
    return { status: 404, body: { error: 'InvalidEndpoint', description: 'Not found' } };
  }

  /**
   * CORS. "Client-side CORS requests are supported if the request is
   * authenticated with an OAuth access token", not with an API token
   * (checked); an agent with an API token grants Sidecase the host
   * permission instead. The browser tests never grant it (headless browsers
   * cannot answer the prompt), so this server also answers CORS for API-token
   * requests, standing in for the permission. The one deliberate difference.
   * https://developer.zendesk.com/api-reference/introduction/security-and-auth/,
   * https://developer.zendesk.com/documentation/ticketing/using-the-zendesk-api/making-cross-origin-browser-side-api-requests/
   */
  function allowCors(req: http.IncomingMessage, res: http.ServerResponse): void {
    const origin = req.headers.origin;
    if (typeof origin !== 'string' || !/^(chrome|moz)-extension:\/\//.test(origin)) return;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Expose-Headers', EXPOSED);
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, PUT, POST, DELETE');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Idempotency-Key');
      res.setHeader('Access-Control-Max-Age', '600');
      if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('Access-Control-Allow-Private-Network', 'true');
    }
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      allowCors(req, res);
      if (req.method === 'OPTIONS') {
        res.writeHead(204);
        res.end();
        return;
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = await readBody(req);
      const info: ZendeskRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        idempotencyKey: typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined,
        n: log.length + 1,
      };
      log.push(info);
      const fault = queued.shift() ?? decide?.(info);
      const headers = { ...rateHeaders(), 'Content-Type': 'application/json; charset=utf-8' };
      if (fault?.kind === 'hang') {
        hanging.add(res);
        return;
      }
      if (fault?.kind === 'status') {
        const extra: Record<string, string> = fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {};
        if (fault.status === 429) extra['X-Rate-Limit-Remaining'] = '0';
        res.writeHead(fault.status, { ...headers, ...extra });
        res.end(JSON.stringify({ error: fault.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable' }));
        return;
      }
      if (fault?.kind === 'expireKeys') keyAge += IDEMPOTENCY_TTL_MS + 60_000;
      if (req.method === 'GET' && url.pathname === '/oauth/authorizations/new') return authorize(res, url);
      if (req.method === 'POST' && url.pathname === '/oauth/tokens') {
        const answer = oauthTokens(raw);
        res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(JSON.stringify(answer.body));
        return;
      }
      if (!isAuthorised(req)) {
        // https://developer.zendesk.com/api-reference/introduction/requests/#401-unauthorized
        res.writeHead(401, headers);
        res.end(JSON.stringify({ error: 'Couldn\u2019t authenticate you' }));
        return;
      }
      const answer = await route(req, url, raw);
      if (fault?.kind === 'dropAfterCommit') {
        // The answer breaks off after its first bytes: a connection closed before any byte of the
        // answer is one the browser resends by itself (it takes it for an idle connection the server
        // closed), which would apply a comment twice behind the client's back.
        const text = JSON.stringify(answer.body ?? {});
        res.writeHead(answer.status, { ...headers, ...answer.headers, 'Content-Length': String(text.length + 100) });
        res.write(text.slice(0, 10));
        setTimeout(() => res.socket?.destroy(), 10);
        return;
      }
      res.writeHead(answer.status, { ...headers, ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    tickets,
    users,
    created,
    uploads,
    requestLog: () => [...log],
    queueFault: (fault) => queued.push(fault),
    setFaults: (next) => {
      decide = next;
    },
    externalUpdate(id, change) {
      const ticket = tickets.get(id);
      if (!ticket) throw new Error(`no ticket ${id}`);
      Object.assign(ticket, change);
      if (change.tags) ticket.tags = storeTags(change.tags);
      ticket.updated_at = stamp();
      audit(ticket, 'web', Object.keys(change).map((field_name) => ({ type: 'Change', field_name })));
      return ticket;
    },
    ticketByExternalId: (externalId) => [...tickets.values()].filter((t) => t.external_id === externalId),
    oauthLog: () => ({ ...oauthCounts }),
    expireAccessTokens: () => {
      for (const key of accessTokens.keys()) accessTokens.set(key, 0);
    },
    revokeRefreshTokens: () => refreshTokens.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.socket?.destroy();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
