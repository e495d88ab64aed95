/**
 * Sync figures (issue 6): how fast the engine drains a queued outbox to the
 * reference backend, next to a plain fetch loop posting the same payloads
 * with the same concurrency from the same context (the extension's service
 * worker, where the engine runs).
 *
 *   sync_drain  2,000 queued changes (1,000 cases × created + updated, as
 *               many as the Dynamics 365 phase sends) →
 *               "Sync now" → the outbox is empty and that is committed (seen
 *               by a read-only transaction of the page that asked); changes per second
 *   raw_fetch   the same 2,000 PUTs, same headers and bodies, 4 at a time
 *
 * Each run gets two fresh reference backends (one per contender), so neither
 * pays for the other's stored records. Both run as jobs the bench asks about
 * every half second (harness.ts pollJob): no long call into the browser, and a
 * drain that stalls says how many changes were left. Run alone against any
 * build, on a fresh profile, with
 *   SIDECASE_EXTENSION_DIR=.output-sync/chrome-mv3 node --import tsx tests/bench/sync.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page, WebWorker } from 'puppeteer-core';
import { startReferenceBackend } from '../support/reference-backend';
import { EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from '../e2e/support/browser';
import { Figures, pollJob, reasonOf, step, withDeadline } from './harness';
import { rawFetchLoop, type RawEntry } from './sync-raw';

export const TOKEN = 'tok_bench_sync_0123456789';
/** lib/sync/engine.ts's default; the raw loop uses the same. */
const CONCURRENCY = 4;

/** Queues `records` × 2 changes in the outbox, as createCase and an update would. */
export async function queueChanges(page: Page, records: number): Promise<void> {
  await page.evaluate(async (count) => {
    const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const ulid = (time: number, n: number) => {
      let head = '';
      for (let t = time, i = 0; i < 10; i++, t = Math.floor(t / 32)) head = CROCKFORD[t % 32] + head;
      let tail = '';
      for (let v = n, i = 0; i < 16; i++, v = Math.floor(v / 32)) tail = CROCKFORD[v % 32] + tail;
      return head + tail;
    };
    const idb = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('sidecase');
      // Only the extension creates its database (with its schema); never an empty one here.
      request.onupgradeneeded = () => {
        request.transaction!.abort();
        reject(new Error('the extension has not created its database yet'));
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const template = await new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
      const request = idb.transaction('cases').objectStore('cases').openCursor();
      request.onsuccess = () => resolve(request.result?.value as Record<string, unknown> | undefined);
      request.onerror = () => reject(request.error);
    });
    const base: Record<string, unknown> = template ?? {
      number: 'CAS-000001-BNCH',
      title: 'Printer jams on page 2',
      origin: 'email',
      priority: 'normal',
      state: 'active',
      statusReason: 'inProgress',
      owner: 'Bench',
      tags: ['printer'],
      description: 'Measured by npm run bench.',
      version: 1,
    };
    const now = Date.now();
    // A random part per run: ids never repeat across runs in one profile.
    const salt = Math.floor(Math.random() * 2 ** 30);
    const tx = idb.transaction('outbox', 'readwrite');
    const store = tx.objectStore('outbox');
    let n = 0;
    for (let i = 0; i < count; i++) {
      const id = ulid(now - 1000, salt * 4096 + i);
      const created = { ...base, id, number: `CAS-${String(i).padStart(6, '0')}-BNCH`, title: `Bench case ${i}`, version: 1 };
      const updated = { ...created, priority: 'high', version: 2 };
      for (const [type, data] of [['case.created', created], ['case.updated', updated]] as const) {
        const entryId = ulid(now, salt * 8192 + n++);
        store.add({
          id: entryId,
          entity: 'case',
          entityId: id,
          type,
          idempotencyKey: `case:${id}:${entryId}`,
          occurredAt: now,
          data,
          attempts: 0,
          nextAttemptAt: now,
        });
      }
    }
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    idb.close();
  }, records);
}

