import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findSensitive, REDACTION_KINDS, type Span } from '../../../lib/redaction';

interface Entry {
  kind: string;
  text: string;
  expect: Array<{ label: string; value: string }>;
}
const corpus = JSON.parse(readFileSync(new URL('./corpus.json', import.meta.url), 'utf8')) as { positives: Entry[]; negatives: Entry[] };

interface Score {
  expected: number;
  found: number;
  falsePositives: number;
  misses: string[];
  alarms: string[];
}

/** Per kind: a value found when its span and label are the expected ones; any other span is a false positive. */
function score(): Map<string, Score> {
  const scores = new Map<string, Score>(REDACTION_KINDS.map((kind) => [kind, { expected: 0, found: 0, falsePositives: 0, misses: [], alarms: [] }]));
  for (const entry of [...corpus.positives, ...corpus.negatives]) {
    const spans = findSensitive(entry.text);
    const unexplained = new Set<Span>(spans);
    const own = scores.get(entry.kind)!;
    for (const wanted of entry.expect) {
      own.expected += 1;
      const hit = spans.find((s) => s.label === wanted.label && entry.text.slice(s.start, s.end) === wanted.value);
      if (hit) {
        own.found += 1;
        unexplained.delete(hit);
      } else own.misses.push(`${wanted.label} ${JSON.stringify(wanted.value)} in ${JSON.stringify(entry.text)}`);
    }
    for (const span of unexplained) {
      const s = scores.get(span.kind)!;
      s.falsePositives += 1;
      s.alarms.push(`${span.label} ${JSON.stringify(entry.text.slice(span.start, span.end))} in ${JSON.stringify(entry.text)}`);
    }
  }
  return scores;
}

describe('the redaction corpus', () => {
  it('has at least 50 positives and 50 negatives of each kind', () => {
    for (const kind of REDACTION_KINDS) {
      expect(corpus.positives.filter((e) => e.kind === kind).length, kind).toBeGreaterThanOrEqual(50);
      expect(corpus.negatives.filter((e) => e.kind === kind).length, kind).toBeGreaterThanOrEqual(50);
    }
  });

  it('finds every positive (recall 1.0) and raises no false alarm (precision 1.0)', () => {
    const scores = score();
    const lines = ['kind        expected found  false+  recall  precision'];
    for (const [kind, s] of scores) {
      const recall = s.expected ? s.found / s.expected : 1;
      const precision = s.found + s.falsePositives ? s.found / (s.found + s.falsePositives) : 1;
      lines.push(`${kind.padEnd(11)} ${String(s.expected).padStart(8)} ${String(s.found).padStart(5)} ${String(s.falsePositives).padStart(7)}  ${recall.toFixed(3)}   ${precision.toFixed(3)}`);
    }
    console.log(`redaction corpus (${corpus.positives.length} positives, ${corpus.negatives.length} negatives)\n${lines.join('\n')}`);
    const misses = [...scores.values()].flatMap((s) => s.misses);
    const alarms = [...scores.values()].flatMap((s) => s.alarms);
    expect(misses, 'missed').toEqual([]);
    expect(alarms, 'false alarms').toEqual([]);
  });
});
