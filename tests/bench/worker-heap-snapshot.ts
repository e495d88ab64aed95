/**
 * What the extension's service worker holds (a tool for worker_heap, not a
 * bench figure). The seeded profile is kept between runs, so a build is
 * measured in a few minutes instead of seeding 50,000 cases again each time:
 *
 *   node --import tsx tests/bench/worker-heap-snapshot.ts seed      seeds HEAP_PROFILE (BENCH_CASES, … as run.ts)
 *   node --import tsx tests/bench/worker-heap-snapshot.ts idle      the worker 5 s after it started, and its snapshot
 *   node --import tsx tests/bench/worker-heap-snapshot.ts measure   the same reading, then the bench's heap phase
 *                                                                    (panel_heap, worker_heap), then a snapshot
 *
 * A snapshot is printed as self size per type and constructor, and the
 * objects that retain the most (dominator tree) with the variable or property
 * each hangs from (minified names: look them up in the built background.js).
 * HEAP_BEFORE=panel,search runs those bench phases first, as a whole bench
 * run does before its heap phase (the panel phase saves cases into the
 * profile). HEAP_SNAPSHOT=file keeps the raw snapshot (DevTools' Memory tab
 * opens it); HEAP_TRACE=file writes what an instrumented build pushed onto
 * globalThis.__trace (how the search's record reads were replayed against
 * smaller caches). HEAP_SUMMARY=0 skips the snapshot.
 *
 * The build (.output/chrome-mv3, or SIDECASE_EXTENSION_DIR) is copied to the
 * same folder each time (HEAP_EXT_DIR), so the extension's id, and with it
 * its database in the profile, stays the same.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CDPSession } from 'puppeteer-core';
import { launchWithExtension, typeInto, type ExtensionBrowser } from '../e2e/support/browser';
import { Figures } from './harness';
import { benchHeap } from './heap';
import { benchPanel } from './panel';
import { benchSearch } from './search';
import { seedDatabase } from './seed';

const mode = process.argv[2] ?? 'measure';
const profile = process.env.HEAP_PROFILE ?? path.join(os.tmpdir(), 'sidecase-heap-profile');
const extDir = process.env.HEAP_EXT_DIR ?? path.join(os.tmpdir(), 'sidecase-heap-ext');
const source = path.resolve(process.env.SIDECASE_EXTENSION_DIR ?? '.output/chrome-mv3');

async function usedHeapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

async function workerSession(ext: ExtensionBrowser): Promise<CDPSession> {
  const target = await ext.browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${ext.extensionId}/`),
    { timeout: 15_000 },
  );
  return target.createCDPSession();
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] }; node_count: number };
  nodes: number[];
  edges: number[];
  strings: string[];
}

async function takeSnapshot(cdp: CDPSession): Promise<Snapshot> {
  const chunks: string[] = [];
  const onChunk = ({ chunk }: { chunk: string }) => chunks.push(chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false } as never);
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const text = chunks.join('');
  if (process.env.HEAP_SNAPSHOT) fs.writeFileSync(process.env.HEAP_SNAPSHOT, text);
  return JSON.parse(text) as Snapshot;
}

/** Self size per type and constructor, and the nodes that retain the most (immediate dominators, Cooper–Harvey–Kennedy). */
function summarize(s: Snapshot, top = 40): void {
  const { meta } = s.snapshot;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const [typeF, nameF, , sizeF, edgeCountF] = ['type', 'name', 'id', 'self_size', 'edge_count'].map((f) => meta.node_fields.indexOf(f));
  const [eTypeF, eNameF, eToF] = ['type', 'name_or_index', 'to_node'].map((f) => meta.edge_fields.indexOf(f));
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const n = s.nodes.length / nf;
  const firstEdge = new Uint32Array(n + 1);
  for (let i = 0, e = 0; i < n; i++) {
    firstEdge[i] = e;
    e += s.nodes[i * nf + edgeCountF!]! * ef;
    firstEdge[i + 1] = e;
  }
  const typeOf = (i: number) => nodeTypes[s.nodes[i * nf + typeF!]!]!;
  const nameOf = (i: number) => s.strings[s.nodes[i * nf + nameF!]!]!;
  const sizeOf = (i: number) => s.nodes[i * nf + sizeF!]!;
  const weak = edgeTypes.indexOf('weak');
  const shortcut = edgeTypes.indexOf('shortcut');
  const total = Array.from({ length: n }, (_, i) => sizeOf(i)).reduce((a, b) => a + b, 0);

  const byKind = new Map<string, { size: number; count: number }>();
  for (let i = 0; i < n; i++) {
    const type = typeOf(i);
    const key = type === 'object' || type === 'closure' || type === 'native' ? `${type}: ${nameOf(i)}` : type === 'code' || type === 'hidden' || type === 'array' ? `${type}: ${nameOf(i).slice(0, 60)}` : type;
    const row = byKind.get(key) ?? { size: 0, count: 0 };
    row.size += sizeOf(i);
    row.count += 1;
    byKind.set(key, row);
  }
  console.log(`\nsnapshot: ${n} nodes, ${total.toLocaleString('en-US')} B self size in all\n\nself size by type / constructor:`);
  for (const [key, row] of [...byKind].sort((a, b) => b[1].size - a[1].size).slice(0, top)) {
    console.log(`  ${row.size.toLocaleString('en-US').padStart(11)} B  ${String(row.count).padStart(7)}×  ${key}`);
  }

  // Dominators over strong edges from the root (node 0), in reverse postorder.
  const order: number[] = [];
  const seen = new Uint8Array(n);
  const stack: Array<[number, number]> = [[0, firstEdge[0]!]];
  seen[0] = 1;
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const [node, e] = top;
    if (e >= firstEdge[node + 1]!) {
      order.push(node);
      stack.pop();
      continue;
    }
    top[1] = e + ef;
    const type = s.edges[e + eTypeF!];
    if (type === weak || type === shortcut) continue;
    const to = s.edges[e + eToF!]! / nf;
    if (!seen[to]) {
      seen[to] = 1;
      stack.push([to, firstEdge[to]!]);
    }
  }
  const post = new Int32Array(n).fill(-1);
  order.forEach((node, i) => (post[node] = i));
  const preds: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    if (post[i]! < 0) continue;
    for (let e = firstEdge[i]!; e < firstEdge[i + 1]!; e += ef) {
      const type = s.edges[e + eTypeF!];
      if (type === weak || type === shortcut) continue;
      preds[s.edges[e + eToF!]! / nf]!.push(i);
    }
  }
  const idom = new Int32Array(n).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (post[a]! < post[b]!) a = idom[a]!;
      while (post[b]! < post[a]!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = order.length - 2; k >= 0; k--) {
      const node = order[k]!;
      let dom = -1;
      for (const p of preds[node]!) if (idom[p]! >= 0) dom = dom < 0 ? p : intersect(p, dom);
      if (dom >= 0 && idom[node] !== dom) {
        idom[node] = dom;
        changed = true;
      }
    }
  }
  const retained = new Float64Array(n);
  for (const node of order) {
    retained[node]! += sizeOf(node);
    if (node !== 0 && idom[node]! >= 0) retained[idom[node]!]! += retained[node]!;
  }
  // How each node is reached from its dominator (the variable or property name), for reading the list.
  const via = new Map<number, string>();
  for (let i = 0; i < n; i++) {
    for (let e = firstEdge[i]!; e < firstEdge[i + 1]!; e += ef) {
      const to = s.edges[e + eToF!]! / nf;
      if (idom[to] !== i || via.has(to)) continue;
      const type = edgeTypes[s.edges[e + eTypeF!]!]!;
      const name = type === 'element' || type === 'hidden' ? `[${s.edges[e + eNameF!]}]` : s.strings[s.edges[e + eNameF!]!];
      via.set(to, `${type} ${name}`);
    }
  }
  console.log('\nlargest retainers (not counting the root and its synthetic groups):');
  const candidates = order.filter((i) => i !== 0 && typeOf(i) !== 'synthetic' && retained[i]! > 20_000);
  candidates.sort((a, b) => retained[b]! - retained[a]!);
  for (const i of candidates.slice(0, top)) {
    const chain: string[] = [];
    for (let at = i, depth = 0; at !== 0 && depth < 4; at = idom[at]!, depth++) chain.push(`${via.get(at) ?? '?'} ← ${typeOf(idom[at]!)} ${nameOf(idom[at]!).slice(0, 30)}`);
    console.log(`  ${Math.round(retained[i]!).toLocaleString('en-US').padStart(11)} B  ${typeOf(i)} ${nameOf(i).slice(0, 50)}   via ${chain.join(' / ')}`);
  }
}

