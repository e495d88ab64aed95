/**
 * Rows of the Web API, written so that a retry is safe: a create carries its
 * id and reads a duplicate-key refusal as "already there"; an update carries
 * If-Match and reads a 412 on a row that already holds its values as its own
 * earlier try; a delete of a missing row is done.
 */
import { jsonBody, type HttpResult } from '../http';
import type { Outcome } from '../adapters/types';
import type { DataverseClient } from './client';
import { hasCode, outcomeOf } from './errors';
import { versionOfEtag } from './mapping';

export type Refusal = Exclude<Outcome, { kind: 'ok' }>;
type Response = Extract<HttpResult, { kind: 'response' }>;

export const SET_OF = { contacts: 'contactid', accounts: 'accountid', incidents: 'incidentid', annotations: 'annotationid' } as const;
export type EntitySet = keyof typeof SET_OF;

/** An OData string literal: single quotes doubled, then URL-encoded. */
export function odataString(value: string): string {
  return encodeURIComponent(`'${value.replace(/'/g, "''")}'`);
}

export function etagOf(response: Response): string | undefined {
  const body = jsonBody(response) as { '@odata.etag'?: unknown } | undefined;
  const etag = typeof body?.['@odata.etag'] === 'string' ? body['@odata.etag'] : response.headers.get('etag');
  return etag && etag.length <= 200 && /^[\x21-\x7e]+$/.test(etag) ? etag : undefined;
}

export function ok(response: Response, remoteId?: string): Outcome {
  const etag = etagOf(response);
  return { kind: 'ok', status: response.status, etag, version: versionOfEtag(etag), remoteId };
}

export function createRows(client: DataverseClient, now: () => number) {
  const refusal = (result: HttpResult): Refusal => outcomeOf(result, now()) ?? { kind: 'retry', error: 'sync.error.invalidResponse' };

  /** First row's id of a filtered query, or undefined. */
  async function findId(set: string, idColumn: string, filter: string): Promise<{ id?: string; etag?: string } | Refusal> {
    const { sent, json } = await client.getJson(`/${set}?$select=${idColumn}&$filter=${filter}&$top=1`);
    if (!sent.ok) return sent.outcome;
    if (sent.result.kind !== 'response' || sent.result.status !== 200) return refusal(sent.result);
    const rows = (json as { value?: Array<Record<string, unknown>> } | undefined)?.value;
    if (!Array.isArray(rows)) return { kind: 'retry', error: 'sync.error.invalidResponse' };
    const row = rows[0];
    return { id: typeof row?.[idColumn] === 'string' ? (row[idColumn] as string) : undefined, etag: row?.['@odata.etag'] as string | undefined };
  }

  /**
   * POST a row with its id; a duplicate-key refusal means our earlier try got
   * through, and its current ETag is read back. Answers 201 with the row's ETag.
   */
  async function createRow(set: EntitySet, id: string, body: Record<string, unknown>): Promise<Outcome> {
    const sent = await client.request('POST', `/${set}?$select=${SET_OF[set]}`, { body, headers: { Prefer: 'return=representation' } });
    if (!sent.ok) return sent.outcome;
    const { result } = sent;
    if (result.kind === 'response' && result.status >= 200 && result.status < 300) return ok(result, id);
    if (hasCode(result, 'duplicateKey') || (result.kind === 'response' && result.status === 412)) {
      const again = await client.request('GET', `/${set}(${id})?$select=${SET_OF[set]}`);
      if (!again.ok) return again.outcome;
      if (again.result.kind === 'response' && again.result.status === 200) return ok(again.result, id);
      return refusal(again.result);
    }
    return refusal(result);
  }

  /** PATCH an existing row: If-Match its ETag, or `*` so that a missing row is a 404, not a new row (PATCH is an upsert). */
  async function updateRow(set: EntitySet, id: string, body: Record<string, unknown>, etag: string | undefined): Promise<Outcome> {
    const sent = await client.request('PATCH', `/${set}(${id})?$select=${SET_OF[set]}`, {
      body,
      headers: { 'If-Match': etag ?? '*', Prefer: 'return=representation' },
    });
    if (!sent.ok) return sent.outcome;
    if (sent.result.kind === 'response' && sent.result.status >= 200 && sent.result.status < 300) return ok(sent.result, id);
    if (sent.result.kind === 'response' && sent.result.status === 412) return (await ownEcho(set, id, body)) ?? refusal(sent.result);
    return refusal(sent.result);
  }

  /**
   * A 412 after a try whose answer was lost: the row changed because our own
   * earlier try got through. When the row holds every value we send, the
   * change is done (its ETag is read back); otherwise someone else changed it.
   */
  async function ownEcho(set: EntitySet, id: string, body: Record<string, unknown>): Promise<Outcome | undefined> {
    const columns = Object.keys(body).map((key) => (key.endsWith('@odata.bind') ? `_${key.replace('@odata.bind', '')}_value` : key));
    const read = await client.request('GET', `/${set}(${id})?$select=${columns.join(',')}`);
    if (!read.ok || read.result.kind !== 'response' || read.result.status !== 200) return undefined;
    const row = jsonBody(read.result) as Record<string, unknown> | undefined;
    if (!row) return undefined;
    const same = Object.entries(body).every(([key, value]) => {
      if (!key.endsWith('@odata.bind')) return row[key] === value;
      const bound = /\(([0-9a-f-]{36})\)/i.exec(String(value))?.[1]?.toLowerCase();
      return String(row[`_${key.replace('@odata.bind', '')}_value`] ?? '').toLowerCase() === bound;
    });
    return same ? ok(read.result, id) : undefined;
  }

  async function deleteRow(set: EntitySet, id: string): Promise<Outcome> {
    const sent = await client.request('DELETE', `/${set}(${id})`);
    if (!sent.ok) return sent.outcome;
    // Gone already (deleted in D365, or our earlier try whose answer was lost): what was asked for is so.
    if (sent.result.kind === 'response' && (sent.result.status === 204 || sent.result.status === 404)) return { kind: 'ok', status: sent.result.status };
    return refusal(sent.result);
  }

  return { refusal, findId, createRow, updateRow, deleteRow, ok };
}
