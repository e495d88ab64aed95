/**
 * When a drain's pass reads and writes, seen from the wall clock: its first
 * requests go out after a short first read of the outbox, not after a whole
 * page, and once no lane is left to start, each outcome is written as it
 * comes, so the outbox is empty soon after the last answer (not up to
 * COMMIT_AFTER_MS later). Exactly once is untouched: an entry is deleted only
 * in the write that records its confirmation.
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

  it('writes each outcome as it comes once no lane is left to start: the outbox holds only what is still out', async () => {
    const { server, db, settings } = await setUp();
    const ids: string[] = [];
    await db.transaction('rw', db.outbox, async () => {
      for (let i = 0; i < 8; i++) {
        const id = newId(T0);
        ids.push(id);
        await appendOutbox(db, { entity: 'case', entityId: id, type: 'case.created', at: T0 + i, data: { id, title: `Case ${i}` } });
      }
    });
    const last = ids.at(-1)!;
    let leftWhenLastAnswered: number | undefined;
    const watched: typeof fetch = async (input, init) => {
      if (!String(input).endsWith(`/cases/${last}`)) return fetch(input, init);
      // The last record's answer comes late (well within COMMIT_AFTER_MS of the first outcome):
      // by then the other seven outcomes are written and their entries gone.
      await new Promise((resolve) => setTimeout(resolve, 250));
      leftWhenLastAnswered = await db.outbox.count();
      return fetch(input, init);
    };

    const result = await drainOutbox({ db, settings, fetch: watched, maxConcurrent: 4 });

    expect(result).toMatchObject({ sent: 8, failed: 0 });
    expect(server.applied).toHaveLength(8);
    expect(leftWhenLastAnswered).toBe(1);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.syncRecords.toArray()).map((row) => row.status)).toEqual(Array(8).fill('synced'));
  });
});
