/**
 * pullChanges: reads the backend's changes feed after the stored cursor and
 * applies it locally, WITHOUT outbox entries (they came from the backend; an
 * echo back would loop). A record with unsent local changes is never
 * overwritten: it is marked conflicted with their version kept beside it.
 * The cursor moves in the same transaction as the page's records, so a crash
 * re-reads the page (applying a change twice is harmless: versions are checked).
 * A change this database refuses is parked with its reason, never a reason to
 * stop: the cursor moves past it.
 * A change equal to one we still hold unconfirmed is our own echo, not a
 * conflict (its answer was lost; the entry's retry confirms it).
 */
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { isQuotaError } from '../errors';
import { Id } from '../schema';
import { createAdapter } from './adapters';
import type { ChangesPage } from './adapters/types';
import type { SyncIo } from './engine';
import { CURSOR_META_KEY, markSyncRowsChanged } from './engine-state';
import { fingerprintOf, sameData } from './fingerprint';
import { storePulledRecord, tableOf, toLocalRecord } from './records';

export interface PullResult {
  applied: number;
  conflicts: number;
  skipped: number;
  /** Changes this database refused (an invalid record, a case number already used here): kept visible, the cursor moved on. */
  parked: number;
  /** Message key when the feed could not be read; the cursor stays where it was. */
  error?: string;
}

export interface PullOptions extends SyncIo {
  /** Pages read per call at most, so one pull cannot run for ever. */
  maxPages?: number;
}

export async function pullChanges(options: PullOptions): Promise<PullResult> {
  const db = options.db ?? defaultDb;
  const now = options.now ?? Date.now;
  const result: PullResult = emptyCounts();
  const adapter = createAdapter(options.settings, {
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    now,
    timeoutMs: options.timeoutMs,
  }, db);
  if (!adapter?.pullChanges) return result;

  for (let page = 0; page < (options.maxPages ?? 20); page++) {
    const row = await db.meta.get(CURSOR_META_KEY);
    const cursor = typeof row?.value === 'string' ? row.value : undefined;
    const answer = await adapter.pullChanges(cursor);
    if (!answer.ok) return { ...result, error: answer.outcome.kind === 'conflict' ? 'sync.error.rejected' : answer.outcome.error };
    await applyPage(db, answer.page, now(), result);
    if (!answer.page.hasMore || answer.page.changes.length === 0) break;
  }
  return result;
}

type Change = ChangesPage['changes'][number];
const PULL_TABLES = (db: SidecaseDb) => [db.cases, db.customers, db.notes, db.syncRecords, db.outbox, db.meta];

/**
 * One page: all its changes and the cursor in one transaction. When that
 * fails for a reason other than a full disk (a change this database refuses),
 * the page is applied again one change at a time, the refused change parked
 * with its reason, and the cursor moves on: one bad record must not stop
 * every later pull.
 */
async function applyPage(db: SidecaseDb, page: ChangesPage, now: number, result: PullResult): Promise<void> {
  const counts = pageCounts();
  try {
    await db.transaction('rw', PULL_TABLES(db), async () => {
      for (const change of page.changes) await applyChange(db, change, now, counts);
      if (writesRows(counts)) await markSyncRowsChanged(db);
      await db.meta.put({ key: CURSOR_META_KEY, value: page.cursor });
    });
    addCounts(result, counts);
    return;
  } catch (error) {
    if (isQuotaError(error)) throw error;
    console.warn('[sidecase] a pulled page was refused; applying it change by change', (error as Error)?.name);
  }
  for (const change of page.changes) {
    const one = pageCounts();
    try {
      // An async scope, not one returning applyChange's promise: Dexie then keeps
      // the transaction open across its awaits (else PrematureCommitError).
      await db.transaction('rw', PULL_TABLES(db), async () => {
        await applyChange(db, change, now, one);
        if (writesRows(one)) await markSyncRowsChanged(db);
      });
      addCounts(result, one);
    } catch (error) {
      if (isQuotaError(error)) throw error;
      await db.transaction('rw', [db.syncRecords, db.meta], async () => {
        await parkChange(db, change, 'sync.pull.refused');
        await markSyncRowsChanged(db);
      });
      result.parked += 1;
    }
  }
  await db.meta.put({ key: CURSOR_META_KEY, value: page.cursor });
}

