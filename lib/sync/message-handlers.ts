/**
 * What the background answers to the sync messages of lib/messages.ts:
 * "Sync now", the nudge after a write, the delivery log's "Retry" and the
 * conflict banner's choice. Drains run only in the background, so pages ask.
 *
 * Only background.ts imports this file: it pulls the engine and Dexie, which
 * a page sending a message must not load. The sender check, the parsing of
 * each request and the turning of a failure into its message key are
 * lib/messages.ts's, the same for every message.
 */
import { handleMessages, type MessageHandlers } from '../messages';
import { resolveConflict } from './conflicts';
import { retryEntry } from './engine';
import { nudgeSync, syncNow } from './register';

export const syncMessageHandlers = {
  'sync.now': async () => {
    const run = await syncNow();
    const error = run.drain.blocked ?? run.pull?.error;
    return error ? { ok: false, error } : { ok: true, sent: run.drain.sent };
  },
  'sync.nudge': () => {
    nudgeSync();
    return { ok: true };
  },
  'sync.retry': async ({ outboxId }) => {
    const found = await retryEntry(outboxId);
    if (!found) return { ok: false, error: 'sync.retry.gone' };
    nudgeSync(0);
    return { ok: true };
  },
  'sync.resolveConflict': async ({ entity, id, choice }) => {
    await resolveConflict(entity, id, choice);
    // "Keep mine" queued our version: send it now.
    nudgeSync(0);
    return { ok: true };
  },
} satisfies MessageHandlers;

/** For background.ts; returns the function that stops listening. */
export function registerSyncMessages(): () => void {
  return handleMessages(syncMessageHandlers);
}
