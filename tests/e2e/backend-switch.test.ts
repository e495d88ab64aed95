import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, setValue, type ExtensionBrowser } from './support/browser';
import { waitForSyncSaved } from './support/sync-settings';

const TOKEN = 'tok_e2e_switch_4242';
const NOTICE = '[data-notice="backend-switch"]';

let ext: ExtensionBrowser;
beforeAll(async () => {
  ext = await launchWithExtension();
});
afterAll(async () => {
  await ext?.close();
});

describe('switching backends on the options page', () => {
  it('says before Save that another backend starts its sync afresh, and not for the same one', async () => {
    const options = await ext.openPage('options.html');
    await options.waitForSelector('form[name="sync"][data-loaded="true"]');
    await options.select('[name="backend.kind"]', 'rest');
    await setValue(options, 'backend.url', 'http://127.0.0.1:9/a');
    await setValue(options, 'backend.token', TOKEN);
    // The first backend: nothing to start afresh.
    expect(await options.$(NOTICE)).toBeNull();
    await options.click('button[name="save-sync"]');
    await waitForSyncSaved(options, 15_000);

    await setValue(options, 'backend.url', 'http://127.0.0.1:9/b');
    await options.waitForSelector(NOTICE);
    expect(await options.$eval(NOTICE, (el) => el.textContent)).toMatch(/^This is another backend than the one Sidecase synced with: saving starts its sync afresh\./);
    // Back to the stored one (a trailing slash is the same backend): the notice goes.
    await setValue(options, 'backend.url', 'http://127.0.0.1:9/a/');
    await options.waitForFunction((sel) => !document.querySelector(sel), {}, NOTICE);
    await options.close();
  });
});
