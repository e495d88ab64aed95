import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SidecaseDb } from '../../../lib/db/db';
import { reindexCaseWords } from '../../../lib/search/reindex';
import { searchCases } from '../../../lib/search/search';
import { newId } from '../../../lib/ids';

const names: string[] = [];
afterEach(async () => {
  for (const name of names.splice(0)) await Dexie.delete(name);
});

const customerId = newId(1_000);
const caseId = newId(2_000);
const childId = newId(2_500);
const noteId = newId(3_000);

/** Records as the first shipped version wrote them: no tagKeys, no words, no SLA. */
function v1Records() {
  return {
    customer: {
      id: customerId,
      kind: 'contact',
      name: 'Ana Kovács',
      emails: ['ana@northwind.example'],
      phones: ['+36 20 123 4567'],
      company: 'Northwind',
      searchKeys: ['ana kovacs', 'ana', 'kovacs'],
      createdAt: 1_000,
      updatedAt: 1_000,
      version: 1,
    },
    cases: [
      {
        id: caseId,
        number: 'CAS-000001-K7Q2',
        title: 'Refund for order 1042',
        customerId,
        subject: '',
        origin: 'email',
        product: '',
        priority: 'high',
        state: 'active',
        statusReason: 'inProgress',
        owner: 'Bea',
        tags: ['VIP', 'Refund'],
        description: 'Charged twice',
        createdAt: 2_000,
        updatedAt: 2_000,
        version: 1,
      },
      {
        id: childId,
        number: 'CAS-000002-K7Q2',
        title: 'Second charge',
        customerId,
        subject: '',
        origin: 'phone',
        product: '',
        priority: 'low',
        state: 'resolved',
        owner: 'Bea',
        tags: [],
        description: '',
        parentId: caseId,
        createdAt: 2_500,
        updatedAt: 2_600,
        version: 2,
      },
    ],
    note: {
      id: noteId,
      caseId,
      body: '<p>Customer mentioned the <b>chargeback</b> form</p>',
      format: 'html',
      author: 'Bea',
      createdAt: 3_000,
      updatedAt: 3_000,
      version: 1,
    },
    inboxNote: {
      id: newId(3_100),
      body: 'call back Tuesday',
      format: 'text',
      author: 'Bea',
      createdAt: 3_100,
      updatedAt: 3_100,
      version: 1,
    },
    attachment: {
      id: newId(3_200),
      caseId,
      blob: new Blob(['%PDF-1.4']),
      name: 'invoice.pdf',
      type: 'application/pdf',
      size: 8,
      source: 'upload',
      uploadedBy: 'Bea',
      uploadedAt: 3_200,
    },
    timeline: { id: newId(2_000), caseId, customerId, kind: 'created', actor: 'Bea', at: 2_000, data: { number: 'CAS-000001-K7Q2' } },
    outbox: {
      id: newId(2_000),
      entity: 'case',
      entityId: caseId,
      type: 'case.created',
      idempotencyKey: `case:${caseId}:x`,
      occurredAt: 2_000,
      data: { id: caseId },
      attempts: 2,
      nextAttemptAt: 9_000,
      lastError: 'sync.error.offline',
    },
    meta: [
      { key: 'caseCounter', value: 2 },
      { key: 'installSuffix', value: 'K7Q2' },
    ],
  };
}

async function writeAt(name: string, version: number, stores: Record<string, string>, records: ReturnType<typeof v1Records>) {
  const old = new Dexie(name);
  old.version(version).stores(stores);
  await old.open();
  await old.table('customers').add(records.customer);
  await old.table('cases').bulkAdd(records.cases);
  await old.table('notes').bulkAdd([records.note, records.inboxNote]);
  await old.table('attachments').add(records.attachment);
  await old.table('timeline').add(records.timeline);
  await old.table('outbox').add(records.outbox);
  await old.table('meta').bulkAdd(records.meta);
  old.close();
}

async function expectEveryRecordKept(db: SidecaseDb, records: ReturnType<typeof v1Records>) {
  expect(await db.customers.get(customerId)).toEqual(records.customer);
  for (const c of records.cases) expect(await db.cases.get(c.id)).toMatchObject(c);
  expect(await db.notes.get(noteId)).toMatchObject(records.note);
  expect(await db.notes.get(records.inboxNote.id)).toMatchObject(records.inboxNote);
  const { blob: _blob, ...attachment } = records.attachment;
  expect(await db.attachments.get(records.attachment.id)).toMatchObject(attachment);
  expect(await db.timeline.get(records.timeline.id)).toEqual(records.timeline);
  expect(await db.outbox.get(records.outbox.id)).toEqual(records.outbox);
  expect(await db.meta.toArray()).toEqual(expect.arrayContaining(records.meta));
}

