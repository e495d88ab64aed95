import { afterEach, describe, expect, it } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { SidecaseDb } from '../../../lib/db/db';
import { newId } from '../../../lib/ids';
import { CURSOR_META_KEY } from '../../../lib/sync/engine-state';
import { pullChanges } from '../../../lib/sync/pull';
import type { BackendSettings } from '../../../lib/sync/settings';
import { syncSummary } from '../../../lib/sync/status';
import { startReferenceBackend, type ReferenceBackend } from '../../support/reference-backend';
import { caseInput } from '../cases/helpers';

const TOKEN = 'tok_pull_parking_0123456789';
const T0 = Date.UTC(2025, 7, 4, 9, 0, 0);
let server: ReferenceBackend | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setUp() {
  server = await startReferenceBackend({ auth: { type: 'bearer', token: TOKEN } });
  const settings: BackendSettings = { kind: 'rest', url: server.url, auth: { type: 'bearer', token: TOKEN } };
  const db = new SidecaseDb(`pull-parking-${Math.random()}`);
  const { case: mine } = await createCase(caseInput({ title: 'Mine, numbered first' }), { actor: 'Eva', db, now: T0 });
  await db.outbox.clear();
  return { server, settings, db, mine };
}

describe('a pulled change this database refuses', () => {
  it('is parked with its reason and the record, and the pull moves past it to the changes after it', async () => {
    const { server, settings, db, mine } = await setUp();
    // Another install drew the same suffix: its case carries a number already used here.
    const twin = { ...mine, id: newId(T0 + 1), title: 'Their case, same number' };
    const after = { ...mine, id: newId(T0 + 2), number: 'CAS-000007-QQQQ', title: 'A later change' };
    server.externalUpdate('case', twin.id, twin);
    server.externalUpdate('case', after.id, after);

    const pulled = await pullChanges({ db, settings, now: () => T0 + 3 });
    expect(pulled).toMatchObject({ applied: 1, parked: 1 });
    expect(pulled.error).toBeUndefined();
    expect((await db.cases.get(after.id))?.title).toBe('A later change');
    expect(await db.cases.get(twin.id)).toBeUndefined();
    expect((await db.cases.get(mine.id))?.title).toBe('Mine, numbered first');
    expect(await db.syncRecords.get(['case', twin.id])).toMatchObject({
      status: 'error',
      error: 'sync.pull.numberTaken',
      theirs: { title: 'Their case, same number', number: mine.number },
    });
    const cursor = (await db.meta.get(CURSOR_META_KEY))?.value;
    expect(typeof cursor).toBe('string');

    // The header says so, naming the record.
    const summary = await syncSummary(db);
    expect(summary.parked).toBe(1);
    expect(summary.firstParked).toEqual({ entity: 'case', id: twin.id, label: mine.number, reason: 'sync.pull.numberTaken' });

    // The next pull does not fail on the same page again: it reads what came since.
    const later = { ...after, id: newId(T0 + 4), number: 'CAS-000008-QQQQ', title: 'Even later' };
    server.externalUpdate('case', later.id, later);
    const next = await pullChanges({ db, settings, now: () => T0 + 5 });
    expect(next).toMatchObject({ applied: 1, parked: 0 });
    expect((await db.cases.get(later.id))?.title).toBe('Even later');
  });

  it('is parked when the database refuses its write, and the rest of its page is applied', async () => {
    const { server, settings, db, mine } = await setUp();
    // A refusal no check foresaw: the write itself fails inside the page's transaction.
    db.cases.hook('creating', (_key, record) => {
      if ((record as { title?: string }).title === 'Refused by the database') throw new Error('refused');
    });
    const refused = { ...mine, id: newId(T0 + 1), number: 'CAS-000005-QQQQ', title: 'Refused by the database' };
    const fine = { ...mine, id: newId(T0 + 2), number: 'CAS-000006-QQQQ', title: 'Stored fine' };
    server.externalUpdate('case', refused.id, refused);
    server.externalUpdate('case', fine.id, fine);

    const pulled = await pullChanges({ db, settings, now: () => T0 + 3 });
    expect(pulled).toMatchObject({ applied: 1, parked: 1 });
    expect((await db.cases.get(fine.id))?.title).toBe('Stored fine');
    expect(await db.cases.get(refused.id)).toBeUndefined();
    expect(await db.syncRecords.get(['case', refused.id])).toMatchObject({ status: 'error', error: 'sync.pull.refused' });
    expect(typeof (await db.meta.get(CURSOR_META_KEY))?.value).toBe('string');
  });

  it('parks invalid data visibly without storing it', async () => {
    const { server, settings, db } = await setUp();
    const id = newId(T0 + 1);
    server.externalUpdate('case', id, { title: 42 });
    const pulled = await pullChanges({ db, settings, now: () => T0 + 2 });
    expect(pulled).toMatchObject({ applied: 0, skipped: 1, parked: 1 });
    const parked = await db.syncRecords.get(['case', id]);
    expect(parked).toMatchObject({ status: 'error', error: 'sync.pull.invalid' });
    expect(parked?.theirs).toBeUndefined();
    expect((await syncSummary(db)).firstParked).toEqual({ entity: 'case', id, label: id, reason: 'sync.pull.invalid' });
  });
});
