/**
 * The Dataverse client's access token: read from storage once for the
 * requests a drain starts together, not once each, and read again after a
 * look-up that failed.
 */
import { describe, expect, it, vi } from 'vitest';
import { SidecaseDb } from '../../../lib/db/db';
import { createDataverseClient } from '../../../lib/sync/dynamics365/client';
import { dataverseSimulators, settingsOf, signedIn } from './d365-support';

const simulator = dataverseSimulators();
const io = () => ({ fetch: globalThis.fetch.bind(globalThis), now: Date.now, timeoutMs: 5000, maxConcurrent: 4 });
const statusOf = (sent: Awaited<ReturnType<ReturnType<typeof createDataverseClient>['request']>>) =>
  sent.ok ? (sent.result.kind === 'response' ? sent.result.status : sent.result.kind) : 'error' in sent.outcome ? sent.outcome.error : sent.outcome.kind;

describe('the Dataverse client', () => {
  it('reads the stored sign-in once for requests that start together', async () => {
    const sim = await simulator();
    const db = new SidecaseDb(`d365-client-${Math.random()}`);
    const settings = await signedIn(sim, db);
    const client = createDataverseClient(settings, io(), db);
    const reads = vi.spyOn(db.meta, 'get');

    const answers = await Promise.all(Array.from({ length: 12 }, () => client.request('GET', '/WhoAmI')));

    expect(answers.map(statusOf)).toEqual(Array(12).fill(200));
    expect(reads).toHaveBeenCalledTimes(1);
    db.close();
  });

  it('looks again after a look-up that failed: signed in meanwhile, the next requests go', async () => {
    const sim = await simulator();
    const db = new SidecaseDb(`d365-client-${Math.random()}`);
    const settings = settingsOf(sim);
    const client = createDataverseClient(settings, io(), db);

    const before = await Promise.all([client.request('GET', '/WhoAmI'), client.request('GET', '/WhoAmI')]);
    expect(before.map(statusOf)).toEqual(['sync.oauth.signedOut', 'sync.oauth.signedOut']);

    // Signed in (on the options page) before the next requests.
    await signedIn(sim, db);
    expect(statusOf(await client.request('GET', '/WhoAmI'))).toBe(200);
    db.close();
  });
});
