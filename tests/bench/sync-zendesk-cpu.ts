/**
 * Where the Zendesk drain's CPU goes, beside the plain loop's (not part of
 * npm run bench; tests/bench/sync-cpu.ts does the same for REST and Dynamics
 * 365): the CPU time each Chromium process and Node (the bench and the
 * simulator) spent per change, read from /proc before and after each
 * contender of tests/bench/sync-zendesk.ts. On a shared 2-core machine both
 * contenders are CPU-bound, so CPU per change says more than changes per
 * second. For a V8 profile of the service worker, sync-zendesk.ts has
 * BENCH_ZENDESK_PROFILE.
 *   SIDECASE_EXTENSION_DIR=.output/chrome-mv3 CASES=500 RUNS=2 node --import tsx tests/bench/sync-zendesk-cpu.ts
 * Linux only (/proc).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startZendeskSimulator } from '../support/zendesk-simulator';
import { EXTENSION_DIR, launchWithExtension } from '../e2e/support/browser';
import { drainThroughEngine, ensureDatabase } from './sync';
import { EMAIL, queueZendeskCases, rawFetchZendesk, sendLeftovers, TOKEN, writeZendesk } from './sync-zendesk';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ). */
const TICK = 100;
function cpuOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch {
    return 0;
  }
}
function tree(root: number): number[] {
  const out = [root];
  for (let i = 0; i < out.length; i++) {
    try {
      const children = fs.readFileSync(`/proc/${out[i]}/task/${out[i]}/children`, 'utf8').trim();
      if (children) out.push(...children.split(' ').map(Number));
    } catch {
      // The process ended meanwhile.
    }
  }
  return out;
}
function label(pid: number): string {
  const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
  const type = cmd.find((a) => a.startsWith('--type='))?.slice(7) ?? 'browser';
  const sub = cmd.find((a) => a.startsWith('--utility-sub-type='))?.slice(19) ?? '';
  const ext = cmd.some((a) => a.startsWith('--extension-process')) ? ' (extension: the service worker and the empty page)' : '';
  return `${type}${sub ? ':' + sub : ''}${ext}`;
}
function snapshot(root: number): Map<string, number> {
  const cpu = new Map<string, number>();
  for (const pid of tree(root)) {
    try {
      cpu.set(`${pid} ${label(pid)}`, cpuOf(pid));
    } catch {
      // The process ended meanwhile.
    }
  }
  const node = process.cpuUsage();
  cpu.set('node (bench + simulator)', (node.user + node.system) / 1e6);
  return cpu;
}
function print(before: Map<string, number>, after: Map<string, number>, changes: number): void {
  const rows = [...after.entries()].map(([name, s]) => [name, s - (before.get(name) ?? 0)] as const).filter(([, s]) => s > 0.05);
  const total = rows.reduce((sum, [, s]) => sum + s, 0);
  for (const [name, s] of rows) console.log(`    ${name.padEnd(75)} ${s.toFixed(2)} s  ${((s / changes) * 1000).toFixed(2)} ms/change`);
  console.log(`    total ${total.toFixed(2)} s  ${((total / changes) * 1000).toFixed(2)} ms/change`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecase-zendesk-cpu-'));
fs.cpSync(EXTENSION_DIR, dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'blank.html'), '<!doctype html><html><head><meta charset="utf-8"><title>blank</title><script type="module" src="/blank.js"></script></head><body></body></html>');
fs.writeFileSync(path.join(dir, 'blank.js'), "document.body.dataset.ready = 'true';\n");
const cases = Number(process.env.CASES ?? 500);
const ext = await launchWithExtension({ extensionDir: dir });
const root = ext.browser.process()!.pid!;
try {
  await ensureDatabase(ext);
  const page = await ext.openPage('blank.html');
  for (let run = 0; run < Number(process.env.RUNS ?? 2); run++) {
    await sendLeftovers(page, 'leftovers');
    await writeZendesk(page);
    await queueZendeskCases(page, cases);
    const rawSim = await startZendeskSimulator({ email: EMAIL, token: TOKEN });
    let before = snapshot(root);
    const plain = await rawFetchZendesk(ext, rawSim, 4);
    let after = snapshot(root);
    await rawSim.close();
    console.log(`raw: ${plain.count} in ${Math.round(plain.ms)} ms`);
    print(before, after, plain.count);

    const syncSim = await startZendeskSimulator({ email: EMAIL, token: TOKEN });
    await writeZendesk(page, syncSim);
    await page.evaluate(() => void delete (globalThis as unknown as { __benchDrain?: unknown }).__benchDrain);
    before = snapshot(root);
    const drained = drainThroughEngine(page, 'engine');
    // The drain's end is its outbox seen empty (the stopwatch of sync.ts), not the reply, which waits for the pull.
    for (;;) {
      const empty = await page.evaluate(() => {
        const job = (globalThis as unknown as { __benchDrain?: { done: boolean; note?: string } }).__benchDrain;
        return job ? job.done || (job.note ?? '').startsWith('outbox empty') : false;
      });
      if (empty) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    after = snapshot(root);
    const engine = await drained;
    await syncSim.close();
    console.log(`engine: ${engine.sent} in ${Math.round(engine.ms)} ms, ratio ${(plain.ms / engine.ms).toFixed(2)}`);
    print(before, after, engine.sent);
  }
  await page.close();
} finally {
  await ext.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
