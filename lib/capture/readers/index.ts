/**
 * The site readers, in the order they are tried (the first whose `matches`
 * accepts the page's URL reads it). Adding a site = one file in this folder,
 * one line here and a fixture `tests/fixtures/capture/<id>.html` (a
 * convention test checks the fixture exists).
 */
import { gmailReader } from './gmail';
import { outlookReader } from './outlook';
import type { SiteReader } from './reader';
import { slackReader } from './slack';
import { teamsReader } from './teams';
import { whatsappReader } from './whatsapp';

export const READERS: readonly SiteReader[] = [
  gmailReader, // mail.google.com: sender span.gD[email], subject h2.hP, body div.a3s
  outlookReader, // Outlook on the web: reading pane, sender persona, UniqueMessageBody
  slackReader, // app.slack.com: data-qa message sender and text
  whatsappReader, // web.whatsapp.com: #main header contact, message-in bubbles
  teamsReader, // Teams on the web: data-tid chat title, author and message
];

export function readerFor(url: URL): SiteReader | undefined {
  return READERS.find((reader) => reader.matches(url));
}

export type { ReaderContext, SiteReader, SiteReading } from './reader';
