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

async function readHeader(db: SidecaseDb): Promise<SyncHeaderState> {
  const [settings, summary] = await Promise.all([loadBackendSettings(db), syncSummary(db)]);
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
