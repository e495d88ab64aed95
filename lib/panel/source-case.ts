/**
 * "Already a case": is the page the agent is on (the open tab, or the mail
 * thread / chat a capture read) the source of a stored case? Then the panel
 * says so before a second case is made from it.
 *
 * Two URLs name the same source when their keys match (sourceKeyOf): the
 * scheme, `www.`, a trailing slash, tracking parameters and a plain anchor do
 * not count; a hash route does, since Gmail and Teams keep the thread there
 * (`#inbox/FMfcg…`), and Gmail's thread id is the same in every label it is
 * listed under (`#inbox/ID`, `#all/ID`, `#label/x/ID`).
 *
 * `source.url` is not indexed (an index would need a schema version): the
 * lookup walks the cases newest first and stops at the first match, run only
 * when the panel knows a web page's URL, after its first paint.
 */
import type { Case } from '../schema';
import type { SidecaseDb } from '../db/db';

/** Parameters that say how the agent got to a page, not which page it is. */
const TRACKING = /^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ref|ref_src)$/i;
/** A thread or message id at the end of a hash route: long, letters and digits only. */
const THREAD_ID = /^[A-Za-z0-9_-]{16,}$/;

export function sourceKeyOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  const host = parsed.hostname.toLowerCase().replace(/^www\./, '');
  const route = parsed.hash.startsWith('#') && parsed.hash.includes('/') ? parsed.hash.slice(1) : '';
  const thread = route.split('/').at(-1) ?? '';
  if (THREAD_ID.test(thread)) return `${host}#${thread}`;
  const path = parsed.pathname.replace(/\/+$/, '');
  const params = [...parsed.searchParams].filter(([name]) => !TRACKING.test(name)).sort(([a], [b]) => a.localeCompare(b));
  const query = params.length ? `?${new URLSearchParams(params).toString()}` : '';
  return `${host}${path}${query}${route ? `#${route}` : ''}`;
}

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
  // Ids are ULIDs: in reverse id order the newest case comes first.
  const found = await db.cases
    .orderBy(':id')
    .reverse()
    .filter((item) => isCaseFromSource(item, keys))
    .first();
  return found ? { id: found.id, number: found.number } : undefined;
}
