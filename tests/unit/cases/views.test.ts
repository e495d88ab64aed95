import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { cancelCase, reassignCase, resolveCase, updateCase } from '../../../lib/cases/lifecycle';
import { countCases, countMyActiveCasesUpTo, listCases, recentCasesForCustomer } from '../../../lib/cases/queries';
import type { SidecaseDb } from '../../../lib/db/db';
import type { Case } from '../../../lib/schema';
import { caseInput, freshDb } from './helpers';

let db: SidecaseDb;
const cases: Record<string, Case> = {};
let now = 1_700_000_000_000;

beforeAll(async () => {
  db = freshDb();
  const make = async (title: string, priority: Case['priority'], patch = {}) => {
    const c = await createCase(caseInput({ title, priority, ...patch }), { actor: 'Bea', db, now: (now += 1000) });
    cases[title] = c.case;
  };
  await make('a-low', 'low');
  await make('b-urgent', 'urgent', { tags: ['VIP'] });
  await make('c-normal', 'normal', { origin: 'phone' });
  await make('d-high', 'high');
  await make('e-urgent', 'urgent');
  await make('f-resolved', 'normal');
  await make('g-cancelled', 'normal');
  await make('h-cem', 'high');
  await resolveCase(cases['f-resolved']!.id, { type: 'other', text: 'done' }, { actor: 'Bea', db, now: (now += 1000) });
  await cancelCase(cases['g-cancelled']!.id, { actor: 'Bea', db, now: (now += 1000) });
  await reassignCase(cases['h-cem']!.id, { owner: 'Cem' }, { actor: 'Bea', db, now: (now += 1000) });
  await updateCase(cases['a-low']!.id, { statusReason: 'onHold' }, { actor: 'Bea', db, now: (now += 1000) });
});
afterEach(() => undefined);

const titles = (list: Case[]) => list.map((c) => c.title);

describe('case views', () => {
  it('shows my active cases, most recently updated first', async () => {
    expect(titles(await listCases({ view: 'mine', owner: 'Bea', db }))).toEqual(['a-low', 'e-urgent', 'd-high', 'c-normal', 'b-urgent']);
    expect(await countCases({ view: 'mine', owner: 'Bea', db })).toBe(5);
  });

  it('counts my active cases up to a cap, for the header (resolved, cancelled and others\' cases left out)', async () => {
    expect(await countMyActiveCasesUpTo('Bea', 1000, db)).toBe(5);
    expect(await countMyActiveCasesUpTo('Bea', 3, db)).toBe(3);
    expect(await countMyActiveCasesUpTo('Cem', 1000, db)).toBe(1);
    expect(await countMyActiveCasesUpTo('Dan', 1000, db)).toBe(0);
  });

  it('shows all active cases, the resolved and the cancelled ones apart', async () => {
    expect(await countCases({ view: 'allActive', db })).toBe(6);
    expect(titles(await listCases({ view: 'resolved', db }))).toEqual(['f-resolved']);
    expect(titles(await listCases({ view: 'cancelled', db }))).toEqual(['g-cancelled']);
  });

  it('sorts by priority, urgent first, and pages across priorities', async () => {
    const all = titles(await listCases({ view: 'allActive', sort: 'priority', db }));
    expect(all).toEqual(['e-urgent', 'b-urgent', 'h-cem', 'd-high', 'c-normal', 'a-low']);
    const page = titles(await listCases({ view: 'allActive', sort: 'priority', offset: 1, limit: 3, db }));
    expect(page).toEqual(['b-urgent', 'h-cem', 'd-high']);
  });

  it('sorts by SLA, the soonest deadline first', async () => {
    const list = await listCases({ view: 'allActive', sort: 'sla', db });
    expect(titles(list).slice(0, 2)).toEqual(['b-urgent', 'e-urgent']);
    const due = list.map((c) => c.slaDueAt!);
    expect(due).toEqual([...due].sort((a, b) => a - b));
  });

  it('filters by priority, status reason, origin and tag', async () => {
    expect(titles(await listCases({ view: 'allActive', filters: { priority: 'urgent' }, db }))).toEqual(['e-urgent', 'b-urgent']);
    expect(titles(await listCases({ view: 'allActive', filters: { statusReason: 'onHold' }, db }))).toEqual(['a-low']);
    expect(titles(await listCases({ view: 'allActive', filters: { origin: 'phone' }, db }))).toEqual(['c-normal']);
    expect(titles(await listCases({ view: 'allActive', filters: { tag: 'vip' }, db }))).toEqual(['b-urgent']);
    expect(await countCases({ view: 'allActive', sort: 'priority', filters: { tag: 'vip' }, db })).toBe(1);
  });

  it('pages a filtered view without losing or repeating cases', async () => {
    const first = await listCases({ view: 'allActive', filters: { priority: 'urgent' }, limit: 1, db });
    const second = await listCases({ view: 'allActive', filters: { priority: 'urgent' }, offset: 1, limit: 1, db });
    expect(titles([...first, ...second])).toEqual(['e-urgent', 'b-urgent']);
  });

  it('shows every case of a customer, and the recent ones without the open case', async () => {
    const customerId = cases['a-low']!.customerId;
    expect(await countCases({ view: 'customer', customerId, db })).toBe(8);
    const recent = await recentCasesForCustomer(customerId, { exceptId: cases['a-low']!.id, limit: 3, db });
    expect(recent).toHaveLength(3);
    expect(titles(recent)).not.toContain('a-low');
  });
});
