/**
 * Where the sync drain's CPU goes, beside the raw loop's (not part of npm run
 * bench), for the reference backend, Dynamics 365 (BACKEND=d365: beside the
 * raw `$batch` loop, raw_batch_d365, which sends what the engine sends;
 * RAW=fetch for the loop of one request per change) or Zendesk
 * (BACKEND=zendesk, RECORDS cases × 3 changes): the CPU time each Chromium process and Node (the bench and the
 * reference backend) spent per change, read from /proc before and after each
 * contender, and with PROFILE=file a V8 CPU profile of the service worker for
 * each (file.raw for the raw loop); COUNT=1 counts the worker's IndexedDB
 * requests during each drain, by store and kind; THREADS=1 splits each process's CPU by
 * thread (the browser's IndexedDB work runs in its ThreadPoolForeground
 * threads, the network's in Chrome_IOThread, the engine in the renderer's
 * ServiceWorker thread). On a shared 2-core machine both contenders
 * are CPU-bound, so CPU per change says more than changes per second.
 *   SIDECASE_EXTENSION_DIR=.output/chrome-mv3 RECORDS=2500 RUNS=1 PROFILE=/tmp/drain.cpuprofile \
 *     node --import tsx tests/bench/sync-cpu.ts
 * TIMELINE=1 prints what the worker did during each drain (worker-timeline.ts), and with STORED=1 during
 * the storage-only loop too (how many requests it keeps out, beside the engine). BACKEND=d365
 * STORED=1 adds the raw `$batch` loop with the least storage any engine must write
 * (raw_batch_stored_d365). SEEDED=dir runs in a copy of the bench's seeded profile
 * (BENCH_SEEDED_PROFILE): storage costs more in a database of 50,000 cases than in an empty one.
 * Linux only (/proc).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startReferenceBackend } from '../support/reference-backend';
import { EXTENSION_DIR, launchWithExtension } from '../e2e/support/browser';
import { startDataverseSimulator } from '../support/dataverse-simulator';
import { drainThroughEngine, ensureDatabase, queueChanges, rawFetch, TOKEN, writeBackendSettings } from './sync';
import { queueCases, rawBatchD365, rawFetchD365, signInTo, writeD365 } from './sync-d365';
import { BATCH_MAX } from '../../lib/sync/dynamics365/batch';
import { startZendeskSimulator } from '../support/zendesk-simulator';
import { printWorkerTimeline, startWorkerTimeline } from './worker-timeline';
import { copySeededProfile, seededExtensionDir } from './seed';
import { EMAIL, queueZendeskCases, rawFetchZendesk, sendLeftovers, TOKEN as ZENDESK_TOKEN, writeZendesk } from './sync-zendesk';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ). */
const TICK = 100;
/** CPU seconds (user + system) in a /proc stat file: a process's (/proc/<pid>/stat) or one thread's (/proc/<pid>/task/<tid>/stat). */
function cpuOfStat(file: string): number {
  try {
    const stat = fs.readFileSync(file, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch { return 0; }
}
const cpuOf = (pid: number) => cpuOfStat(`/proc/${pid}/stat`);
function tree(root: number): number[] {
  const out = [root];
  for (let i = 0; i < out.length; i++) {
    try {
      const children = fs.readFileSync(`/proc/${out[i]}/task/${out[i]}/children`, 'utf8').trim();
      if (children) out.push(...children.split(' ').map(Number));
    } catch {}
  }
  return out;
}
function label(pid: number): string {
  const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
  const type = cmd.find((a) => a.startsWith('--type='))?.slice(7) ?? 'browser';
  const sub = cmd.find((a) => a.startsWith('--utility-sub-type='))?.slice(19) ?? '';
  const ext = cmd.some((a) => a.startsWith('--extension-process')) ? ' (extension)' : '';
  return `${type}${sub ? ':' + sub : ''}${ext}`;
}
const byThread = process.env.THREADS === '1';
function snapshot(root: number) {
  const m = new Map<string, number>();
  for (const pid of tree(root)) {
    try {
      if (!byThread) {
        m.set(`${pid} ${label(pid)}`, cpuOf(pid));
        continue;
      }
      // Threads of one name (a pool's workers) summed: their names end in a number.
      for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
        const name = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim().replace(/\d+$/, '');
        const key = `${pid} ${label(pid)} / ${name}`;
        m.set(key, (m.get(key) ?? 0) + cpuOfStat(`/proc/${pid}/task/${tid}/stat`));
      }
    } catch {}
  }
  m.set('node (bench + backend)', process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6);
  return m;
}
function diff(a: Map<string, number>, b: Map<string, number>, n: number) {
  const rows = [...b.entries()].map(([k, v]) => [k, v - (a.get(k) ?? 0)] as const).filter(([, v]) => v > (byThread ? 0.02 : 0.05));
  const total = rows.reduce((s, [, v]) => s + v, 0);
  for (const [k, v] of rows) console.log(`    ${k.padEnd(60)} ${v.toFixed(2)} s  ${((v / n) * 1000).toFixed(2)} ms/change`);
  console.log(`    total ${total.toFixed(2)} s  ${((total / n) * 1000).toFixed(2)} ms/change`);
}

/** The /proc snapshots before and after a contender. */
type Cpu = { s0: Map<string, number>; s1: Map<string, number> };

/**
 * SEEDED=dir: in a copy of the bench's seeded profile (run.ts BENCH_SEEDED_PROFILE: 50,000 cases),
 * as npm run bench measures; the build goes where that profile's extension was (its id is its path).
 */
const seeded = process.env.SEEDED;
const dir = seeded ? seededExtensionDir(seeded) : fs.mkdtempSync(path.join(os.tmpdir(), 'sidecase-prof-'));
const userDataDir = seeded ? fs.mkdtempSync(path.join(os.tmpdir(), 'sidecase-prof-profile-')) : undefined;
if (seeded) {
  fs.rmSync(dir, { recursive: true, force: true });
  copySeededProfile(seeded, userDataDir!);
}
fs.cpSync(EXTENSION_DIR, dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'blank.html'), '<!doctype html><html><head><meta charset="utf-8"><title>blank</title><script type="module" src="/blank.js"></script></head><body></body></html>');
fs.writeFileSync(path.join(dir, 'blank.js'), "document.body.dataset.ready = 'true';\n");
const records = Number(process.env.RECORDS ?? 2500);
const d365 = process.env.BACKEND === 'd365';
const zendesk = process.env.BACKEND === 'zendesk';
const ext = await launchWithExtension({ extensionDir: dir, userDataDir });
const root = ext.browser.process()!.pid!;
try {
  await ensureDatabase(ext);
  const page = await ext.openPage('blank.html');
  const warm = await startReferenceBackend({ auth: { type: 'bearer', token: TOKEN } });
  await writeBackendSettings(page, warm.url);
  await drainThroughEngine(page, 'leftovers');
  await warm.close();
  if (d365 || zendesk) await writeBackendSettings(page);
  /**
   * The drain's end: its outbox seen empty (the stopwatch of sync.ts), not its reply, which waits for
   * the pull that follows: the pull's CPU is not the drain's. Asked every 100 ms.
   */
  const drained = async (): Promise<void> => {
    for (;;) {
      const state = await page.evaluate(() => {
        const job = (globalThis as unknown as { __benchDrain?: { done: boolean; note?: string } }).__benchDrain;
        return job ? job.done || (job.note ?? '').startsWith('outbox empty') : false;
      });
      if (state) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const forgetDrain = () => page.evaluate(() => void delete (globalThis as unknown as { __benchDrain?: unknown }).__benchDrain);
  /** One contender: runs it between two /proc snapshots (and a V8 profile of the worker to `profileFile`). */
  const measure = async <R extends object>(profileFile: string | undefined, run: () => Promise<R>, until?: () => Promise<void>): Promise<R & Cpu> => {
    const target = await ext.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'));
    const session = await target.createCDPSession();
    if (profileFile) {
      await session.send('Profiler.enable');
      await session.send('Profiler.setSamplingInterval', { interval: 200 });
      await session.send('Profiler.start');
    }
    const s0 = snapshot(root);
    let s1: Map<string, number> | undefined;
    const stopProfile = async () => {
      if (!profileFile) return;
      const { profile } = await session.send('Profiler.stop');
      fs.writeFileSync(profileFile, JSON.stringify(profile));
    };
    const ran = run();
    if (until) {
      await until();
      s1 = snapshot(root);
      // The profile ends with the CPU figures: what follows the drain (the pull) is not the drain's.
      await stopProfile();
    }
    const result = await ran;
    if (!s1) {
      s1 = snapshot(root);
      await stopProfile();
    }
    return { ...result, s0, s1 };
  };
  const profile = process.env.PROFILE;
  /**
   * COUNT=1: the IndexedDB requests the service worker makes during the engine's drain, by
   * store and kind (every IDBObjectStore and IDBIndex request method counted), printed after
   * its CPU. The counter is put in before "Sync now" and read after its reply (the pull that
   * follows the drain is counted too).
   */
  const counting = process.env.COUNT === '1';
  const timeline = process.env.TIMELINE === '1';
  const startCounting = async () => {
    const worker = await ext.serviceWorker();
    await worker.evaluate(() => {
      const g = globalThis as unknown as { __idbCounts?: Record<string, number>; __idbCounting?: boolean };
      g.__idbCounts = {};
      if (g.__idbCounting) return;
      g.__idbCounting = true;
      const methods = ['get', 'getAll', 'getAllKeys', 'getAllRecords', 'getKey', 'count', 'put', 'add', 'delete', 'clear', 'openCursor', 'openKeyCursor'];
      for (const proto of [IDBObjectStore.prototype, IDBIndex.prototype] as unknown as Array<Record<string, (...args: unknown[]) => unknown>>) {
        for (const method of methods) {
          const original = proto[method];
          if (typeof original !== 'function') continue;
          proto[method] = function (this: IDBObjectStore | IDBIndex, ...args: unknown[]) {
            const store = 'objectStore' in this ? `${this.objectStore.name}.${this.name}` : this.name;
            const isRange = args[0] instanceof IDBKeyRange && !(args[0].lower === args[0].upper && args[0].lower !== undefined);
            const key = `${store} ${method}${isRange ? ' (range)' : ''}`;
            g.__idbCounts![key] = (g.__idbCounts![key] ?? 0) + 1;
            return original.apply(this, args);
          };
        }
      }
    });
  };
  const printCounts = async () => {
    const counts = (await (await ext.serviceWorker()).evaluate(() => (globalThis as unknown as { __idbCounts?: Record<string, number> }).__idbCounts ?? {})) as Record<string, number>;
    for (const [key, n] of Object.entries(counts).sort((a, b) => b[1] - a[1])) console.log(`    ${String(n).padStart(6)}  ${key}`);
  };
  for (let run = 0; run < Number(process.env.RUNS ?? 1); run++) {
    let plain: { count: number; ms: number } & Cpu;
    let engine: { sent: number; ms: number; startedAt: number } & Cpu;
    if (d365) {
      // BACKEND=d365: the Dataverse simulator, records × (case.created, case.updated), as tests/bench/sync-d365.ts;
      // the raw contender sends the engine's $batch requests (raw_batch_d365), or one request per change with RAW=fetch.
      await writeD365(page);
      await queueCases(page, records);
      const rawSim = await startDataverseSimulator();
      const token = (await signInTo(rawSim)).accessToken;
      plain = await measure(profile && `${profile}.raw`, async () =>
        process.env.RAW === 'fetch' ? rawFetchD365(await ext.serviceWorker(), rawSim.url, token, 4) : rawBatchD365(await ext.serviceWorker(), rawSim.url, token, BATCH_MAX, 4),
      );
      await rawSim.close();
      if (process.env.STORED === '1') {
        // STORED=1: the same batches with the least storage any engine must write (sync-d365.ts raw_batch_stored_d365).
        const storedSim = await startDataverseSimulator();
        const storedToken = (await signInTo(storedSim)).accessToken;
        if (timeline) await startWorkerTimeline(await ext.serviceWorker());
        const storedAt = Date.now();
        const stored = await measure(undefined, async () => rawBatchD365(await ext.serviceWorker(), storedSim.url, storedToken, BATCH_MAX, 4, true));
        if (timeline) await printWorkerTimeline(await ext.serviceWorker(), storedAt);
        await storedSim.close();
        console.log(`stored: ${stored.count} in ${Math.round(stored.ms)} ms (${((stored.count / stored.ms) * 1000).toFixed(0)}/s)`);
        diff(stored.s0, stored.s1, stored.count);
        await queueCases(page, records);
      }
      const syncSim = await startDataverseSimulator();
      await writeD365(page, syncSim, await signInTo(syncSim));
      await forgetDrain();
      if (counting) await startCounting();
      if (timeline) await startWorkerTimeline(await ext.serviceWorker());
      engine = await measure(profile, () => drainThroughEngine(page, 'engine'), drained);
      await syncSim.close();
    } else if (zendesk) {
      // BACKEND=zendesk: the Zendesk simulator, records × (customer.created, case.created, case.updated), as tests/bench/sync-zendesk.ts.
      await sendLeftovers(page, 'leftovers');
      await writeZendesk(page);
      await queueZendeskCases(page, records);
      const rawSim = await startZendeskSimulator({ email: EMAIL, token: ZENDESK_TOKEN });
      plain = await measure(profile && `${profile}.raw`, () => rawFetchZendesk(ext, rawSim, 4));
      await rawSim.close();
      const syncSim = await startZendeskSimulator({ email: EMAIL, token: ZENDESK_TOKEN });
      await writeZendesk(page, syncSim);
      await forgetDrain();
      if (counting) await startCounting();
      if (timeline) await startWorkerTimeline(await ext.serviceWorker());
      engine = await measure(profile, () => drainThroughEngine(page, 'engine'), drained);
      await syncSim.close();
    } else {
      await writeBackendSettings(page);
      await queueChanges(page, records);
      const rawBackend = await startReferenceBackend({ auth: { type: 'bearer', token: TOKEN } });
      plain = await measure(profile && `${profile}.raw`, async () => rawFetch(await ext.serviceWorker(), rawBackend.url, 4));
      await rawBackend.close();
      const syncBackend = await startReferenceBackend({ auth: { type: 'bearer', token: TOKEN } });
      await writeBackendSettings(page, syncBackend.url);
      await forgetDrain();
      if (counting) await startCounting();
      if (timeline) await startWorkerTimeline(await ext.serviceWorker());
      engine = await measure(profile, () => drainThroughEngine(page, 'engine'), drained);
      await syncBackend.close();
    }
    console.log(`raw: ${plain.count} in ${Math.round(plain.ms)} ms (${(plain.count / plain.ms * 1000).toFixed(0)}/s)`);
    diff(plain.s0, plain.s1, plain.count);
    console.log(`engine: ${engine.sent} in ${Math.round(engine.ms)} ms (${(engine.sent / engine.ms * 1000).toFixed(0)}/s), ratio ${(plain.ms / engine.ms).toFixed(2)}`);
    diff(engine.s0, engine.s1, engine.sent);
    if (counting) await printCounts();
    if (timeline) await printWorkerTimeline(await ext.serviceWorker(), engine.startedAt);
  }
  await page.close();
} finally {
  await ext.close();
  if (!seeded) fs.rmSync(dir, { recursive: true, force: true });
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(0);
