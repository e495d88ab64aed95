import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { caseInput } from '../cases/helpers';
import { editCustomer } from '../../../lib/customers/update';
import { suggestCustomers } from '../../../lib/customers/suggest';
import { SidecaseDb } from '../../../lib/db/db';
import { SidecaseError, ValidationError } from '../../../lib/errors';
import type { Customer } from '../../../lib/schema';

let db: SidecaseDb;
let ana: Customer;
let budi: Customer;
const ctx = (extra = {}) => ({ actor: 'Bea', db, ...extra });

async function customer(name: string, email: string) {
  return (
    await createCase(
      caseInput({ title: 'x', customer: { name, email, phone: '', company: '' } }),
      ctx(),
    )
  ).customer;
}

beforeEach(async () => {
  db = new SidecaseDb(`test-${crypto.randomUUID()}`);
  ana = await customer('Ana Kovács', 'ana@northwind.example');
  budi = await customer('Budi Santoso', 'budi@contoso.example');
});
afterEach(() => db.close());

async function errorOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SidecaseError);
  return error as SidecaseError;
}

describe('editing a customer from the card', () => {
  it('saves the changes with a timeline event and an outbox entry, and suggests by the new name', async () => {
    const after = await editCustomer(ana.id, { name: 'Ana Szabó', phones: ['+36 30 999 8888'] }, ctx());
    expect(after).toMatchObject({ name: 'Ana Szabó', version: 2, phones: ['+36 30 999 8888'] });
    expect((await suggestCustomers('szabo', 6, db)).map((c) => c.id)).toEqual([ana.id]);
    expect((await db.timeline.where('customerId').equals(ana.id).toArray()).map((e) => e.kind)).toContain('fieldChanged');
    expect((await db.outbox.toArray()).filter((e) => e.type === 'customer.updated' && e.entityId === ana.id)).toHaveLength(1);
  });

  it('names the customer anew on each of their cases, without a new version of the case', async () => {
    const { case: second } = await createCase(caseInput({ title: 'y', customer: { name: 'Ana Kovács', email: 'ana@northwind.example', phone: '', company: '' } }), ctx());
    await editCustomer(ana.id, { name: 'Ana Szabó' }, ctx());
    const cases = await db.cases.where('customerId').equals(ana.id).toArray();
    expect(cases.map((c) => c.customerLabel)).toEqual(['Ana Szabó', 'Ana Szabó']);
    expect((await db.cases.get(second.id))?.version).toBe(1);
    // With no name, the company, then an email names them.
    await editCustomer(ana.id, { name: '', company: 'Northwind' }, ctx());
    expect((await db.cases.get(second.id))?.customerLabel).toBe('Northwind');
  });

  it('refuses an email that belongs to another customer', async () => {
    expect((await errorOf(editCustomer(ana.id, { emails: ['BUDI@contoso.example'] }, ctx()))).key).toBe('customer.email.taken');
  });

  it('refuses an invalid email with the form’s message', async () => {
    const error = await errorOf(editCustomer(ana.id, { emails: ['nope'] }, ctx()));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields['emails.0']).toBe('form.customer.email.invalid');
  });

  it('refuses to leave a customer with nothing to know them by', async () => {
    expect((await errorOf(editCustomer(budi.id, { name: '', emails: [] }, ctx()))).key).toBe('form.customer.required');
  });

  it('refuses a stale edit', async () => {
    await editCustomer(ana.id, { company: 'Northwind' }, ctx());
    expect((await errorOf(editCustomer(ana.id, { company: 'Fabrikam' }, ctx({ expectedVersion: 1 })))).key).toBe('customer.edit.stale');
  });
});
