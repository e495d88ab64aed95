/**
 * The messages between Sidecase's contexts (background, panel, options): a
 * typed map of name → zod schemas for the request and the reply. A message is
 * validated when it is sent and again when it is received, its sender must be
 * one of this extension's own pages or its worker, and it is dispatched by
 * looking its name up in the map (never by a chain of `if (action === …)`).
 *
 * This file holds schemas and the exchange only, never a handler: every page
 * that sends a message imports it, so what answers (the sync engine, Dexie)
 * stays with the context that registers it (lib/sync/message-handlers.ts for
 * the background, PendingCaptures for the panel).
 *
 * Every reply says whether it worked and, when not, why, as a message key the
 * page can show (`sync.message.refused`): never a URL, a credential or a stack.
 * A sender always gets such a reply, never a rejection, even when nobody
 * answers.
 *
 * Messages are for nudges that may be lost: anything that must survive a
 * closed panel goes through storage first (see lib/inbox), and the message
 * only says "look".
 */
import { z } from 'zod';
import { browser } from 'wxt/browser';
import { SidecaseError } from './errors';
import { CaseSearchResult, ENTITIES, Id, LIMITS } from './schema';

/**
 * A message key (`sync.error.unauthorized`): dotted words, nothing else. The
 * shape itself keeps a URL, a header or a token out of a reply.
 */
export const MessageKey = z
  .string()
  .max(120)
  .regex(/^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9]+)+$/);

/**
 * The keys of a failed exchange. They were first shown by the sync UI, the
 * only place an agent sees one, and live under `sync.` in the catalogs.
 */
export const MESSAGE_REFUSED = 'sync.message.refused';
export const MESSAGE_INVALID = 'sync.message.invalid';
export const MESSAGE_FAILED = 'sync.message.failed';

/** The reply to any message that did not work. */
export const Failure = z.object({ ok: z.literal(false), error: MessageKey });
export type Failure = z.infer<typeof Failure>;

/** A reply: what the message gives back when it worked, or a Failure. */
function outcome<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), ...shape }), Failure]);
}

/** What a sync request gets back: nothing more than whether it worked. */
const SyncOutcome = outcome({});

export const MESSAGES = {
  /** Background → panel: a context-menu result was stored; an open panel brings it into view. */
  'pending.added': {
    request: z.object({ id: z.string().min(1).max(40) }),
    reply: outcome({ shown: z.boolean() }),
  },
  /**
   * Page → background, the header's "Sync now": deliver and pull at once,
   * lifting a 401/404 block. Fails with the key of what stops sync.
   */
  'sync.now': {
    request: z.object({}),
    reply: outcome({ sent: z.number().int().nonnegative() }),
  },
  /** Page → background after a write or a settings change: sync shortly. */
  'sync.nudge': { request: z.object({}), reply: SyncOutcome },
  /** Page → background, the delivery log's "Retry" on a parked change. */
  'sync.retry': { request: z.object({ outboxId: Id }), reply: SyncOutcome },
  /** Page → background, the conflict banner's "Load their version" / "Keep mine". */
  'sync.resolveConflict': {
    request: z.object({ entity: z.enum(ENTITIES), id: Id, choice: z.enum(['theirs', 'mine']) }),
    reply: SyncOutcome,
  },
  /**
   * Panel → background, each keystroke in the search box: the best cases for
   * the query, as rows (lib/search/message-handlers.ts says why the background
   * answers). `fresh`: the panel saw a change since its last search, so the
   * background must not answer from what it read before. The reply names the
   * query it answers. Sent over MESSAGE_PORT (sendOverPort).
   */
  'search.cases': {
    request: z.object({
      query: z.string().max(LIMITS.searchQueryMax),
      limit: z.number().int().min(1).max(LIMITS.searchResultsMax),
      fresh: z.boolean(),
    }),
    reply: outcome({ query: z.string().max(LIMITS.searchQueryMax), results: z.array(CaseSearchResult).max(LIMITS.searchResultsMax) }),
  },
} as const satisfies Record<string, { request: z.ZodType; reply: z.ZodType<{ ok: true } | Failure> }>;

export type MessageName = keyof typeof MESSAGES;
export type MessageRequest<N extends MessageName> = z.input<(typeof MESSAGES)[N]['request']>;
export type MessageReply<N extends MessageName> = z.output<(typeof MESSAGES)[N]['reply']>;

const Envelope = z.object({ sidecase: z.literal(1), name: z.string().max(60), body: z.unknown() });

export interface MessageSender {
  id?: string;
  url?: string;
}

/** This extension as a sender must look: its id, and the origin of its pages and worker. */
export interface OwnExtension {
  id: string;
  origin: string;
}

/**
 * The handlers of one context. A handler returns its reply, or a Failure for
 * a known outcome (`sync.retry.gone`); a SidecaseError it throws becomes a
 * Failure with its key, anything else `sync.message.failed`.
 */
