/**
 * The committer holds back the outcomes of a lane still out: a record whose
 * first change is confirmed while its next is on the wire is recorded once,
 * when its lane ends (one sync-row write, its entries deleted together), not
 * once per timed write its lane runs through. Exactly once is untouched: an
 * entry is deleted only in the write that records its confirmation.
 */
import { describe, expect, it } from 'vitest';
import { appendOutbox } from '../../../lib/db/changes';
import type { SidecaseDb } from '../../../lib/db/db';
import { newId } from '../../../lib/ids';
import { drainOutbox } from '../../../lib/sync/engine';
import { restDrains } from './rest-support';

const TOKEN = 'tok_held_outcomes_0123456789';
/** The committer's timed write comes this long after the first outcome waiting (Committer's COMMIT_AFTER_MS). */
const COMMIT_AFTER_MS = 500;

const setUp = restDrains('held-outcomes', TOKEN);

const customer = (db: SidecaseDb, id: string, at: number, name: string, type: 'customer.created' | 'customer.updated') =>
  appendOutbox(db, { entity: 'customer', entityId: id, type, at, data: { id, name } });

describe('the outcomes of a lane still out', () => {
  it('are written when the lane ends: the timed write meanwhile records the other records, and the slow record is written once', { timeout: 30_000 }, async () => {
    const { db, settings } = await setUp();
    const past = Date.now() - 1000;
    const others: string[] = [];
    for (let i = 0; i < 10; i++) others.push(newId());
    const slow = newId();
    for (const id of others.slice(0, 5)) await customer(db, id, past, `Before ${id}`, 'customer.created');
    await customer(db, slow, past, 'Ada', 'customer.created');
    await customer(db, slow, past + 1, 'Ada Lovelace', 'customer.updated');
    for (const id of others.slice(5)) await customer(db, id, past, `After ${id}`, 'customer.created');

    const rowWrites: string[] = [];
    db.syncRecords.hook('creating', (_key, row) => void rowWrites.push(row.entityId));
    db.syncRecords.hook('updating', (_changes, _key, row) => void rowWrites.push(row.entityId));
    let seen: { slowLeft: number; allLeft: number; othersWritten: number } | undefined;
    let slowCalls = 0;
    const slowed: typeof fetch = async (input, init) => {
      if (String(input).includes(`/customers/${slow}`) && ++slowCalls === 2) {
        // The update is out past the timed write, well under the second after which a lane shows "syncing".
        await new Promise((resolve) => setTimeout(resolve, COMMIT_AFTER_MS + 200));
        seen = {
          slowLeft: await db.outbox.where('[entity+entityId]').equals(['customer', slow]).count(),
          allLeft: await db.outbox.count(),
          othersWritten: rowWrites.filter((id) => id !== slow).length,
        };
      }
      return fetch(input, init);
    };

    const result = await drainOutbox({ db, settings, fetch: slowed });

    expect(result).toMatchObject({ sent: 12, failed: 0, retried: 0 });
    // While the update was out: the ten other records were written and their entries deleted;
    // the slow record's creation, confirmed, was held with its lane, its entry still there.
    expect(seen).toEqual({ slowLeft: 2, allLeft: 2, othersWritten: 10 });
    expect(rowWrites.filter((id) => id === slow)).toHaveLength(1);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.syncRecords.get(['customer', slow]))?.status).toBe('synced');
  });
});
