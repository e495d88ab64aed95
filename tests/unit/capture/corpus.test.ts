import { describe, expect, it } from 'vitest';
import { formatScore, scoreCorpus } from '../../corpus/score';

// The targets: right ÷ expected ≥ 0.95 and wrong ÷ expected ≤ 0.01 on pages written by others.
describe('capture on the corpus of pages written by others', () => {
  it('fills at least 95% of the expected fields and at most 1% wrongly', () => {
    const score = scoreCorpus();
    console.log(formatScore(score));
    expect(score.pages).toBeGreaterThanOrEqual(60);
    expect(score.accuracy, formatScore(score)).toBeGreaterThanOrEqual(0.95);
    expect(score.wrong, formatScore(score)).toBeLessThanOrEqual(0.01);
  }, 60_000);
});
