/**
 * The capture score: runs the capture engine (the same `captureDocument` the
 * extension injects with `scripting.executeScript`) over every page of
 * tests/corpus, pages written by others, and compares each field with the
 * page's expected.json.
 *
 * Per field and expected value:
 *   right: the capture gives the expected value;
 *   empty: the capture gives nothing where a value is expected;
 *   wrong: the capture gives another value, or a value where the page has none
 *          (a spurious customer is a wrong customer: it counts against us).
 * accuracy = right ÷ expected values, wrong = wrong ÷ expected values.
 *
 * `npm run capture:score` prints the table; `scoreCorpus()` is what the bench
 * and the unit test read.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Window } from 'happy-dom';
import { captureDocument } from '../../lib/capture/capture';
import type { CaptureResult } from '../../lib/capture/result';

export const CORPUS_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname));
export const FIELDS = ['name', 'email', 'phone', 'company', 'title', 'origin'] as const;
export type ScoredField = (typeof FIELDS)[number];
type Expected = Record<ScoredField, string | null>;

export interface CorpusPage {
  source: string;
  id: string;
  url: string;
  own: string[];
  expected: Expected;
  html: string;
}

export interface Tally {
  right: number;
  empty: number;
  wrong: number;
  /** Fields the page expects a value for. */
  expected: number;
}

export interface PageMiss {
  page: string;
  field: ScoredField;
  expected: string | null;
  got: string | null;
}

export interface CorpusScore {
  accuracy: number;
  wrong: number;
  pages: number;
  /** source → field → tally, plus the source's 'all'. */
  table: Record<string, Record<ScoredField | 'all', Tally>>;
  total: Record<ScoredField | 'all', Tally>;
  misses: PageMiss[];
}

/** The corpus pages whose path relative to the corpus is under one of the sources (all when none given). */
export function loadCorpus(dir = CORPUS_DIR): CorpusPage[] {
  const pages: CorpusPage[] = [];
  for (const source of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    for (const id of readdirSync(path.join(dir, source)).sort()) {
      const meta = JSON.parse(readFileSync(path.join(dir, source, id, 'expected.json'), 'utf8'));
      pages.push({
        source,
        id,
        url: meta.url,
        own: meta.own ?? [],
        expected: meta.expected,
        html: readFileSync(path.join(dir, source, id, 'page.html'), 'utf8'),
      });
    }
  }
  return pages;
}

/** Builds the page's DOM as a browser would (no scripts run) and captures it. */
export function capturePage(page: CorpusPage): CaptureResult {
  const window = new Window({ url: page.url, settings: { disableJavaScriptEvaluation: true } });
  const doc = new window.DOMParser().parseFromString(page.html, 'text/html') as unknown as Document;
  try {
    return captureDocument(doc, { url: page.url, ownAddresses: page.own });
  } finally {
    void window.happyDOM.close();
  }
}

function fold(value: string): string {
  return value.normalize('NFKC').replace(/\s+/g, ' ').trim().toLocaleLowerCase();
}

/** The captured value of a field, as the form would show it. */
export function capturedField(result: CaptureResult, field: ScoredField): string | null {
  switch (field) {
    case 'title':
      return result.suggestedTitle?.value ?? null;
    case 'origin':
      return result.origin;
    default:
      return result.customer[field]?.value ?? null;
  }
}

/** Whether a captured value is the expected one: phones by their digits (E.164 or as written), the rest folded. */
export function isSameValue(field: ScoredField, expected: string, got: string): boolean {
  if (field === 'phone') {
    const a = expected.replace(/\D/g, '');
    const b = got.replace(/\D/g, '');
    // "+1 415 555 100" captured as written, or "(425) 123-4567" captured without a country.
    return a === b || (a.length >= 7 && b.length >= 7 && (a.endsWith(b) || b.endsWith(a)));
  }
  return fold(expected) === fold(got);
}

const emptyTally = (): Tally => ({ right: 0, empty: 0, wrong: 0, expected: 0 });
const emptyRow = () =>
  Object.fromEntries([...FIELDS, 'all'].map((f) => [f, emptyTally()])) as Record<ScoredField | 'all', Tally>;

function add(row: Record<ScoredField | 'all', Tally>, field: ScoredField, outcome: 'right' | 'empty' | 'wrong' | 'none', isExpected: boolean) {
  for (const key of [field, 'all'] as const) {
    if (isExpected) row[key].expected += 1;
    if (outcome !== 'none') row[key][outcome] += 1;
  }
}

export function scoreCorpus(pages: CorpusPage[] = loadCorpus()): CorpusScore {
  const table: CorpusScore['table'] = {};
  const total = emptyRow();
  const misses: PageMiss[] = [];
  for (const page of pages) {
    const result = capturePage(page);
    const row = (table[page.source] ??= emptyRow());
    for (const field of FIELDS) {
      const expected = page.expected[field] ?? null;
      const got = capturedField(result, field);
      const outcome =
        expected === null
          ? got === null ? 'none' : 'wrong'
          : got === null ? 'empty' : isSameValue(field, expected, got) ? 'right' : 'wrong';
      add(row, field, outcome, expected !== null);
      add(total, field, outcome, expected !== null);
      if (outcome === 'wrong' || outcome === 'empty') misses.push({ page: `${page.source}/${page.id}`, field, expected, got });
    }
  }
  const all = total.all;
  return {
    accuracy: all.expected ? all.right / all.expected : 0,
    wrong: all.expected ? all.wrong / all.expected : 0,
    pages: pages.length,
    table,
    total,
    misses,
  };
}

/** The table as text: one line per source and field, right / empty / wrong of expected. */
export function formatScore(score: CorpusScore): string {
  const cell = (t: Tally) => `${t.right}/${t.empty}/${t.wrong} of ${t.expected}`.padEnd(18);
  const width = Math.max(14, ...Object.keys(score.table).map((source) => source.length + 2));
  const header = 'source'.padEnd(width) + [...FIELDS, 'all'].map((f) => f.padEnd(18)).join('');
  const lines = [`right/empty/wrong of expected, by source (${score.pages} pages)`, header];
  for (const [source, row] of Object.entries(score.table)) {
    lines.push(source.padEnd(width) + [...FIELDS, 'all'].map((f) => cell(row[f as ScoredField | 'all'])).join(''));
  }
  lines.push('total'.padEnd(width) + [...FIELDS, 'all'].map((f) => cell(score.total[f as ScoredField | 'all'])).join(''));
  lines.push(`capture_accuracy ${score.accuracy.toFixed(3)}  capture_wrong ${score.wrong.toFixed(3)}`);
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const score = scoreCorpus();
  if (process.argv.includes('--misses')) {
    for (const m of score.misses) console.log(`${m.page}\t${m.field}\texpected ${JSON.stringify(m.expected)}\tgot ${JSON.stringify(m.got)}`);
  }
  console.log(formatScore(score));
}
