/**
 * WhatsApp Web (web.whatsapp.com): the open chat's contact, their phone when
 * WhatsApp shows the number (contacts not saved in the phone), and their
 * latest messages.
 */
import { normalisePhone } from '../contacts';
import { readText, textOf } from '../text';
import { summariseChat, type ChatMessage } from './chat';
import type { ReaderContext, SiteReader, SiteReading } from './reader';

/** The open conversation: `#main` has been the chat pane's id since WhatsApp Web launched. */
const CHAT = '#main';
/** The contact's name (or number) in the conversation header, in its `title` so long names are not cut. */
const CONTACT_TITLE = 'header span[dir="auto"][title], header span[title]';
/** Incoming and outgoing bubbles: `message-in` / `message-out` tell the two sides apart. */
const MESSAGE = 'div.message-in, div.message-out';
/**
 * `data-pre-plain-text="[10:31, 04/03/2025] Ana Kovács: "` is what WhatsApp
 * puts on the clipboard before a copied message: the sender, on every bubble.
 */
const PRE_PLAIN = '[data-pre-plain-text]';
/** The message text itself. */
const TEXT = 'span.selectable-text';

/** "[10:31, 04/03/2025] Ana Kovács: " → "Ana Kovács". */
function senderOf(prePlain: string): string | undefined {
  const match = /^\s*\[[^\]]*\]\s*(.*?):\s*$/.exec(prePlain);
  return match?.[1] || undefined;
}

function isPhone(text: string): boolean {
  return /^\+[\d\s().-]{6,}$/.test(text) && normalisePhone(text)?.e164 !== undefined;
}

function read(doc: Document, ctx: ReaderContext): SiteReading | undefined {
  const chat = doc.querySelector(CHAT);
  if (!chat) return undefined;
  const titleEl = chat.querySelector(CONTACT_TITLE);
  const contact = (titleEl?.getAttribute('title') || textOf(titleEl, 400)).trim() || undefined;
  const messages: ChatMessage[] = Array.from(chat.querySelectorAll(MESSAGE)).map((el) => {
    const isOwn = el.classList.contains('message-out');
    const prePlain = el.querySelector(PRE_PLAIN)?.getAttribute('data-pre-plain-text') ?? '';
    const text = el.querySelector(TEXT);
    return {
      // Incoming bubbles in a one-to-one chat name the contact; in a group, each member.
      sender: isOwn ? undefined : (senderOf(prePlain) ?? contact),
      isOwn,
      text: text ? readText(text, ctx.maxTextLength).text : '',
    };
  });
  const summary = summariseChat(messages, ctx, contact);
  const name = summary.customer?.name ?? contact;
  if (!name && messages.length === 0) return undefined;
  // Unsaved contacts are shown by their number: that is the phone, and there is no name.
  const customer = name ? (isPhone(name) ? { phone: name } : { name }) : undefined;
  return { ...summary, customer, scope: chat };
}

export const whatsappReader: SiteReader = {
  id: 'whatsapp',
  origin: 'chat',
  matches: (url) => url.hostname === 'web.whatsapp.com',
  // `#main` alone is common; bubbles carrying WhatsApp's copy prefix are not.
  recognises: (doc) => doc.querySelector(`${CHAT} ${PRE_PLAIN}`) !== null,
  read,
};
