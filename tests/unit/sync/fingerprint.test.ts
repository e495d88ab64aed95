import { describe, expect, it } from 'vitest';
import { fingerprintOf, sameData } from '../../../lib/sync/fingerprint';

describe('the fingerprint of a change sent', () => {
  it('is the same for the same data in any key order, nested objects too', () => {
    const ours = { title: 'Router', sla: { due: 5, met: false }, tags: ['a', 'b'] };
    const theirs = { tags: ['a', 'b'], sla: { met: false, due: 5 }, title: 'Router' };
    expect(sameData(ours, theirs)).toBe(true);
    expect(fingerprintOf(theirs)).toBe(fingerprintOf(ours));
  });

  it('differs when a value, an array order or a nested field differs', () => {
    const base = fingerprintOf({ title: 'Router', sla: { due: 5 }, tags: ['a', 'b'] });
    expect(fingerprintOf({ title: 'Router!', sla: { due: 5 }, tags: ['a', 'b'] })).not.toBe(base);
    expect(fingerprintOf({ title: 'Router', sla: { due: 6 }, tags: ['a', 'b'] })).not.toBe(base);
    expect(fingerprintOf({ title: 'Router', sla: { due: 5 }, tags: ['b', 'a'] })).not.toBe(base);
  });

  it('fits the 32 characters a sync row keeps', () => {
    expect(fingerprintOf({ description: 'x'.repeat(2000) })).toMatch(/^[0-9a-f]{1,32}$/);
  });
});
