/**
 * REST adapter (docs/sync-protocol.md): `PUT {base}/{cases|customers|notes}/{id}`
 * with the record as JSON, `PUT {base}/attachments/{id}` with the bytes,
 * `GET {base}/{collection}/{id}` for their version in a conflict and
 * `GET {base}/changes?since=<cursor>` for pulling.
 *
 * Optimistic concurrency: `If-Match: <etag>` when we know the record's ETag,
 * `If-None-Match: *` for a creation we have no ETag for; a backend that sends
 * no ETag gets unconditional updates (last write wins, documented).
 */
import { z } from 'zod';
import type { OutboxEntry } from '../../schema';
import { guardedRequest, isHtml, jsonBody, type HttpIo, type HttpResult } from '../http';
import type { RestSettings } from '../settings';
import { fingerprintOf } from '../fingerprint';
import { classify } from './classify';
import { ChangesPage, RemoteRecord, type Adapter, type AdapterFactory, type Outcome } from './types';

const COLLECTIONS: Record<string, string> = {
  case: 'cases',
  customer: 'customers',
  note: 'notes',
  attachment: 'attachments',
  followUp: 'follow-ups',
};

/** Changes that bring a record into being: sent with If-None-Match: * when we hold no ETag. */
const CREATIONS = new Set<string>(['case.created', 'customer.created', 'note.added', 'attachment.added', 'followUp.added']);

const PutReply = z.looseObject({
  version: z.number().int().nonnegative().optional(),
  etag: z.string().max(200).optional(),
});

/** An ETag is echoed back in If-Match: keep only a sane, printable one. */
function cleanEtag(value: string | null | undefined): string | undefined {
  if (!value || value.length > 200 || !/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(value)) return undefined;
  return value;
}

type Response2xx = Extract<HttpResult, { kind: 'response' }>;

function authHeaders(settings: RestSettings): Record<string, string> {
  return settings.auth.type === 'bearer'
    ? { Authorization: `Bearer ${settings.auth.token}` }
    : { [settings.auth.name]: settings.auth.key };
}

export const createRestAdapter: AdapterFactory<RestSettings> = (settings, io: HttpIo): Adapter => {
  const base = settings.url;
  const recordUrl = (entity: OutboxEntry['entity'], id: string) =>
    `${base}/${COLLECTIONS[entity] ?? `${entity}s`}/${encodeURIComponent(id)}`;
  const get = (url: string) =>
    guardedRequest(io, url, { method: 'GET', headers: { Accept: 'application/json', ...authHeaders(settings) } }, { readBody: true });

  function invalid(): Exclude<Outcome, { kind: 'ok' }> {
    return { kind: 'retry', error: 'sync.error.invalidResponse' };
  }

  async function pullChanges(cursor: string | undefined, limit?: number) {
    const query = new URLSearchParams({ since: cursor ?? '' });
    if (limit) query.set('limit', String(limit));
    const result = await get(`${base}/changes?${query}`);
    const refused = classify(result, io.now());
    if (refused) return { ok: false as const, outcome: refused };
    const page = ChangesPage.safeParse(jsonBody(result as Response2xx));
    return page.success ? { ok: true as const, page: page.data } : { ok: false as const, outcome: invalid() };
  }

  return {
    async deliver(entry, ctx) {
      const headers: Record<string, string> = {
        Accept: 'application/json',
        'Idempotency-Key': entry.idempotencyKey,
        'Sidecase-Event': entry.type,
        ...authHeaders(settings),
      };
      if (ctx.etag) headers['If-Match'] = ctx.etag;
      else if (CREATIONS.has(entry.type)) headers['If-None-Match'] = '*';

      let body: BodyInit | undefined;
      let method = 'PUT';
      if (entry.type.endsWith('.deleted')) {
        // A deletion: DELETE with the same preconditions; the backend answers 204, or 410 when it is already gone.
        method = 'DELETE';
        delete headers['If-None-Match'];
      } else if (entry.entity === 'attachment') {
        const blob = ctx.blob ?? (entry.data.blob instanceof Blob ? entry.data.blob : undefined);
        if (!blob) return { kind: 'fatal', error: 'sync.error.attachmentMissing', scope: 'record' };
        const type = typeof entry.data.type === 'string' && entry.data.type ? entry.data.type : blob.type;
        headers['Content-Type'] = type || 'application/octet-stream';
        if (typeof entry.data.name === 'string') headers['Sidecase-Name'] = encodeURIComponent(entry.data.name);
        if (typeof entry.data.caseId === 'string') headers['Sidecase-Case-Id'] = entry.data.caseId;
        body = blob;
      } else {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(entry.data);
      }

      const result = await guardedRequest(io, recordUrl(entry.entity, entry.entityId), { method, headers, body }, {
        readBody: true,
      });
      if (method === 'DELETE' && result.kind === 'response' && result.status === 410) return { kind: 'ok', status: 410 };
      const refused = classify(result, io.now());
      if (refused) return refused;
      const response = result as Response2xx;
      // A captive portal or a proxy answers "200 OK" with a login page: that is no confirmation.
      if (isHtml(response)) return invalid();
      const reply = PutReply.safeParse(jsonBody(response) ?? {});
      const version = reply.success ? reply.data.version : undefined;
      return {
        kind: 'ok',
        status: response.status,
        etag: cleanEtag(response.headers.get('etag')) ?? cleanEtag(reply.success ? reply.data.etag : undefined),
        version,
        ...(version === undefined && typeof body === 'string' && { echo: fingerprintOf(entry.data) }),
      };
    },

    async fetchRecord(entity, id) {
      const result = await get(recordUrl(entity, id));
      if (result.kind === 'response' && result.status === 404) return { ok: true, record: undefined };
      const refused = classify(result, io.now());
      if (refused) return { ok: false, outcome: refused };
      const response = result as Response2xx;
      const parsed = RemoteRecord.safeParse(jsonBody(response));
      if (!parsed.success || parsed.data.entity !== entity || parsed.data.id !== id) return { ok: false, outcome: invalid() };
      const etag = cleanEtag(response.headers.get('etag')) ?? cleanEtag(parsed.data.etag);
      return { ok: true, record: { ...parsed.data, etag } };
    },

    pullChanges: (cursor) => pullChanges(cursor),

    async testConnection() {
      const result = await pullChanges(undefined, 1);
      return result.ok ? { kind: 'ok', status: 200 } : result.outcome;
    },
  };
};
