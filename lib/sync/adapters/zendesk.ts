/**
 * Zendesk Support adapter (docs/zendesk.md): a customer becomes a user, a
 * case a ticket, a note a private comment, an attachment an upload on a
 * private comment; resolve, cancel and reopen set the ticket's status.
 *
 * Exactly once: ticket creation sends the outbox entry's key as
 * `Idempotency-Key` (Zendesk answers a replay within two hours with the first
 * ticket), and a retried creation first looks the ticket up by `external_id`
 * (the case id), so a replay after the key expired, or after a key mismatch,
 * finds the ticket instead of making a second one. Comments have no key in
 * Zendesk: a retried note or attachment first reads the ticket's comments.
 *
 * The ticket id of each case is learnt from the creation's answer (and kept
 * in the case's syncRecords row by the engine) or looked up by external_id;
 * the adapter remembers it for the life of the worker.
 */
import type { SidecaseDb } from '../../db/db';
import type { OutboxEntry } from '../../schema';
import type { HttpIo } from '../http';
import type { ZendeskSettings } from '../settings';
import { INVALID_RESPONSE, isIdempotencyMismatch, okJson, refusalOf, zendeskApi, type Refusal, type ZendeskResult } from '../zendesk/api';
import {
  casePatchOfTicket,
  commentOfAttachment,
  commentOfNote,
  commentWords,
  ticketOfCase,
  ticketUpdateOf,
  userOfCustomer,
  versionOfTicket,
  ZendeskTicket,
} from '../zendesk/mapping';
import { pullZendeskChanges } from '../zendesk/pull';
import type { Adapter, DeliverContext, Outcome } from './types';

type Data = Record<string, unknown>;

/** What the adapter has learnt about one Zendesk account, kept while the worker lives (adapters are made per drain). */
interface Known {
  /** case id → ticket id */
  tickets: Map<string, number>;
  /** customer id → user id */
  users: Map<string, number>;
  /** ticket id → its newest updated_at we saw: our own comments move it, and safe_update compares it. */
  stamps: Map<number, string>;
  /** case id → the creation in flight: a note of the case waits for it instead of finding no ticket. */
  creating: Map<string, Promise<void>>;
  /** customer id → the user's creation in flight: the case's ticket waits for its requester. */
  creatingUsers: Map<string, Promise<void>>;
  /** case id → the case as last sent: their version in a conflict is made over it. */
  sent: Map<string, Data>;
  /**
   * case id → the ticket fields of the case as Zendesk last confirmed it
   * (ticketUpdateOf of a plain edit): an edit of nothing Zendesk holds is not sent.
   */
  confirmed: Map<string, Data>;
  /**
   * ticket id → the update in flight. A case's notes travel in lanes of their
   * own, in parallel with the case's: our own comment moving updated_at between
   * reading the stamp and sending an edit would make that edit a false 409. So
   * the updates of one ticket go one at a time, each with the newest stamp.
   */
  updating: Map<number, Promise<unknown>>;
  /**
   * Tickets whose last update by us went unanswered (a timeout, a 5xx): it may
   * have moved updated_at. The next edit reads the ticket's stamp first rather
   * than meet a 409 of our own making (a change made in Zendesk in that short
   * window is then not detected; see docs/zendesk.md).
   */
  unsure: Set<number>;
}
/**
 * What the adapter knows, per account (its URL and who signs in), the newest
 * ACCOUNTS_KEPT only: a worker that lives long would otherwise keep what it
 * knew of every account it ever synced with (a changed setting, a test
 * connection to another), each up to KEPT_CASES cases' data. An account
 * forgotten is treated as after a restart of the worker.
 */
const KNOWN = new Map<string, Known>();
const ACCOUNTS_KEPT = 2;
/**
 * Cases whose data `sent` and `confirmed` keep: the newest this many. A
 * worker that lives long (Firefox's background page) would otherwise keep a
 * copy of every case it ever synced; an older case is treated as after a
 * restart of the worker (its edit is sent, a conflict reads their ticket).
 */
const KEPT_CASES = 1_000;
/** Sets `key` as the newest entry of `map`, dropping the oldest beyond `max`. */
export function keepNewest<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}
const keep = (map: Map<string, Data>, key: string, value: Data) => keepNewest(map, key, value, KEPT_CASES);
function knownFor(account: string): Known {
  const known = KNOWN.get(account) ?? {
    tickets: new Map(),
    users: new Map(),
    stamps: new Map(),
    creating: new Map(),
    creatingUsers: new Map(),
    sent: new Map(),
    confirmed: new Map(),
    updating: new Map(),
    unsure: new Set(),
  };
  keepNewest(KNOWN, account, known, ACCOUNTS_KEPT);
  return known;
}

