/**
 * What the service worker reads for each keystroke of a search (not part of
 * npm run bench): in a copy of the bench's seeded profile (SEEDED=dir, as
 * BENCH_SEEDED_PROFILE keeps it), the panel types each query one character at
 * a time, and every IndexedDB request of the worker is logged with its range,
 * its time and its answer's size; record reads are summed. How the widening
 * of "Putu Wijaya 12" was found to spend most of its time counting.
 *   SEEDED=/tmp/seeded SIDECASE_EXTENSION_DIR=.output/chrome-mv3 QUERIES='Putu Wijaya 1215|Elena Ionescu' \
 *     node --import tsx tests/bench/search-reads.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXTENSION_DIR, launchWithExtension } from '../e2e/support/browser';
import { QUERIES } from './search';
import { copySeededProfile, seededExtensionDir } from './seed';

const seeded = process.env.SEEDED;
if (!seeded || !fs.existsSync(path.join(seeded, 'profile'))) throw new Error('SEEDED=dir: a seeded profile kept by BENCH_SEEDED_PROFILE');
const dir = seededExtensionDir(seeded);
fs.rmSync(dir, { recursive: true, force: true });
fs.cpSync(EXTENSION_DIR, dir, { recursive: true });
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecase-search-reads-'));
copySeededProfile(seeded, profile);

interface Logged {
  t: number;
  ms: number;
  what: string;
  size: number;
}

/** Wraps every read method of IDBObjectStore and IDBIndex in the worker: each answered request is logged. */
const WATCH = `(() => {
  const g = globalThis;
  g.__searchReads = [];
  for (const proto of [IDBObjectStore.prototype, IDBIndex.prototype]) {
    for (const method of ['get', 'getAll', 'getAllKeys', 'count', 'openCursor', 'openKeyCursor']) {
      const original = proto[method];
      proto[method] = function (...args) {
        const name = 'objectStore' in this ? this.objectStore.name + '.' + this.name : this.name;
        const query = args[0];
        let range = '';
        if (query instanceof IDBKeyRange) range = JSON.stringify(query.lower) + (query.upper === query.lower ? '' : '…');
        else if (query && typeof query === 'object' && 'query' in query) range = JSON.stringify(query.query?.lower) + ' ' + (query.direction ?? 'next');
        else if (typeof query === 'string') range = 'by key';
        const count = args[1] ?? (query && typeof query === 'object' && 'count' in query ? query.count : undefined);
        if (count !== undefined) range += ' up to ' + count;
        const t = performance.now();
        const request = original.apply(this, args);
        request.addEventListener('success', () => g.__searchReads.push({ t, ms: performance.now() - t, what: name + ' ' + method + ' ' + range, size: Array.isArray(request.result) ? request.result.length : typeof request.result === 'number' ? request.result : 1 }));
        return request;
      };
    }
  }
})()`;

const ext = await launchWithExtension({ extensionDir: dir, userDataDir: profile });
try {
  const worker = await ext.serviceWorker();
  await worker.evaluate(WATCH);
  const page = await ext.openPage('sidepanel.html');
  const box = (await page.waitForSelector('input[name="search"]'))!;
  for (const query of process.env.QUERIES?.split('|') ?? QUERIES) {
    await box.click({ count: 3 });
    await page.keyboard.press('Backspace');
    for (let i = 1; i <= query.length; i++) {
      const text = query.slice(0, i);
      await worker.evaluate('globalThis.__searchReads.length = 0');
      const started = Date.now();
      await page.keyboard.type(query[i - 1]!);
      await page.waitForFunction((expected) => document.querySelector('.search-results')?.getAttribute('data-query') === expected, { polling: 'mutation' }, text);
      const shown = Date.now() - started;
      // What a read-ahead does after the answer belongs to this keystroke too.
      await new Promise((resolve) => setTimeout(resolve, 150));
      const log = (await worker.evaluate('globalThis.__searchReads.splice(0)')) as Logged[];
      const records = log.filter((entry) => entry.what.endsWith(' get by key'));
      const first = Math.min(...log.map((entry) => entry.t));
      const span = records.length ? ` over ${(Math.max(...records.map((r) => r.t + r.ms)) - Math.min(...records.map((r) => r.t))).toFixed(1)} ms` : '';
      console.log(`"${text}": shown after ${shown} ms; ${records.length} records read${span}`);
      for (const entry of log.filter((e) => !records.includes(e))) console.log(`    +${(entry.t - first).toFixed(1)} ms  ${entry.ms.toFixed(1)} ms  ${entry.what} → ${entry.size}`);
    }
  }
} finally {
  await ext.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
