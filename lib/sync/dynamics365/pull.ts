/**
 * Changes made in Dynamics 365 come back: change tracking on `incidents`
 * (`Prefer: odata.track-changes`; the `@odata.deltaLink` is the cursor,
 * learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems),
 * or, where the organisation has change tracking off for the table (the
 * answer carries no `Preference-Applied: odata.track-changes`), rows with
 * `modifiedon gt <last>`.
 *
 * Only incidents this install made come back as changes: an incident's id is
 * its case's ULID (guid.ts), so a row with no local case is someone else's
 * case and is left in Dynamics 365. A deleted row (`$deletedEntity` with
 * `reason: "deleted"`) of one of ours marks its case "Deleted in Dynamics
 * 365" (deleted.ts): the case stays, its changes are held until the agent
 * re-creates it.
 */
import type { SidecaseDb } from '../../db/db';
import type { ChangesPage, PullResult, RemoteRecord } from '../adapters/types';
import type { DataverseClient } from './client';
import { outcomeOf } from './errors';
import { GUID, ulidOf } from './guid';
import { markIncidentDeleted } from './deleted';
import { caseFromIncident, versionOfEtag, type IncidentRow, type OriginCodes } from './mapping';
import { jsonBody } from '../http';

const COLUMNS = 'title,description,prioritycode,caseorigincode,statecode,statuscode,modifiedon';
const PAGE_SIZE = 500;
const MODIFIED_PREFIX = 'modifiedon:';

interface DeltaAnswer {
  value?: Array<IncidentRow & { id?: string; reason?: string; '@odata.context'?: string }>;
  '@odata.deltaLink'?: string;
  '@odata.nextLink'?: string;
}

/** A link the service sent is followed only on the organisation's own origin. */
function sameOrigin(link: string, base: string): boolean {
  try {
    return new URL(link).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

export async function pullIncidentChanges(
  client: DataverseClient,
  db: SidecaseDb,
  cursor: string | undefined,
  { now, originCodes }: { now: () => number; originCodes?: OriginCodes },
): Promise<PullResult> {
  const byModified = cursor?.startsWith(MODIFIED_PREFIX);
  const since = byModified ? cursor!.slice(MODIFIED_PREFIX.length) : undefined;
  const url = byModified
    ? `/incidents?$select=${COLUMNS}&$filter=modifiedon gt ${encodeURIComponent(since!)}&$orderby=modifiedon asc&$top=${PAGE_SIZE}`
    : cursor && sameOrigin(cursor, client.base)
      ? cursor
      : `/incidents?$select=${COLUMNS}`;
  const headers: Record<string, string> = byModified ? {} : { Prefer: `odata.track-changes,odata.maxpagesize=${PAGE_SIZE}` };
  const sent = await client.request('GET', url, { headers });
  if (!sent.ok) return { ok: false, outcome: sent.outcome };
  const { result } = sent;
  const refused = outcomeOf(result, now());
  if (result.kind !== 'response' || refused) {
    // Change tracking off for incidents: Dataverse refuses the preference; poll by modifiedon from now on.
    if (!byModified && result.kind === 'response' && result.status === 400) {
      return { ok: true, page: { changes: [], cursor: `${MODIFIED_PREFIX}${new Date(now()).toISOString()}`, hasMore: false } };
    }
    return { ok: false, outcome: refused ?? { kind: 'retry', error: 'sync.error.invalidResponse' } };
  }
  const answer = jsonBody(result) as DeltaAnswer | undefined;
  if (!answer || !Array.isArray(answer.value)) return { ok: false, outcome: { kind: 'retry', error: 'sync.error.invalidResponse' } };
  const tracked = /odata\.track-changes/i.test(result.headers.get('preference-applied') ?? '');

  const isDeletedRow = (row: (typeof answer.value)[number]) => String(row['@odata.context'] ?? '').includes('$deletedEntity');
  const rows = answer.value.filter((row) => typeof row.incidentid === 'string' && !isDeletedRow(row));
  // Deleted rows: `reason` is `deleted` (destroyed); `changed` (left the result set) does not occur without a $filter.
  const gone = answer.value
    .filter((row) => isDeletedRow(row) && row.reason === 'deleted' && typeof row.id === 'string' && GUID.test(row.id))
    .map((row) => ulidOf(row.id!));
  const goneLocals = await db.cases.bulkGet(gone);
  for (const [i, local] of goneLocals.entries()) if (local) await markIncidentDeleted(db, gone[i]!);
  const ids = rows.map((row) => ulidOf(row.incidentid));
  const locals = await db.cases.bulkGet(ids);
  const changes: RemoteRecord[] = [];
  rows.forEach((row, i) => {
    const local = locals[i];
    if (!local) return;
    const etag = row['@odata.etag'];
    changes.push({ entity: 'case', id: ids[i]!, etag, version: versionOfEtag(etag) ?? Number(row.versionnumber ?? 0), data: caseFromIncident(local, row, originCodes) });
  });

  let page: ChangesPage;
  if (byModified || !tracked) {
    const last = rows.map((row) => row.modifiedon).filter((value): value is string => typeof value === 'string').sort().at(-1);
    page = {
      changes,
      cursor: `${MODIFIED_PREFIX}${last ?? since ?? new Date(now()).toISOString()}`,
      hasMore: answer.value.length >= PAGE_SIZE,
    };
  } else {
    const next = answer['@odata.nextLink'];
    const delta = answer['@odata.deltaLink'];
    if (next && sameOrigin(next, client.base)) page = { changes, cursor: next, hasMore: true };
    else if (delta && sameOrigin(delta, client.base)) page = { changes, cursor: delta, hasMore: false };
    else return { ok: false, outcome: { kind: 'retry', error: 'sync.error.invalidResponse' } };
  }
  return { ok: true, page };
}
