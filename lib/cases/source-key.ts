/**
 * The key two URLs share when they name the same source (the page, mail
 * thread or chat a case was made from): the scheme, `www.`, a trailing
 * slash, tracking parameters and a plain anchor do not count; a hash route
 * does, since Gmail and Teams keep the thread there (`#inbox/FMfcg…`), and
 * Gmail's thread id is the same in every label it is listed under
 * (`#inbox/ID`, `#all/ID`, `#label/x/ID`).
 *
 * Stored with each case (`sourceKey`, indexed from schema version 4) so that
 * "already a case" (lib/panel/source-case.ts) is one index lookup. Pure.
 */

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
