/**
 * A drain reads each record's sync row once (lib/sync/drain-rows.ts): the
 * committer takes it from the copy the pump read. The copy is never used
 * once another writer changed a row meanwhile (the pull, "Keep mine"), and
 * the rows a lane starts with are the stored ones, whichever way they were
 * read (lib/sync/request-pump.ts, readRows).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import { appendOutbox } from '../../../lib/db/changes';
import { newId } from '../../../lib/ids';
import { drainOutbox } from '../../../lib/sync/engine';
import { pullChanges } from '../../../lib/sync/pull';
import { caseInput } from '../cases/helpers';
import { editCaseLocally, restDrains } from './rest-support';

const TOKEN = 'tok_drain_rows_0123456789';
const T0 = Date.UTC(2025, 5, 2, 9, 0, 0);

const setUp = restDrains('drain-rows', TOKEN);

/** Rows of `store` read from IndexedDB from now on, by key (get) or by range (getAll): what each request answered. */
function countRowsRead(store: string): () => number {
  let rows = 0;
  const get = IDBObjectStore.prototype.get;
  const getAll = IDBObjectStore.prototype.getAll;
  vi.spyOn(IDBObjectStore.prototype, 'get').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['get']>) {
    const request = get.apply(this, args);
    if (this.name === store) request.addEventListener('success', () => (rows += request.result === undefined ? 0 : 1));
    return request;
  });
  vi.spyOn(IDBObjectStore.prototype, 'getAll').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['getAll']>) {
    const request = getAll.apply(this, args);
    if (this.name === store) request.addEventListener('success', () => (rows += request.result.length));
    return request;
  });
  return () => rows;
}

const unavailable = () => new Response('busy', { status: 503 });
const isPutOf = (input: RequestInfo | URL, init: RequestInit | undefined, id: string) => init?.method === 'PUT' && String(input).includes(`/cases/${id}`);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a drain's copy of the sync rows", () => {
  it('is not written over a row the pull changed while the change of its record was on the wire', { timeout: 20_000 }, async () => {
    const { server, db, settings } = await setUp();
    const { case: created } = await createCase(caseInput({ title: 'Printer jams' }, { phone: '' }), { actor: 'Eva', db, now: T0 });
    await drainOutbox({ db, settings, now: () => T0 + 1 });
    await editCaseLocally(db, created.id, 'Printer jams (mine)', T0 + 2);

    // The desk edits the ticket, and a pull (another sync run) finds it while our edit is out; our edit is answered 503.
    const pullingMeanwhile: typeof fetch = async (input, init) => {
      if (!isPutOf(input, init, created.id)) return fetch(input, init);
      server.externalUpdate('case', created.id, { ...created, title: 'Printer jams (theirs)', version: 2 });
      expect(await pullChanges({ db, settings, now: () => T0 + 3 })).toMatchObject({ conflicts: 1 });
      return unavailable();
    };
    const result = await drainOutbox({ db, settings, fetch: pullingMeanwhile, now: () => T0 + 4 });

    expect(result).toMatchObject({ sent: 0, retried: 1 });
    // What the pull wrote stays (their version and its ETag), with the retry's error beside it.
    expect(await db.syncRecords.get(['case', created.id])).toMatchObject({
      theirs: { title: 'Printer jams (theirs)' },
      etag: '"v2"',
      remoteVersion: 2,
      error: 'sync.error.server',
    });
  });

  it("is read once: the committer does not read a row again that the lane's start read", { timeout: 20_000 }, async () => {
    const { db, settings } = await setUp();
    const ids = Array.from({ length: 10 }, (_, i) => newId(T0 + i));
    await db.syncRecords.bulkPut(ids.map((id) => ({ entity: 'customer' as const, entityId: id, status: 'synced' as const, etag: `"e-${id}"`, remoteVersion: 1 })));
    for (const id of ids) await appendOutbox(db, { entity: 'customer', entityId: id, type: 'customer.updated', at: T0 + 100, data: { id, name: 'Ada' } });
    const rowsRead = countRowsRead('syncRecords');
    const answering: typeof fetch = async () => new Response('{}', { status: 200, headers: { 'content-type': 'application/json', etag: '"new"' } });

    const result = await drainOutbox({ db, settings, fetch: answering, now: () => T0 + 200 });

    expect(result).toMatchObject({ sent: 10 });
    // The answers lack the remote id: the committer needs each row, and has it (whichever way the pump read them).
    expect(rowsRead()).toBe(10);
    expect(await db.syncRecords.get(['customer', ids[0]!])).toMatchObject({ status: 'synced', etag: '"new"', remoteVersion: 1 });
  });
});

