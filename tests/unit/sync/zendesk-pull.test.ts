/**
 * Changes made in Zendesk come back (lib/sync/zendesk/pull.ts through
 * lib/sync/pull.ts): the incremental cursor export for an admin, the search
 * API for an agent, against the Zendesk simulator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { drainOutbox } from '../../../lib/sync/engine';
import { CURSOR_META_KEY } from '../../../lib/sync/engine-state';
import { pullChanges } from '../../../lib/sync/pull';
import type { BackendSettings } from '../../../lib/sync/settings';
import { pullModeOf } from '../../../lib/sync/zendesk/pull';
import { startZendeskSimulator, type ZendeskSimulator } from '../../support/zendesk-simulator';
import { caseInput, freshDb } from '../cases/helpers';

const EMAIL = 'ada@acme.example';
const TOKEN = 'zd_pull_token_42';
const sims: ZendeskSimulator[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((sim) => sim.close()));
});

async function setUp(role: 'admin' | 'agent') {
  const sim = await startZendeskSimulator({ email: EMAIL, token: TOKEN, role, pageSize: 2 });
  sims.push(sim);
  const db = freshDb();
  const settings: BackendSettings = { kind: 'zendesk', url: sim.url, auth: { type: 'token', email: EMAIL, token: TOKEN } };
  let clock = Date.now();
  const cases = [];
  for (const title of ['Printer jams', 'Parcel lost', 'Refund missing']) {
    cases.push((await createCase(caseInput({ title, tags: ['Billing Issue'] }), { actor: 'Bea', db, now: ++clock })).case);
  }
  await drainOutbox({ db, settings, now: () => clock, random: () => 0 });
  expect(await db.outbox.count()).toBe(0);
  return { sim, db, settings, cases };
}

describe('pulling Zendesk changes', () => {
  for (const [role, mode] of [
    ['admin', 'export'],
    ['agent', 'search'],
  ] as const) {
    it(`brings back a ticket changed in Zendesk, as ${role === 'admin' ? 'an admin through the incremental export' : 'an agent through the search'}`, async () => {
      const { sim, db, settings, cases } = await setUp(role);
      // Our own tickets echo back unchanged: nothing to apply.
      const first = await pullChanges({ db, settings });
      expect(first).toMatchObject({ applied: 0, conflicts: 0 });
      const cursor = (await db.meta.get(CURSOR_META_KEY))?.value as string;
      expect(pullModeOf(cursor)).toBe(mode);

      const ticket = sim.ticketByExternalId(cases[1]!.id)[0]!;
      // A second later: updated_at has one-second steps.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      sim.externalUpdate(ticket.id, { subject: 'Parcel lost (courier found it)', priority: 'urgent', status: 'solved' });
      const second = await pullChanges({ db, settings });
      expect(second).toMatchObject({ applied: 1, conflicts: 0 });
      const local = await db.cases.get(cases[1]!.id);
      expect(local).toMatchObject({ title: 'Parcel lost (courier found it)', priority: 'urgent', state: 'resolved', tags: ['Billing Issue'] });
      // The others are as they were, and no change went back into the outbox.
      expect((await db.cases.get(cases[0]!.id))?.title).toBe('Printer jams');
      expect(await db.outbox.count()).toBe(0);
      expect((await db.syncRecords.get(['case', cases[1]!.id]))?.remoteId).toBe(String(ticket.id));
    });
  }
});

describe('pulling Zendesk changes through the search, whose index lags behind', () => {
  it('brings back a ticket changed before the last pulled one but indexed after that pull, and applies a ticket read twice once', async () => {
    let clock = Math.floor(Date.now() / 1000) * 1000;
    // The search finds a change only once indexed: a few minutes for some (lagOf), at once for the others.
    const lagOf = new Map<number, number>();
    const sim = await startZendeskSimulator({ email: EMAIL, token: TOKEN, role: 'agent', now: () => clock, searchIndexLagMs: (ticket) => lagOf.get(ticket.id) ?? 0 });
    sims.push(sim);
    const db = freshDb();
    const settings: BackendSettings = { kind: 'zendesk', url: sim.url, auth: { type: 'token', email: EMAIL, token: TOKEN } };
    const now = () => clock;
    const early = (await createCase(caseInput({ title: 'Changed first, indexed late' }), { actor: 'Bea', db, now: ++clock })).case;
    const later = (await createCase(caseInput({ title: 'Changed second, indexed at once' }), { actor: 'Bea', db, now: ++clock })).case;
    await drainOutbox({ db, settings, now, random: () => 0 });
    expect(await db.outbox.count()).toBe(0);

    clock += 2 * 60_000;
    expect(await pullChanges({ db, settings, now })).toMatchObject({ applied: 0, conflicts: 0 });

    clock += 60_000;
    const earlyTicket = sim.ticketByExternalId(early.id)[0]!;
    lagOf.set(earlyTicket.id, 2 * 60_000);
    sim.externalUpdate(earlyTicket.id, { subject: 'Changed first (in Zendesk)' });
    clock += 10_000;
    sim.externalUpdate(sim.ticketByExternalId(later.id)[0]!.id, { priority: 'urgent' });
    clock += 10_000;
    // Only the later change is indexed yet: the newest change pulled is now past the earlier one's updated_at.
    expect(await pullChanges({ db, settings, now })).toMatchObject({ applied: 1, conflicts: 0 });
    expect((await db.cases.get(later.id))?.priority).toBe('urgent');
    expect((await db.cases.get(early.id))?.title).toBe('Changed first, indexed late');

    clock += 3 * 60_000;
    // The overlap reads both again: the late one is applied, the one already pulled is dropped, not even skipped.
    expect(await pullChanges({ db, settings, now })).toMatchObject({ applied: 1, skipped: 0, conflicts: 0 });
    expect((await db.cases.get(early.id))?.title).toBe('Changed first (in Zendesk)');
    expect(await pullChanges({ db, settings, now })).toMatchObject({ applied: 0, skipped: 0, conflicts: 0 });
    expect(await db.outbox.count()).toBe(0);
  });
});
