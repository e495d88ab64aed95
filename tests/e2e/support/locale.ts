/**
 * Opening an extension page in another UI language. The panel's text comes
 * from chrome.i18n (lib/i18n/t.ts), which follows the browser's UI language;
 * a Chromium without that language's locale pack (Debian installs only
 * en-US unless chromium-l10n is there) stays English whatever --lang says.
 * So the page gets the built catalog of that language through the same two
 * calls the app makes, getMessage (with Chrome's $1… substitutions) and
 * getUILanguage, before any of its scripts runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { EXTENSION_DIR, KEEP_NAMES_SHIM, type ExtensionBrowser } from './browser';

type Catalog = Record<string, { message: string }>;

export async function openPageIn(ext: ExtensionBrowser, file: string, lang: string, viewport?: { width: number; height: number }): Promise<Page> {
  const catalog = JSON.parse(fs.readFileSync(path.join(EXTENSION_DIR, '_locales', lang, 'messages.json'), 'utf8')) as Catalog;
  const messages = Object.fromEntries(Object.entries(catalog).map(([key, value]) => [key.toLowerCase(), value.message]));
  const page = await ext.browser.newPage();
  if (viewport) await page.setViewport(viewport);
  await page.evaluateOnNewDocument(KEEP_NAMES_SHIM);
  await page.evaluateOnNewDocument(
    (table: Record<string, string>, language: string) => {
      const i18n = (globalThis as unknown as { chrome: { i18n: object } }).chrome.i18n;
      Object.defineProperty(i18n, 'getMessage', {
        configurable: true,
        value: (name: string, subs?: string | string[]) => {
          const message = table[name.toLowerCase()];
          if (message === undefined) return '';
          const list = subs === undefined ? [] : ([] as string[]).concat(subs);
          return message.replace(/\$(\$|[1-9])/g, (_, which: string) => (which === '$' ? '$' : (list[Number(which) - 1] ?? '')));
        },
      });
      Object.defineProperty(i18n, 'getUILanguage', { configurable: true, value: () => language });
    },
    messages,
    lang,
  );
  await page.goto(`chrome-extension://${ext.extensionId}/${file}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  return page;
}
