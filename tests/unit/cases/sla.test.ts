import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { resolveCase } from '../../../lib/cases/lifecycle';
import { DEFAULT_SLA_TARGETS, SlaTargets, slaDeadlines, slaStatus } from '../../../lib/cases/sla';
import { countNearBreach, countSlaAlerts } from '../../../lib/cases/sla-alerts';
import type { SidecaseDb } from '../../../lib/db/db';
import { addNote } from '../../../lib/notes/notes';
import type { Case } from '../../../lib/schema';
import { caseInput, freshDb } from './helpers';

const HOUR = 3_600_000;
const T0 = 1_700_000_000_000;

function active(priority: Case['priority'], patch: Partial<Case> = {}): Pick<Case, 'state' | 'createdAt' | 'updatedAt' | 'sla' | 'resolution'> {
  return { state: 'active', createdAt: T0, updatedAt: T0, sla: slaDeadlines(priority, T0), resolution: undefined, ...patch };
}

describe('SLA deadlines and status', () => {
  it('gives urgent cases 1 hour to first response and 4 hours to resolve by default', () => {
    expect(slaDeadlines('urgent', T0)).toEqual({ firstResponseBy: T0 + HOUR, resolveBy: T0 + 4 * HOUR });
    expect(slaDeadlines('low', T0, DEFAULT_SLA_TARGETS).resolveBy).toBe(T0 + 5 * 24 * HOUR);
  });

  it('is ok with most of the time left, with the remaining time of each timer', () => {
    const status = slaStatus(active('urgent'), T0 + 30 * 60_000);
    expect(status.level).toBe('ok');
    expect(status.firstResponse).toMatchObject({ level: 'ok', remainingMs: 30 * 60_000 });
    expect(status.resolve).toMatchObject({ level: 'ok', remainingMs: 3.5 * HOUR });
  });

  it('is near breach in the last quarter of a timer', () => {
    expect(slaStatus(active('urgent'), T0 + 44 * 60_000).level).toBe('ok');
    expect(slaStatus(active('urgent'), T0 + 46 * 60_000).level).toBe('nearBreach');
  });

  it('is breached once a deadline has passed, with negative remaining time', () => {
    const status = slaStatus(active('urgent'), T0 + 61 * 60_000);
    expect(status.level).toBe('breached');
    expect(status.firstResponse?.remainingMs).toBe(-60_000);
  });

  it('stops the first-response timer once the agent responded', () => {
    const record = active('urgent', { sla: { ...slaDeadlines('urgent', T0), firstRespondedAt: T0 + 10 * 60_000 } });
    const status = slaStatus(record, T0 + 2 * HOUR);
    expect(status.firstResponse?.level).toBe('met');
    expect(status.level).toBe('ok');
  });

  it('freezes the timers of a resolved case and shows no running level', () => {
    const record = active('urgent', {
      state: 'resolved',
      resolution: { type: 'other', text: 'x', at: T0 + 5 * HOUR, by: 'Bea' },
    });
    const status = slaStatus(record, T0 + 100 * HOUR);
    expect(status.level).toBeUndefined();
    expect(status.resolve).toMatchObject({ level: 'breached', remainingMs: -HOUR });
  });

  it('refuses targets where the first response comes after the resolve deadline', () => {
    const bad = { ...DEFAULT_SLA_TARGETS, high: { firstResponse: 600, resolve: 60 } };
    expect(SlaTargets.safeParse(bad).error?.issues[0]?.message).toBe('sla.target.responseAfterResolve');
    expect(SlaTargets.safeParse(DEFAULT_SLA_TARGETS).success).toBe(true);
  });
});

describe('the near-breach badge', () => {
  let db: SidecaseDb;
  beforeEach(() => {
    db = freshDb();
  });
  afterEach(() => db.close());

  it('counts active cases near breach, not those ok, breached or resolved', async () => {
    const make = (priority: Case['priority'], at: number, title = 'x') =>
      createCase(caseInput({ priority, title }, { email: `${title}@example.com`, phone: '' }), { actor: 'Bea', db, now: at });
    const now = T0 + 10 * HOUR;
    await make('urgent', now - 50 * 60_000, 'near'); // 10 of 60 minutes left
    await make('urgent', now - 2 * HOUR, 'breached');
    await make('low', now - HOUR, 'fine');
    const done = await make('urgent', now - 55 * 60_000, 'resolved');
    await resolveCase(done.case.id, { type: 'other', text: 'done' }, { actor: 'Bea', db, now: now - 1 });

    expect(await countSlaAlerts(db, now)).toEqual({ nearBreach: 1, breached: 1 });
    expect(await countNearBreach(db, now)).toBe(1);
  });

  it('stops counting the first response once a note answered it', async () => {
    const now = T0 + HOUR;
    const { case: c } = await createCase(caseInput({ priority: 'urgent' }), { actor: 'Bea', db, now: now - 50 * 60_000 });
    expect(await countNearBreach(db, now)).toBe(1);
    await addNote(c.id, { body: 'Called the customer back.', format: 'text' }, { actor: 'Bea', db, now: now - 1 });
    expect((await db.cases.get(c.id))?.sla?.firstRespondedAt).toBe(now - 1);
    expect(await countNearBreach(db, now)).toBe(0);
  });
});