describe('opening a database written by an older version', () => {
  it('keeps every version-1 record and fills tag keys, search words and SLA deadlines', async () => {
    const name = `test-${crypto.randomUUID()}`;
    names.push(name);
    const records = v1Records();
    await writeAt(name, 1, SCHEMA_V1, records);

    const db = new SidecaseDb(name);
    await db.open();
    expect(db.verno).toBe(4);
    await expectEveryRecordKept(db, records);

    const migrated = await db.cases.get(caseId);
    expect(migrated?.tagKeys).toEqual(['vip', 'refund']);
    expect(migrated?.words).toEqual(expect.arrayContaining(['000001', '1', 'refund', 'kovacs', 'northwind', '36201234567', 'vip']));
    // High priority: 4 h to first response, 1 day to resolve, from creation.
    expect(migrated?.sla).toEqual({ firstResponseBy: 2_000 + 4 * 3_600_000, resolveBy: 2_000 + 24 * 3_600_000 });
    expect(migrated?.slaDueAt).toBe(2_000 + 4 * 3_600_000);
    expect(migrated?.resolutions).toEqual([]);
    expect((await db.notes.get(noteId))?.words).toEqual(expect.arrayContaining(['customer', 'chargeback', 'form']));
    expect(migrated?.noteWords).toEqual(expect.arrayContaining(['customer', 'chargeback', 'form']));
    db.close();
  });

  it('answers the new indexes after the upgrade', async () => {
    const name = `test-${crypto.randomUUID()}`;
    names.push(name);
    await writeAt(name, 1, SCHEMA_V1, v1Records());
    const db = new SidecaseDb(name);

    expect((await db.cases.where('tagKeys').equals('vip').toArray()).map((c) => c.id)).toEqual([caseId]);
    expect(await db.cases.where('[owner+state+updatedAt]').between(['Bea', 'active', 0], ['Bea', 'active', Infinity]).count()).toBe(1);
    expect((await db.cases.where('words').startsWith('kovac').primaryKeys()).sort()).toEqual([caseId, childId].sort());
    expect((await db.notes.where('words').startsWith('chargeb').toArray()).map((n) => n.id)).toEqual([noteId]);
    expect(await db.cases.where('noteWords').startsWith('chargeb').primaryKeys()).toEqual([caseId]);
    expect(await db.cases.where('[state+priority+updatedAt]').between(['active', 'high', 0], ['active', 'high', Infinity]).count()).toBe(1);
    expect(await db.cases.where('[state+slaDueAt]').between(['resolved', 0], ['resolved', Infinity]).count()).toBe(1);
    expect(await db.cases.where('parentId').equals(caseId).count()).toBe(1);
    expect((await db.notes.orderBy('inboxAt').toArray()).map((n) => n.body)).toEqual(['call back Tuesday']);
    expect(await db.attachments.where('[caseId+uploadedAt]').between([caseId, 0], [caseId, Infinity]).count()).toBe(1);
    expect(await db.followUps.count()).toBe(0);
    expect(await db.syncRecords.count()).toBe(0);
    db.close();
  });

  it('keeps every version-2 record when opening it in version 3', async () => {
    const name = `test-${crypto.randomUUID()}`;
    names.push(name);
    const records = v1Records();
    records.cases = records.cases.map((c) => ({ ...c, tagKeys: c.tags.map((t) => t.toLowerCase()) }));
    await writeAt(name, 2, SCHEMA_V2, records);
    const v2 = new Dexie(name);
    v2.version(2).stores(SCHEMA_V2);
    await v2.table('syncRecords').add({ entity: 'case', entityId: caseId, status: 'synced', etag: '"7"' });
    await v2.table('deliveries').add({ id: newId(4_000), outboxId: records.outbox.id, type: 'case.created', at: 4_000, attempts: 1, ok: false });
    v2.close();

    const db = new SidecaseDb(name);
    await db.open();
    await expectEveryRecordKept(db, records);
    expect(await db.syncRecords.get(['case', caseId])).toMatchObject({ status: 'synced', etag: '"7"' });
    expect(await db.deliveries.count()).toBe(1);
    expect((await db.cases.get(childId))?.words).toEqual(expect.arrayContaining(['second', 'charge', 'ana']));
    db.close();
  });

  it('gives the cases of a version-3 database the phone words and source keys of issue 13 in the background, batch by batch, keeping every record', async () => {
    const name = `test-${crypto.randomUUID()}`;
    names.push(name);
    const v1 = v1Records();
    // The derived fields as version 3 stored them: a phone's digits, its groups and its last nine digits.
    const v3Words = [
      ['000001', '1', 'k7q2', 'refund', 'for', 'order', '1042', 'vip', 'ana', 'kovacs', 'northwind', 'example', '36201234567', '36', '20', '123', '4567', '201234567'],
      ['000002', 'k7q2', '2', 'second', 'charge', 'ana', 'kovacs', 'northwind', 'example', '36201234567', '36', '20', '123', '4567', '201234567'],
    ];
    const cases = v1.cases.map((c, i) => ({
      // The first case was made from a Gmail thread: "already a case" finds it by its source key once re-indexed.
      ...(i === 0 ? { source: { kind: 'page' as const, url: 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJbWvKmPqRsTu' } } : {}),
      ...c,
      tagKeys: c.tags.map((t) => t.toLowerCase()),
      words: v3Words[i]!,
      noteWords: i === 0 ? ['customer', 'mentioned', 'the', 'chargeback', 'form'] : [],
      customerLabel: 'Ana Kovács',
      resolutions: [],
      sla: { firstResponseBy: 9_000, resolveBy: 99_000 },
      slaDueAt: 9_000,
    }));
    const records = { ...v1, cases };
    await writeAt(name, 3, SCHEMA_V3, records);
    const v3 = new Dexie(name);
    v3.version(3).stores(SCHEMA_V3);
    await v3.table('syncRecords').add({ entity: 'case', entityId: caseId, status: 'synced', etag: '"7"' });
    await v3.table('followUps').add({ id: newId(5_000), caseId, dueAt: 50_000, text: 'Call back', done: false });
    v3.close();

    const db = new SidecaseDb(name);
    await db.open();
    // No schema upgrade: opening does not wait for every case to be rewritten.
    expect(db.verno).toBe(4);
    expect((await db.cases.get(caseId))?.words).toEqual(v3Words[0]);
    // One case per batch, stopped after the first (a worker stopped half-way): the next start goes on from there.
    expect(await reindexCaseWords(db, { batchSize: 1, maxBatches: 1 })).toBe('more');
    const [first, second] = [...records.cases].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect((await db.cases.get(first!.id))?.words).toEqual(expect.arrayContaining(['06201234567', '1234567']));
    expect((await db.cases.get(second!.id))?.words).toEqual(v3Words[records.cases.indexOf(second!)]);
    expect(await reindexCaseWords(db, { batchSize: 1 })).toBe('done');
    expect((await db.meta.get('searchWordsVersion'))?.value).toBe(3);
    // Words version 3: the source key, in the index version 4 added.
    expect(await db.cases.where('sourceKey').equals('mail.google.com#FMfcgzQXJbWvKmPqRsTu').primaryKeys()).toEqual([caseId]);
    // Every record as it was, the cases' words aside.
    expect(await db.customers.get(customerId)).toEqual(records.customer);
    for (const c of records.cases) {
      const { words: _old, ...kept } = c;
      const { words: _new, sourceKey: _key, ...migrated } = (await db.cases.get(c.id))!;
      expect(migrated).toEqual(kept);
    }
    await expectEveryRecordKept(db, { ...records, cases: [] });
    expect(await db.syncRecords.get(['case', caseId])).toMatchObject({ status: 'synced', etag: '"7"' });
    expect(await db.followUps.count()).toBe(1);
    // The phone +36 20 123 4567 in the forms version 4 adds.
    expect((await db.cases.get(caseId))?.words).toEqual(
      expect.arrayContaining(['refund', 'kovacs', '36201234567', '06201234567', '201234567', '1234567', '4567']),
    );
    expect((await searchCases('06 20 123 4567', { db })).map((h) => h.case.id).sort()).toEqual([caseId, childId].sort());
    expect((await searchCases('123 4567', { db })).map((h) => h.case.id).sort()).toEqual([caseId, childId].sort());
    db.close();
  });
});
