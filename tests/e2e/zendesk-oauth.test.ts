/**
 * "Sign in with Zendesk" in real Chromium: the options page chooses the OAuth
 * sign-in for the Zendesk simulator (tests/support/zendesk-simulator.ts, on
 * 127.0.0.1 in this process), the button runs identity.launchWebAuthFlow
 * against the simulator's authorization page (PKCE, S256), and the
 * background delivers a new case with the bearer token it got. No host
 * permission is granted (headless Chromium never answers the prompt): every
 * request goes through CORS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZendeskSimulator, type ZendeskSimulator } from '../support/zendesk-simulator';
import { countRows, launchWithExtension, readTable, setValue, until, type ExtensionBrowser } from './support/browser';
import { createCase } from './support/case-work';
import { waitForSyncSaved } from './support/sync-settings';

const CLIENT_ID = 'sidecase_e2e';

describe('sync with Zendesk, signed in with OAuth on the options page', () => {
  let ext: ExtensionBrowser;
  let sim: ZendeskSimulator;

  beforeAll(async () => {
    sim = await startZendeskSimulator({ oauth: { clientId: CLIENT_ID } });
    ext = await launchWithExtension();
  });
  afterAll(async () => {
    await ext?.close();
    await sim?.close();
  });

  it('signs in through launchWebAuthFlow with PKCE, then a new case becomes one ticket sent with the bearer token', async () => {
    const options = await ext.openPage('options.html');
    await options.waitForSelector('form[name="sync"][data-loaded="true"]');
    await options.select('[name="backend.kind"]', 'zendesk');
    await options.select('[name="zendesk.auth"]', 'oauth');
    expect(await options.$('[name="zendesk.token"]')).toBeNull();
    await setValue(options, 'zendesk.url', sim.url);
    await setValue(options, 'zendesk.clientId', CLIENT_ID);
    await options.click('button[name="save-sync"]');
    await waitForSyncSaved(options, 10_000);
    expect(await options.$eval('output[name="zendesk.status"]', (el) => el.getAttribute('data-state'))).toBe('signedOut');

    await options.click('button[name="zendesk.signIn"]');
    await options.waitForSelector('output[name="zendesk.status"][data-state="signedIn"]', { timeout: 30_000 });
    expect(sim.oauthLog().signIns).toBe(1);
    const meta = await readTable<{ key: string; value: { state?: string } }>(options, 'meta');
    expect(meta.find((row) => row.key === `oauth:zendesk ${sim.url}`)?.value.state).toBe('signedIn');
    await options.close();

    const panel = await ext.openPage('sidepanel.html');
    const number = await createCase(panel, 'Invoice sent twice', { name: 'Dewi Lestari', email: 'dewi.lestari@example.id' }, 'high');
    const c = (await readTable<{ id: string; number: string }>(panel, 'cases')).find((row) => row.number === number)!;
    await until(() => sim.ticketByExternalId(c.id).length > 0, 'the ticket in Zendesk', 30_000);
    await until(async () => (await countRows(panel, 'outbox')) === 0, 'an empty outbox', 30_000);
    expect(sim.ticketByExternalId(c.id)).toHaveLength(1);
    expect(sim.ticketByExternalId(c.id)[0]).toMatchObject({ subject: 'Invoice sent twice', priority: 'high' });
    // Every API request carried the OAuth access token; none an API token.
    expect(sim.oauthLog().bearerRequests).toBeGreaterThan(0);
    expect(sim.oauthLog().basicRequests).toBe(0);
  });
});
