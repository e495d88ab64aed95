/**
 * The shape every site reader has. A reader knows one site's markup and
 * returns what the open message or conversation says: who the customer is
 * (never the agent), its subject and its body. It returns raw strings:
 * cleaning, normalising and provenance happen once, in capture.ts.
 */
import type { OwnMatcher } from '../contacts';
import type { Signature } from '../mail/signature';

export interface ReaderContext {
  own: OwnMatcher;
  /** Bound for the body text a reader reads. */
  maxTextLength: number;
}

export interface SiteReading {
  /** The other party: the sender of a mail to the agent, the recipient of one from the agent, the chat partner. */
  customer?: { name?: string; email?: string; phone?: string };
  /** The mail subject or the chat's opening line. */
  title?: string;
  /** The text of the message (or the customer's last messages), for the description. */
  body?: string;
  /** The body was cut at maxTextLength. */
  truncated?: boolean;
  /** Where links and phone/email patterns about this conversation are looked for, instead of the whole page. */
  scope?: Element;
  /**
   * The customer's own text, quotes cut: phone/email patterns are looked for
   * here instead of in `scope`, and links are not read (they may sit in a quote).
   */
  text?: string;
  /** The closing block of the customer's latest message: weaker than the header, stronger than the text. */
  signature?: Signature;
}

export interface SiteReader {
  /** Also the `from` of what it finds and the name of its fixture (tests/fixtures/capture/<id>.html). */
  id: string;
  origin: 'email' | 'chat';
  matches(url: URL): boolean;
  /**
   * The page has this site's structure, whatever its host: a saved or
   * mirrored page, a test server, a custom domain. The URL stays the first
   * hint; this is asked only when no reader's URL matched.
   */
  recognises(doc: Document): boolean;
  /** Undefined when nothing is open (an inbox list, a settings page). */
  read(doc: Document, ctx: ReaderContext): SiteReading | undefined;
}
