/**
 * When a drain's pass reads and writes, seen from the wall clock: its first
 * requests go out after a short first read of the outbox, not after a whole
 * page (the end of a pass: d365-drain-end.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { appendOutbox } from '../../../lib/db/changes';
import { newId } from '../../../lib/ids';
import { drainOutbox } from '../../../lib/sync/engine';
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
    // Every outbox entry read from storage goes through Dexie's reading hook.
    let read = 0;
    db.outbox.hook('reading', (entry) => {
      read += 1;
      return entry;
    });
    let readAtFirstRequest: number | undefined;
    const watched: typeof fetch = (input, init) => {
      readAtFirstRequest ??= read;
      return fetch(input, init);
    };

    const result = await drainOutbox({ db, settings, fetch: watched, maxConcurrent: 4, batchSize: 1000 });

    expect(result).toMatchObject({ sent: 300, failed: 0, retried: 0 });
    expect(server.applied).toHaveLength(300);
    expect(readAtFirstRequest).toBeGreaterThan(0);
    expect(readAtFirstRequest).toBeLessThanOrEqual(64);
    expect(await db.outbox.count()).toBe(0);
  });
});
