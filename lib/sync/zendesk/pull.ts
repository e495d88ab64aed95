/**
 * Changes made in Zendesk, as a page of the changes feed lib/sync/pull.ts
 * applies. Two ways to read them, and the cursor says which one is in use:
 *
 * - `export:<after_cursor>`: the cursor-based incremental ticket export
 *   (`/api/v2/incremental/tickets/cursor.json`), every ticket changed since;
 *   it needs an admin;
 * - `search:…`: for an agent, whom the export refuses (403), the search API
 *   (`type:ticket updated>…`, oldest first), read with an overlap (see
 *   SEARCH_OVERLAP_MS and SearchCursor).
 *
 * Only tickets Sidecase created come back (external_id is a case id); each
 * becomes a change of that case merged over the local case by
 * casePatchOfTicket, or nothing when the ticket shows what the case already
 * holds (our own comments move the ticket's updated_at too).
 */
import { Id } from '../../schema';
import type { HttpIo } from '../http';
import type { ChangesPage, PullResult } from '../adapters/types';
import { INVALID_RESPONSE, okJson, refusalOf, type ZendeskApi } from './api';
import { casePatchOfTicket, versionOfTicket, ZendeskTicket } from './mapping';

/** How far back the first pull looks: changes from before sync was set up are not Sidecase's. */
export const FIRST_PULL_LOOKBACK_MS = 60_000;
/** Search pages hold at most 100 results. https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/ */
const SEARCH_PAGE = 100;
/** A search query returns 1,000 results at most (10 pages of 100; page 11 is a 422). Same page. */
const SEARCH_LAST_PAGE = 10;
/**
 * How far back each search reads before the newest change already pulled.
 * The search index lags behind writes ("It can take up to a few minutes for
 * new tickets ... to be indexed for search",
 * https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/):
 * a ticket changed just before the newest change we pulled, but indexed after
 * that search ran, has an updated_at the next `updated>newest` would never
 * match. Five minutes covers "a few minutes"; a change indexed later still is
 * missed (the incremental export, which an admin's sign-in uses, has no such lag).
 */
export const SEARCH_OVERLAP_MS = 5 * 60_000;

export type PullMode = 'export' | 'search';

/** Which way the stored cursor reads Zendesk (for the options page). */
export function pullModeOf(cursor: string | undefined): PullMode | undefined {
  if (cursor?.startsWith('export:')) return 'export';
  if (cursor?.startsWith('search:')) return 'search';
  return undefined;
}

function changesOf(list: unknown[]): ChangesPage['changes'] {
  const changes: ChangesPage['changes'] = [];
  for (const item of list) {
    const parsed = ZendeskTicket.safeParse(item);
    if (!parsed.success) continue;
    const ticket = parsed.data;
    const caseId = ticket.external_id ?? '';
    if (!Id.safeParse(caseId).success) continue;
    const version = versionOfTicket(ticket);
    changes.push({
      entity: 'case',
      id: caseId,
      version,
      etag: ticket.updated_at,
      data: {},
      merge: (local) => {
        const patch = casePatchOfTicket(ticket, local, version);
        if (Object.keys(patch).length === 0) return undefined;
        return { ...local, ...patch, version: (Number(local.version) || 0) + 1, updatedAt: version };
      },
    });
  }
  return changes;
}

export async function pullZendeskChanges(api: ZendeskApi, io: HttpIo, cursor: string | undefined): Promise<PullResult> {
  const since = new Date(io.now() - FIRST_PULL_LOOKBACK_MS);
  if (!cursor || cursor.startsWith('export:')) {
    const query = cursor ? `cursor=${encodeURIComponent(cursor.slice('export:'.length))}` : `start_time=${Math.floor(since.getTime() / 1000)}`;
    const result = await api.request('GET', `/api/v2/incremental/tickets/cursor.json?${query}`);
    // Not an admin: the export is closed to this agent; the search is open to every agent.
    if (result.kind === 'response' && result.status === 403) {
      // The first search reads from `since` itself: no overlap back into the time before sync was set up.
      const first = isoOf(since.getTime());
      return pullBySearch(api, io, writeSearchCursor({ newest: first, from: first, page: 1, seen: new Set() }));
    }
    const refused = refusalOf(result, io.now());
    if (refused) return { ok: false, outcome: refused };
    const page = okJson(result) as { tickets?: unknown; after_cursor?: unknown; end_of_stream?: unknown } | undefined;
    if (!page || !Array.isArray(page.tickets) || typeof page.after_cursor !== 'string') return { ok: false, outcome: INVALID_RESPONSE };
    return {
      ok: true,
      page: { changes: changesOf(page.tickets), cursor: `export:${page.after_cursor}`, hasMore: page.end_of_stream !== true },
    };
  }
  return pullBySearch(api, io, cursor);
}

