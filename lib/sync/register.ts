/**
 * Wiring for background.ts: when to sync. An alarm every minute (MV3 service
 * workers sleep; alarms wake them), at browser start and install, when the
 * browser comes back online, and shortly after every write (`nudgeSync`).
 * With no backend configured every trigger returns at once.
 *
 * Needs the "alarms" permission in the manifest.
 */
import { browser } from 'wxt/browser';
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { SidecaseError } from '../errors';
import { drainOutbox, type DrainResult } from './engine';
import { PARKED } from './engine-state';
import { pullChanges, type PullResult } from './pull';
import { loadBackendSettings } from './settings';

export const SYNC_ALARM = 'sidecase-sync';
export const SYNC_PERIOD_MINUTES = 1;
export const NUDGE_DELAY_MS = 500;

export interface SyncRun {
  drain: DrainResult;
  pull?: PullResult;
}

const PULLING_KINDS = new Set<string>(['rest', 'zendesk', 'dynamics365']);

/** Deliver, then pull. `force` is the agent's "Sync now": it lifts a 401/404 block and retries parked entries. */
export async function runSync({ force = false }: { force?: boolean } = {}): Promise<SyncRun> {
  const startedAt = Date.now();
  const settings = await loadBackendSettings();
  const drain = await drainOutbox({ settings, force });
  // Pull after delivering, so our own changes come back as echoes, not conflicts.
  // Every backend with a changes feed pulls; a webhook has none.
  const pull = PULLING_KINDS.has(settings.kind) && !drain.blocked ? await pullChanges({ settings }) : undefined;
  // Also after a drain that found nothing due: a change in backoff (a restart, a nudge too early) must not wait for the alarm.
  if (!drain.blocked && settings.kind !== 'none') await scheduleFollowUp(startedAt);
  return { drain, pull };
}

/**
 * A change in backoff for a few seconds is tried again by a timer, not only
 * at the next alarm a minute later. Longer waits are left to the alarm: an
 * idle MV3 worker is stopped after about 30 seconds and its timers with it.
 */
export const FOLLOW_UP_MAX_MS = 25_000;

async function scheduleFollowUp(since: number, db: SidecaseDb = defaultDb): Promise<void> {
  // From the run's start, not from now: a backoff shorter than the run (the pull after the
  // drain takes a while) is already due and would otherwise wait for the alarm. Older
  // due entries are held on purpose (behind a conflict or a failed head): no busy loop.
  const next = await db.outbox.where('nextAttemptAt').between(since, PARKED, true, false).first();
  if (!next) return;
  const wait = Math.max(0, next.nextAttemptAt - Date.now());
  if (wait <= FOLLOW_UP_MAX_MS) nudgeSync(wait + 50);
}

/** The "Sync now" button (through a message to the background). */
export function syncNow(): Promise<SyncRun> {
  return runSync({ force: true });
}

function runQuietly(): void {
  runSync().catch((error: unknown) => {
    // Only the message key or the error's name: a message might quote a URL; credentials never reach here.
    console.warn('[sidecase] sync failed:', error instanceof SidecaseError ? error.key : (error as Error)?.name);
  });
}

let nudgeTimer: ReturnType<typeof setTimeout> | undefined;

/** Call after each write: many writes in a burst make one sync. */
export function nudgeSync(delayMs = NUDGE_DELAY_MS): void {
  if (nudgeTimer !== undefined) clearTimeout(nudgeTimer);
  nudgeTimer = setTimeout(() => {
    nudgeTimer = undefined;
    runQuietly();
  }, delayMs);
}

export function registerSync(): void {
  void browser.alarms.create(SYNC_ALARM, { periodInMinutes: SYNC_PERIOD_MINUTES });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM) runQuietly();
  });
  browser.runtime.onStartup.addListener(runQuietly);
  browser.runtime.onInstalled.addListener(runQuietly);
  // The worker's global: 'online' fires when the network returns.
  globalThis.addEventListener?.('online', runQuietly);
  // The worker just woke (an alarm, a message): catch up with what was written while it slept.
  runQuietly();
}