async function main(): Promise<void> {
  fs.rmSync(extDir, { recursive: true, force: true });
  fs.cpSync(source, extDir, { recursive: true });
  // The yardstick page the panel phase opens beside the panel (as run.ts writes it).
  fs.writeFileSync(
    path.join(extDir, 'blank.html'),
    '<!doctype html><html><head><meta charset="utf-8"><title>blank</title><script type="module" src="/blank.js"></script></head><body></body></html>',
  );
  fs.writeFileSync(path.join(extDir, 'blank.js'), "performance.mark('sidecase:ready'); document.body.dataset.ready = 'true';\n");
  // Chromium starts the worker script it registered in the profile, not the one on disk: without its
  // registration (the database stays) it registers this build's.
  for (const cache of ['Service Worker', 'Code Cache']) fs.rmSync(path.join(profile, 'Default', cache), { recursive: true, force: true });
  const ext = await launchWithExtension({ extensionDir: extDir, userDataDir: profile });
  try {
    if (mode === 'seed') {
      const page = await ext.openPage('sidepanel.html');
      await typeInto(page, 'title', 'Seed template');
      await typeInto(page, 'customer.name', 'Template Customer');
      await typeInto(page, 'customer.email', 'template@example.com');
      await page.click('form[name="quick-create"] button[name="save"]');
      await page.waitForSelector('.toast__message', { timeout: 15_000 });
      await seedDatabase(page, {
        cases: Number(process.env.BENCH_CASES ?? 50_000),
        customers: Number(process.env.BENCH_CUSTOMERS ?? 20_000),
        notes: Number(process.env.BENCH_NOTES ?? 200_000),
      });
      await page.close();
      return;
    }
    const cdp0 = await workerSession(ext);
    // Its start-up work (settings, alarms, the first badge count, the re-index check) done first.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    console.log(`worker, just started: ${(await usedHeapAfterGc(cdp0)).toLocaleString('en-US')} B`);
    // idle: only that, and the snapshot of the worker as it starts (what the code and its top-level objects hold).
    if (mode === 'idle') {
      if (process.env.HEAP_SUMMARY !== '0') summarize(await takeSnapshot(cdp0), Number(process.env.HEAP_TOP ?? 40));
      await cdp0.detach();
      return;
    }
    await cdp0.detach();
    // HEAP_BEFORE=panel,search: the bench phases a full run has before its heap phase (each leaves the worker warm).
    const figures = new Figures();
    const before = process.env.HEAP_BEFORE?.split(',') ?? [];
    if (before.includes('panel')) await benchPanel(ext, figures, extDir);
    if (before.includes('search')) await benchSearch(ext, figures);
    // The bench's heap phase as run.ts runs it: panel_heap's five panels, then the queries and worker_heap.
    await benchHeap(ext, figures);
    const cdp = await workerSession(ext);
    // HEAP_TRACE=file: a build instrumented to push onto globalThis.__trace (not shipped) has it written out.
    if (process.env.HEAP_TRACE) {
      const { result } = await cdp.send('Runtime.evaluate', { expression: 'JSON.stringify(globalThis.__trace ?? null)', returnByValue: true });
      fs.writeFileSync(process.env.HEAP_TRACE, String(result.value));
    }
    if (process.env.HEAP_SUMMARY !== '0') summarize(await takeSnapshot(cdp), Number(process.env.HEAP_TOP ?? 40));
    await cdp.detach();
  } finally {
    await ext.close({ keepProfile: true });
  }
}

await main();
process.exit(0);