/**
 * Runs a creation, marked in `inFlight` from before its first await: a change
 * that needs what it creates (a note needs the ticket, a ticket its requester)
 * and starts meanwhile waits for it instead of finding nothing. The pump
 * starts lanes in outbox order, so the creation always starts first.
 */
async function whileCreating(inFlight: Map<string, Promise<void>>, id: string, create: () => Promise<Outcome>): Promise<Outcome> {
  let done = () => {};
  const creating = new Promise<void>((resolve) => (done = resolve));
  inFlight.set(id, creating);
  try {
    return await create();
  } finally {
    if (inFlight.get(id) === creating) inFlight.delete(id);
    done();
  }
}

/** An answer that leaves open whether the update was applied. */
const isUnanswered = (result: { kind: string; status?: number }) => result.kind === 'network' || (result.status ?? 0) >= 500;

/** Runs `update` after the ticket's updates before it (see Known.updating). */
function oneAtATime<T>(known: Known, ticketId: number, update: () => Promise<T>): Promise<T> {
  const before = known.updating.get(ticketId) ?? Promise.resolve();
  const next = before.then(update, update);
  const settled = next.catch(() => undefined);
  known.updating.set(ticketId, settled);
  void settled.then(() => {
    if (known.updating.get(ticketId) === settled) known.updating.delete(ticketId);
  });
  return next;
}

const ok = (status: number, extra: Partial<Extract<Outcome, { kind: 'ok' }>> = {}): Outcome => ({ kind: 'ok', status, ...extra });
const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** Two edits' ticket fields (subject, priority, tags: editedFields in mapping.ts) are the same. */
function sameFields(a: Data, b: Data): boolean {
  const tagsA = a.tags as string[];
  const tagsB = b.tags as string[];
  return a.subject === b.subject && a.priority === b.priority && tagsA.length === tagsB.length && tagsA.every((tag, i) => tag === tagsB[i]);
}

/** The ticket fields a plain edit of this case sends: what Zendesk holds of it. */
const fieldsOfCase = (data: Data): Data => ticketUpdateOf({ type: 'case.updated', data }).ticket;

