/**
 * What the chat readers share: turn the visible messages of a conversation
 * into the customer, a title and a body. The customer is the latest sender
 * who is not the agent; the body is that person's recent messages.
 */
import { readText, textOf } from '../text';
import type { ReaderContext, SiteReading } from './reader';

export interface ChatMessage {
  sender?: string;
  /** Known to be the agent's own message (the site marks it), whatever the name says. */
  isOwn?: boolean;
  text: string;
}

/** How many of the customer's latest messages make the body. */
const BODY_MESSAGES = 10;
const TITLE_MAX = 120;

/** The first line of a message, shortened at a word boundary: a title an agent would write. */
export function titleFrom(text: string): string | undefined {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
  if (!line) return undefined;
  if (line.length <= TITLE_MAX) return line;
  const cut = line.slice(0, TITLE_MAX);
  const space = cut.lastIndexOf(' ');
  return (space > TITLE_MAX / 2 ? cut.slice(0, space) : cut) + '…';
}

export function summariseChat(
  messages: ChatMessage[],
  ctx: ReaderContext,
  conversationName?: string,
): Pick<SiteReading, 'customer' | 'title' | 'body' | 'truncated'> {
  // Continuation messages carry no sender: they are the previous sender's.
  let sender: string | undefined;
  let isOwn = false;
  const attributed = messages.map((message) => {
    if (message.sender !== undefined || message.isOwn !== undefined) {
      sender = message.sender;
      isOwn = message.isOwn ?? (sender !== undefined && ctx.own.isOwnName(sender));
    }
    return { sender, isOwn, text: message.text };
  });
  const fromCustomer = attributed.filter((m) => !m.isOwn && m.text.trim() !== '');
  const last = fromCustomer[fromCustomer.length - 1];
  const name = last?.sender ?? (conversationName && !ctx.own.isOwnName(conversationName) ? conversationName : undefined);
  const theirs = fromCustomer.filter((m) => m.sender === last?.sender).slice(-BODY_MESSAGES);
  let body = theirs.map((m) => m.text.trim()).join('\n\n');
  let truncated = false;
  if (body.length > ctx.maxTextLength) {
    body = body.slice(0, ctx.maxTextLength);
    truncated = true;
  }
  return {
    customer: name ? { name } : undefined,
    // The first of their recent messages usually states the problem; the last is often "thanks".
    title: titleFrom(theirs[0]?.text ?? '') ?? conversationName,
    body: body || undefined,
    truncated,
  };
}

/** Where a chat site keeps the open conversation: selectors of its own stable test hooks. */
export interface ChatLayout {
  /** The conversation's name (channel, chat title). */
  title: string;
  /** The message list of the open conversation. */
  list: string;
  /** One message of the list; `requires` (when set) must be inside it. */
  item: string;
  requires?: string;
  /** The sender's name, on the first message of a run only. */
  sender: string;
  /** The message text, the first selector found inside the item. */
  text: readonly string[];
  /** A mark the site puts on the agent's own messages. */
  own?: string;
}

/** The open conversation read through a site's layout: its customer, title and body. */
export function readChat(doc: Document, ctx: ReaderContext, layout: ChatLayout): SiteReading | undefined {
  const list = doc.querySelector(layout.list);
  const name = textOf(doc.querySelector(layout.title), 400) || undefined;
  if (!list) return undefined;
  const messages: ChatMessage[] = Array.from(list.querySelectorAll(layout.item))
    .filter((item) => !layout.requires || item.querySelector(layout.requires))
    .map((item) => {
      const sender = item.querySelector(layout.sender);
      const text = layout.text.map((selector) => item.querySelector(selector)).find((el) => el !== null);
      return {
        sender: sender ? textOf(sender, 400) : undefined,
        // Only a marked message is known to be the agent's; an unmarked one inherits from the run.
        isOwn: layout.own && item.querySelector(layout.own) ? true : undefined,
        text: text ? readText(text, ctx.maxTextLength).text : '',
      };
    });
  if (messages.length === 0) return undefined;
  return { ...summariseChat(messages, ctx, name), scope: list };
}
