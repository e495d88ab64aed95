/**
 * Wiring for background.ts: when to sync. An alarm every minute (MV3 service
 * workers sleep; alarms wake them), at browser start and install, when the
 * browser comes back online, and shortly after every write (`nudgeSync`).
 * With no backend configured every trigger returns at once.
 *
 * Needs the "alarms" permission in the manifest.
 */
import { browser } from 'wxt/browser';
import { SidecaseError } from '../errors';
import { drainOutbox, type DrainResult } from './engine';
import { pullChanges, type PullResult } from './pull';
import { loadBackendSettings } from './settings';

export const SYNC_ALARM = 'sidecase-sync';
export const SYNC_PERIOD_MINUTES = 1;
export const NUDGE_DELAY_MS = 500;

export interface SyncRun {
  drain: DrainResult;
  pull?: PullResult;
}

/** Deliver, then pull. `force` is the agent's "Sync now": it lifts a 401/404 block and retries parked entries. */
export async function runSync({ force = false }: { force?: boolean } = {}): Promise<SyncRun> {
  const settings = await loadBackendSettings();
  const drain = await drainOutbox({ settings, force });
  // Pull after delivering, so our own changes come back as echoes, not conflicts.
  const pull = settings.kind === 'rest' && !drain.blocked ? await pullChanges({ settings }) : undefined;
  return { drain, pull };
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
