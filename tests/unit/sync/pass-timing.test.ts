/**
 * When a drain's pass reads and writes, seen from the wall clock: its first
 * requests go out after a short first read of the outbox, not after a whole
 * page (the end of a pass: d365-drain-end.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { appendOutbox } from '../../../lib/db/changes';
import { newId } from '../../../lib/ids';
import { drainOutbox } from '../../../lib/sync/engine';
import { watchFirstRequest } from './first-request-support';
import { restDrains } from './rest-support';

const TOKEN = 'tok_pass_timing_0123456789';
const T0 = Date.UTC(2025, 5, 3, 9, 0, 0);
const setUp = restDrains('pass-timing', TOKEN);

describe('a pass over the outbox, on the clock', () => {
  it('sends its first request after reading a short first page, not the whole outbox page', async () => {
    const { server, db, settings } = await setUp();
    await db.transaction('rw', db.outbox, async () => {
      for (let i = 0; i < 300; i++) {
        const id = newId(T0);
        await appendOutbox(db, { entity: 'case', entityId: id, type: 'case.created', at: T0 + i, data: { id, title: `Case ${i}` } });
      }
    });
    const first = watchFirstRequest(db);

    const result = await drainOutbox({ db, settings, fetch: first.fetch, maxConcurrent: 4, batchSize: 1000 });

    expect(result).toMatchObject({ sent: 300, failed: 0, retried: 0 });
    expect(server.applied).toHaveLength(300);
    expect(first.readAtFirstRequest()).toBeGreaterThan(0);
    expect(first.readAtFirstRequest()).toBeLessThanOrEqual(64);
    expect(await db.outbox.count()).toBe(0);
  });
});
