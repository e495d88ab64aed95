/**
 * What the panel loads before New is ready (house style: "the side panel's
 * first paint needs only the form"). zod/mini checks the stored draft and
 * settings before the first paint; zod's full build (the case schemas, the
 * JSON Schema output it carries) waits for Save. The bench measures the bytes
 * (sidepanel_js_gzip); this checks which code, so a chunking change that drags
 * the full build back in fails here and not only as a figure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_DIR, launchWithExtension, removeDraft, until, type ExtensionBrowser } from './support/browser';

/** Code only zod's full build has: its JSON Schema converter and its classic string schema. */
const FULL_ZOD = { jsonSchema: '[toJSONSchema]', classic: /\("ZodString",/ };

let ext: ExtensionBrowser;

beforeAll(async () => {
  ext = await launchWithExtension();
  await removeDraft(ext);
});
afterAll(async () => {
  await ext?.close();
});

function builtScript(url: string): string {
  return fs.readFileSync(path.join(EXTENSION_DIR, new URL(url).pathname), 'utf8');
}

const hasFullZod = (code: string) => code.includes(FULL_ZOD.jsonSchema) || FULL_ZOD.classic.test(code);

describe('the panel’s first paint', () => {
  it('makes New ready with zod/mini only, and loads the full zod build after it, for Save', async () => {
    // Extension pages have no resource timing: the scripts are read off the DevTools protocol, with their wall-clock start.
    const page = await ext.browser.newPage();
    const cdp = await page.createCDPSession();
    const requested: { url: string; at: number }[] = [];
    cdp.on('Network.requestWillBeSent', (event) => {
      if (event.request.url.endsWith('.js')) requested.push({ url: event.request.url, at: event.wallTime * 1000 });
    });
    await cdp.send('Network.enable');
    await page.goto(`chrome-extension://${ext.extensionId}/sidepanel.html`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    const ready = await page.evaluate(() => performance.timeOrigin + performance.getEntriesByName('sidecase:ready')[0]!.startTime);
    const loaded = requested.filter((request) => request.at <= ready).map((request) => request.url);
    expect(loaded.some((url) => url.includes('/chunks/sidepanel-')), `scripts requested before ready: ${loaded.join(', ')}`).toBe(true);
    const withFullZod = loaded.filter((url) => hasFullZod(builtScript(url)));
    expect(withFullZod, 'scripts with zod’s full build loaded before New was ready').toEqual([]);

    // The markers are real: both turn up once the panel, idle, has loaded Save's validator.
    const later = await until(() => {
      const code = requested.map((request) => builtScript(request.url)).join('\n');
      return code.includes(FULL_ZOD.jsonSchema) && FULL_ZOD.classic.test(code);
    }, 'zod’s full build (its JSON Schema converter and its ZodString) to load after the first paint');
    expect(later).toBe(true);
    await page.close();
  });
});
