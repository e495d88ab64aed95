import { describe, expect, it } from 'vitest';
import { parseRetryAfter, RETRY_AFTER_MAX_MS } from '../../../lib/sync/retry-after';

const now = Date.UTC(2025, 5, 1, 12, 0, 0);

describe('Retry-After', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', now)).toBe(30_000);
  });

  it('treats a date in the past as "now"', () => {
    expect(parseRetryAfter('Sun, 01 Jun 2025 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores garbage, negative and fractional values', () => {
    for (const value of ['soon', '-5', '1.5', '', '12abc', undefined, null]) {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    }
  });

  it('clamps a week-long wait to the maximum', () => {
    expect(parseRetryAfter(String(7 * 24 * 3600), now)).toBe(RETRY_AFTER_MAX_MS);
    expect(parseRetryAfter('Sun, 08 Jun 2025 12:00:00 GMT', now)).toBe(RETRY_AFTER_MAX_MS);
    expect(parseRetryAfter('600', now, 60_000)).toBe(60_000);
  });
});
