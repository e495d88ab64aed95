/**
 * Outlook on the web (outlook.office.com, outlook.live.com,
 * outlook.office365.com, outlook.cloud.microsoft): the reading pane's
 * subject and, in the conversation shown, the customer of the newest message.
 * Outlook's class names are generated and change with each release, so every
 * selector here is an id, a role, a test id or the persona component's name.
 */
import { normaliseEmail, parseNameAddress } from '../contacts';
import { readText, textOf } from '../text';
import type { ReaderContext, SiteReader, SiteReading } from './reader';

const HOSTS = ['outlook.office.com', 'outlook.office365.com', 'outlook.live.com', 'outlook.cloud.microsoft'];

/** The reading pane: a fixed id (add-ins and Microsoft's own docs refer to it), else the main landmark. */
const READING_PANE = '#ReadingPaneContainerId, [role="main"]';
/** The subject: the pane's level-2 heading, an accessibility contract rather than a style. */
const SUBJECT = '[role="heading"][aria-level="2"]';
/** A message body: `UniqueMessageBody_<n>` ids number the bodies of the conversation. */
const BODY = 'div[id^="UniqueMessageBody"]';
/**
 * The sender persona of a message. Test ids are kept for Microsoft's UI
 * tests; `lpc-hoverTarget` is the Live Persona Card component's own class,
 * shared by every Microsoft 365 web app. The first persona in a message
 * header is the sender, the others are recipients.
 */
const SENDER = '[data-testid="SenderPersona"]';
const PERSONA = '.lpc-hoverTarget, [data-testid="SenderPersona"]';

interface Person {
  name?: string;
  email?: string;
}

/** A persona shows "Name<address>", or the name with the address in its title. */
function personOf(el: Element): Person | undefined {
  const text = textOf(el, 600);
  const pair = parseNameAddress(text);
  if (pair) return pair;
  for (const attribute of ['title', 'aria-label', 'data-email']) {
    const value = el.getAttribute(attribute) ?? '';
    const email = normaliseEmail(value) ?? parseNameAddress(value)?.email;
    if (email) return { name: text || undefined, email };
  }
  return text ? { name: text } : undefined;
}

/** The message around a body: the nearest ancestor that also holds a persona. */
function messageOf(body: Element, pane: Element): Element {
  let el: Element | null = body.parentElement;
  while (el && el !== pane) {
    if (el.querySelector(PERSONA)) return el;
    el = el.parentElement;
  }
  return pane;
}

function isOwn(person: Person | undefined, ctx: ReaderContext): boolean {
  return person?.email !== undefined && ctx.own.isOwnEmail(person.email);
}

function read(doc: Document, ctx: ReaderContext): SiteReading | undefined {
  const pane = doc.querySelector(READING_PANE);
  if (!pane) return undefined;
  const subject = textOf(pane.querySelector(SUBJECT), 2000) || undefined;
  const bodies = Array.from(pane.querySelectorAll(BODY));
  if (!subject && bodies.length === 0) return undefined;
  // The reading pane lists a conversation newest first (Outlook's default order).
  const messages = bodies.map((body) => {
    const message = messageOf(body, pane);
    const senderEl = message.querySelector(SENDER) ?? message.querySelector(PERSONA);
    const recipients = Array.from(message.querySelectorAll(PERSONA))
      .filter((el) => el !== senderEl)
      .map(personOf);
    return { body, message, sender: senderEl ? personOf(senderEl) : undefined, recipients };
  });

  let chosen = messages.find((m) => m.sender && !isOwn(m.sender, ctx));
  let customer = chosen?.sender;
  if (!chosen) {
    // Only the agent's own mails: the customer is who they were sent to.
    chosen = messages.find((m) => m.recipients.some((p) => p && !isOwn(p, ctx)));
    customer = chosen?.recipients.find((p) => p && !isOwn(p, ctx));
  }
  chosen ??= messages[0];
  const body = chosen ? readText(chosen.body, ctx.maxTextLength) : undefined;
  return {
    customer,
    title: subject,
    body: body?.text || undefined,
    truncated: body?.truncated,
    scope: chosen?.message,
  };
}

export const outlookReader: SiteReader = {
  id: 'outlook',
  origin: 'email',
  matches: (url) => HOSTS.includes(url.hostname),
  // A numbered message body beside a persona: the reading pane of a conversation.
  recognises: (doc) => doc.querySelector(BODY) !== null && doc.querySelector(PERSONA) !== null,
  read,
};
