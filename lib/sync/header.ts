/**
 * What the panel header watches, loaded lazily by components/SyncStatus.tsx
 * so the panel's first paint carries neither Dexie nor zod.
 *
 * Besides reporting, it nudges the background each time the outbox grows: a
 * write in the panel is pushed right away instead of at the next alarm. The
 * drain itself runs only in the background.
 */
import { liveQuery } from 'dexie';
import { db as defaultDb, type SidecaseDb } from '../db/db';
import type { BackendSettings } from './settings';
import { loadBackendSettings } from './settings';
import { sendMessage, type MessageReply } from '../messages';
import { syncSummary, type SyncSummary } from './status';

export interface SyncHeaderState {
  kind: BackendSettings['kind'];
  summary: SyncSummary;
}

/** Without a backend the header shows nothing, and there is nothing to count. */
const NOTHING_TO_SYNC: SyncSummary = { pending: 0, errors: 0, conflicts: 0, parked: 0 };

/**
 * The settings first: without a backend (the default) the live query watches
 * the settings row alone, not the outbox every save writes to. With one, the
 * summary's reads share one read transaction: a save that follows waits for
 * each read transaction still open on its tables, and the summary's seven
 * reads were seven of them.
 */
async function readHeader(db: SidecaseDb): Promise<SyncHeaderState> {
  const settings = await loadBackendSettings(db);
  if (settings.kind === 'none') return { kind: 'none', summary: NOTHING_TO_SYNC };
  const summary = await db.transaction('r', [db.outbox, db.syncRecords, db.meta, db.deliveries], () => syncSummary(db));
  return { kind: settings.kind, summary };
}

/** Calls `onChange` with every new state; returns the unsubscribe. */
export function watchSyncHeader(
  onChange: (state: SyncHeaderState) => void,
  { db = defaultDb, nudge = () => void sendMessage('sync.nudge', {}) }: { db?: SidecaseDb; nudge?: () => void } = {},
): () => void {
  let previousPending: number | undefined;
  const subscription = liveQuery(() => readHeader(db)).subscribe({
    next: (state) => {
      const grew = previousPending === undefined ? state.summary.pending > 0 : state.summary.pending > previousPending;
      previousPending = state.summary.pending;
      if (grew && state.kind !== 'none') nudge();
      onChange(state);
    },
    error: (error: unknown) => console.warn('[sidecase] sync status failed', (error as Error)?.name),
  });
  return () => subscription.unsubscribe();
}

/** The header's "Sync now". */
export function requestSyncNow(): Promise<MessageReply<'sync.now'>> {
  return sendMessage('sync.now', {});
}
