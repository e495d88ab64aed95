/**
 * Any webmail or mail client view no site reader knows: a printed or raw
 * message ("From: Name <address>", "De:", "Feladó:", "Dari:" …), or a mail
 * body with quoted replies. Read from the text alone, so it holds on
 * markup nobody here has seen:
 *   - the customer is the sender of the message's own header block; in a
 *     mail from the agent, its first recipient who is not the agent;
 *   - in a forwarded mail, the original sender, not the forwarder;
 *   - quoted earlier messages are cut: their senders, addresses and
 *     signatures are someone else's;
 *   - the signature of the customer's own text gives weak name, phone,
 *     company and job title (capture.ts ranks them below the header).
 * Recognised last, by structure only: it never claims a page a site reader knows.
 */
import type { MailAddress } from '../mail/addresses';
import { normaliseName } from '../mail/names';
import { splitMail, type MailText } from '../mail/quotes';
import { readSignature } from '../mail/signature';
import { readText, textOf } from '../text';
import type { ReaderContext, SiteReader, SiteReading } from './reader';

/** Text read to decide whether a page is a mail: its header block and first reply are near the top. */
const RECOGNISE_TEXT = 20_000;

/** A message header at the top, a quoted reply or a mail client's footer: only mail reads so. */
function isMail(mail: MailText): boolean {
  return Boolean(mail.header || mail.hasQuote || mail.hasClientFooter);
}

/**
 * Where the open message is: the page's main region by its ARIA role or
 * element (stable across skins), else the whole body. Folder lists and
 * toolbars outside it would otherwise stand between the top of the text and
 * the message's header block.
 */
const MAIN = 'main, [role="main"]';

function rootOf(doc: Document): Element {
  const main = doc.querySelector(MAIN);
  return main ?? doc.body ?? doc.documentElement;
}

/**
 * A heading that opens the region, by element or ARIA role: how webmails show
 * the subject above the sender block. Its line is taken off the top of the
 * text, so the header block below it is still the message's own.
 */
const HEADING = 'h1, h2, h3, [role="heading"]';

function mailOf(doc: Document, max: number): { mail: MailText; heading?: string; truncated: boolean } {
  const root = rootOf(doc);
  const { text, truncated } = readText(root, max);
  const heading = textOf(root.querySelector(HEADING), 2000);
  if (heading && text.startsWith(heading)) {
    const mail = splitMail(text.slice(heading.length));
    // Only a message's own header block makes the heading its subject; above a body it is the page's.
    if (mail.header) return { mail, heading, truncated };
  }
  return { mail: splitMail(text), truncated };
}

function personOf(address: MailAddress | undefined): SiteReading['customer'] {
  if (!address) return undefined;
  return address.name ? { name: normaliseName(address.name), email: address.email } : { email: address.email };
}

function read(doc: Document, ctx: ReaderContext): SiteReading | undefined {
  const { mail, heading, truncated } = mailOf(doc, ctx.maxTextLength);
  if (!isMail(mail)) return undefined;
  const isOwn = (a: MailAddress | undefined) => a !== undefined && ctx.own.isOwnEmail(a.email.toLowerCase());

  let customer: SiteReading['customer'];
  // Whose words the message's own text is: only then is its signature the customer's.
  let isCustomersText = false;
  const top = mail.header;
  const original = mail.forwarded?.from;
  if (original && !isOwn(original)) {
    customer = personOf(original);
  } else if (top?.from && isOwn(top.from)) {
    // A mail from the agent: the customer is who it was written to.
    customer = personOf([...top.to, ...top.cc].find((a) => !isOwn(a)));
  } else if (top?.from) {
    customer = personOf(top.from);
    isCustomersText = true;
  } else {
    // A body alone: its writer is unknown, but its signature is theirs.
    isCustomersText = true;
  }
  const signature = isCustomersText ? readSignature(mail.own) : undefined;
  const own = mail.own.join('\n').trim();
  return {
    customer,
    signature,
    title: top?.subject ?? mail.forwarded?.subject ?? heading,
    body: own || undefined,
    truncated,
    text: own,
  };
}

export const webmailReader: SiteReader = {
  id: 'webmail',
  origin: 'email',
  matches: () => false,
  recognises: (doc) => isMail(mailOf(doc, RECOGNISE_TEXT).mail),
  read,
};
