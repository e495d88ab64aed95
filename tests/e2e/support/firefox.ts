/**
 * Real Firefox with the built Firefox extension (MV2, `.output/firefox-mv2`)
 * installed, for the Firefox browser tests. Debian's firefox-esr by default
 * (FIREFOX_PATH overrides it), driven by puppeteer-core over WebDriver BiDi.
 *
 * Three Firefox-specific things, each worked around here and nowhere else:
 * - The extension is installed as a temporary add-on after launch
 *   (`browser.installExtension`, BiDi `webExtension.install`); its pages live
 *   at moz-extension://<uuid>/, a random UUID per profile unless the pref
 *   `extensions.webextensions.uuids` names it. We name it at launch.
 * - BiDi refuses to navigate a tab to a moz-extension:// URL ("not allowed in
 *   this context": only http, https, file, blob and about:blank are "safe")
 *   unless Firefox runs with `--remote-allow-system-access`.
 * - Firefox sends no BiDi load events for a page that lives in the extension
 *   process, so `page.goto` never sees its navigation finish (the navigate
 *   command itself succeeds). openPage waits for the page's own readiness
 *   signal (`body[data-ready]`) instead, then cancels goto's wait. For the
 *   same reason `page.url()` keeps saying about:blank (read `location.href`),
 *   `page.reload()` never resolves (open the page again), and preload scripts
 *   (`evaluateOnNewDocument`) do not run there.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { KEEP_NAMES_SHIM } from './browser';

export const FIREFOX_EXTENSION_DIR = path.resolve(process.env.SIDECASE_FIREFOX_DIR ?? '.output/firefox-mv2');

export function firefoxPath(): string {
  const candidates = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'];
  const found = candidates.find((candidate) => candidate && fs.existsSync(candidate));
  if (!found) throw new Error('No Firefox found: install it (apt-get install firefox-esr) or set FIREFOX_PATH.');
  return found;
}

export interface FirefoxExtensionBrowser {
  browser: Browser;
  /** The gecko add-on id from the manifest (`browser_specific_settings.gecko.id`). */
  addonId: string;
  /** The moz-extension:// host of the extension's pages. */
  uuid: string;
  /** Opens an extension page (e.g. 'sidepanel.html') in a new tab and waits until it is ready. */
  openPage(file: string, options?: { waitReady?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

export async function launchFirefoxWithExtension(options: { extensionDir?: string; lang?: string } = {}): Promise<FirefoxExtensionBrowser> {
  // Firefox installs from an absolute path only.
  const extensionDir = path.resolve(options.extensionDir ?? FIREFOX_EXTENSION_DIR);
  const manifestFile = path.join(extensionDir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`No built Firefox extension in ${extensionDir}: run npm run build:firefox first.`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { browser_specific_settings?: { gecko?: { id?: string } } };
  const addonId = manifest.browser_specific_settings?.gecko?.id;
  // Without a fixed id Firefox makes one up at install, and the UUID pref below cannot name it.
  if (!addonId) throw new Error(`${manifestFile} has no browser_specific_settings.gecko.id (set it in wxt.config.ts).`);

  const uuid = randomUUID();
  const lang = options.lang ?? 'en-US';
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecase-firefox-'));
  let browser: Browser | undefined;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: firefoxPath(),
      headless: true,
      userDataDir,
      args: ['--remote-allow-system-access', '--width=420', '--height=900'],
      env: { ...process.env, LANGUAGE: lang, MOZ_CRASHREPORTER_DISABLE: '1' },
      defaultViewport: { width: 400, height: 860 },
      extraPrefsFirefox: {
        'extensions.webextensions.uuids': JSON.stringify({ [addonId]: uuid }),
        // The panel follows the browser's language (the tests read English text).
        'intl.locale.requested': lang,
        'intl.accept_languages': lang,
        // A closed network: nothing to update, report or prefetch.
        'app.update.enabled': false,
        'extensions.update.enabled': false,
        'datareporting.policy.dataSubmissionEnabled': false,
        'toolkit.telemetry.enabled': false,
        'network.prefetch-next': false,
        'network.dns.disablePrefetch': true,
      },
    });
    const installed = await browser.installExtension(extensionDir);
    if (installed !== addonId) throw new Error(`Firefox installed the add-on as ${installed}, the manifest says ${addonId}.`);
  } catch (error) {
    await browser?.close().catch(() => undefined);
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const running = browser;

  return {
    browser: running,
    addonId,
    uuid,
    async openPage(file, { waitReady = true } = {}) {
      const page = await running.newPage();
      const url = `moz-extension://${uuid}/${file}`;
      const navigation = new AbortController();
      // Cancelled below once the page says it is there (see the module comment); a refused
      // navigation is kept for the message of the readiness wait, which then times out.
      let refused: Error | undefined;
      const going = page.goto(url, { signal: navigation.signal, timeout: 0 }).catch((error: Error) => {
        if (!navigation.signal.aborted) refused = error;
      });
      const deadline = Date.now() + 15_000;
      try {
        for (;;) {
          try {
            await page.waitForFunction(
              (expected, ready) => location.href === expected && (!ready || document.body?.getAttribute('data-ready') === 'true'),
              { timeout: Math.max(1, deadline - Date.now()), polling: 50 },
              url,
              waitReady,
            );
            break;
          } catch (error) {
            // A poll that ran in about:blank as the navigation replaced it fails at once ("Waiting
            // failed"): poll again in the new document, until the same 15 s deadline.
            if ((error as Error).name === 'TimeoutError' || Date.now() >= deadline) throw error;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
      } catch (error) {
        throw new Error(`${url} did not become ready: ${(refused ?? (error as Error)).message}`);
      } finally {
        navigation.abort();
        await going;
      }
      // Firefox runs no preload script (evaluateOnNewDocument) in an extension page: define tsx's
      // helper once the page is there (see KEEP_NAMES_SHIM; lost on reload, so openPage again instead).
      await page.evaluate(KEEP_NAMES_SHIM);
      return page;
    },
    async close() {
      const family = processFamily(running.process()?.pid);
      try {
        await running.close();
      } finally {
        // close() returns once the main process is gone; its content processes may still be
        // writing into the profile for a moment ('ENOTEMPTY' from the removal in one run of five).
        await untilGone(family);
        fs.rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

/** A process and its descendants, from /proc (empty where there is none). */
function processFamily(pid: number | undefined): number[] {
  if (!pid || !fs.existsSync('/proc')) return [];
  const parentOf = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The parent pid is the 4th field, after a command name that may hold spaces (in parentheses).
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const family = [pid];
  for (let i = 0; i < family.length; i++) {
    for (const [child, parent] of parentOf) if (parent === family[i]) family.push(child);
  }
  return family;
}

function isRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Waits until none of `pids` runs any more (10 s at most: a stuck one is left to the system). */
async function untilGone(pids: number[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (pids.some(isRunning) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}
