/**
 * What the background answers to `search.cases`: the panel's search box asks
 * here rather than reading IndexedDB itself.
 *
 * Why the background: in the panel, any IndexedDB reply to a keystroke waits
 * for that keystroke's frame (Chromium runs the new frame first, even for one
 * tiny read; bench: keystroke_idb_floor), and a search of several words takes
 * two or three reads. The worker has no frames, so its reads answer at once,
 * and its reply over the port (lib/messages.ts) reaches the panel before the
 * frame: the results are drawn together with the typed character (bench:
 * search_keystroke, and keystroke_idb_floor for one read in the panel).
 *
 * Only background.ts imports this file (it pulls Dexie and the search code).
 */
import { handlePortMessages, type MessageHandlers } from '../messages';
import { clearResultCaches, findSearchResults } from './results';
import { readAheadForNextWord } from './search';

export const searchMessageHandlers = {
  'search.cases': async ({ query, limit, fresh }) => {
    // The panel wrote (or heard of a write) since its last search: its write
    // may reach this context's change events after this request does.
    if (fresh) clearResultCaches();
    const results = await findSearchResults(query, { limit });
    // After the reply has gone (a task later): what the next word will need.
    setTimeout(() => readAheadForNextWord(query, { limit }).catch((error: unknown) => console.warn('[sidecase] search read-ahead failed', (error as Error)?.name)));
    return { ok: true, query, results };
  },
} satisfies MessageHandlers;

/** For background.ts; returns the function that stops listening. */
export function registerSearchMessages(): () => void {
  return handlePortMessages(searchMessageHandlers);
}
