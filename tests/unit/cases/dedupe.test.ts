import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { findDuplicateCases, isWorthLookingUp } from '../../../lib/cases/dedupe';
import { cancelCase, resolveCase } from '../../../lib/cases/lifecycle';
import type { SidecaseDb } from '../../../lib/db/db';
import { caseInput, freshDb } from './helpers';

let db: SidecaseDb;
let now: number;
const ctx = () => ({ actor: 'Bea', db, now: (now += 1000) });

beforeEach(() => {
  db = freshDb();
  now = 1_700_000_000_000;
});
afterEach(() => db.close());

const blank = { email: '', phone: '' };

async function newCase(title: string, customer: Parameters<typeof caseInput>[1] = {}) {
  return (await createCase(caseInput({ title }, customer), ctx())).case;
}

/** Ana (the helpers' customer) with two open cases, a resolved and a cancelled one; Ben with one open case. */
async function seed() {
  const first = await newCase('Refund for order 1042');
  const resolved = await newCase('Card declined');
  const cancelled = await newCase('Wrong address');
  const second = await newCase('Kettle does not switch off');
  await resolveCase(resolved.id, { type: 'problemSolved', text: 'Done.' }, ctx());
  await cancelCase(cancelled.id, ctx());
  await newCase('Ben’s parcel', { name: 'Ben Lee', email: 'ben@example.org', phone: '+40 721 000 111', company: '' });
  return { first, second };
}

const titles = (cases: Array<{ title: string }>) => cases.map((c) => c.title);

describe('when a duplicate lookup is worth making', () => {
  it('looks for a picked customer, a whole-looking address or a phone of seven digits or more', () => {
    expect(isWorthLookingUp({ id: '01HZX', ...blank })).toBe(true);
    expect(isWorthLookingUp({ ...blank, email: 'ana@northwind.example' })).toBe(true);
    expect(isWorthLookingUp({ ...blank, phone: '+36 20 123' })).toBe(true);
  });

  it('waits while the fields say too little', () => {
    expect(isWorthLookingUp(blank)).toBe(false);
    expect(isWorthLookingUp({ ...blank, email: 'ana@northwind' })).toBe(false);
    expect(isWorthLookingUp({ ...blank, email: 'ana@' })).toBe(false);
    expect(isWorthLookingUp({ ...blank, phone: '+36 20 12' })).toBe(false);
  });
});

describe('finding the open cases to offer instead of a duplicate', () => {
  it("offers the customer's open cases, latest first, found by email however it is typed", async () => {
    await seed();
    expect(titles(await findDuplicateCases({ ...blank, email: 'ana@northwind.example' }, db))).toEqual([
      'Kettle does not switch off',
      'Refund for order 1042',
    ]);
    expect(titles(await findDuplicateCases({ ...blank, email: ' ANA@Northwind.Example ' }, db))).toEqual([
      'Kettle does not switch off',
      'Refund for order 1042',
    ]);
  });

  it('finds the customer by the same phone digits, written another way', async () => {
    await seed();
    expect(titles(await findDuplicateCases({ ...blank, phone: '+36201234567' }, db))).toEqual([
      'Kettle does not switch off',
      'Refund for order 1042',
    ]);
    expect(titles(await findDuplicateCases({ ...blank, phone: '+40 721-000-111' }, db))).toEqual(['Ben’s parcel']);
  });

  it('offers the picked customer’s open cases, whatever the fields say', async () => {
    const { first } = await seed();
    expect(titles(await findDuplicateCases({ id: first.customerId, email: 'ben@example.org', phone: '' }, db))).toEqual([
      'Kettle does not switch off',
      'Refund for order 1042',
    ]);
  });

  it('offers nothing for an unknown customer, an incomplete address or a short phone', async () => {
    await seed();
    expect(await findDuplicateCases({ ...blank, email: 'nobody@example.org' }, db)).toEqual([]);
    expect(await findDuplicateCases({ ...blank, email: 'ana@northwind' }, db)).toEqual([]);
    expect(await findDuplicateCases({ ...blank, phone: '4567' }, db)).toEqual([]);
    // Shaped like an address to the quick check, but not one to store.
    expect(await findDuplicateCases({ ...blank, email: 'ana@north..wind.example' }, db)).toEqual([]);
  });

  it('offers nothing once the customer’s cases are all resolved or cancelled', async () => {
    const { first, second } = await seed();
    await resolveCase(first.id, { type: 'problemSolved', text: 'Done.' }, ctx());
    await cancelCase(second.id, ctx());
    expect(await findDuplicateCases({ ...blank, email: 'ana@northwind.example' }, db)).toEqual([]);
  });
});
