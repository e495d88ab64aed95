import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, backoffDelay } from '../../../lib/sync/backoff';

describe('backoff', () => {
  it('waits at most base·2^(n-1) after the n-th failure', () => {
    const max = () => 0.999999;
    expect(backoffDelay(1, { random: max, baseMs: 1000 })).toBe(999);
    expect(backoffDelay(2, { random: max, baseMs: 1000 })).toBe(1999);
    expect(backoffDelay(4, { random: max, baseMs: 1000 })).toBe(7999);
  });

  it('never waits longer than the cap, however many failures', () => {
    for (const attempts of [10, 20, 60, 1000]) {
      expect(backoffDelay(attempts, { random: () => 0.999999 })).toBeLessThan(BACKOFF_CAP_MS);
    }
    expect(backoffDelay(1000, { random: () => 0.5, capMs: 10_000 })).toBe(5000);
  });

  it('spreads retries over the whole window (full jitter)', () => {
    expect(backoffDelay(3, { random: () => 0, baseMs: 1000 })).toBe(0);
    expect(backoffDelay(3, { random: () => 0.5, baseMs: 1000 })).toBe(2000);
    const seen = new Set(Array.from({ length: 50 }, (_, i) => backoffDelay(5, { random: () => i / 50 })));
    expect(seen.size).toBe(50);
  });

  it('stays within bounds even with a broken random source', () => {
    expect(backoffDelay(2, { random: () => -3, baseMs: 1000 })).toBe(0);
    expect(backoffDelay(2, { random: () => 7, baseMs: 1000 })).toBe(2000);
    expect(backoffDelay(0, { random: () => 0.5, baseMs: 1000 })).toBe(500);
  });
});