/** One change as the engine's REST adapter sends it: a PUT of the record, If-Match the last ETag (If-None-Match: * first). */
async function restSend(entry: RawEntry, etag: string | null, ctx: { base: string; token: string }): Promise<string | null> {
  const response: Response = await fetch(`${ctx.base}/cases/${entry.entityId}`, {
    method: 'PUT',
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/json',
      Authorization: `Bearer ${ctx.token}`,
      'Idempotency-Key': entry.idempotencyKey,
      'Sidecase-Event': entry.type,
      ...(etag ? { 'If-Match': etag } : { 'If-None-Match': '*' }),
    },
    body: JSON.stringify(entry.data),
    redirect: 'manual',
    credentials: 'omit',
    cache: 'no-store',
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`raw PUT answered ${response.status}`);
  return response.headers.get('etag');
}

/** The plain loop (sync-raw.ts), in the service worker: the same PUTs the engine sends, `limit` at a time, ordered per record. */
export function rawFetch(worker: WebWorker, url: string, limit: number): Promise<{ count: number; ms: number }> {
  return rawFetchLoop(worker, 'raw_fetch', '__benchRaw', restSend, { base: url, token: TOKEN }, limit);
}

/** The settings row as lib/sync/settings.ts stores it; no url: no backend (nothing drains while queueing). */
export async function writeBackendSettings(page: Page, url?: string): Promise<void> {
  await page.evaluate(
    (backendUrl, token) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('sidecase');
        request.onerror = () => reject(request.error);
        request.onupgradeneeded = () => {
          request.transaction!.abort();
          reject(new Error('the extension has not created its database yet'));
        };
        request.onsuccess = () => {
          const tx = request.result.transaction('meta', 'readwrite');
          const value = backendUrl ? { kind: 'rest', url: backendUrl, auth: { type: 'bearer', token } } : { kind: 'none' };
          tx.objectStore('meta').put({ key: 'backend', value });
          tx.oncomplete = () => {
            request.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    url ?? '',
    TOKEN,
  );
}

/**
 * "Sync now" from an extension page. The clock stops when the outbox is seen
 * empty by a read-only transaction (which sees only committed writes), asked
 * as soon as a write to the outbox is announced (Dexie's cross-context
 * `storagemutated` broadcast, sent once a transaction has committed), and
 * once a second besides, in case an announcement is lost (that can only stop
 * the clock late); the reply (which may wait for a pull after the drain)
 * is waited for too, but does not stop the clock. Until session 13 it asked
 * only every 50 ms: the clock ran on for 25 ms after the last commit on
 * average, up to 50, where the plain loops stop theirs at their last answer.
 * Until session 21 it also asked every 50 ms besides the announcements: a
 * transaction and a key read 20 times a second, from a page of the
 * extension's own renderer, on the cores and the database the drain uses,
 * a cost the plain loops (which stop at their last answer, in the worker)
 * never paid.
 */
export async function drainThroughEngine(page: Page, what: string): Promise<{ sent: number; ms: number; startedAt: number; emptyAt: number }> {
  await page.evaluate(() => {
    type Job = { done: boolean; result?: { sent: number; ms: number; startedAt: number; emptyAt: number }; error?: string; note?: string };
    const job: Job = { done: false, note: 'asking for Sync now' };
    (globalThis as unknown as { __benchDrain: Job }).__benchDrain = job;
    const chromeApi = (globalThis as unknown as { chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } } }).chrome;
    /**
     * Whether the outbox is empty, seen by a read-only transaction: one key asked for, not a
     * count. A count walks every entry left, 20 times a second, on the same database and (on
     * a 2-core machine) the same cores as the drain it measures: the engine paid for its own
     * stopwatch. How many are left is counted only for the progress note, every 2 s.
     */
    /**
     * One connection for the whole drain, opened at the first probe: opening the database for
     * every probe (20 a second) was a round trip to the browser process and a version check
     * each time, on the same cores as the drain.
     */
    let connection: Promise<IDBDatabase> | undefined;
    const open = () =>
      (connection ??= new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('sidecase');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          // Never in the way of an upgrade: closed, and opened again at the next probe.
          request.result.onversionchange = () => {
            request.result.close();
            connection = undefined;
          };
          resolve(request.result);
        };
      }));
    const probeOutbox = async (count: boolean) => {
      const idb = await open();
      return new Promise<{ empty: boolean; left?: number }>((resolve, reject) => {
        const store = idb.transaction('outbox', 'readonly').objectStore('outbox');
        const probe = (count ? store.count() : store.getAllKeys(null, 1)) as IDBRequest<number | IDBValidKey[]>;
        probe.onsuccess = () => {
          const left = typeof probe.result === 'number' ? probe.result : probe.result.length;
          resolve({ empty: left === 0, left: count ? left : undefined });
        };
        probe.onerror = () => reject(probe.error);
      });
    };
    /**
     * Dexie announces every committed write on this channel, in every context of the extension
     * (dexie's STORAGE_MUTATED_DOM_EVENT_NAME); a message naming the outbox wakes the probe.
     */
    const announced = new BroadcastChannel('x-storagemutated-1');
    let wake: (() => void) | undefined;
    announced.onmessage = (event: MessageEvent) => {
      if (wake && Object.keys((event.data ?? {}) as object).some((part) => part.includes('/outbox/'))) wake();
    };
    const run = async () => {
      const start = performance.now();
      const startedAt = Date.now();
      let emptyAt: number | undefined;
      let replied: { sent: number } | undefined;
      // lib/messages.ts's envelope; the reply is { ok: true, sent } or { ok: false, error }.
      const reply = (chromeApi.runtime.sendMessage({ sidecase: 1, name: 'sync.now', body: {} }) as Promise<{ ok: true; sent: number } | { ok: false; error: string } | undefined>).then((answer) => {
        if (!answer?.ok) throw new Error(`sync.now failed: ${answer?.error ?? 'no reply'}`);
        replied = answer;
      });
      let failure: unknown;
      reply.catch((error: unknown) => (failure = error));
      let countedAt = -Infinity;
      while (emptyAt === undefined || !replied) {
        if (failure) throw failure;
        if (emptyAt === undefined) {
          const count = performance.now() - countedAt >= 2000;
          if (count) countedAt = performance.now();
          const { empty, left } = await probeOutbox(count);
          if (empty) emptyAt = performance.now();
          else if (left !== undefined) job.note = `${left} changes left in the outbox${replied ? ' after the reply' : ''}`;
        } else job.note = 'outbox empty, waiting for the reply';
        await new Promise<void>((resolve) => {
          // Until the outbox is empty a commit wakes the probe; the timer only covers an announcement lost.
          const timer = setTimeout(() => done(), emptyAt === undefined ? 1000 : 50);
          const done = () => {
            clearTimeout(timer);
            wake = undefined;
            resolve();
          };
          wake = emptyAt === undefined ? done : undefined;
        });
      }
      // startedAt, emptyAt: the clock's start and stop as Date.now(), to set beside a simulator's log.
      return { sent: replied.sent, ms: emptyAt - start, startedAt, emptyAt: startedAt + (emptyAt - start) };
    };
    const close = () => {
      announced.close();
      void connection?.then((idb) => idb.close(), () => {});
    };
    run().then(
      (result) => {
        close();
        Object.assign(job, { done: true, result });
      },
      (error: unknown) => {
        close();
        Object.assign(job, { done: true, error: String((error as Error)?.message ?? error) });
      },
    );
  });
  return pollJob(page, '__benchDrain', what, 180_000, 30_000);
}

