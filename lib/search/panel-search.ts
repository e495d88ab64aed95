/**
 * The search box's search: asked of the background, which answers before the
 * keystroke's frame (message-handlers.ts says why), and run here, with the
 * same code, when the background does not answer (a worker restarting after
 * an update, a browser that does not deliver the message).
 */
import { onTablesChanged } from '../db/watch';
import { sendOverPort } from '../messages';
import { LIMITS, type CaseSearchResult } from '../schema';
import { findSearchResults } from './results';

/**
 * A case or customer changed since the last search was asked: the next one
 * tells the background to read afresh. Its own change events may come after
 * the request (they travel on another channel), and a case just saved here
 * must be found by the very next keystroke.
 */
let changedSinceAsked = false;
onTablesChanged(['cases', 'customers'], () => (changedSinceAsked = true));

export async function searchForPanel(query: string, limit: number): Promise<CaseSearchResult[]> {
  const fresh = changedSinceAsked;
  changedSinceAsked = false;
  const reply = await sendOverPort('search.cases', { query: query.slice(0, LIMITS.searchQueryMax), limit, fresh });
  if (reply.ok) return reply.results;
  // Unanswered: whatever the background had read may be stale next time too.
  if (fresh) changedSinceAsked = true;
  console.warn('[sidecase] search: the background did not answer; searching in this page');
  // What the browser tests check to know which context answered.
  performance.mark('sidecase:search-local');
  return findSearchResults(query, { limit });
}

/**
 * Called when the box gets focus, before the first character: starts the
 * background's worker if the browser stopped it (idle for 30 s), so the first
 * keystroke does not wait for it.
 */
export function wakeSearch(): void {
  void sendOverPort('search.cases', { query: '', limit: 1, fresh: false });
}