const emptyCounts = (): PullResult => ({ applied: 0, conflicts: 0, skipped: 0, parked: 0 });
/** What the changes of one page (or one change) did; `echoes` only decides the rows' mark. */
interface PageCounts extends PullResult {
  /** Skipped as our own change known by its fingerprint, its sync row given the feed's version. */
  echoes: number;
}
const pageCounts = (): PageCounts => ({ ...emptyCounts(), echoes: 0 });
/** A change applied, conflicted, parked or known as our echo wrote its sync row; any other one skipped did not. */
const writesRows = (counts: PageCounts) => counts.applied + counts.conflicts + counts.parked + counts.echoes > 0;
function addCounts(into: PullResult, from: PullResult): void {
  into.applied += from.applied;
  into.conflicts += from.conflicts;
  into.skipped += from.skipped;
  into.parked += from.parked;
}

/**
 * A change this database cannot take, kept visible: the record's sync status
 * says why (the header counts it, naming the record), until a later version
 * of it applies.
 */
async function parkChange(db: SidecaseDb, change: Change, reason: string, record?: Record<string, unknown>): Promise<void> {
  const sync = await db.syncRecords.get([change.entity, change.id]);
  await db.syncRecords.put({
    ...(sync ?? { entity: change.entity, entityId: change.id }),
    status: 'error',
    error: reason,
    // Only a record that passed its schema is kept to show; invalid data is not stored.
    theirs: record,
  });
}

async function applyChange(db: SidecaseDb, change: Change, now: number, result: PageCounts): Promise<void> {
  const table = tableOf(db, change.entity);
  if (!table || !Id.safeParse(change.id).success) {
    result.skipped += 1;
    return;
  }
  const key: [string, string] = [change.entity, change.id];
  const sync = await db.syncRecords.get(key);
  // Our own change echoed back, or one we already hold.
  if (sync?.remoteVersion !== undefined && change.version <= sync.remoteVersion) {
    result.skipped += 1;
    return;
  }
  // A backend that sends only what changed (Zendesk) merges it over the local record.
  let data = change.data;
  if (change.merge) {
    const local = await table.get(change.id);
    const merged = local ? change.merge(local as unknown as Record<string, unknown>) : undefined;
    if (!merged) {
      result.skipped += 1;
      return;
    }
    data = merged;
  }
  const record = await toLocalRecord(db, change.entity, change.id, data);
  if (!record) {
    result.skipped += 1;
    result.parked += 1;
    await parkChange(db, change, 'sync.pull.invalid');
    return;
  }
  // Case numbers are unique here: another case already holding this one (two
  // installs that drew the same suffix) would make the write fail.
  if (change.entity === 'case') {
    const holder = await db.cases.where('number').equals(record.number as string).first();
    if (holder && holder.id !== change.id) {
      result.parked += 1;
      await parkChange(db, change, 'sync.pull.numberTaken', record);
      return;
    }
  }
  // Our own change, confirmed by an answer that gave no version (no ETag): the feed shows
  // exactly what we sent. Not theirs, even if the agent has changed the record since; the
  // row takes the version and ETag the feed gives it, for the next change's If-Match.
  if (sync?.echo !== undefined && sync.status !== 'conflict' && sync.echo === fingerprintOf(data)) {
    await db.syncRecords.put({ ...sync, echo: undefined, etag: change.etag ?? sync.etag, remoteVersion: change.version });
    result.skipped += 1;
    result.echoes += 1;
    return;
  }
  const pending = await db.outbox.where('[entity+entityId]').equals(key).toArray();
  // Our own change, applied by the backend but its answer lost (a timeout, a killed
  // worker): the feed shows exactly what we sent. Not a conflict; the entry is sent
  // again and confirmed through its Idempotency-Key.
  if (sync?.status !== 'conflict' && pending.some((entry) => sameData(entry.data, data))) {
    result.skipped += 1;
    return;
  }
  if (pending.length > 0 || sync?.status === 'conflict') {
    await db.syncRecords.put({
      ...(sync ?? { entity: change.entity, entityId: change.id }),
      status: 'conflict',
      error: undefined,
      theirs: record,
      etag: change.etag ?? sync?.etag,
      remoteVersion: change.version,
    });
    result.conflicts += 1;
    return;
  }
  await storePulledRecord(db, change.entity, record);
  await db.syncRecords.put({
    entity: change.entity,
    entityId: change.id,
    status: 'synced',
    etag: change.etag,
    remoteVersion: change.version,
    lastSyncedAt: now,
    remoteId: sync?.remoteId,
  });
  result.applied += 1;
}
