/**
 * The end of a Dynamics 365 drain on the clock: once no lane is left to start,
 * the outcomes waiting are written at once (not COMMIT_AFTER_MS after the
 * first of them), so the outbox is empty soon after the last $batch answers.
 * Exactly once is untouched: an entry is deleted only in the write that
 * records its confirmation.
 */
import { describe, expect, it } from 'vitest';
import { guidOf } from '../../../lib/sync/dynamics365/guid';
import { drainOutbox } from '../../../lib/sync/engine';
import { freshDb } from '../cases/helpers';
import { createCases, dataverseSimulators, signedIn } from './d365-support';

const simulator = dataverseSimulators();

describe('the end of a Dynamics 365 drain', () => {
  it('writes the outcomes waiting once no lane is left to start: the outbox soon holds only what is still out', async () => {
    const sim = await simulator();
    const db = freshDb();
    const settings = await signedIn(sim, db);
    const cases = await createCases(db, 40);
    const last = guidOf(cases.at(-1)!);
    let leftWhenLastAnswered: number | undefined;
    const watched: typeof fetch = async (input, init) => {
      if (!(String(input).endsWith('/$batch') && String(init?.body ?? '').includes(last))) return fetch(input, init);
      // The last incident's $batch answers late (well within COMMIT_AFTER_MS of the first outcome):
      // by then the outcomes waiting (the customers', all confirmed) are written, their entries gone.
      await new Promise((resolve) => setTimeout(resolve, 250));
      leftWhenLastAnswered = await db.outbox.count();
      return fetch(input, init);
    };

    const result = await drainOutbox({ db, settings, fetch: watched, maxConcurrent: 4, timeoutMs: 5000 });

    expect(result).toMatchObject({ sent: 80, failed: 0, retried: 0 });
    // The last incident's entry is still there; at least one write (of 32 outcomes or more,
    // Committer's FINISHING_BATCH) went before the last answer, not COMMIT_AFTER_MS after the first.
    expect(leftWhenLastAnswered).toBeGreaterThanOrEqual(1);
    expect(80 - leftWhenLastAnswered!).toBeGreaterThanOrEqual(32);
    expect(await db.outbox.count()).toBe(0);
    expect(sim.rows('incidents')).toHaveLength(40);
    db.close();
  });
});
