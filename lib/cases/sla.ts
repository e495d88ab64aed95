/**
 * SLA timers: per-priority targets (first response by, resolve by), the
 * deadlines they give a case, and the ok / near breach / breached status the
 * panel colours its count-downs with.
 *
 * Targets are a settings shape with defaults here; the options page stores
 * them (lib/cases/case-settings.ts) and passes them in. Pure functions, no
 * database: the schema migration computes deadlines with them, and the counts
 * that read cases live in sla-alerts.ts.
 */
import { DEFAULT_SLA_TARGETS, type SlaTargets } from './case-settings';
import { isReadOnly } from './read-only';
import type { Case, CaseSla, Priority } from '../schema';

export const MINUTE = 60_000;

export { DEFAULT_SLA_TARGETS, SlaTarget, SlaTargets } from './case-settings';

/** A timer is near breach in the last quarter of its time. */
export const NEAR_BREACH_FRACTION = 0.25;

export type SlaLevel = 'ok' | 'nearBreach' | 'breached';

export interface SlaTimer {
  /** 'met' when the response was given or the case closed before the deadline. */
  level: SlaLevel | 'met';
  dueAt: number;
  /** Negative once breached; frozen at the moment the timer stopped. */
  remainingMs: number;
}

export interface SlaStatus {
  /** The worst running timer; undefined for a case without SLA or one no longer running. */
  level: SlaLevel | undefined;
  firstResponse: SlaTimer | undefined;
  resolve: SlaTimer | undefined;
}

/** The deadlines a case of this priority gets when created at `from`. */
export function slaDeadlines(priority: Priority, from: number, targets: SlaTargets = DEFAULT_SLA_TARGETS): CaseSla {
  const target = targets[priority];
  return { firstResponseBy: from + target.firstResponse * MINUTE, resolveBy: from + target.resolve * MINUTE };
}

/** The next deadline still running: what the SLA sort orders by. */
export function nextSlaDue(sla: CaseSla | undefined): number | undefined {
  if (!sla) return undefined;
  return sla.firstRespondedAt === undefined ? Math.min(sla.firstResponseBy, sla.resolveBy) : sla.resolveBy;
}

function timer(start: number, dueAt: number, stoppedAt: number | undefined, now: number): SlaTimer {
  const at = stoppedAt ?? now;
  const remainingMs = dueAt - at;
  if (stoppedAt !== undefined) return { level: remainingMs >= 0 ? 'met' : 'breached', dueAt, remainingMs };
  const total = Math.max(dueAt - start, 1);
  const level: SlaLevel = remainingMs < 0 ? 'breached' : remainingMs <= total * NEAR_BREACH_FRACTION ? 'nearBreach' : 'ok';
  return { level, dueAt, remainingMs };
}

const RANK: Record<SlaLevel, number> = { ok: 0, nearBreach: 1, breached: 2 };

/**
 * The status of both timers at `now`. A resolved or cancelled case's timers
 * are stopped at its last resolution (or last change), so their colour is final.
 */
export function slaStatus(
  record: Pick<Case, 'state' | 'createdAt' | 'updatedAt' | 'sla' | 'resolution'>,
  now: number,
): SlaStatus {
  const sla = record.sla;
  if (!sla) return { level: undefined, firstResponse: undefined, resolve: undefined };
  const closedAt = isReadOnly(record) ? (record.resolution?.at ?? record.updatedAt) : undefined;
  const firstResponse = timer(record.createdAt, sla.firstResponseBy, sla.firstRespondedAt ?? closedAt, now);
  const resolve = timer(record.createdAt, sla.resolveBy, closedAt, now);
  let level: SlaLevel | undefined;
  if (!isReadOnly(record)) {
    for (const t of [firstResponse, resolve]) {
      if (t.level !== 'met' && (level === undefined || RANK[t.level] > RANK[level])) level = t.level;
    }
  }
  return { level, firstResponse, resolve };
}
