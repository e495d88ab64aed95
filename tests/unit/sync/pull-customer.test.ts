import { afterEach, describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { SidecaseDb } from '../../../lib/db/db';
import { searchCases } from '../../../lib/search/search';
import { resolveConflict } from '../../../lib/sync/conflicts';
import { drainOutbox } from '../../../lib/sync/engine';
import { pullChanges } from '../../../lib/sync/pull';
import type { BackendSettings } from '../../../lib/sync/settings';
import { startReferenceBackend, type ReferenceBackend } from '../../support/reference-backend';
import { caseInput } from '../cases/helpers';

const TOKEN = 'tok_pull_customer_0123456789';
const T0 = Date.UTC(2025, 8, 1, 9, 0, 0);
let server: ReferenceBackend | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setUp() {
  server = await startReferenceBackend({ auth: { type: 'bearer', token: TOKEN } });
  const settings: BackendSettings = { kind: 'rest', url: server.url, auth: { type: 'bearer', token: TOKEN } };
  const db = new SidecaseDb(`pull-customer-${Math.random()}`);
  const ctx = { actor: 'Eva', db, now: T0 };
  const { case: first } = await createCase(caseInput({ title: 'Router reboots' }, { name: 'Ana Exemplu', email: 'ana@example.com' }), ctx);
  const { case: second } = await createCase(
    caseInput({ title: 'Invoice twice' }, { id: first.customerId, name: 'Ana Exemplu', email: 'ana@example.com' }),
    { ...ctx, now: T0 + 1 },
  );
  await drainOutbox({ db, settings, now: () => T0 + 2 });
  const customer = (await db.customers.get(first.customerId))!;
  return { server, settings, db, first, second, customer };
}

describe('a customer changed at another desk', () => {
  it("refreshes the search words and customer label of every case of that customer when pulled", async () => {
    const { server, settings, db, first, second, customer } = await setUp();
    expect(second.customerId).toBe(customer.id);
    server.externalUpdate('customer', customer.id, {
      ...customer,
      name: 'Ana Wombatescu',
      company: 'Quokka Freight',
      version: customer.version + 1,
    });
    expect(await pullChanges({ db, settings, now: () => T0 + 3 })).toMatchObject({ applied: 1, conflicts: 0 });

    for (const id of [first.id, second.id]) {
      const stored = await db.cases.get(id);
      expect(stored?.customerLabel).toBe('Ana Wombatescu');
      expect(stored?.words).toEqual(expect.arrayContaining(['wombatescu', 'quokka']));
      expect(stored?.words).not.toContain('exemplu');
      // Derived fields only: the cases are not new versions and nothing is queued for them.
      expect(stored?.version).toBe(id === first.id ? first.version : second.version);
    }
    expect((await searchCases('wombatescu', { db })).map((hit) => hit.case.id).sort()).toEqual([first.id, second.id].sort());
    expect(await searchCases('exemplu', { db })).toEqual([]);
    expect(await db.outbox.where('entity').equals('case').count()).toBe(0);
  });

  it('refreshes them too when the agent loads their version of the customer in a conflict', async () => {
    const { server, settings, db, first, customer } = await setUp();
    const { editCustomer } = await import('../../../lib/customers/update');
    await editCustomer(customer.id, { phones: ['+36201234567'] }, { actor: 'Eva', db, now: T0 + 3 });
    server.externalUpdate('customer', customer.id, { ...customer, name: 'Ana Wombatescu', version: customer.version + 1 });
    expect(await pullChanges({ db, settings, now: () => T0 + 4 })).toMatchObject({ conflicts: 1 });

    await resolveConflict('customer', customer.id, 'theirs', { db, now: T0 + 5 });
    const stored = await db.cases.get(first.id);
    expect(stored?.customerLabel).toBe('Ana Wombatescu');
    expect(stored?.words).toContain('wombatescu');
    expect(stored?.words).not.toContain('exemplu');
  });
});
