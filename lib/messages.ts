/**
 * The messages between Sidecase's contexts (background, panel, options): a
 * typed map of name → zod schemas for the request and the reply. A message is
 * validated when it is sent and again when it is received, its sender must be
 * this extension, and it is dispatched by looking its name up in the map
 * (never by a chain of `if (action === …)`).
 *
 * Messages are for nudges that may be lost: anything that must survive a
 * closed panel goes through storage first (see lib/inbox), and the message
 * only says "look".
 */
import { z } from 'zod';
import { browser } from 'wxt/browser';

export const MESSAGES = {
  /** Background → panel: a context-menu result was stored; an open panel brings it into view. */
  'pending.added': {
    request: z.object({ id: z.string().min(1).max(40) }),
    reply: z.object({ shown: z.boolean() }),
  },
} as const satisfies Record<string, { request: z.ZodType; reply: z.ZodType }>;

export type MessageName = keyof typeof MESSAGES;
export type MessageRequest<N extends MessageName> = z.input<(typeof MESSAGES)[N]['request']>;
export type MessageReply<N extends MessageName> = z.output<(typeof MESSAGES)[N]['reply']>;

const Envelope = z.object({ sidecase: z.literal(1), name: z.string().max(60), body: z.unknown() });

export interface MessageSender {
  id?: string;
  url?: string;
}

export type MessageHandlers = {
  [N in MessageName]?: (body: z.output<(typeof MESSAGES)[N]['request']>, sender: MessageSender) => MessageReply<N> | Promise<MessageReply<N>>;
};

function isMessageName(name: string): name is MessageName {
  return Object.hasOwn(MESSAGES, name);
}

/**
 * Send a message to the other contexts. Resolves to the validated reply, or
 * undefined when nobody is listening (the panel is closed): the caller has
 * already stored what matters.
 */
export async function sendMessage<N extends MessageName>(name: N, body: MessageRequest<N>): Promise<MessageReply<N> | undefined> {
  const request = MESSAGES[name].request.parse(body);
  let reply: unknown;
  try {
    reply = await browser.runtime.sendMessage({ sidecase: 1, name, body: request });
  } catch (error) {
    if (/Receiving end does not exist|Could not establish connection/i.test(String(error))) return undefined;
    throw error;
  }
  if (reply === undefined) return undefined;
  return MESSAGES[name].reply.parse(reply) as MessageReply<N>;
}

/**
 * The decision for one received message, without the browser: the reply to
 * send, or undefined to stay silent (not ours, not from this extension, or no
 * handler here).
 */
export async function dispatchMessage(
  handlers: MessageHandlers,
  message: unknown,
  sender: MessageSender,
  extensionId: string,
): Promise<unknown> {
  // Only this extension's own pages and worker: a script injected into a web
  // page shares the extension id but not its origin.
  if (sender.id !== extensionId) return undefined;
  if (sender.url !== undefined && !sender.url.startsWith(`chrome-extension://${extensionId}/`) && !sender.url.startsWith(`moz-extension://`)) {
    return undefined;
  }
  const envelope = Envelope.safeParse(message);
  if (!envelope.success || !isMessageName(envelope.data.name)) return undefined;
  const name = envelope.data.name;
  const handler = handlers[name] as ((body: unknown, sender: MessageSender) => unknown) | undefined;
  if (!handler) return undefined;
  const request = MESSAGES[name].request.safeParse(envelope.data.body);
  if (!request.success) return undefined;
  return MESSAGES[name].reply.parse(await handler(request.data, sender));
}

/** Listen for messages; returns the function that stops listening. */
export function handleMessages(handlers: MessageHandlers): () => void {
  const listener = (message: unknown, sender: MessageSender, sendResponse: (reply: unknown) => void): boolean => {
    const envelope = Envelope.safeParse(message);
    // Not ours, or no handler in this context: stay silent, so the context
    // that does handle it (the background, say) is the one that answers.
    if (!envelope.success || !Object.hasOwn(handlers, envelope.data.name)) return false;
    // Chrome keeps the channel open for an async reply only when the listener returns true.
    dispatchMessage(handlers, message, sender, browser.runtime.id).then(sendResponse, (error: unknown) => {
      console.error('message handler failed', error);
      sendResponse(undefined);
    });
    return true;
  };
  const onMessage = browser.runtime.onMessage as unknown as {
    addListener(fn: typeof listener): void;
    removeListener(fn: typeof listener): void;
  };
  onMessage.addListener(listener);
  return () => onMessage.removeListener(listener);
}
