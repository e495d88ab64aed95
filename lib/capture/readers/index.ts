/**
 * The site readers, in the order they are tried (the first whose `matches`
 * accepts the page's URL reads it; failing that, the first that `recognises`
 * the page's structure). Adding a site = one file in this folder,
 * one line here and a fixture `tests/fixtures/capture/<id>.html` (a
 * convention test checks the fixture exists).
 */
import { gmailReader } from './gmail';
import { outlookReader } from './outlook';
import type { SiteReader } from './reader';
import { slackReader } from './slack';
import { teamsReader } from './teams';
import { webmailReader } from './webmail';
import { whatsappReader } from './whatsapp';

export const READERS: readonly SiteReader[] = [
  gmailReader, // mail.google.com: sender span.gD[email], subject h2.hP, body div.a3s
  outlookReader, // Outlook on the web: reading pane, sender persona, UniqueMessageBody
  slackReader, // app.slack.com: data-qa message sender and text
  whatsappReader, // web.whatsapp.com: #main header contact, message-in bubbles
  teamsReader, // Teams on the web: data-tid chat title, author and message
  webmailReader, // any other mail view, by its text: the header block, quotes and signature (always last)
];

/** The reader for a page: by its URL first, else (given the document) by its structure. */
export function readerFor(url: URL, doc?: Document): SiteReader | undefined {
  return READERS.find((reader) => reader.matches(url)) ?? (doc ? READERS.find((reader) => reader.recognises(doc)) : undefined);
}

export { webmailReader };
export type { ReaderContext, SiteReader, SiteReading } from './reader';
