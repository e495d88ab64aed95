/**
 * The bench's figures: each is a list of samples reduced to median and p95,
 * printed as a table and written as JSON with `--json FILE`:
 *   { "panel_ready": { "median": 31.2, "p95": 40.1, "unit": "ms" }, ... }
 */
import fs from 'node:fs';
import type { Page, WebWorker } from 'puppeteer-core';

export type Unit = 'ms' | 'bytes' | 'changes/s' | 'ratio';
export interface Figure {
  median: number;
  p95: number;
  unit: Unit;
  samples: number;
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

export class Figures {
  readonly all = new Map<string, Figure>();
  readonly targets: Array<{ label: string; ok: boolean; detail: string }> = [];

  add(name: string, samples: number[], unit: Unit): Figure {
    const sorted = [...samples].sort((a, b) => a - b);
    // A ratio keeps three decimals (0.992 is not 0.99); times and sizes two.
    const r = (value: number) => (unit === 'ratio' ? Math.round(value * 1000) / 1000 : round(value));
    const figure = { median: r(quantile(sorted, 0.5)), p95: r(quantile(sorted, 0.95)), unit, samples: samples.length };
    this.all.set(name, figure);
    console.log(`  ${name}: median ${figure.median} ${unit}, p95 ${figure.p95} ${unit} (${samples.length} samples)`);
    return figure;
  }

  /** A target as the issues state it: `a <= factor × b` on medians (or an absolute limit). */
  target(label: string, ok: boolean, detail: string): void {
    this.targets.push({ label, ok, detail });
  }

  print(): void {
    const rows = [...this.all.entries()].map(([name, f]) => [name, String(f.median), String(f.p95), f.unit, String(f.samples)]);
    const header = ['figure', 'median', 'p95', 'unit', 'n'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    console.log('\n' + line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    rows.forEach((r) => console.log(line(r)));
    if (this.targets.length) {
      console.log('\ntargets:');
      for (const t of this.targets) console.log(`  ${t.ok ? 'met   ' : 'MISSED'} ${t.label}: ${t.detail}`);
    }
  }

  writeJson(file: string): void {
    const out = Object.fromEntries([...this.all.entries()].map(([name, f]) => [name, { median: f.median, p95: f.p95, unit: f.unit }]));
    fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
    console.log(`\nwrote ${file}`);
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

// ---------------------------------------------------------------- phases and deadlines

/** A failure the bench explains in one line (no stack trace): which step, and why. */
export class BenchError extends Error {}

/** Where the bench is now, for the line a stalled phase prints ("stalled at: …"). */
export const progress = { phase: '', step: '' };

export function step(text: string): void {
  progress.step = text;
}

/** Rejects with "stalled at: <step>" when `work` has not settled after `ms`. */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BenchError(`${what} did not finish within ${Math.round(ms / 1000)} s (stalled at: ${progress.step || 'start'})`)), ms);
  });
  try {
    return await Promise.race([work, stalled]);
  } finally {
    clearTimeout(timer);
  }
}

/** One readable line out of any error: puppeteer's and the browser's messages keep their first line only. */
export function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.replace(/^Error: /, '').trim() || 'unknown error';
}


export interface JobState<R> {
  done: boolean;
  result?: R;
  error?: string;
  /** What the job reports as it goes (e.g. changes left in the outbox). */
  note?: string;
}

/**
 * Runs a long piece of work in a page or worker without one long call into it:
 * `start` begins the work there and keeps its state in `globalThis[name]`; the
 * bench then asks every half second how far it is. The job fails when it takes
 * longer than `deadlineMs`, or when its note has not changed for `stallMs`.
 */
export async function pollJob<R>(target: Page | WebWorker, name: string, what: string, deadlineMs: number, stallMs = 60_000): Promise<R> {
  const started = Date.now();
  let lastNote: string | undefined;
  let lastChange = started;
  for (;;) {
    const state = (await withDeadline(
      (target as Page).evaluate((key: string) => (globalThis as unknown as Record<string, JobState<R> | undefined>)[key] ?? { done: false, note: 'not started' }, name),
      20_000,
      `${what}: asking how far it is`,
    )) as JobState<R>;
    if (state.done) {
      if (state.error !== undefined) throw new BenchError(`${what} failed: ${state.error}`);
      return state.result as R;
    }
    const now = Date.now();
    if (state.note !== lastNote) {
      lastNote = state.note;
      lastChange = now;
      if (state.note) step(`${what}: ${state.note}`);
    }
    if (now - started > deadlineMs) throw new BenchError(`${what} did not finish within ${Math.round(deadlineMs / 1000)} s (${state.note ?? 'no progress reported'})`);
    if (now - lastChange > stallMs) throw new BenchError(`${what} stalled: no progress for ${Math.round(stallMs / 1000)} s (${state.note ?? 'no progress reported'})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
