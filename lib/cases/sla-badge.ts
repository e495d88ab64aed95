/**
 * The toolbar badge: how many active cases are near an SLA breach (empty at 0).
 * Registered by the background. It recounts on start-up, when the database
 * changes (a liveQuery: Dexie tells every context of the extension about
 * writes), when the SLA targets change, and once a minute on an alarm,
 * because a case drifts into "near breach" with time alone, no write needed.
 *
 * The count reads one index range (sla-alerts.ts), never the whole table.
 */
import { liveQuery } from 'dexie';
import { browser } from 'wxt/browser';
import { db as defaultDb, type SidecaseDb } from '../db/db';
import { DEFAULT_CASE_SETTINGS, loadCaseSettings, watchCaseSettings, type CaseSettings } from './case-settings';
import { countNearBreach } from './sla-alerts';

export const SLA_BADGE_ALARM = 'sidecase-sla-badge';
const PERIOD_MINUTES = 1;

/** The badge text for a count: nothing at all when no case is near breach. */
export function slaBadgeText(count: number): string {
  if (count <= 0) return '';
  return count > 999 ? '999+' : String(count);
}

type ActionApi = { setBadgeText(details: { text: string }): Promise<void>; setBadgeBackgroundColor?(details: { color: string }): Promise<void> };

/** Chrome MV3 has `action`, Firefox's MV2 build `browserAction`. */
function actionApi(): ActionApi | undefined {
  const api = browser as unknown as { action?: ActionApi; browserAction?: ActionApi };
  return api.action ?? api.browserAction;
}

export function registerSlaBadge(options: { db?: SidecaseDb } = {}): void {
  const db = options.db ?? defaultDb;
  let settings: CaseSettings = DEFAULT_CASE_SETTINGS;
  let shown: string | undefined;
  const report = (error: unknown) => console.error('SLA badge not updated', error);

  const show = async (count: number) => {
    const text = slaBadgeText(count);
    if (text === shown) return;
    shown = text;
    const action = actionApi();
    await action?.setBadgeBackgroundColor?.({ color: '#a35200' });
    await action?.setBadgeText({ text });
  };
  const recount = () => countNearBreach(db, Date.now(), settings.sla).then(show).catch(report);

  // Listeners first and synchronously: a service worker woken by the alarm
  // must find its listener registered in the first turn.
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SLA_BADGE_ALARM) void recount();
  });
  void browser.alarms.create(SLA_BADGE_ALARM, { periodInMinutes: PERIOD_MINUTES });
  watchCaseSettings((next) => {
    settings = next;
    void recount();
  });

  void loadCaseSettings()
    .then((loaded) => {
      settings = loaded;
      // Database changes: the query re-runs when a case in the range it read
      // changes. Only Dexie calls inside, so Dexie can track what it read.
      liveQuery(() => countNearBreach(db, Date.now(), settings.sla)).subscribe({
        next: (count) => void show(count).catch(report),
        error: report,
      });
    })
    .catch(report);
}
