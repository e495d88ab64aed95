import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { deriveCaseFields } from '../../../lib/cases/derive';
import { updateCase } from '../../../lib/cases/lifecycle';
import { editCustomer } from '../../../lib/customers/update';
import type { SidecaseDb } from '../../../lib/db/db';
import type { Case, Customer } from '../../../lib/schema';
import { toLocalRecord } from '../../../lib/sync/records';
import { caseInput, freshDb } from './helpers';

const ana = {
  name: 'Ana Kovács',
  company: 'Northwind Ltd',
  emails: ['ana.kovacs@northwind.example'],
  phones: ['+36 20 123 4567'],
};

describe('deriveCaseFields', () => {
  it('derives tag keys, search words, the customer label and the next SLA deadline', () => {
    const derived = deriveCaseFields(
      {
        number: 'CAS-000123-K7Q2',
        title: 'Refund for Órdér #55',
        tags: ['VIP', 'Late Delivery'],
        sla: { firstResponseBy: 1_000, resolveBy: 5_000 },
      },
      ana,
    );
    expect(derived).toEqual({
      tagKeys: ['vip', 'late delivery'],
      words: [
        '000123', '123', 'k7q2',
        'refund', 'for', 'order', '55',
        'vip', 'late', 'delivery',
        'ana', 'kovacs', 'northwind', 'ltd', 'example',
        // The phone +36 20 123 4567: international, national with the trunk
        // prefix, every trailing run from four digits, then the groups as typed.
        '36201234567', '06201234567', '201234567', '01234567', '1234567', '234567', '34567', '4567',
        '36', '20',
      ],
      customerLabel: 'Ana Kovács',
      slaDueAt: 1_000,
    });
  });

  it('counts the resolve deadline once the first response is given, and nothing without SLA', () => {
    // The running number "7" is kept however short, after the words cut by length.
    const record = { number: 'CAS-000007-AB12', title: 'Hi', tags: [] };
    const responded = deriveCaseFields({ ...record, sla: { firstResponseBy: 1_000, resolveBy: 5_000, firstRespondedAt: 900 } }, undefined);
    expect(responded).toEqual({ tagKeys: [], words: ['000007', 'ab12', '7', 'hi'], customerLabel: '', slaDueAt: 5_000 });
    expect(deriveCaseFields({ ...record, sla: undefined }, undefined).slaDueAt).toBeUndefined();
  });

  it('labels a customer known only by a phone with that phone', () => {
    const derived = deriveCaseFields({ number: 'CAS-000001-AAAA', title: 'Call back', tags: [] }, { name: '', company: '', emails: [], phones: ['+62 812 555 0101'] });
    expect(derived.customerLabel).toBe('+62 812 555 0101');
  });
});

describe('every writer stores the derived fields', () => {
  let db: SidecaseDb | undefined;
  afterEach(async () => {
    if (db) await Dexie.delete(db.name);
    db = undefined;
  });

  const storedFields = (record: Partial<Case>) => ({
    tagKeys: record.tagKeys,
    words: record.words,
    customerLabel: record.customerLabel,
    slaDueAt: record.slaDueAt,
  });
  const expected = (record: Case, customer: Customer | undefined) => deriveCaseFields(record, customer);

  it('on create, on an edit of the case and on an edit of its customer', async () => {
    db = freshDb();
    const ctx = { actor: 'Ana', now: 1_700_000_000_000, db };
    const created = await createCase(caseInput({ tags: ['VIP'] }), ctx);
    expect(storedFields(created.case)).toEqual(expected(created.case, created.customer));
    expect(created.case.tagKeys).toEqual(['vip']);

    const edited = await updateCase(created.case.id, { title: 'Refund twice', tags: ['Urgent', 'VIP'] }, { ...ctx, now: ctx.now + 1 });
    expect(storedFields(edited)).toEqual(expected(edited, created.customer));
    expect(edited.words).toContain('twice');

    const customer = await editCustomer(created.customer.id, { name: 'Ana Szabó' }, { ...ctx, now: ctx.now + 2 });
    const after = (await db.cases.get(created.case.id))!;
    expect(storedFields(after)).toEqual(expected(after, customer));
    expect(after.customerLabel).toBe('Ana Szabó');
  });

  it('on a sync pull, from the tags as parsed, not from what the backend sent', async () => {
    db = freshDb();
    const created = await createCase(caseInput(), { actor: 'Ana', now: 1_700_000_000_000, db });
    const theirs = { ...created.case, title: 'Their title', tags: ['  Gold  Tier '], tagKeys: ['wrong'], words: ['wrong'], customerLabel: 'wrong', slaDueAt: 1 };
    const record = (await db.transaction('r', [db.customers, db.notes], () => toLocalRecord(db!, 'case', created.case.id, theirs))) as Case;
    expect(record.tags).toEqual(['Gold Tier']);
    expect(storedFields(record)).toEqual(expected(record, created.customer));
    expect(record.tagKeys).toEqual(['gold tier']);
  });
});
