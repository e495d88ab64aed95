/**
 * Real Chromium with the built extension loaded, for the browser tests and
 * the bench. Debian's Chromium by default (CHROME_PATH overrides it); the
 * flags keep a closed-network machine quiet and fast.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page, type WebWorker } from 'puppeteer-core';

export const EXTENSION_DIR = path.resolve(process.env.SIDECASE_EXTENSION_DIR ?? '.output/chrome-mv3');

export function chromePath(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  const found = candidates.find((candidate) => candidate && fs.existsSync(candidate));
  if (!found) throw new Error('No Chromium found: install it (apt-get install chromium) or set CHROME_PATH.');
  return found;
}

/**
 * tsx (used by `npm run bench`) compiles with esbuild's keepNames, which wraps
 * functions in a `__name(...)` helper; functions passed to page.evaluate then
 * run in the page without it. This defines it there as a no-op.
 */
export const KEEP_NAMES_SHIM = 'globalThis.__name ??= (target) => target;';

export interface ExtensionBrowser {
  browser: Browser;
  extensionId: string;
  userDataDir: string;
  /** Opens an extension page (e.g. 'sidepanel.html') in a new tab and waits until it is ready. */
  openPage(file: string, options?: { waitReady?: boolean }): Promise<Page>;
  serviceWorker(): Promise<WebWorker>;
  close(options?: { keepProfile?: boolean }): Promise<void>;
}