/** Opens the panel once, so that the extension creates its database (on a fresh profile there is none yet). */
export async function ensureDatabase(ext: ExtensionBrowser): Promise<void> {
  step('sync: letting the extension create its database');
  const page = await ext.openPage('sidepanel.html');
  try {
    await page.waitForFunction(
      async () => (await indexedDB.databases()).some((d) => d.name === 'sidecase' && (d.version ?? 0) > 1),
      { timeout: 15_000, polling: 200 },
    );
  } finally {
    await page.close();
  }
}

/**
 * `extensionDir` with a blank.html (run.ts adds one): the "Sync now" is sent
 * from that empty page, so no live query of a real page competes with the
 * drain for the database. Without one, from the options page.
 */
export async function benchSync(ext: ExtensionBrowser, figures: Figures, extensionDir?: string): Promise<void> {
  const records = Number(process.env.BENCH_SYNC_RECORDS ?? 1_000);
  const runs = Number(process.env.BENCH_SYNC_RUNS ?? 3);
  const hasBlank = extensionDir !== undefined && fs.existsSync(path.join(extensionDir, 'blank.html'));
  await ensureDatabase(ext);
  const page = await ext.openPage(hasBlank ? 'blank.html' : 'options.html');
  const drain: number[] = [];
  const raw: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      // Leftovers of the seeding (the template case) go first, unmeasured.
      step(`sync: run ${run + 1}, sending what the seeding and the other phases queued`);
      const warm = await startReferenceBackend({ auth: { type: 'bearer', token: TOKEN } });
      await writeBackendSettings(page, warm.url);
      await drainThroughEngine(page, `run ${run + 1}: sending the leftovers`);
      await warm.close();

      await writeBackendSettings(page);
      step(`sync: run ${run + 1}, queueing ${records * 2} changes`);
      await withDeadline(queueChanges(page, records), 60_000, 'queueing the changes');
      const rawBackend = await startReferenceBackend({ auth: { type: 'bearer', token: TOKEN } });
      const plain = await rawFetch(await ext.serviceWorker(), rawBackend.url, CONCURRENCY);
      if (rawBackend.applied.length !== plain.count) throw new Error(`raw_fetch applied ${rawBackend.applied.length} of ${plain.count}`);
      await rawBackend.close();
      raw.push(plain.count / (plain.ms / 1000));

      const syncBackend = await startReferenceBackend({ auth: { type: 'bearer', token: TOKEN } });
      await writeBackendSettings(page, syncBackend.url);
      const engine = await drainThroughEngine(page, `run ${run + 1}: sync_drain`);
      if (syncBackend.applied.length !== plain.count) throw new Error(`sync_drain applied ${syncBackend.applied.length} of ${plain.count}`);
      await syncBackend.close();
      drain.push(engine.sent / (engine.ms / 1000));
      // The machine may be shared: the ratio within one run says more than either figure alone.
      const ratio = plain.ms / engine.ms;
      console.log(`  run ${run + 1}: raw ${plain.count} in ${Math.round(plain.ms)} ms, engine ${engine.sent} in ${Math.round(engine.ms)} ms (× ${ratio.toFixed(2)})`);
    }
  } finally {
    await writeBackendSettings(page).catch(() => {});
    await page.close().catch(() => {});
    // A run that failed still leaves the figures of the runs before it.
    if (drain.length && drain.length < runs) {
      figures.add('sync_drain', drain, 'changes/s');
      figures.add('raw_fetch', raw.slice(0, drain.length), 'changes/s');
    }
  }
  const d = figures.add('sync_drain', drain, 'changes/s');
  const r = figures.add('raw_fetch', raw, 'changes/s');
  figures.target('sync_drain ≥ 0.8 × raw_fetch', d.median >= 0.8 * r.median, `${d.median} vs ${Math.round(0.8 * r.median * 100) / 100} changes/s`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // The same blank page run.ts adds, in a copy of the build.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecase-bench-sync-'));
  fs.cpSync(EXTENSION_DIR, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'blank.html'), '<!doctype html><html><head><meta charset="utf-8"><title>blank</title><script type="module" src="/blank.js"></script></head><body></body></html>');
  fs.writeFileSync(path.join(dir, 'blank.js'), "document.body.dataset.ready = 'true';\n");
  const figures = new Figures();
  let failed = false;
  const ext = await launchWithExtension({ extensionDir: dir });
  try {
    await withDeadline(benchSync(ext, figures, dir), 600_000, 'the sync bench');
  } catch (error) {
    console.log(`sync bench failed: ${reasonOf(error)}`);
    failed = true;
  } finally {
    await withDeadline(ext.close(), 30_000, 'closing Chromium').catch(() => ext.browser.process()?.kill('SIGKILL'));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  figures.print();
  process.exit(failed ? 1 : 0);
}
