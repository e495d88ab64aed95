/**
 * The messages extension pages send the background about sync: "Sync now",
 * the nudge after a write, the delivery log's "Retry" and the conflict
 * banner's choice. Drains run only in the background, so pages ask.
 *
 * Each request is parsed with zod on receipt and accepted only from this
 * extension's own pages (a content script or another extension gets no
 * answer); each reply is parsed again by the page. Replies carry message keys,
 * never a URL or a credential.
 *
 * Meant to merge into lib/messages.ts once that map exists.
 */
import { z } from 'zod';
import { browser } from 'wxt/browser';
import { SidecaseError } from '../errors';
import { ENTITIES, Id } from '../schema';
import { resolveConflict } from './conflicts';
import { retryEntry } from './engine';
import { nudgeSync, syncNow } from './register';

export const SyncRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('sync.now') }),
  z.object({ type: z.literal('sync.nudge') }),
  z.object({ type: z.literal('sync.retry'), outboxId: Id }),
  z.object({
    type: z.literal('sync.resolveConflict'),
    entity: z.enum(ENTITIES),
    id: Id,
    choice: z.enum(['theirs', 'mine']),
  }),
]);
export type SyncRequest = z.infer<typeof SyncRequest>;

export const SyncReply = z.object({
  ok: z.boolean(),
  /** Message key of what went wrong (or what stops sync), for the page to show. */
  error: z.string().max(200).optional(),
  sent: z.number().int().nonnegative().optional(),
});
export type SyncReply = z.infer<typeof SyncReply>;

/** Is this one of ours to answer? Other listeners (capture, menus) answer the rest. */
export function isSyncMessage(message: unknown): boolean {
  const type = (message as { type?: unknown } | null)?.type;
  return typeof type === 'string' && type.startsWith('sync.');
}

export interface MessageSenderLike {
  id?: string;
  url?: string;
}

/** The sender is a page of this very extension (panel, options), not a content script or another extension. */
export function isOwnExtensionPage(sender: MessageSenderLike): boolean {
  // WXT types getURL against the build's public paths, generated per build: the root is not always among them.
  const origin = (browser.runtime as unknown as { getURL(path: string): string }).getURL('/');
  return sender.id === browser.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(origin);
}

export async function handleSyncRequest(request: SyncRequest): Promise<SyncReply> {
  switch (request.type) {
    case 'sync.now': {
      const run = await syncNow();
      const error = run.drain.blocked ?? run.pull?.error;
      return { ok: !error, error, sent: run.drain.sent };
    }
    case 'sync.nudge':
      nudgeSync();
      return { ok: true };
    case 'sync.retry': {
      const found = await retryEntry(request.outboxId);
      if (found) nudgeSync(0);
      return found ? { ok: true } : { ok: false, error: 'sync.retry.gone' };
    }
    case 'sync.resolveConflict':
      await resolveConflict(request.entity, request.id, request.choice);
      // "Keep mine" queued our version: send it now.
      nudgeSync(0);
      return { ok: true };
  }
}

/** Answer one incoming message; undefined when it is not ours to answer. */
export async function answerSyncMessage(message: unknown, sender: MessageSenderLike): Promise<SyncReply | undefined> {
  if (!isSyncMessage(message)) return undefined;
  if (!isOwnExtensionPage(sender)) return { ok: false, error: 'sync.message.refused' };
  const parsed = SyncRequest.safeParse(message);
  if (!parsed.success) return { ok: false, error: 'sync.message.invalid' };
  try {
    return await handleSyncRequest(parsed.data);
  } catch (error) {
    return { ok: false, error: error instanceof SidecaseError ? error.key : 'sync.message.failed' };
  }
}

/** For background.ts. sendResponse + `return true`: the reply is asynchronous, and other listeners keep their messages. */
export function registerSyncMessages(): void {
  browser.runtime.onMessage.addListener((message: unknown, sender: MessageSenderLike, sendResponse: (reply: unknown) => void) => {
    if (!isSyncMessage(message)) return false;
    void answerSyncMessage(message, sender).then(sendResponse);
    return true;
  });
}

/** For pages: ask the background, read its reply as untrusted. */
export async function sendSyncMessage(request: SyncRequest): Promise<SyncReply> {
  try {
    const reply = SyncReply.safeParse(await browser.runtime.sendMessage(request));
    return reply.success ? reply.data : { ok: false, error: 'sync.message.failed' };
  } catch {
    return { ok: false, error: 'sync.message.failed' };
  }
}
