/**
 * Changes made in Zendesk, as a page of the changes feed lib/sync/pull.ts
 * applies. Two ways to read them, and the cursor says which one is in use:
 *
 * - `export:<after_cursor>`: the cursor-based incremental ticket export
 *   (`/api/v2/incremental/tickets/cursor.json`), every ticket changed since;
 *   it needs an admin;
 * - `search:<ISO time>`: for an agent, whom the export refuses (403), the
 *   search API (`type:ticket updated>…`, oldest first).
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
    if (result.kind === 'response' && result.status === 403) return pullBySearch(api, io, `search:${since.toISOString()}`);
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

async function pullBySearch(api: ZendeskApi, io: HttpIo, cursor: string): Promise<PullResult> {
  const after = cursor.slice('search:'.length);
  const query = new URLSearchParams({ query: `type:ticket updated>${after}`, sort_by: 'updated_at', sort_order: 'asc' });
  const result = await api.request('GET', `/api/v2/search.json?${query}`);
  const refused = refusalOf(result, io.now());
  if (refused) return { ok: false, outcome: refused };
  const page = okJson(result) as { results?: unknown; next_page?: unknown } | undefined;
  if (!page || !Array.isArray(page.results)) return { ok: false, outcome: INVALID_RESPONSE };
  const tickets = page.results.slice(0, SEARCH_PAGE).filter((item) => (item as { result_type?: unknown })?.result_type === 'ticket');
  const last = tickets
    .map((item) => (item as { updated_at?: unknown }).updated_at)
    .filter((value): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value)))
    .sort((a, b) => Date.parse(a) - Date.parse(b))
    .at(-1);
  return {
    ok: true,
    page: { changes: changesOf(tickets), cursor: `search:${last ?? after}`, hasMore: typeof page.next_page === 'string' && !!last },
  };
}