export async function launchWithExtension(options: { userDataDir?: string; extensionDir?: string; lang?: string } = {}): Promise<ExtensionBrowser> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  if (!fs.existsSync(path.join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}: run npm run build first.`);
  }
  const userDataDir = options.userDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sidecase-profile-'));
  const browser = await puppeteer.launch({
    executablePath: chromePath(),
    headless: true,
    pipe: true,
    enableExtensions: [extensionDir],
    userDataDir,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      `--lang=${options.lang ?? 'en-US'}`,
      '--window-size=420,900',
    ],
    env: { ...process.env, LANGUAGE: options.lang ?? 'en-US' },
    defaultViewport: { width: 400, height: 860 },
  });
  const workerTarget = await browser.waitForTarget(
    (target) => target.type() === 'service_worker' && target.url().startsWith('chrome-extension://'),
    { timeout: 20_000 },
  );
  const extensionId = new URL(workerTarget.url()).host;

  return {
    browser,
    extensionId,
    userDataDir,
    async openPage(file, { waitReady = true } = {}) {
      const page = await browser.newPage();
      await page.evaluateOnNewDocument(KEEP_NAMES_SHIM);
      await page.goto(`chrome-extension://${extensionId}/${file}`);
      if (waitReady) await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
      return page;
    },
    async serviceWorker() {
      const target = await browser.waitForTarget(
        (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`),
      );
      const worker = await target.worker();
      if (!worker) throw new Error('service worker target has no worker');
      return worker;
    },
    async close({ keepProfile = false } = {}) {
      await browser.close();
      if (!keepProfile && !options.userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Removes the quick-create draft from the extension's storage, so the next panel opens on an
 * empty form: a test that fails half-way through the form leaves its draft behind, and the
 * next test's typing would land after it.
 */
export async function removeDraft(ext: ExtensionBrowser): Promise<void> {
  const page = await ext.openPage('options.html', { waitReady: false });
  await page.evaluate(() =>
    (globalThis as unknown as { chrome: { storage: { local: { remove(key: string): Promise<void> } } } }).chrome.storage.local.remove('draft'),
  );
  await page.close();
}

/**
 * Scrolls a control to the middle of the panel: at the edge, the sticky header or the form's
 * sticky Save bar may lie over it, and a click aimed at it would land on them.
 */
export async function centre(handle: ElementHandle): Promise<void> {
  await handle.evaluate((el) => el.scrollIntoView({ block: 'center' }));
}

/**
 * Clicks a control as an agent would: centred, and once nothing lies over its
 * middle (a save's toast sits over the top of a scrolled panel for 8 s, and a
 * coordinate click then lands on the toast, not the control), failing with
 * what covers it after `timeout`. (A fresh-clone run beside other jobs once
 * clicked the Notes tab and waited 30 s for its panel: the click had gone
 * elsewhere, and nothing said where.)
 */
export async function clickUncovered(page: Page, handle: ElementHandle, timeout = 15_000): Promise<void> {
  await centre(handle);
  const uncovered = await page
    .waitForFunction(
      (el: Element) => {
        const box = el.getBoundingClientRect();
        const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return top !== null && (top === el || el.contains(top));
      },
      { timeout },
      handle,
    )
    .then(() => true, () => false);
  if (!uncovered) {
    const cover = await handle.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return top ? `${top.tagName.toLowerCase()}.${[...top.classList].join('.')}` : 'nothing';
    });
    throw new Error(`the control stayed covered by ${cover} for ${timeout} ms`);
  }
  await handle.click();
}

const QUICK_CREATE_FIELDS = /^(title|customer\.(name|email|phone|company)|subject|product|tags|description)$/;

/** Types into a control found by its `name` attribute, as an agent would (opening the "More" it sits under first). */
export async function typeInto(page: Page, name: string, text: string): Promise<void> {
  // A field of the quick-create form, from another view (Cases, Inbox, a case): go to New first.
  if (QUICK_CREATE_FIELDS.test(name) && !(await page.$(`[name="${name}"]`)) && (await page.$('button[name="view-new"]'))) {
    await page.click('button[name="view-new"]');
  }
  const handle = await page.waitForSelector(`[name="${name}"]`);
  const summary = (await handle!.evaluateHandle((el) => el.closest('details:not([open])')?.querySelector(':scope > summary') ?? null)).asElement();
  if (summary) await (summary as typeof handle)!.click();
  await centre(handle!);
  await handle!.click();
  await handle!.type(text);
}

/** Puts long text into a control at once (as a paste would), firing the input event the form listens to. */
export async function pasteInto(page: Page, name: string, text: string): Promise<void> {
  await page.$eval(
    `[name="${name}"]`,
    (el, value) => {
      const control = el as HTMLInputElement | HTMLTextAreaElement;
      control.focus();
      control.value = value;
      control.dispatchEvent(new Event('input', { bubbles: true }));
    },
    text,
  );
}

/** The visible text of the error message attached to a control. */
export async function errorFor(page: Page, name: string): Promise<string | null> {
  return page.$eval(`[name="${name}"]`, (el) => {
    const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((id) => id.endsWith('-error'));
    return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ') || null;
  });
}

/** Waits until the control's error message reads `text` (validation may load its schema first). */
export async function waitForError(page: Page, name: string, text: string): Promise<void> {
  await page
    .waitForFunction(
      (n, expected) => {
        const el = document.querySelector(`[name="${n}"]`);
        const ids = (el?.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((id) => id.endsWith('-error'));
        return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ') === expected;
      },
      { timeout: 15_000 },
      name,
      text,
    )
    .catch(async () => {
      throw new Error(`expected the error of ${name} to read "${text}", it reads "${await errorFor(page, name)}"`);
    });
}

/** Reads rows from the extension's IndexedDB through an extension page. */
export async function countRows(page: Page, table: string): Promise<number> {
  return page.evaluate(
    (tableName) =>
      new Promise<number>((resolve, reject) => {
        const request = indexedDB.open('sidecase');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const idb = request.result;
          if (!idb.objectStoreNames.contains(tableName)) return resolve(0);
          const count = idb.transaction(tableName).objectStore(tableName).count();
          count.onsuccess = () => {
            resolve(count.result);
            idb.close();
          };
          count.onerror = () => reject(count.error);
        };
      }),
    table,
  );
}

/** Every record of a table of the extension's database, read through an extension page. */
export async function readTable<T = Record<string, unknown>>(page: Page, table: string): Promise<T[]> {
  return page.evaluate(
    (tableName) =>
      new Promise<T[]>((resolve, reject) => {
        const request = indexedDB.open('sidecase');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const idb = request.result;
          if (!idb.objectStoreNames.contains(tableName)) return resolve([]);
          const all = idb.transaction(tableName).objectStore(tableName).getAll();
          all.onsuccess = () => {
            resolve(all.result as T[]);
            idb.close();
          };
          all.onerror = () => reject(all.error);
        };
      }),
    table,
  );
}

/** The stored case with that number, read straight from IndexedDB. */
export async function storedCase(page: Page, number: string): Promise<Record<string, unknown>> {
  return page.evaluate(
    (n) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const request = indexedDB.open('sidecase');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const get = request.result.transaction('cases').objectStore('cases').index('number').get(n);
          get.onsuccess = () => {
            resolve(get.result as Record<string, unknown>);
            request.result.close();
          };
          get.onerror = () => reject(get.error);
        };
      }),
    number,
  );
}

/** Polls `check` every 100 ms until it returns something truthy; fails naming `what` after `timeoutMs`. */
export async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Replaces the value of the control named `name` by typing `value`. */
export async function setValue(page: Page, name: string, value: string): Promise<void> {
  await page.$eval(`[name="${name}"]`, (el) => ((el as HTMLInputElement).value = ''));
  await typeInto(page, name, value);
}