export const createZendeskAdapter = (settings: ZendeskSettings, io: HttpIo, db?: SidecaseDb): Adapter => {
  const api = zendeskApi(settings, io, db);
  const known = knownFor(`${settings.url} ${settings.auth.type === 'oauth' ? `oauth:${settings.auth.clientId}` : settings.auth.email}`);

  function remember(caseId: string, ticket: ZendeskTicket): Outcome {
    known.tickets.set(caseId, ticket.id);
    const version = versionOfTicket(ticket);
    const before = known.stamps.get(ticket.id);
    if (!before || Date.parse(before) <= version) known.stamps.set(ticket.id, ticket.updated_at);
    return { kind: 'ok', status: 200, etag: ticket.updated_at, version, remoteId: String(ticket.id) };
  }

  function ticketOf(json: unknown): ZendeskTicket | undefined {
    const parsed = ZendeskTicket.safeParse((json as { ticket?: unknown } | undefined)?.ticket);
    return parsed.success ? parsed.data : undefined;
  }

  /** List Tickets by external_id: the first ticket made for this case, if any. */
  async function findTicket(caseId: string): Promise<{ ticket?: ZendeskTicket } | Refusal> {
    const result = await api.request('GET', `/api/v2/tickets.json?external_id=${encodeURIComponent(caseId)}`);
    const refused = refusalOf(result, io.now());
    if (refused) return refused;
    const list = (okJson(result) as { tickets?: unknown } | undefined)?.tickets;
    if (!Array.isArray(list)) return INVALID_RESPONSE;
    const tickets = list.map((item) => ZendeskTicket.safeParse(item)).flatMap((parsed) => (parsed.success ? [parsed.data] : []));
    const first = tickets.filter((t) => t.external_id === caseId && t.status !== 'deleted').sort((a, b) => a.id - b.id)[0];
    if (first) remember(caseId, first);
    return { ticket: first };
  }

  /** The case's ticket id: known, being created right now, or looked up. */
  async function ticketIdOf(caseId: string): Promise<number | Refusal> {
    await known.creating.get(caseId);
    const cached = known.tickets.get(caseId);
    if (cached) return cached;
    const found = await findTicket(caseId);
    if ('kind' in found) return found;
    // No ticket yet: its case's creation has not gone through; this change waits for it.
    return found.ticket?.id ?? { kind: 'retry', error: 'sync.zendesk.ticketPending' };
  }

  async function userIdOf(customerId: string): Promise<number | Refusal> {
    await known.creatingUsers.get(customerId);
    const cached = known.users.get(customerId);
    if (cached) return cached;
    const result = await api.request('GET', `/api/v2/users/search.json?external_id=${encodeURIComponent(customerId)}`);
    const refused = refusalOf(result, io.now());
    if (refused) return refused;
    const users = (okJson(result) as { users?: Array<{ id?: unknown }> } | undefined)?.users;
    if (!Array.isArray(users)) return INVALID_RESPONSE;
    const id = users.map((user) => user.id).find((value): value is number => typeof value === 'number');
    if (!id) return { kind: 'retry', error: 'sync.zendesk.requesterPending' };
    known.users.set(customerId, id);
    return id;
  }

  async function deliverCustomer(entry: OutboxEntry): Promise<Outcome> {
    const result = await api.request('POST', '/api/v2/users/create_or_update.json', { json: userOfCustomer(entry.data) });
    const refused = refusalOf(result, io.now());
    if (refused) return refused;
    const id = (okJson(result) as { user?: { id?: unknown } } | undefined)?.user?.id;
    if (typeof id !== 'number') return INVALID_RESPONSE;
    known.users.set(entry.entityId, id);
    return ok(result.kind === 'response' ? result.status : 200, { remoteId: String(id) });
  }

  async function createTicket(entry: OutboxEntry): Promise<Outcome> {
    const caseId = entry.entityId;
    // A retry: the first try may have made the ticket, its answer lost, its key expired since.
    if (entry.attempts > 0) {
      const found = await findTicket(caseId);
      if ('kind' in found) return found;
      if (found.ticket) return remember(caseId, found.ticket);
    }
    const requester = await userIdOf(text(entry.data.customerId));
    if (typeof requester !== 'number') return requester;
    const body = ticketOfCase(entry.data, requester, settings.ticketType);
    const post = (key: string) => api.request('POST', '/api/v2/tickets.json', { json: body, headers: { 'Idempotency-Key': key } });
    let result = await post(entry.idempotencyKey);
    if (isIdempotencyMismatch(result)) {
      // The key went with other parameters before: the ticket may exist all the same.
      const found = await findTicket(caseId);
      if ('kind' in found) return found;
      if (found.ticket) return remember(caseId, found.ticket);
      result = await post(`${entry.idempotencyKey}:${entry.attempts + 1}`);
    }
    const refused = refusalOf(result, io.now());
    if (refused) return refused.kind === 'conflict' ? { kind: 'retry', status: 409, error: 'sync.error.server' } : refused;
    const ticket = ticketOf(okJson(result));
    if (!ticket) return INVALID_RESPONSE;
    return { ...remember(caseId, ticket), status: result.kind === 'response' ? result.status : 201 };
  }

  /** The fields an update sends, as the ticket already has them: our own update, applied, its answer lost. */
  function showsUpdate(ticket: ZendeskTicket, update: Data): boolean {
    const sameTags = (a: unknown, b: unknown) =>
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((tag) => b.includes(tag));
    return (
      (update.subject === undefined || update.subject === ticket.subject) &&
      (update.priority === undefined || update.priority === ticket.priority) &&
      (update.status === undefined || update.status === ticket.status) &&
      (update.tags === undefined || sameTags(update.tags, ticket.tags))
    );
  }

  async function updateTicket(entry: OutboxEntry, ctx: DeliverContext, update: Data, previous: Data | undefined): Promise<Outcome> {
    const caseId = entry.entityId;
    const id = await ticketIdOf(caseId);
    if (typeof id !== 'number') return id;
    // An edit of what Zendesk does not hold (an SLA time, the note words): nothing to send.
    if (entry.type === 'case.updated' && previous && sameFields(previous, update)) {
      const stamp = known.stamps.get(id) ?? ctx.etag;
      return ok(200, { etag: stamp, version: stamp ? Date.parse(stamp) : undefined, remoteId: String(id) });
    }
    const sent = await oneAtATime(known, id, async () => {
      if (known.unsure.has(id)) {
        const found = await findTicket(caseId);
        if ('kind' in found) return { refused: found };
        known.unsure.delete(id);
      }
      // safe_update with the newest stamp we know: a change in Zendesk since then is a 409, not overwritten.
      const stamp = [ctx.etag, known.stamps.get(id)].filter((s): s is string => !!s).sort((a, b) => Date.parse(b) - Date.parse(a))[0];
      return { ...(await put(caseId, id, update, stamp)), stamp };
    });
    if (sent.refused) return sent.refused;
    if (sent.confirmed) return sent.confirmed;
    const refused = refusalOf(sent.answer!, io.now(), { isTicket: true });
    if (refused?.kind === 'conflict') {
      const settled = await settleConflict(caseId, id, update, sent.stamp);
      if (settled) return settled;
    }
    return refused ?? INVALID_RESPONSE;
  }

  /**
   * Update Ticket; its answer's ticket is read (parsed and checked) once, here,
   * and remembered at once: the next update of the ticket may be waiting for its stamp.
   */
  async function put(caseId: string, id: number, update: Data, stamp: string | undefined): Promise<{ answer: ZendeskResult; confirmed?: Outcome }> {
    const answer = await api.request('PUT', `/api/v2/tickets/${id}.json`, {
      json: { ticket: stamp ? { ...update, safe_update: true, updated_stamp: stamp } : update },
    });
    const ticket = ticketOf(okJson(answer));
    if (ticket) return { answer, confirmed: remember(caseId, ticket) };
    if (isUnanswered(answer)) known.unsure.add(id);
    return { answer };
  }

  /**
   * A 409 that is no conflict: the ticket already shows this edit (our own
   * earlier try, its answer lost), or everything since the stamp we sent is
   * comments only (a note of ours whose answer was lost, an agent's reply):
   * no field of theirs would be overwritten, so the edit goes again with the
   * ticket's stamp. Any field changed since is a conflict for the agent.
   * https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_audits/
   */
  async function settleConflict(caseId: string, id: number, update: Data, stamp: string | undefined): Promise<Outcome | undefined> {
    // Not known yet (a lookup refused, a 429): try again later rather than call it a conflict.
    const found = await findTicket(caseId);
    if ('kind' in found) return found;
    if (!found.ticket) return undefined;
    if (showsUpdate(found.ticket, update)) return remember(caseId, found.ticket);
    if (!stamp) return undefined;
    const listed = await api.request('GET', `/api/v2/tickets/${id}/audits.json`);
    const unread = refusalOf(listed, io.now(), { isTicket: true });
    if (unread) return unread;
    const audits = (okJson(listed) as { audits?: unknown } | undefined)?.audits;
    if (!Array.isArray(audits)) return INVALID_RESPONSE;
    const since = audits.filter((audit) => Date.parse(String((audit as Data)?.created_at)) > Date.parse(stamp));
    const onlyComments =
      since.length > 0 &&
      since.every((audit) => {
        const events = (audit as Data)?.events;
        return Array.isArray(events) && events.every((event) => !['Change', 'Create'].includes(String((event as Data)?.type)));
      });
    if (!onlyComments) return undefined;
    const fresh = found.ticket.updated_at;
    const { answer, confirmed } = await oneAtATime(known, id, () => put(caseId, id, update, fresh));
    return confirmed ?? refusalOf(answer, io.now(), { isTicket: true }) ?? INVALID_RESPONSE;
  }

  /** Is a comment already on the ticket (a retry whose first try went through)? */
  async function hasComment(id: number, matches: (comment: Data) => boolean): Promise<boolean | Refusal> {
    const result = await api.request('GET', `/api/v2/tickets/${id}/comments.json?sort_order=desc`);
    const refused = refusalOf(result, io.now(), { isTicket: true });
    if (refused) return refused;
    const comments = (okJson(result) as { comments?: unknown } | undefined)?.comments;
    if (!Array.isArray(comments)) return INVALID_RESPONSE;
    return comments.some((comment) => comment && typeof comment === 'object' && matches(comment as Data));
  }

  async function addComment(caseId: string, id: number, comment: Data): Promise<Outcome> {
    const { answer, confirmed } = await oneAtATime(known, id, () => put(caseId, id, { comment }, undefined));
    if (confirmed) return ok(answer.kind === 'response' ? answer.status : 200);
    const refused = refusalOf(answer, io.now(), { isTicket: true });
    if (refused) return refused.kind === 'conflict' ? { kind: 'retry', status: 409, error: 'sync.error.server' } : refused;
    return INVALID_RESPONSE;
  }

  async function deliverNote(entry: OutboxEntry): Promise<Outcome> {
    const caseId = text(entry.data.caseId);
    // Comments cannot be edited or removed in Zendesk; a note in the inbox is on no ticket.
    if (entry.type !== 'note.added' || !caseId) return ok(200);
    const id = await ticketIdOf(caseId);
    if (typeof id !== 'number') return id;
    const comment = commentOfNote(entry.data);
    if (entry.attempts > 0) {
      const words = commentWords(text(entry.data.body));
      const there = await hasComment(id, (c) => c.public === false && commentWords(text(c.plain_body) || text(c.body)) === words);
      if (there !== false) return there === true ? ok(200) : there;
    }
    return addComment(caseId, id, comment);
  }

  async function deliverAttachment(entry: OutboxEntry, ctx: DeliverContext): Promise<Outcome> {
    const caseId = text(entry.data.caseId);
    if (entry.type !== 'attachment.added' || !caseId) return ok(200);
    const blob = ctx.blob ?? (entry.data.blob instanceof Blob ? entry.data.blob : undefined);
    if (!blob) return { kind: 'fatal', error: 'sync.error.attachmentMissing', scope: 'record' };
    const id = await ticketIdOf(caseId);
    if (typeof id !== 'number') return id;
    const name = text(entry.data.name) || 'attachment';
    if (entry.attempts > 0) {
      const there = await hasComment(id, (c) => Array.isArray(c.attachments) && c.attachments.some((a: { file_name?: unknown }) => a?.file_name === name));
      if (there !== false) return there === true ? ok(200) : there;
    }
    const upload = await api.request('POST', `/api/v2/uploads.json?filename=${encodeURIComponent(name)}`, {
      body: blob,
      contentType: text(entry.data.type) || blob.type,
    });
    const refused = refusalOf(upload, io.now());
    if (refused) return refused;
    const token = (okJson(upload) as { upload?: { token?: unknown } } | undefined)?.upload?.token;
    if (typeof token !== 'string' || !token) return INVALID_RESPONSE;
    return addComment(caseId, id, commentOfAttachment(name, token));
  }

  async function deliverCase(entry: OutboxEntry, ctx: DeliverContext): Promise<Outcome> {
    keep(known.sent, entry.entityId, entry.data);
    if (entry.type === 'case.created') {
      const outcome = await whileCreating(known.creating, entry.entityId, () => createTicket(entry));
      if (outcome.kind === 'ok') keep(known.confirmed, entry.entityId, fieldsOfCase(entry.data));
      return outcome;
    }
    const { ticket: update } = ticketUpdateOf(entry);
    const outcome = await updateTicket(entry, ctx, update, known.confirmed.get(entry.entityId));
    // A plain edit's update is its fields; a resolve, cancel or reopen sends more than them.
    if (outcome.kind === 'ok') keep(known.confirmed, entry.entityId, entry.type === 'case.updated' ? update : fieldsOfCase(entry.data));
    return outcome;
  }

  return {
    deliver(entry, ctx) {
      switch (entry.entity) {
        case 'customer':
          return whileCreating(known.creatingUsers, entry.entityId, () => deliverCustomer(entry));
        case 'case':
          return deliverCase(entry, ctx);
        case 'note':
          return deliverNote(entry);
        case 'attachment':
          return deliverAttachment(entry, ctx);
      }
    },

    async fetchRecord(entity, id) {
      const local = known.sent.get(id);
      if (entity !== 'case' || !local) return { ok: true, record: undefined };
      const found = await findTicket(id);
      if ('kind' in found) return { ok: false, outcome: found };
      if (!found.ticket) return { ok: true, record: undefined };
      const version = versionOfTicket(found.ticket);
      const data = { ...local, ...casePatchOfTicket(found.ticket, local, version) };
      return { ok: true, record: { entity, id, version, etag: found.ticket.updated_at, data } };
    },

    pullChanges: (cursor) => pullZendeskChanges(api, io, cursor),

    async testConnection() {
      const result = await api.request('GET', '/api/v2/users/me.json');
      const refused = refusalOf(result, io.now());
      if (refused) return refused;
      const user = (okJson(result) as { user?: { id?: unknown; name?: unknown; email?: unknown } } | undefined)?.user;
      // An anonymous answer (id null) is a wrong or missing credential: Zendesk answers /me without one.
      if (!user || typeof user.id !== 'number') return { kind: 'fatal', status: 200, error: 'sync.error.unauthorized', scope: 'backend' };
      const who = [text(user.name), text(user.email) && `<${text(user.email)}>`].filter(Boolean).join(' ');
      return ok(200, { signedInAs: who.slice(0, 300) });
    },
  };
};