export type MessageHandlers = {
  [N in MessageName]?: (body: z.output<(typeof MESSAGES)[N]['request']>, sender: MessageSender) => MessageReply<N> | Promise<MessageReply<N>>;
};

function isMessageName(name: string): name is MessageName {
  return Object.hasOwn(MESSAGES, name);
}

/** This extension, as the browser names it. */
export function ownExtension(): OwnExtension {
  // WXT types getURL against the build's public paths, generated per build: the root is not always among them.
  const origin = (browser.runtime as unknown as { getURL(path: string): string }).getURL('/');
  return { id: browser.runtime.id, origin };
}

/**
 * The sender is a page or the worker of this very extension: not a content
 * script (it shares the extension id but runs at the web page's URL), not
 * another extension. No URL is the worker: Chrome long gave a service
 * worker's messages none (https://github.com/w3c/webextensions/issues/851;
 * Chromium 156 sends the script's URL), while a content script always
 * carries its frame's.
 */
export function isOwnExtensionSender(sender: MessageSender, own: OwnExtension = ownExtension()): boolean {
  return sender.id === own.id && (sender.url === undefined || sender.url.startsWith(own.origin));
}

/**
 * Is this message one this context answers? Silent otherwise (not ours, or no
 * handler here), so the context that does handle it is the one that answers.
 */
function handlerFor(handlers: MessageHandlers, message: unknown): { name: MessageName; body: unknown } | undefined {
  const envelope = Envelope.safeParse(message);
  if (!envelope.success || !isMessageName(envelope.data.name) || !handlers[envelope.data.name]) return undefined;
  return { name: envelope.data.name, body: envelope.data.body };
}

/**
 * The decision for one received message, without the browser: the reply to
 * send, or undefined to stay silent (not a Sidecase message, or no handler
 * here). A handler here always leads to a reply: refused for a sender that is
 * not this extension's own page, invalid for a malformed body (the handler
 * does not run), the handler's failure as its message key.
 */
export async function dispatchMessage(
  handlers: MessageHandlers,
  message: unknown,
  sender: MessageSender,
  own: OwnExtension = ownExtension(),
): Promise<unknown> {
  const found = handlerFor(handlers, message);
  if (!found) return undefined;
  const failure = (error: string): Failure => ({ ok: false, error });
  if (!isOwnExtensionSender(sender, own)) return failure(MESSAGE_REFUSED);
  const { request, reply } = MESSAGES[found.name];
  const body = request.safeParse(found.body);
  if (!body.success) return failure(MESSAGE_INVALID);
  const handler = handlers[found.name] as (body: unknown, sender: MessageSender) => unknown;
  try {
    const answer = reply.safeParse(await handler(body.data, sender));
    if (answer.success) return answer.data;
    // Our own handler broke the contract: log the name only, the reply might hold anything.
    console.error('[sidecase] message reply does not match its schema:', found.name);
    return failure(MESSAGE_FAILED);
  } catch (error) {
    if (error instanceof SidecaseError && MessageKey.safeParse(error.key).success) return failure(error.key);
    // Only the error's name: its message might quote a URL.
    console.error('[sidecase] message handler failed:', found.name, (error as Error)?.name);
    return failure(MESSAGE_FAILED);
  }
}

/** Listen for messages; returns the function that stops listening. */
export function handleMessages(handlers: MessageHandlers): () => void {
  const listener = (message: unknown, sender: MessageSender, sendResponse: (reply: unknown) => void): boolean => {
    // Not ours, or no handler in this context: return false, so another listener or context answers.
    if (!handlerFor(handlers, message)) return false;
    // dispatchMessage never rejects. Chrome keeps the channel open for an async reply only when the listener returns true.
    void dispatchMessage(handlers, message, sender).then(sendResponse);
    return true;
  };
  const onMessage = browser.runtime.onMessage as unknown as {
    addListener(fn: typeof listener): void;
    removeListener(fn: typeof listener): void;
  };
  onMessage.addListener(listener);
  return () => onMessage.removeListener(listener);
}

/**
 * Send a message to the other contexts and read the reply as untrusted.
 * Never rejects: a body that does not parse, a context that is not there (the
 * panel is closed, the worker did not start) or a reply that does not parse
 * all come back as a Failure, with `sync.message.invalid` or
 * `sync.message.failed`. Whoever must not lose what they sent has stored it
 * already.
 */
export function sendMessage<N extends MessageName>(name: N, body: MessageRequest<N>): Promise<MessageReply<N>> {
  return exchange(name, body, (envelope) => browser.runtime.sendMessage(envelope));
}

/**
 * One exchange, whatever carries it: the request checked before it goes, the
 * answer checked as untrusted. Never rejects: a delivery that throws
 * ("Receiving end does not exist", a context gone) is no answer.
 */
