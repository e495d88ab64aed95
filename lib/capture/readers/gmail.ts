/**
 * Gmail (mail.google.com): the open thread's subject, and the customer of
 * its latest message: the sender of a mail to the agent, or the recipient of
 * the agent's own reply.
 */
import { normaliseEmail } from '../contacts';
import { readText, textOf } from '../text';
import type { ReaderContext, SiteReader, SiteReading } from './reader';

/** The thread subject. `h2.hP` has held the subject since the 2011 redesign; extensions (Streak, Mixmax) key on it. */
const SUBJECT = 'h2.hP';
/**
 * One expanded message of the thread. `div.adn` carries the message's
 * `data-message-id`; collapsed messages have no body and are skipped.
 */
const MESSAGE = 'div.adn';
/**
 * The sender: `span.gD` with `email` and `name` attributes. The attributes
 * feed Gmail's own hover card, so they survive restyles, and give the address
 * even when only the name is shown.
 */
const SENDER = 'span.gD[email]';
/** Recipients on the "to me" line, same attributes as the sender. */
const RECIPIENT = 'span.g2[email]';
/** The message body. `div.a3s` is the body container every Gmail extension reads. */
const BODY = 'div.a3s';
/** Quoted earlier mails inside a body: not this message's text. */
const QUOTE = 'gmail_quote';

function personOf(el: Element): { name?: string; email?: string } {
  const email = el.getAttribute('email') ?? undefined;
  const name = el.getAttribute('name') || textOf(el, 400) || undefined;
  // Gmail repeats the address as the name when the sender set none: that is not a name.
  const isAddress = name !== undefined && email !== undefined && normaliseEmail(name) === normaliseEmail(email);
  return { name: isAddress ? undefined : name, email };
}

function isOwn(el: Element, ctx: ReaderContext): boolean {
  const email = normaliseEmail(el.getAttribute('email') ?? '');
  return email !== undefined && ctx.own.isOwnEmail(email);
}

function read(doc: Document, ctx: ReaderContext): SiteReading | undefined {
  const subject = textOf(doc.querySelector(SUBJECT), 2000) || undefined;
  const messages = Array.from(doc.querySelectorAll(MESSAGE));
  if (messages.length === 0 && !subject) return undefined;
  // A thread reads oldest first: the latest message is the last one.
  const latestFirst = messages.length > 0 ? messages.reverse() : [doc.documentElement];

  let customer: SiteReading['customer'];
  let message: Element | undefined;
  for (const candidate of latestFirst) {
    const sender = candidate.querySelector(SENDER);
    if (sender && !isOwn(sender, ctx)) {
      customer = personOf(sender);
      message = candidate;
      break;
    }
  }
  if (!customer) {
    // Every message is the agent's: the customer is who the agent wrote to.
    for (const candidate of latestFirst) {
      const recipient = Array.from(candidate.querySelectorAll(RECIPIENT)).find((el) => !isOwn(el, ctx));
      if (recipient) {
        customer = personOf(recipient);
        message = candidate;
        break;
      }
    }
  }
  message ??= latestFirst[0];
  const bodyEl = message?.querySelector(BODY);
  const body = bodyEl ? readText(bodyEl, ctx.maxTextLength, (el) => el.classList.contains(QUOTE)) : undefined;
  return {
    customer,
    title: subject,
    body: body?.text || undefined,
    truncated: body?.truncated,
    scope: message === doc.documentElement ? undefined : message,
  };
}

export const gmailReader: SiteReader = {
  id: 'gmail',
  origin: 'email',
  matches: (url) => url.hostname === 'mail.google.com',
  // An open thread: its subject and a sender with Gmail's hover-card attributes.
  recognises: (doc) => doc.querySelector(SUBJECT) !== null && doc.querySelector(`${MESSAGE} ${SENDER}`) !== null,
  read,
};
