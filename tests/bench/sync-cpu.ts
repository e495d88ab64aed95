/**
 * Where the sync drain's CPU goes, beside the raw loop's (not part of npm run
 * bench): the CPU time each Chromium process and Node (the bench and the
 * reference backend) spent per change, read from /proc before and after each
 * contender, and with PROFILE=file a V8 CPU profile of the service worker for
 * each (file.raw for the raw loop). On a shared 2-core machine both contenders
 * are CPU-bound, so CPU per change says more than changes per second.
 *   SIDECASE_EXTENSION_DIR=.output/chrome-mv3 RECORDS=2500 RUNS=1 PROFILE=/tmp/drain.cpuprofile \
 *     node --import tsx tests/bench/sync-cpu.ts
 * Linux only (/proc).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startReferenceBackend } from '../support/reference-backend';
import { EXTENSION_DIR, launchWithExtension } from '../e2e/support/browser';
import { drainThroughEngine, ensureDatabase, queueChanges, rawFetch, TOKEN, writeBackendSettings } from './sync';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ). */
const TICK = 100;
function cpuOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch { return 0; }
}
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
function snapshot(root: number) {
  const m = new Map<string, number>();
  for (const pid of tree(root)) {
    try { m.set(`${pid} ${label(pid)}`, cpuOf(pid)); } catch {}
  }
  m.set('node (bench + backend)', process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6);
  return m;
}
function diff(a: Map<string, number>, b: Map<string, number>, n: number) {
  const rows = [...b.entries()].map(([k, v]) => [k, v - (a.get(k) ?? 0)] as const).filter(([, v]) => v > 0.05);
  const total = rows.reduce((s, [, v]) => s + v, 0);
  for (const [k, v] of rows) console.log(`    ${k.padEnd(60)} ${v.toFixed(2)} s  ${((v / n) * 1000).toFixed(2)} ms/change`);
  console.log(`    total ${total.toFixed(2)} s  ${((total / n) * 1000).toFixed(2)} ms/change`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecase-prof-'));
fs.cpSync(EXTENSION_DIR, dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'blank.html'), '<!doctype html><html><head><meta charset="utf-8"><title>blank</title><script type="module" src="/blank.js"></script></head><body></body></html>');
fs.writeFileSync(path.join(dir, 'blank.js'), "document.body.dataset.ready = 'true';\n");
const records = Number(process.env.RECORDS ?? 2500);
const ext = await launchWithExtension({ extensionDir: dir });
const root = ext.browser.process()!.pid!;
try {
  await ensureDatabase(ext);
  const page = await ext.openPage('blank.html');
  const warm = await startReferenceBackend({ auth: { type: 'bearer', token: TOKEN } });
  await writeBackendSettings(page, warm.url);
  await drainThroughEngine(page, 'leftovers');
  await warm.close();
  for (let run = 0; run < Number(process.env.RUNS ?? 1); run++) {
    await writeBackendSettings(page);
    await queueChanges(page, records);
    const rawBackend = await startReferenceBackend({ auth: { type: 'bearer', token: TOKEN } });
    const rawTarget = (await ext.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://')));
    const rawSession = await rawTarget.createCDPSession();
    if (process.env.PROFILE) {
      await rawSession.send('Profiler.enable');
      await rawSession.send('Profiler.setSamplingInterval', { interval: 200 });
      await rawSession.send('Profiler.start');
    }
    let s0 = snapshot(root);
    const plain = await rawFetch(await ext.serviceWorker(), rawBackend.url, 4);
    let s1 = snapshot(root);
    if (process.env.PROFILE) {
      const { profile } = await rawSession.send('Profiler.stop');
      fs.writeFileSync(process.env.PROFILE + '.raw', JSON.stringify(profile));
    }
    console.log(`raw: ${plain.count} in ${Math.round(plain.ms)} ms (${(plain.count / plain.ms * 1000).toFixed(0)}/s)`);
    diff(s0, s1, plain.count);
    await rawBackend.close();
    const syncBackend = await startReferenceBackend({ auth: { type: 'bearer', token: TOKEN } });
    await writeBackendSettings(page, syncBackend.url);
    const target = (await ext.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://')));
    const session = await target.createCDPSession();
    if (process.env.PROFILE) {
      await session.send('Profiler.enable');
      await session.send('Profiler.setSamplingInterval', { interval: 200 });
      await session.send('Profiler.start');
    }
    s0 = snapshot(root);
    const engine = await drainThroughEngine(page, 'engine');
    s1 = snapshot(root);
    console.log(`engine: ${engine.sent} in ${Math.round(engine.ms)} ms (${(engine.sent / engine.ms * 1000).toFixed(0)}/s), ratio ${(plain.ms / engine.ms).toFixed(2)}`);
    diff(s0, s1, engine.sent);
    if (process.env.PROFILE) {
      const { profile } = await session.send('Profiler.stop');
      fs.writeFileSync(process.env.PROFILE, JSON.stringify(profile));
    }
    await syncBackend.close();
  }
  await page.close();
} finally {
  await ext.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
