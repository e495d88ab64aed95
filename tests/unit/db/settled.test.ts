import { afterEach, describe, expect, it } from 'vitest';
import { SidecaseDb } from '../../../lib/db/db';
import { settledLiveQuery } from '../../../lib/db/settled';

const dbs: SidecaseDb[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function meta(db: SidecaseDb, value: number) {
  await db.meta.put({ key: 'n', value });
}

describe('live queries that wait for the writes to settle', () => {
  it('re-reads once after a burst of writes, not once per write, and shows the last value', async () => {
    const db = new SidecaseDb(`settled-${Math.random()}`);
    dbs.push(db);
    await meta(db, 0);
    const seen: number[] = [];
    let runs = 0;
    const subscription = settledLiveQuery(async () => {
      runs += 1;
      return ((await db.meta.get('n'))?.value as number) ?? -1;
    }).subscribe({ next: (value) => seen.push(value) });
    try {
      await sleep(100);
      expect(seen).toEqual([0]);
      // Ten writes 20 ms apart: each closer to the last than the 150 ms of quiet a re-read waits for.
      for (let i = 1; i <= 10; i++) {
        await meta(db, i);
        await sleep(20);
      }
      expect(runs).toBe(1);
      await sleep(400);
      expect(seen.at(-1)).toBe(10);
      // One read for the whole burst (a plain live query read eleven times).
      expect(runs).toBe(2);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('still refreshes within a second while writes never stop', async () => {
    const db = new SidecaseDb(`settled-${Math.random()}`);
    dbs.push(db);
    await meta(db, 0);
    const seen: number[] = [];
    const subscription = settledLiveQuery(async () => ((await db.meta.get('n'))?.value as number) ?? -1).subscribe({
      next: (value) => seen.push(value),
    });
    try {
      await sleep(100);
      const started = Date.now();
      let i = 0;
      while (Date.now() - started < 1600) {
        await meta(db, ++i);
        await sleep(40);
      }
      // Writes every 40 ms for 1.6 s: never 150 ms of quiet, yet the view
      // moved on within the 1 s a re-read waits at most.
      expect(seen.length).toBeGreaterThan(1);
      expect(seen[1]).toBeGreaterThan(0);
      expect(seen[1]).toBeLessThan(i);
    } finally {
      subscription.unsubscribe();
    }
  });
});
