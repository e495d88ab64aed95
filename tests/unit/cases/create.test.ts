import { CaseNumber } from '../../../lib/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { SidecaseError, ValidationError } from '../../../lib/errors';
import { newId } from '../../../lib/ids';
import type { SidecaseDb } from '../../../lib/db/db';
import { caseInput, freshDb, tableCounts } from './helpers';

let db: SidecaseDb;
afterEach(() => db?.close());

describe('creating a case', () => {
  it('writes the case, the customer, their timeline events and outbox entries together', async () => {
    db = freshDb();
    const { case: saved, customer, isNewCustomer } = await createCase(caseInput(), { actor: 'Bea', db, now: 1_000 });
    expect(isNewCustomer).toBe(true);
    expect(await db.cases.get(saved.id)).toMatchObject({ title: 'Refund for order 1042', customerId: customer.id, owner: 'Bea', customerLabel: 'Ana Kovács' });
    expect(await db.customers.get(customer.id)).toMatchObject({ name: 'Ana Kovács', emails: ['ana@northwind.example'] });

    const events = await db.timeline.toArray();
    expect(events.map((e) => e.kind).sort()).toEqual(['created', 'customerCreated']);
    expect(events.find((e) => e.kind === 'created')).toMatchObject({ caseId: saved.id, actor: 'Bea', at: 1_000 });

    const outbox = await db.outbox.toArray();
    expect(outbox.map((e) => e.type).sort()).toEqual(['case.created', 'customer.created']);
    expect(outbox.find((e) => e.type === 'case.created')).toMatchObject({ entityId: saved.id, attempts: 0 });
  });

  it('leaves nothing behind when the outbox write fails', async () => {
    db = freshDb();
    db.outbox.hook('creating', () => {
      throw new Error('boom');
    });
    await expect(createCase(caseInput(), { actor: 'Bea', db })).rejects.toThrow('boom');
    expect(await tableCounts(db)).toMatchObject({ cases: 0, customers: 0, timeline: 0, outbox: 0 });
    expect(await db.meta.get('caseCounter')).toBeUndefined();
  });

  it('leaves nothing behind when the timeline write fails, and the next case still gets number 1', async () => {
    db = freshDb();
    let fail = true;
    db.timeline.hook('creating', (_key, event) => {
      if (fail && event.kind === 'created') throw new Error('timeline down');
    });
    await expect(createCase(caseInput(), { actor: 'Bea', db })).rejects.toThrow('timeline down');
    expect(await tableCounts(db)).toMatchObject({ cases: 0, customers: 0, timeline: 0, outbox: 0 });

    fail = false;
    const { case: saved } = await createCase(caseInput(), { actor: 'Bea', db });
    expect(saved.number).toMatch(/^CAS-000001-/);
  });

  it('saves nothing for invalid input and says which field is wrong', async () => {
    db = freshDb();
    const error = await createCase(caseInput({ title: ' ' }, { email: 'nope' }), { actor: 'Bea', db }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fields).toMatchObject({ title: 'form.title.required', 'customer.email': 'form.customer.email.invalid' });
    expect(await tableCounts(db)).toMatchObject({ cases: 0, customers: 0 });
  });

  it('reuses the stored customer with the same email in another case of letters', async () => {
    db = freshDb();
    const first = await createCase(caseInput(), { actor: 'Bea', db });
    const second = await createCase(caseInput({}, { name: '', phone: '', company: '', email: 'ANA@Northwind.example' }), {
      actor: 'Bea',
      db,
    });
    expect(second.isNewCustomer).toBe(false);
    expect(second.customer.id).toBe(first.customer.id);
    expect(await db.customers.count()).toBe(1);
  });

  it('reuses the stored customer with the same phone however it is spaced', async () => {
    db = freshDb();
    const first = await createCase(caseInput({}, { email: '' }), { actor: 'Bea', db });
    const second = await createCase(caseInput({}, { name: 'A. Kovács', email: '', phone: '+36-20-123-4567' }), { actor: 'Bea', db });
    expect(second.customer.id).toBe(first.customer.id);
    expect(await db.customers.count()).toBe(1);
  });

  it('adds a new email to the matched customer without creating a twin', async () => {
    db = freshDb();
    const first = await createCase(caseInput({}, { email: '' }), { actor: 'Bea', db });
    const second = await createCase(caseInput({}, { email: 'ana.k@northwind.example' }), { actor: 'Bea', db });
    expect(second.customer.id).toBe(first.customer.id);
    expect(second.customer.emails).toEqual(['ana.k@northwind.example']);
    expect((await db.outbox.toArray()).map((e) => e.type)).toContain('customer.updated');
  });

  it('refuses a picked customer that does not exist', async () => {
    db = freshDb();
    const error = await createCase(caseInput({}, { id: newId() }), { actor: 'Bea', db }).catch((e) => e);
    expect(error).toBeInstanceOf(SidecaseError);
    expect(error.key).toBe('form.customer.notFound');
    expect(await tableCounts(db)).toMatchObject({ cases: 0, customers: 0, outbox: 0 });
  });

  it('gives case numbers of the form CAS-000001-XXXXXXXXXX: ten suffix characters, so 100,000 installs practically never share one', async () => {
    db = freshDb();
    const { case: saved } = await createCase(caseInput(), { actor: 'Bea', db });
    expect(saved.number).toMatch(/^CAS-000001-[0-9A-HJKMNP-TV-Z]{10}$/);
  });

  it('gives an install with a four-character suffix a long one for its next case, keeping its old numbers valid', async () => {
    db = freshDb();
    await db.meta.bulkPut([
      { key: 'caseCounter', value: 41 },
      { key: 'installSuffix', value: 'K7Q2' },
    ]);
    const { case: saved } = await createCase(caseInput(), { actor: 'Bea', db });
    expect(saved.number).toMatch(/^CAS-000042-[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(CaseNumber.safeParse('CAS-000041-K7Q2').success).toBe(true);
    expect(CaseNumber.safeParse('CAS-000041-K7Q2M').success).toBe(false);
  });

  it('numbers 1,000 concurrent cases uniquely, 1 to 1,000, with one install suffix', async () => {
    db = freshDb();
    const created = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        createCase(caseInput({ title: `Case ${i}` }, { name: `Customer ${i}`, email: `c${i}@example.com`, phone: '' }), {
          actor: 'Bea',
          db,
        }),
      ),
    );
    const numbers = created.map((c) => c.case.number);
    expect(new Set(numbers).size).toBe(1000);
    const sequences = numbers.map((n) => Number(n.split('-')[1])).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(new Set(numbers.map((n) => n.split('-')[2])).size).toBe(1);
    expect(await db.cases.count()).toBe(1000);
  }, 60_000);
});
