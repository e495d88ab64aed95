/**
 * How many active cases are near an SLA breach, and how many breached: the
 * toolbar badge's counts. Each reads one index range, `[state+slaDueAt]`,
 * never the whole table. Apart from sla.ts, which stays free of the database
 * (the schema migration imports it).
 */
import Dexie from 'dexie';
import type { SidecaseDb } from '../db/db';
import { PRIORITIES } from '../schema';
import { DEFAULT_SLA_TARGETS, MINUTE, NEAR_BREACH_FRACTION, slaStatus, type SlaTargets } from './sla';

/** The longest near-breach window of any target: how far ahead of now the badge query has to look. */
function widestWindowMs(targets: SlaTargets): number {
  return Math.max(...PRIORITIES.map((p) => targets[p].resolve * MINUTE * NEAR_BREACH_FRACTION));
}

/**
 * Active cases near breach (the toolbar badge) and breached. `slaDueAt` is a
 * case's next running deadline, so a case is breached exactly when it is
 * before now (counted on the index, no record read), and can only be near
 * breach when it falls between now and now + the widest window (only those
 * records are read, through `[state+slaDueAt]`).
 */
export async function countSlaAlerts(
  db: SidecaseDb,
  now: number,
  targets: SlaTargets = DEFAULT_SLA_TARGETS,
): Promise<{ nearBreach: number; breached: number }> {
  const [breached, candidates] = await Promise.all([
    db.cases.where('[state+slaDueAt]').between(['active', Dexie.minKey], ['active', now], true, false).count(),
    db.cases.where('[state+slaDueAt]').between(['active', now], ['active', now + widestWindowMs(targets)], true, true).toArray(),
  ]);
  let nearBreach = 0;
  for (const record of candidates) if (slaStatus(record, now).level === 'nearBreach') nearBreach++;
  return { nearBreach, breached };
}

/**
 * Active cases near breach only (the toolbar badge): reads just the window
 * range, so the badge's live query neither counts the breached ones (tens of
 * thousands on an old install) nor re-runs when one of them changes. Counted
 * on a cursor, not read into an array: a live query keeps the answers of its
 * array reads (Dexie's cache) for as long as it is subscribed, and the badge's
 * is subscribed for the worker's life, so an array would keep every record of
 * the window, search words and all, in the worker's heap.
 */
export async function countNearBreach(db: SidecaseDb, now: number, targets: SlaTargets = DEFAULT_SLA_TARGETS): Promise<number> {
  return db.cases
    .where('[state+slaDueAt]')
    .between(['active', now], ['active', now + widestWindowMs(targets)], true, true)
    .filter((record) => slaStatus(record, now).level === 'nearBreach')
    .count();
}
