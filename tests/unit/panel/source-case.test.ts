import { afterEach, describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { cancelCase } from '../../../lib/cases/cancel';
import type { SidecaseDb } from '../../../lib/db/db';
import { findCaseFromSource, sourceKeyOf } from '../../../lib/panel/source-case';
import { reindexCaseWords } from '../../../lib/search/reindex';
import { caseInput, freshDb } from '../cases/helpers';

let db: SidecaseDb;
afterEach(() => db?.close());

describe('"already a case": the page is the source of a stored case', () => {
  it('treats two URLs of the same page or thread as one source', () => {
    const same = [
      ['https://www.example.com/orders/4411/', 'http://example.com/orders/4411?utm_source=mail#top'],
      ['https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJbWvKmPq', 'https://mail.google.com/mail/u/0/#label/vip/FMfcgzQXJbWvKmPq'],
      ['https://shop.example/ticket?id=7&lang=hu', 'https://shop.example/ticket?lang=hu&id=7&fbclid=x'],
    ];
    for (const [a, b] of same) expect(sourceKeyOf(a), `${a} ~ ${b}`).toBe(sourceKeyOf(b));
    const different = [
      ['https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJbWvKmPq', 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJbWvKmPr'],
      ['https://shop.example/ticket?id=7', 'https://shop.example/ticket?id=8'],
      ['https://teams.example/#/conversations/a', 'https://teams.example/#/conversations/b'],
    ];
    for (const [a, b] of different) expect(sourceKeyOf(a), `${a} ≁ ${b}`).not.toBe(sourceKeyOf(b));
    expect(sourceKeyOf('chrome://extensions')).toBeUndefined();
  });

  it.each([
    ['walking the cases (before the re-index gave every case its key)', false],
    ['through the sourceKey index', true],
  ])('finds the newest open case made from the page, and none from another page, %s', async (_how, indexed) => {
    db = freshDb();
    if (indexed) await db.meta.put({ key: 'searchWordsVersion', value: 3 });
    const url = 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJbWvKmPq';
    await createCase(caseInput({ title: 'Other page', source: { kind: 'page', url: 'https://mail.google.com/mail/u/0/#inbox/AAAAAAAAAAAAAAAAAAAA' } }), { actor: 'Bea', db, now: 1 });
    const older = await createCase(caseInput({ title: 'First', source: { kind: 'page', url } }), { actor: 'Bea', db, now: 2 });
    const newer = await createCase(caseInput({ title: 'Second', source: { kind: 'selection', url: 'https://mail.google.com/mail/u/1/?utm_source=x#search/refund/FMfcgzQXJbWvKmPq' } }, { email: 'b@northwind.example' }), { actor: 'Bea', db, now: 3 });
    await createCase(caseInput({ title: 'Typed by hand' }, { email: 'c@northwind.example' }), { actor: 'Bea', db, now: 4 });

    expect(await findCaseFromSource(db, [undefined, 'https://mail.google.com/mail/u/0/#all/FMfcgzQXJbWvKmPq'])).toEqual({
      id: newer.case.id,
      number: newer.case.number,
    });
    expect(await findCaseFromSource(db, ['https://mail.google.com/mail/u/0/#inbox/BBBBBBBBBBBBBBBBBBBB'])).toBeUndefined();
    expect(await findCaseFromSource(db, [])).toBeUndefined();

    // A cancelled case is no reason to hold back: the older one made from the page is offered.
    await cancelCase(newer.case.id, { actor: 'Bea', db, now: 5 });
    expect(await findCaseFromSource(db, [url])).toEqual({ id: older.case.id, number: older.case.number });
  });

  it('finds a case stored before the index by walking, and by the index once the background re-index gave it its key', async () => {
    db = freshDb();
    const url = 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJbWvKmPq';
    const made = await createCase(caseInput({ title: 'Before version 4', source: { kind: 'page', url } }), { actor: 'Bea', db, now: 1 });
    // As an older version stored it: no source key.
    const { sourceKey, ...legacy } = (await db.cases.get(made.case.id))!;
    expect(sourceKey).toBe('mail.google.com#FMfcgzQXJbWvKmPq');
    await db.cases.put(legacy);
    expect(await findCaseFromSource(db, [url])).toEqual({ id: made.case.id, number: made.case.number });

    expect(await reindexCaseWords(db)).toBe('done');
    expect((await db.cases.get(made.case.id))?.sourceKey).toBe('mail.google.com#FMfcgzQXJbWvKmPq');
    expect(await findCaseFromSource(db, [url])).toEqual({ id: made.case.id, number: made.case.number });
    // Re-indexed: the lookup reads the index only (a case without a key is no longer walked to).
    await db.cases.put(legacy);
    expect(await findCaseFromSource(db, [url])).toBeUndefined();
  });
});