/**
 * Where the search stands, kept in the cursor so that it moves with the page
 * it came with (lib/sync/pull.ts stores both in one transaction):
 * `search:<newest>|<from>|<page>|<seen>`, where `newest` is the newest
 * updated_at pulled, `from` the lower bound of the query being paged through,
 * and `seen` the tickets already handed out whose updated_at is past `from`,
 * as `<id>@<updated_at in seconds>`: read again through the overlap, the same
 * version of a ticket is dropped here rather than merged a second time. A
 * cursor of an older version, `search:<newest>`, reads from newest − overlap.
 */
interface SearchCursor {
  newest: string;
  from: string;
  page: number;
  seen: Set<string>;
}

const isoOf = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
/** A version of a ticket: its id and updated_at (Zendesk's are whole seconds). */
const versionKey = (id: number, updatedAt: string) => `${id}@${Math.floor(Date.parse(updatedAt) / 1000)}`;
const secondsOfKey = (key: string) => Number(key.slice(key.indexOf('@') + 1));

function readSearchCursor(cursor: string): SearchCursor {
  const [newest = '', from, page, seen] = cursor.slice('search:'.length).split('|');
  const newestMs = Date.parse(newest);
  return {
    newest,
    from: from ?? (Number.isNaN(newestMs) ? newest : isoOf(newestMs - SEARCH_OVERLAP_MS)),
    page: Math.max(1, Math.min(SEARCH_LAST_PAGE, Number(page) || 1)),
    seen: new Set(seen ? seen.split(',') : []),
  };
}

function writeSearchCursor({ newest, from, page, seen }: SearchCursor): string {
  // Only versions the next query can return again are kept: updated_at past `from`.
  const after = Date.parse(from) / 1000;
  const kept = [...seen].filter((key) => secondsOfKey(key) > after);
  return `search:${newest}|${from}|${page}|${kept.join(',')}`;
}

/**
 * One page of changes. A page of the search with nothing to hand out (every
 * ticket on it seen before, through the overlap, or not Sidecase's) is
 * followed by the next within this call: lib/sync/pull.ts stops at an empty page.
 */
async function pullBySearch(api: ZendeskApi, io: HttpIo, cursor: string): Promise<PullResult> {
  let at = cursor;
  for (let read = 1; ; read++) {
    const answer = await searchOnce(api, io, at);
    if (!answer.ok || answer.page.changes.length > 0 || !answer.page.hasMore || read >= SEARCH_LAST_PAGE) return answer;
    at = answer.page.cursor;
  }
}

async function searchOnce(api: ZendeskApi, io: HttpIo, cursor: string): Promise<PullResult> {
  const at = readSearchCursor(cursor);
  const query = new URLSearchParams({ query: `type:ticket updated>${at.from}`, sort_by: 'updated_at', sort_order: 'asc' });
  if (at.page > 1) query.set('page', String(at.page));
  const result = await api.request('GET', `/api/v2/search.json?${query}`);
  const refused = refusalOf(result, io.now());
  if (refused) return { ok: false, outcome: refused };
  const page = okJson(result) as { results?: unknown; next_page?: unknown } | undefined;
  if (!page || !Array.isArray(page.results)) return { ok: false, outcome: INVALID_RESPONSE };
  const results = page.results
    .slice(0, SEARCH_PAGE)
    .filter((item): item is { id: number; updated_at: string } => {
      const { result_type, id, updated_at } = (item ?? {}) as { result_type?: unknown; id?: unknown; updated_at?: unknown };
      return result_type === 'ticket' && typeof id === 'number' && typeof updated_at === 'string' && !Number.isNaN(Date.parse(updated_at));
    });
  const fresh = results.filter((ticket) => !at.seen.has(versionKey(ticket.id, ticket.updated_at)));
  const seen = new Set([...at.seen, ...results.map((ticket) => versionKey(ticket.id, ticket.updated_at))]);
  const last = results.map((ticket) => ticket.updated_at).sort((a, b) => Date.parse(a) - Date.parse(b)).at(-1);
  const newest = last && !(Date.parse(last) <= Date.parse(at.newest)) ? last : at.newest;
  const more = typeof page.next_page === 'string' && results.length > 0;
  let next: SearchCursor;
  if (!more) {
    // The query is read to its end: the next one starts the overlap before the newest change.
    const newestMs = Date.parse(newest);
    next = { newest, from: Number.isNaN(newestMs) ? at.from : isoOf(newestMs - SEARCH_OVERLAP_MS), page: 1, seen };
  } else if (at.page < SEARCH_LAST_PAGE) {
    next = { newest, from: at.from, page: at.page + 1, seen };
  } else {
    // The last page a query may read: a new query from this page's last second (its tickets are in `seen`).
    next = { newest, from: isoOf(Date.parse(last!) - 1000), page: 1, seen };
  }
  return { ok: true, page: { changes: changesOf(fresh), cursor: writeSearchCursor(next), hasMore: more } };
}
