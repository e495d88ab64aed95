import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { caseInput } from '../cases/helpers';
import { customerSearchKeys, searchKeyOf } from '../../../lib/customers/search-keys';
import { suggestCustomers } from '../../../lib/customers/suggest';
import { SidecaseDb } from '../../../lib/db/db';
import type { CaseInputRaw } from '../../../lib/schema';

let db: SidecaseDb;

async function addCustomer(customer: CaseInputRaw['customer']) {
  await createCase(
    caseInput({ title: 'Hello', customer }),
    { actor: 'Bea', db },
  );
}

beforeEach(async () => {
  db = new SidecaseDb(`test-${crypto.randomUUID()}`);
  await addCustomer({ name: 'Ana Kovács', email: 'ana.kovacs@northwind.example', phone: '+36 20 123 4567', company: 'Northwind' });
  await addCustomer({ name: 'Andrei Popescu', email: 'andrei@contoso.example', phone: '+40 721 555 010', company: 'Contoso' });
  await addCustomer({ name: 'Budi Santoso', email: 'budi@northwind.example', phone: '', company: '' });
});
afterEach(() => db.close());

const names = (customers: { name: string }[]) => customers.map((c) => c.name).sort();

describe('customer suggestions', () => {
  it('finds customers by the start of their first or last name', async () => {
    expect(names(await suggestCustomers('an', 6, db))).toEqual(['Ana Kovács', 'Andrei Popescu']);
    expect(names(await suggestCustomers('Popes', 6, db))).toEqual(['Andrei Popescu']);
  });

  it('finds an accented name typed without accents and the other way round', async () => {
    expect(names(await suggestCustomers('kovacs', 6, db))).toEqual(['Ana Kovács']);
    expect(names(await suggestCustomers('Kovács', 6, db))).toEqual(['Ana Kovács']);
  });

  it('finds customers by the start of their email address', async () => {
    expect(names(await suggestCustomers('ana.kov', 6, db))).toEqual(['Ana Kovács']);
    expect(names(await suggestCustomers('BUDI@', 6, db))).toEqual(['Budi Santoso']);
  });

  it('finds every customer of an email domain', async () => {
    expect(names(await suggestCustomers('northwind.ex', 6, db))).toEqual(['Ana Kovács', 'Budi Santoso']);
  });

  it('finds customers by phone digits however the agent spaces them', async () => {
    expect(names(await suggestCustomers('+36 20 12', 6, db))).toEqual(['Ana Kovács']);
    expect(names(await suggestCustomers('40721', 6, db))).toEqual(['Andrei Popescu']);
    // The national form without the country code.
    expect(names(await suggestCustomers('201234', 6, db))).toEqual(['Ana Kovács']);
  });

  it('stops at the limit', async () => {
    expect(await suggestCustomers('northwind', 1, db)).toHaveLength(1);
  });

  it('lists a customer once even when several of its keys match', async () => {
    // "northwind" is Ana's company, her email domain and Budi's domain.
    const found = await suggestCustomers('northwind', 6, db);
    expect(found.map((c) => c.id)).toHaveLength(new Set(found.map((c) => c.id)).size);
    expect(names(found)).toEqual(['Ana Kovács', 'Budi Santoso']);
  });

  it('ignores a query shorter than two characters', async () => {
    expect(await suggestCustomers('a', 6, db)).toEqual([]);
  });
});

describe('customer search keys', () => {
  it('turns phone-like text into digits and other text into folded lower case', () => {
    expect(searchKeyOf(' +36 (20) 123 ')).toBe('3620123');
    expect(searchKeyOf('Kovács')).toBe('kovacs');
  });

  it('holds name words, emails, domains and phone digits', () => {
    const keys = customerSearchKeys({ name: 'Ana Kovács', emails: ['ana@northwind.example'], phones: ['+36 20 123 4567'], company: '' });
    expect(keys).toEqual(expect.arrayContaining(['ana kovacs', 'ana', 'kovacs', 'ana@northwind.example', 'northwind.example', '36201234567', '201234567']));
  });
});
