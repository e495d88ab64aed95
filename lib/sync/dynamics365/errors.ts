/**
 * A Dataverse answer → the engine's Outcome, with a status the agent can
 * read on the case. Dataverse errors carry `{"error":{"code","message"}}`
 * (learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors);
 * the code says more than the status: a 404 "Does Not Exist" is about one
 * row, not a wrong URL, and a duplicate key on a create is our own row,
 * already there.
 */
import { z } from 'zod';
import { retryAfterOf, type HttpResult } from '../http';
import { classify } from '../adapters/classify';
import type { Outcome } from '../adapters/types';

const ErrorBody = z.object({ error: z.object({ code: z.string().max(100), message: z.string().max(10_000).optional() }) });

/** Error codes Dataverse documents (hex as sent, and the SDK's decimal form). */
export const DATAVERSE_CODES = {
  /** "Cannot insert duplicate key" (-2147220937): a create whose primary key exists. */
  duplicateKey: ['0x80040237', '-2147220937'],
  /** "<table> With Id = <guid> Does Not Exist" (-2147220969). */
  doesNotExist: ['0x80040217', '-2147220969'],
  /** "The version of the existing record doesn't match the RowVersion property provided" (If-Match). */
  versionMismatch: ['0x80060882', '-2147088254'],
  /** Service protection: requests, execution time, concurrent requests. */
  serviceProtection: ['0x80072322', '-2147015902', '0x80072321', '-2147015903', '0x80072326', '-2147015898'],
  /** "Principal user is missing privilege" (-2147220960). */
  privilege: ['0x80040220', '-2147220960'],
} as const;

export type DataverseCode = keyof typeof DATAVERSE_CODES;

/** The `error.code` of an error answer (read with readErrorBody), lower-cased. */
export function errorCodeOf(result: HttpResult): string | undefined {
  if (result.kind !== 'response' || !result.body?.byteLength) return undefined;
  try {
    const parsed = ErrorBody.safeParse(JSON.parse(new TextDecoder().decode(result.body)));
    return parsed.success ? parsed.data.error.code.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

export function hasCode(result: HttpResult, which: DataverseCode): boolean {
  const code = errorCodeOf(result);
  return code !== undefined && (DATAVERSE_CODES[which] as readonly string[]).includes(code);
}

/** The Outcome of a refused or failed request (undefined for a 2xx). */
export function outcomeOf(result: HttpResult, now: number): Exclude<Outcome, { kind: 'ok' }> | undefined {
  if (result.kind !== 'response') return classify(result, now);
  const { status } = result;
  if (status >= 200 && status < 300) return undefined;
  const code = errorCodeOf(result);
  if (status === 404 && code !== undefined) {
    // A row named in the request is missing: this record's problem (its case deleted in D365, not there yet).
    return { kind: 'fatal', status, error: hasCode(result, 'doesNotExist') ? 'sync.d365.error.doesNotExist' : 'sync.d365.error.rejected', scope: 'record' };
  }
  if (status === 412) return { kind: 'conflict', status };
  if (status === 429 || status === 503) {
    return {
      kind: 'retry',
      status,
      error: status === 429 ? 'sync.error.rateLimited' : 'sync.error.server',
      retryAfterMs: retryAfterOf(result, now),
    };
  }
  if (status === 403 && hasCode(result, 'privilege')) return { kind: 'fatal', status, error: 'sync.d365.error.privilege', scope: 'backend' };
  if (status === 400 && code !== undefined) return { kind: 'fatal', status, error: 'sync.d365.error.rejected', scope: 'record' };
  return classify(result, now);
}
