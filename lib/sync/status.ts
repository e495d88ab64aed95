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
}

export async function syncSummary(db: SidecaseDb = defaultDb): Promise<SyncSummary> {
  const [pending, errors, conflicts, last, block] = await Promise.all([
    db.outbox.count(),
    db.syncRecords.where('status').equals('error').count(),
    db.syncRecords.where('status').equals('conflict').count(),
    db.meta.get(LAST_SYNC_META_KEY),
    readSyncBlock(db),
  ]);
  return {
    pending,
    lastSyncAt: typeof last?.value === 'number' ? last.value : undefined,
    errors,
    conflicts,
    blocked: block?.error,
  };
}

export interface RecordSyncStatus {
  status: SyncRecord['status'];
  /** Message key of the last failure (`sync.error.network`: will retry). */
  error?: string;
  /** A conflict can be resolved with "Load their version". */
  hasTheirs: boolean;
}

export async function recordSyncStatus(entity: Entity, id: string, db: SidecaseDb = defaultDb): Promise<RecordSyncStatus> {
  const sync = await db.syncRecords.get([entity, id]);
  if (!sync) return { status: 'local', hasTheirs: false };
  return { status: sync.status, error: sync.error, hasTheirs: sync.theirs !== undefined };
}

/** The options page's delivery log, newest first. */
export async function recentDeliveries(limit = 100, db: SidecaseDb = defaultDb): Promise<Delivery[]> {
  return db.deliveries.reverse().limit(limit).toArray();
}
