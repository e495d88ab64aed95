/**
 * What the Dynamics 365 unit tests share: Dataverse simulators closed after
 * each test, the app registration, a sign-in through the simulated authority
 * (the browser's auth window played by fetch) and a drain run until the
 * outbox is empty. Call `dataverseSimulators()` once at the top of a test file.
 */
import { afterEach } from 'vitest';
import { createCase } from '../../../lib/cases/create';
import type { SidecaseDb } from '../../../lib/db/db';
import { providerOf, tokenKeyOf } from '../../../lib/sync/dynamics365/client';
import { drainOutbox } from '../../../lib/sync/engine';
import { saveTokens, signIn, type AuthBrowser } from '../../../lib/sync/oauth';
import type { Dynamics365Settings } from '../../../lib/sync/settings';
import { startDataverseSimulator, type DataverseSimulator } from '../../support/dataverse-simulator';
import { caseInput } from '../cases/helpers';

const CLIENT_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const REDIRECT = 'https://abcdefghijklmnop.chromiumapp.org/';

/** Starts simulators for a test file, each closed after the test that started it. */
export function dataverseSimulators(): (options?: Parameters<typeof startDataverseSimulator>[0]) => Promise<DataverseSimulator> {
  const started: DataverseSimulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });
  return async (options = {}) => {
    const sim = await startDataverseSimulator(options);
    started.push(sim);
    return sim;
  };
}

export const settingsOf = (sim: DataverseSimulator): Dynamics365Settings => ({ kind: 'dynamics365', url: sim.url, clientId: CLIENT_ID, authority: sim.authority });

/** The browser's auth window, played by fetch: the authority's redirect is where the window would land. */
const authWindow: AuthBrowser = {
  redirectUrl: REDIRECT,
  async launchWebAuthFlow(url) {
    const answer = await fetch(url, { redirect: 'manual' });
    return answer.headers.get('location') ?? undefined;
  },
};

/** Signs in to `sim` (authorization code with PKCE) and stores the tokens in `db`; the settings to drain with. */
export async function signedIn(sim: DataverseSimulator, db: SidecaseDb): Promise<Dynamics365Settings> {
  const settings = settingsOf(sim);
  const io = { fetch: globalThis.fetch.bind(globalThis), now: Date.now };
  await saveTokens(tokenKeyOf(settings), await signIn(providerOf(settings), authWindow, io), { db });
  return settings;
}

export const ctx = (db: SidecaseDb) => ({ db, actor: 'agent@contoso.example' });

/** `count` cases ("Case i"), each for a new customer ("Customer i", customer<i>@example.org); their ids in order. */
export async function createCases(db: SidecaseDb, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const customer = { name: `Customer ${i}`, email: `customer${i}@example.org`, phone: '', company: '' };
    ids.push((await createCase(caseInput({ title: `Case ${i}` }, customer), ctx(db))).case.id);
  }
  return ids;
}

/** Drains until the outbox is empty, at most `rounds` times, the clock moved past each round's backoff. */
export async function drainAll(db: SidecaseDb, settings: Dynamics365Settings, rounds = 30): Promise<void> {
  let clock = Date.now();
  for (let i = 0; i < rounds && (await db.outbox.count()) > 0; i++) {
    await drainOutbox({ db, settings, now: () => clock, random: () => 0, maxConcurrent: 4, timeoutMs: 5000 });
    // Retries wait for their backoff: move the clock past it.
    clock += 10 * 60_000;
  }
}
