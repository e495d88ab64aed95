/**
 * A timeline of what the extension's service worker does during a drain (a
 * tool for tests/bench/sync-cpu.ts TIMELINE=1, not a bench figure): each
 * fetch sent and answered, the IndexedDB requests it makes (runs of one kind
 * on one store folded into one line with their count and the time spent
 * making them), and every stretch longer than 6 ms in which its thread
 * answered nothing else (a timer asked for every millisecond came late:
 * reading a page, a commit, parsing answers). Printed as ms after the
 * drain's "Sync now", with how long, in all, 0 to 4 requests were out.
 */
import type { WebWorker } from 'puppeteer-core';

type Event = [at: number, what: string];

/** Puts the probes into the worker (once) and empties its timeline. */
export async function startWorkerTimeline(worker: WebWorker): Promise<void> {
  await worker.evaluate(() => {
    const g = globalThis as unknown as { __timeline?: Event[]; __timelineOn?: boolean };
    type Event = [number, string];
    g.__timeline = [];
    if (g.__timelineOn) return;
    g.__timelineOn = true;
    const at = () => performance.timeOrigin + performance.now();
    const push = (what: string) => g.__timeline!.push([at(), what]);
    const originalFetch = globalThis.fetch;
    globalThis.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      const url = String(input instanceof Request ? input.url : input).replace(/^https?:\/\/[^/]+/, '').slice(0, 48);
      push(`fetch> ${url} ${typeof init?.body === 'string' ? init.body.length : 0} B`);
      const answer = originalFetch.call(this, input, init);
      answer.then((response) => push(`fetch< ${url} ${response.status}`), () => push(`fetch! ${url}`));
      return answer;
    } as typeof fetch;
    for (const proto of [IDBObjectStore.prototype, IDBIndex.prototype] as unknown as Array<Record<string, (...args: unknown[]) => unknown>>) {
      for (const method of ['get', 'getAll', 'getAllKeys', 'count', 'put', 'add', 'delete']) {
        const original = proto[method]!;
        proto[method] = function (this: IDBObjectStore | IDBIndex, ...args: unknown[]) {
          const key = `${'objectStore' in this ? `${this.objectStore.name}.${this.name}` : this.name} ${method}`;
          const started = at();
          const request = original.apply(this, args) as IDBRequest;
          const spent = at() - started;
          const last = g.__timeline!.at(-1) as Event | undefined;
          const run = last && /^idb (.*) ×(\d+) ([\d.]+) ms$/.exec(last[1]);
          if (run && run[1] === key) last![1] = `idb ${key} ×${Number(run[2]) + 1} ${(Number(run[3]) + spent).toFixed(1)} ms`;
          else g.__timeline!.push([started, `idb ${key} ×1 ${spent.toFixed(1)} ms`]);
          if (method === 'getAll') request.addEventListener('success', () => push(`idb< ${key} ${(request.result as unknown[]).length} rows`));
          return request;
        };
      }
    }
    let last = at();
    const tick = () => {
      const now = at();
      if (now - last > 6) g.__timeline!.push([last, `busy ${(now - last).toFixed(1)} ms`]);
      last = now;
      setTimeout(tick, 1);
    };
    tick();
  });
}

/** Prints the timeline since startWorkerTimeline, as ms after `startedAt` (Date.now() of "Sync now"). */
export async function printWorkerTimeline(worker: WebWorker, startedAt: number): Promise<void> {
  const events = ((await worker.evaluate(() => (globalThis as unknown as { __timeline?: Event[] }).__timeline ?? [])) as Event[]).sort((a, b) => a[0] - b[0]);
  const out = new Map<number, number>();
  let inFlight = 0;
  let since: number | undefined;
  for (const [at, what] of events) {
    console.log(`    ${(at - startedAt).toFixed(1).padStart(8)}  ${what}`);
    const step = what.startsWith('fetch>') ? 1 : what.startsWith('fetch<') || what.startsWith('fetch!') ? -1 : 0;
    if (step === 0) continue;
    if (since !== undefined) out.set(inFlight, (out.get(inFlight) ?? 0) + at - since);
    inFlight += step;
    since = at;
  }
  const spans = [...out].sort((a, b) => a[0] - b[0]).map(([n, ms]) => `${n}: ${Math.round(ms)} ms`);
  console.log(`    requests out, from the first to the last answer: ${spans.join(', ')}`);
}