async function exchange<N extends MessageName>(
  name: N,
  body: MessageRequest<N>,
  deliver: (envelope: { sidecase: 1; name: N; body: unknown }) => Promise<unknown>,
): Promise<MessageReply<N>> {
  const failure = (error: string) => ({ ok: false, error }) as MessageReply<N>;
  const request = MESSAGES[name].request.safeParse(body);
  if (!request.success) return failure(MESSAGE_INVALID);
  let answer: unknown;
  try {
    answer = await deliver({ sidecase: 1, name, body: request.data });
  } catch {
    answer = undefined;
  }
  const reply = MESSAGES[name].reply.safeParse(answer);
  return reply.success ? (reply.data as MessageReply<N>) : failure(MESSAGE_FAILED);
}

// ---------------------------------------------------------------- over a port

/**
 * The port pages keep open to the background for messages sent many times a
 * second (search as you type). A runtime message is routed to every page of
 * the extension before the background answers; a port goes to the background
 * alone, and answers sooner (the README has the probe's figures).
 * The same map, checks and replies as sendMessage / handleMessages.
 */
export const MESSAGE_PORT = 'sidecase.messages';

const PortRequest = z.object({ id: z.number().int().nonnegative(), message: z.unknown() });
const PortReply = z.object({ id: z.number().int().nonnegative(), reply: z.unknown() });

/** What this file needs of a runtime.Port (Chrome's and Firefox's agree on it). */
export interface MessagePort {
  name: string;
  sender?: MessageSender;
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(fn: (message: unknown) => void): void };
  onDisconnect: { addListener(fn: () => void): void };
}

/** Answer the messages of `handlers` that come over MESSAGE_PORT; returns the function that stops listening. */
export function handlePortMessages(handlers: MessageHandlers): () => void {
  const listener = (port: MessagePort) => {
    if (port.name !== MESSAGE_PORT) return;
    const sender = port.sender ?? {};
    // A content script may connect too (it shares the extension id): not one of ours, so not kept open.
    if (!isOwnExtensionSender(sender)) return port.disconnect();
    port.onMessage.addListener((raw) => {
      const request = PortRequest.safeParse(raw);
      if (!request.success) return;
      void dispatchMessage(handlers, request.data.message, sender).then((reply) => {
        try {
          // Every request gets an answer, so the page never waits: a name without a handler here is a failure.
          port.postMessage({ id: request.data.id, reply: reply ?? { ok: false, error: MESSAGE_FAILED } });
        } catch {
          // The page went away meanwhile: nobody to answer.
        }
      });
    });
  };
  const onConnect = browser.runtime.onConnect as unknown as {
    addListener(fn: typeof listener): void;
    removeListener(fn: typeof listener): void;
  };
  onConnect.addListener(listener);
  return () => onConnect.removeListener(listener);
}

/** The open port, and the replies still awaited on it (by request id). */
let open: { port: MessagePort; awaiting: Map<number, (reply: unknown) => void> } | undefined;
let lastRequestId = 0;

function portToBackground() {
  if (open) return open;
  const port = browser.runtime.connect({ name: MESSAGE_PORT }) as unknown as MessagePort;
  const opened = { port, awaiting: new Map<number, (reply: unknown) => void>() };
  port.onMessage.addListener((raw) => {
    const answer = PortReply.safeParse(raw);
    if (!answer.success) return;
    opened.awaiting.get(answer.data.id)?.(answer.data.reply);
    opened.awaiting.delete(answer.data.id);
  });
  // The worker stopped (idle, updated) or never started: what waits on this port gets no reply, the next send connects again.
  port.onDisconnect.addListener(() => {
    if (open === opened) open = undefined;
    for (const resolve of opened.awaiting.values()) resolve(undefined);
    opened.awaiting.clear();
  });
  open = opened;
  return opened;
}

/** Post on the open port (opening one if needed); false if it is closed or cannot be opened. */
function post(id: number, message: unknown, resolve: (reply: unknown) => void): boolean {
  let target: ReturnType<typeof portToBackground> | undefined;
  try {
    target = portToBackground();
    target.awaiting.set(id, resolve);
    target.port.postMessage(message);
    return true;
  } catch {
    target?.awaiting.delete(id);
    if (open === target) open = undefined;
    return false;
  }
}

/**
 * sendMessage over MESSAGE_PORT, to the background only. Never rejects, like
 * sendMessage: a port that cannot be opened or closes before the reply gives
 * `sync.message.failed`.
 */
export function sendOverPort<N extends MessageName>(name: N, body: MessageRequest<N>): Promise<MessageReply<N>> {
  return exchange(name, body, (envelope) => {
    const id = ++lastRequestId;
    const message = { id, message: envelope };
    return new Promise<unknown>((resolve) => {
      // A port the worker closed may not have said so yet: then once more on a new one.
      if (!post(id, message, resolve) && !post(id, message, resolve)) resolve(undefined);
    });
  });
}