describe('the rows lanes start with', () => {
  /** Sends every change, answering 200, and keeps the If-Match each record's first request sent. */
  function recordingFetch() {
    const ifMatch = new Map<string, string | null>();
    const fetchFn: typeof fetch = async (input, init) => {
      const id = decodeURIComponent(String(input).split('/').at(-1)!);
      if (!ifMatch.has(id)) ifMatch.set(id, new Headers(init?.headers).get('if-match'));
      return new Response('{}', { status: 200, headers: { 'content-type': 'application/json', etag: '"new"' } });
    };
    return { fetch: fetchFn, ifMatch };
  }

  it.each([
    // Many new records beside a few synced ones: their range is read for its keys, rows only where there are.
    ['many new records and a few synced ones', 40, [0, 5, 10, 15, 20, 25, 30, 39], 30],
    // The synced records far apart among many others: the range is not read to its end, every row is.
    ['synced records far apart among many others', 200, [0, 20, 40, 60, 80, 100, 150, 199], 0],
  ])('send the stored ETag of each record, with %s', { timeout: 20_000 }, async (_, stored, edited, fresh) => {
    const { db, settings } = await setUp();
    const ids = Array.from({ length: stored }, (_, i) => newId(T0 + i));
    await db.syncRecords.bulkPut(ids.map((id) => ({ entity: 'customer' as const, entityId: id, status: 'synced' as const, etag: `"e-${id}"`, remoteVersion: 1 })));
    const editedIds = edited.map((i) => ids[i]!);
    const freshIds = Array.from({ length: fresh }, (_, i) => newId(T0 + stored + i));
    for (const id of editedIds) await appendOutbox(db, { entity: 'customer', entityId: id, type: 'customer.updated', at: T0 + 1000, data: { id, name: 'Ada' } });
    for (const id of freshIds) await appendOutbox(db, { entity: 'customer', entityId: id, type: 'customer.created', at: T0 + 1000, data: { id, name: 'Grace' } });
    const { fetch: recording, ifMatch } = recordingFetch();

    const result = await drainOutbox({ db, settings, fetch: recording, now: () => T0 + 2000 });

    expect(result).toMatchObject({ sent: edited.length + fresh });
    for (const id of editedIds) expect(ifMatch.get(id)).toBe(`"e-${id}"`);
    for (const id of freshIds) expect(ifMatch.get(id)).toBeNull();
  });
});

describe('the rows the engine marks "syncing"', () => {
  it('are only those of records whose request is out for SYNCING_AFTER_MS, not every record out when the ticker fires', { timeout: 20_000 }, async () => {
    const { db, settings } = await setUp();
    const ids = Array.from({ length: 8 }, (_, i) => newId(T0 + i));
    for (const id of ids) await appendOutbox(db, { entity: 'customer', entityId: id, type: 'customer.created', at: T0 + 100, data: { id, name: 'Ada' } });
    // One request at a time, each answered in a quarter of a second: a request is always out, none for long.
    const quick: typeof fetch = async () => {
      await new Promise((resolve) => setTimeout(resolve, 250));
      return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const writes = vi.spyOn(db.syncRecords, 'bulkPut');

    const result = await drainOutbox({ db, settings, fetch: quick, maxConcurrent: 1, now: () => T0 + 200 });

    expect(result).toMatchObject({ sent: 8 });
    const marked = writes.mock.calls.flatMap(([rows]) => rows.filter((row) => row.status === 'syncing'));
    expect(marked).toEqual([]);
  });


  it('are read again, not taken from the copy made before the mark', { timeout: 20_000 }, async () => {
    const { db, settings } = await setUp();
    const id = newId(T0);
    await db.syncRecords.put({ entity: 'customer', entityId: id, status: 'synced', etag: '"e-1"', remoteVersion: 1 });
    await appendOutbox(db, { entity: 'customer', entityId: id, type: 'customer.updated', at: T0 + 100, data: { id, name: 'Ada' } });
    // A slow request (past SYNCING_AFTER_MS, the record shown "syncing"), then answered 503.
    const slow: typeof fetch = async () => {
      await new Promise((resolve) => setTimeout(resolve, 1800));
      return unavailable();
    };

    const result = await drainOutbox({ db, settings, fetch: slow, now: () => T0 + 200 });

    expect(result).toMatchObject({ retried: 1 });
    // The retry's row builds on the row as the mark left it (its time stays), as it did when every flush read it.
    expect(await db.syncRecords.get(['customer', id])).toMatchObject({ status: 'local', etag: '"e-1"', error: 'sync.error.server', sendingSince: expect.any(Number) });
  });
});
