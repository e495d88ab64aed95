import { describe, expect, it } from 'vitest';
import { idAt, newId } from '../../lib/ids';

describe('record ids', () => {
  it('sort by creation time, several in one millisecond included', () => {
    const ids = [newId(1000), newId(1000), newId(1000), newId(2000)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
  });

  it('sort a log row by when it happened, even when its id is drawn later', () => {
    const later = newId(5000);
    const drawnAfter = idAt(4000);
    expect(drawnAfter < later).toBe(true);
    expect([idAt(3000), idAt(1000), idAt(2000)].sort().map((id) => id.slice(0, 10))).toEqual([idAt(1000), idAt(2000), idAt(3000)].map((id) => id.slice(0, 10)));
  });
});
