/**
 * The bench's figures: each is a list of samples reduced to median and p95,
 * printed as a table and written as JSON with `--json FILE`:
 *   { "panel_ready": { "median": 31.2, "p95": 40.1, "unit": "ms" }, ... }
 */
import fs from 'node:fs';

export type Unit = 'ms' | 'bytes' | 'changes/s';
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
    const figure = { median: round(quantile(sorted, 0.5)), p95: round(quantile(sorted, 0.95)), unit, samples: samples.length };
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
