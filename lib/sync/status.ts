/**
 * What the panel and the options page show about sync: the pending count and
 * last sync for the header, the status of one record for its case view, and
 * the delivery log.
 */
import { db as defaultDb, type SidecaseDb } from '../db/db';
import type { Delivery, SyncRecord } from '../schema';
import { LAST_SYNC_META_KEY, readSyncBlock } from './engine-state';
import type { Entity } from './records';

export interface SyncSummary {
  /** Changes not yet confirmed by the backend. */
  pending: number;
  lastSyncAt?: number;
  /** Records whose last delivery was refused. */
  errors: number;
  conflicts: number;
  /** Set when every delivery stopped (wrong token, wrong URL): the message key to show. */
  blocked?: string;
  /** The message key of the newest delivery when it failed (`sync.error.network`: will retry). */
  lastError?: string;
  /** Changes from the backend this database refused (`sync.pull.*`), and the first of them to name. */
  parked: number;
  firstParked?: ParkedChange;
  /** A file on its way to the backend for more than a moment (the oldest): what it is and since when. */
  uploading?: Upload;
}

/**
 * fetch() tells nothing of an upload's progress, so this is what there is to
 * say: which file, how big, on its way since when (http.ts gives it the time
 * its size needs at a slow link).
 */
export interface Upload {
  name: string;
  bytes: number;
  since: number;
}

export interface ParkedChange {
  entity: Entity;
  id: string;
  /** What names the record to the agent: a case's number, a customer's name; else its id. */
  label: string;
  /** Why it was refused: a `sync.pull.*` message key. */
  reason: string;
}

function parkedLabel(record: SyncRecord): string {
  const theirs = record.theirs ?? {};
  const label = record.entity === 'case' ? theirs.number : record.entity === 'customer' ? theirs.name : undefined;
  return typeof label === 'string' && label ? label : record.entityId;
}

export async function syncSummary(db: SidecaseDb = defaultDb): Promise<SyncSummary> {
  const [pending, failed, conflicts, last, block, newest, uploading] = await Promise.all([
    db.outbox.count(),
    // Refused records are few: read, not counted, to tell pulled ones apart.
    db.syncRecords.where('status').equals('error').toArray(),
    db.syncRecords.where('status').equals('conflict').count(),
    db.meta.get(LAST_SYNC_META_KEY),
    readSyncBlock(db),
    newestWaitingFailure(db),
    oldestUpload(db),
  ]);
  const parked = failed.filter((record) => record.error?.startsWith('sync.pull.'));
  const first = parked[0];
  return {
    pending,
    lastSyncAt: typeof last?.value === 'number' ? last.value : undefined,
    errors: failed.length,
    parked: parked.length,
    firstParked: first && { entity: first.entity, id: first.entityId, label: parkedLabel(first), reason: first.error! },
    conflicts,
    blocked: block?.error,
    lastError: newest,
    uploading,
  };
}

/** The attachment longest on its way (records are "syncing" only while their request is out). */
async function oldestUpload(db: SidecaseDb): Promise<Upload | undefined> {
  const sending = await db.syncRecords.where('status').equals('syncing').filter((record) => record.entity === 'attachment').toArray();
  const oldest = sending.sort((a, b) => (a.sendingSince ?? 0) - (b.sendingSince ?? 0))[0];
  if (!oldest) return undefined;
  const attachment = await db.attachments.get(oldest.entityId);
  return attachment && { name: attachment.name, bytes: attachment.size, since: oldest.sendingSince ?? Date.now() };
}

/**
 * The newest failure among the last deliveries whose change still waits: a
 * failure of a change delivered since is history, not a problem to show.
 * Reads a few rows, not the outbox: this runs on every change the panel sees.
 */
async function newestWaitingFailure(db: SidecaseDb): Promise<string | undefined> {
  const failed = (await db.deliveries.reverse().limit(20).toArray()).filter((row) => !row.ok);
  if (failed.length === 0) return undefined;
  const waiting = await db.outbox.bulkGet(failed.map((row) => row.outboxId));
  return failed.find((_, i) => waiting[i] !== undefined)?.error;
}

export interface RecordSyncStatus {
  status: SyncRecord['status'];
  /** Message key of the last failure (`sync.error.network`: will retry). */
  error?: string;
  /** A conflict can be resolved with "Load their version". */
  hasTheirs: boolean;
  /** The backend's own id of the record (a Zendesk ticket id). */
  remoteId?: string;
}

export async function recordSyncStatus(entity: Entity, id: string, db: SidecaseDb = defaultDb): Promise<RecordSyncStatus> {
  const sync = await db.syncRecords.get([entity, id]);
  if (!sync) return { status: 'local', hasTheirs: false };
  return { status: sync.status, error: sync.error, hasTheirs: sync.theirs !== undefined, remoteId: sync.remoteId };
}

/** The options page's delivery log, newest first. */
export async function recentDeliveries(limit = 100, db: SidecaseDb = defaultDb): Promise<Delivery[]> {
  return db.deliveries.reverse().limit(limit).toArray();
}

export interface DeliveryLogRow extends Delivery {
  /** A failed attempt whose change still waits in the outbox, and the newest attempt of it: offer "Retry". */
  canRetry: boolean;
}

/** The delivery log with "Retry" where it helps: once per waiting change, on its newest failed attempt. */
export async function deliveryLog(limit = 100, db: SidecaseDb = defaultDb): Promise<DeliveryLogRow[]> {
  const rows = await recentDeliveries(limit, db);
  const failedIds = [...new Set(rows.filter((row) => !row.ok).map((row) => row.outboxId))];
  const waiting = await db.outbox.bulkGet(failedIds);
  const retryable = new Set(failedIds.filter((_, i) => waiting[i] !== undefined));
  const seen = new Set<string>();
  return rows.map((row) => {
    const newestOfEntry = !seen.has(row.outboxId);
    seen.add(row.outboxId);
    return { ...row, canRetry: !row.ok && newestOfEntry && retryable.has(row.outboxId) };
  });
}
