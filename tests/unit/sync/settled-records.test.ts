/**
 * A record's status after its last confirmation in a drain: "synced" only
 * when nothing of it is left in the outbox, whether the entry left was read
 * by the drain (not due yet) or written while the drain ran.
 */
import { describe, expect, it } from 'vitest';
import { appendOutbox } from '../../../lib/db/changes';
import { SidecaseDb } from '../../../lib/db/db';
import { newId } from '../../../lib/ids';
import { drainOutbox } from '../../../lib/sync/engine';
import { restDrains } from './rest-support';

const TOKEN = 'tok_settled_records_0123456789';
const HOUR = 3_600_000;

const setUp = restDrains('settled-records', TOKEN);

const customer = (db: SidecaseDb, id: string, at: number, name: string) =>
  appendOutbox(db, { entity: 'customer', entityId: id, type: at > Date.now() ? 'customer.updated' : 'customer.created', at, data: { id, name } });

const statusOf = async (db: SidecaseDb, id: string) => (await db.syncRecords.get(['customer', id]))?.status;

describe('a record settled by a drain', () => {
  it.each([
    ['a few other records sent beside them', 40, 0],
    // The outbox far larger than the records settled: counted one by one instead of reading every key.
    ['many other records waiting', 0, 120],
  ])('is synced when all its entries were confirmed, and stays pending when an entry of it waits (not due yet), with %s', { timeout: 30_000 }, async (_, sent, waitingOthers) => {
    const { db, settings } = await setUp();
    const done = newId();
    const waiting = newId();
    const past = Date.now() - 1000;
    await customer(db, done, past, 'Ada');
    await customer(db, done, past + 1, 'Ada Lovelace');
    await customer(db, waiting, past, 'Grace');
    // Its next change waits an hour (a backoff): read by the drain, not sent.
    await customer(db, waiting, Date.now() + HOUR, 'Grace Hopper');
    // Other records: sent (the flush tells many keys apart), or waiting (the outbox is large).
    for (let i = 0; i < sent; i++) await customer(db, newId(), past, `Other ${i}`);
    for (let i = 0; i < waitingOthers; i++) await customer(db, newId(), Date.now() + HOUR, `Waiting ${i}`);

    const result = await drainOutbox({ db, settings });

    expect(result).toMatchObject({ sent: 3 + sent, failed: 0, retried: 0 });
    expect(await statusOf(db, done)).toBe('synced');
    expect(await statusOf(db, waiting)).toBe('local');
    expect(await db.outbox.where('[entity+entityId]').equals(['customer', waiting]).count()).toBe(1);
  });

  it('stays pending when a change of it is written while its last request is out', { timeout: 30_000 }, async () => {
    const { db, settings } = await setUp();
    const id = newId();
    await customer(db, id, Date.now() - 1000, 'Ada');
    for (let i = 0; i < 10; i++) await customer(db, newId(), Date.now() - 1000, `Other ${i}`);
    let written = false;
    // The agent edits the customer while its creation is on the wire (the edit waits for a backoff, so no pass of this drain sends it).
    const editing: typeof fetch = async (input, init) => {
      if (!written && String(input).includes(`/customers/${id}`)) {
        written = true;
        await customer(db, id, Date.now() + HOUR, 'Ada Lovelace');
      }
      return fetch(input, init);
    };

    const result = await drainOutbox({ db, settings, fetch: editing });

    expect(written).toBe(true);
    expect(result).toMatchObject({ sent: 11, failed: 0 });
    expect(await statusOf(db, id)).toBe('local');
  });

  it.each([
    ['with its version: the remote id is kept', true],
    ['without a version: the remote id and version are kept', false],
  ])('made from an answer that brings no remote id, %s', { timeout: 30_000 }, async (_, answersVersion) => {
    const { db, settings } = await setUp();
    const id = newId();
    await db.syncRecords.put({ entity: 'customer', entityId: id, status: 'local', remoteId: 'R-1', remoteVersion: 3 });
    await customer(db, id, Date.now() - 1000, 'Ada');
    // The reference backend answers with the record's version; a plain backend answers {}.
    const plain: typeof fetch = async () => new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });

    const result = await drainOutbox({ db, settings, ...(answersVersion ? {} : { fetch: plain }) });

    expect(result).toMatchObject({ sent: 1, failed: 0 });
    const row = await db.syncRecords.get(['customer', id]);
    expect(row).toMatchObject({ status: 'synced', remoteId: 'R-1' });
    if (answersVersion) expect(row!.remoteVersion).not.toBe(3);
    else expect(row!.remoteVersion).toBe(3);
  });
});
