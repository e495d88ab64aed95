/**
 * The engine deletes confirmed outbox entries as ranges: each range must hold
 * confirmed keys only, so an entry waiting between two confirmed ones stays.
 */
import { describe, expect, it } from 'vitest';
import { confirmedRuns } from '../../../lib/sync/engine';

describe('confirmed entries deleted as ranges', () => {
  it('makes one range of entries that lie side by side', () => {
    expect(confirmedRuns(['a', 'b', 'c', 'd'], new Set(['a', 'b', 'c', 'd']))).toEqual([['a', 'd']]);
  });

  it('never lets a range cover an entry that still waits', () => {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const runs = confirmedRuns(keys, new Set(['a', 'b', 'd', 'f', 'g']));
    expect(runs).toEqual([
      ['a', 'b'],
      ['d', 'd'],
      ['f', 'g'],
    ]);
    const covered = keys.filter((key) => runs.some(([first, last]) => key >= first && key <= last));
    expect(covered).toEqual(['a', 'b', 'd', 'f', 'g']);
  });

  it('deletes nothing when nothing in the range was confirmed', () => {
    expect(confirmedRuns(['a', 'b'], new Set())).toEqual([]);
    expect(confirmedRuns([], new Set(['a']))).toEqual([]);
  });
});
