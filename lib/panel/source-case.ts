/**
 * "Already a case": is the page the agent is on (the open tab, or the mail
 * thread / chat a capture read) the source of a stored case? Then the panel
 * says so before a second case is made from it. Two URLs name the same
 * source when their keys match (lib/cases/source-key.ts).
 *
 * Each case stores its source's key (`sourceKey`, indexed from schema
 * version 4), so the lookup is one index read. Cases stored before it are
 * given their key by the background re-index (lib/search/reindex.ts, words
 * version 3); until that has finished, the lookup walks the cases newest
 * first, as it did before the index, and stops at the first match.
 */
import type { Case } from '../schema';
import type { SidecaseDb } from '../db/db';
import { sourceKeyOf } from '../cases/source-key';
import { SOURCE_KEY_SINCE, WORDS_VERSION_KEY } from '../search/reindex-version';

export { sourceKeyOf };

/** The keys of the URLs the panel knows (tab, capture); duplicates and non-web URLs dropped. */
export function sourceKeysOf(urls: ReadonlyArray<string | undefined>): Set<string> {
  return new Set(urls.map(sourceKeyOf).filter((key): key is string => key !== undefined));
}

/** A case made from one of these sources, still worth offering: a cancelled (or merged) case is not. */
export function isCaseFromSource(item: Pick<Case, 'source' | 'state'>, keys: ReadonlySet<string>): boolean {
  if (item.state === 'cancelled') return false;
  const key = sourceKeyOf(item.source?.url);
  return key !== undefined && keys.has(key);
}

export type SourceCase = Pick<Case, 'id' | 'number'>;

/** The newest case made from one of these URLs, or undefined. */
export async function findCaseFromSource(db: SidecaseDb, urls: ReadonlyArray<string | undefined>): Promise<SourceCase | undefined> {
  const keys = sourceKeysOf(urls);
  if (keys.size === 0) return undefined;
  const indexed = ((await db.meta.get(WORDS_VERSION_KEY))?.value ?? 0) as number;
  if (indexed >= SOURCE_KEY_SINCE) {
    const matches = await db.cases.where('sourceKey').anyOf([...keys]).toArray();
    // Ids are ULIDs: the greatest id is the newest case.
    const newest = matches
      .filter((item) => isCaseFromSource(item, keys))
      .reduce<Case | undefined>((best, item) => (!best || item.id > best.id ? item : best), undefined);
    return newest ? { id: newest.id, number: newest.number } : undefined;
  }
  // Ids are ULIDs: in reverse id order the newest case comes first.
  const found = await db.cases
    .orderBy(':id')
    .reverse()
    .filter((item) => isCaseFromSource(item, keys))
    .first();
  return found ? { id: found.id, number: found.number } : undefined;
}
