/**
 * A drain keeps copies of the sync rows it read and wrote (lib/sync/drain-rows.ts)
 * while the rows' revision stays the same; every other writer of
 * `syncRecords` rows changes it (markSyncRowsChanged, engine-state.ts) in the
 * transaction of its write. This test finds the writers in lib/ and
 * components/ by their calls: a new writer that forgets the mark fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
/** The engine's own writes: the committer's writes (commit-write.ts) keep its copies current; the pump's "syncing" mark forgets them; the drain's start and end run before and after every copy. */
const ENGINE = new Set(['lib/sync/commit-write.ts', 'lib/sync/request-pump.ts', 'lib/sync/engine.ts']);
const WRITE = /syncRecords\s*(?:\.\s*(?:where|filter|toCollection)\([^;]*?)?\.\s*(?:put|bulkPut|add|bulkAdd|update|bulkUpdate|delete|bulkDelete|modify|clear)\(/;

function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

describe('writers of sync rows', () => {
  const writers = ['lib', 'components', 'entrypoints']
    .flatMap((folder) => sourceFiles(join(ROOT, folder)))
    .map((path) => ({ file: relative(ROOT, path), text: readFileSync(path, 'utf8') }))
    .filter(({ text }) => WRITE.test(text));

  it('are found (the pattern still matches the code)', () => {
    expect(writers.map(({ file }) => file)).toEqual(expect.arrayContaining(['lib/sync/commit-write.ts', 'lib/sync/pull.ts', 'lib/sync/conflicts.ts', 'lib/sync/settings.ts']));
  });

  it('mark the rows changed, except the engine itself', () => {
    const unmarked = writers.filter(({ file, text }) => !ENGINE.has(file) && !text.includes('markSyncRowsChanged(db)')).map(({ file }) => file);
    expect(unmarked).toEqual([]);
  });
});
