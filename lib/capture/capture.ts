/**
 * The capture engine: one pure, synchronous function from a page to a
 * CaptureResult. It runs in the page through `scripting.executeScript`
 * and in unit tests on fixture HTML, the same code both times.
 *
 * Sources, most trusted first; for each customer field the first source that
 * has a value wins, and every email and phone found is kept as a candidate:
 *   1. the site reader of the page (Gmail, Outlook, Slack, WhatsApp, Teams, or
 *      the generic webmail reader), then the signature of the customer's latest
 *      message (weaker: it fills only what the reader left empty);
 *   2. structured data (JSON-LD, microdata, RDFa, h-card), the first contactable
 *      person, else organisation, else the person the page is about by name
 *      only; on a page a reader read, only candidates;
 *   3. `mailto:` and `tel:` links;
 *   4. emails and phones in the agent's selection;
 *   5. emails and phones in the page text (or the open message's, on a read site);
 *   6. on a mail, guesses: a name from the sender's address ("ana.popescu@"), a
 *      company from its domain (never a public mail provider's).
 *
 * Never: browser extension APIs, DOM writes, network, layout (`innerText`).
 * Never the agent as the customer: own addresses and domains are dropped
 * everywhere, own names in chats. Nothing invented: no source, no value.
 */
import { cleanBlock, cleanLine } from './clean';
import { normaliseEmail, normalisePhone, ownMatcher, supportedCountry, type OwnMatcher } from './contacts';
import { extractHCards } from './extractors/hcard';
import { extractJsonLd } from './extractors/jsonld';
import { extractLinks } from './extractors/links';
import { extractMicrodata } from './extractors/microdata';
import { extractRdfa } from './extractors/rdfa';
import { findEmails, findPhones } from './extractors/patterns';
import type { ContactFinding } from './extractors/finding';
import { CAPTURE_LIMITS as L } from './limits';
import { companyFromDomain } from './mail/domains';
import { nameFromAddress } from './mail/names';
import type { Signature } from './mail/signature';
import { readerFor, webmailReader, type SiteReader, type SiteReading } from './readers';
import type { CaptureResult, CapturedCustomer, EmailCandidate, PhoneCandidate } from './result';
import { readText } from './text';
import type { CountryCode } from 'libphonenumber-js/min';

export interface CaptureContext {
  /** The tab's URL: picks the site reader and is returned as the source. */
  url: string;
  /** The agent's selection in the page, as text. */
  selection?: string;
  /** The agent's own emails and bare domains (options page): never the customer. */
  ownAddresses: readonly string[];
  /** The agent's own display names: chat sites show names, not addresses. */
  ownNames?: readonly string[];
  /** ISO country ("HU") for national phone numbers; without it only "+…" numbers are normalised. */
  defaultCountry?: string;
  /** Page text read for patterns, 100,000 characters unless said otherwise. */
  maxTextLength?: number;
}

type Field = { value: string; from: string };

/** Gathers what the sources offer, in trust order: the first value of a field wins. */
class Collector {
  readonly customer: CapturedCustomer = {};
  readonly emails: EmailCandidate[] = [];
  readonly phones: PhoneCandidate[] = [];
  private readonly seenEmails = new Set<string>();
  private readonly seenPhones = new Set<string>();

  constructor(
    private readonly own: OwnMatcher,
    private readonly country: CountryCode | undefined,
  ) {}

  /** A candidate email; its normalised value, or undefined when it is not an address or is the agent's. */
  email(raw: string, from: string): string | undefined {
    const value = normaliseEmail(raw);
    if (!value || this.own.isOwnEmail(value)) return undefined;
    if (!this.seenEmails.has(value) && this.emails.length < L.candidates) {
      this.seenEmails.add(value);
      this.emails.push({ value, from });
    }
    return value;
  }

  /** A candidate phone; the customer's form of it (E.164 when known), or undefined when it is no phone. */
  phone(raw: string, from: string, e164?: string): string | undefined {
    const found = e164 ? { value: cleanLine(raw, L.phone), e164 } : normalisePhone(raw, this.country);
    if (!found || !found.value) return undefined;
    const key = found.e164 ?? found.value.replace(/\D/g, '');
    if (!this.seenPhones.has(key) && this.phones.length < L.candidates) {
      this.seenPhones.add(key);
      this.phones.push(found.e164 ? { value: found.value, e164: found.e164, from } : { value: found.value, from });
    }
    return found.e164 ?? found.value;
  }

  offer(field: keyof CapturedCustomer, value: string | undefined, from: string): void {
    if (value && !this.customer[field]) this.customer[field] = { value, from };
  }

  offerName(raw: string | undefined, from: string): void {
    const name = cleanLine(raw ?? '', L.name);
    // An address shown where a name belongs is not a name.
    if (name && !normaliseEmail(name)) this.offer('name', name, from);
  }

  offerCompany(raw: string | undefined, from: string): void {
    this.offer('company', cleanLine(raw ?? '', L.company) || undefined, from);
  }

  offerJobTitle(raw: string | undefined, from: string): void {
    this.offer('jobTitle', cleanLine(raw ?? '', L.jobTitle) || undefined, from);
  }
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

function readSite(reader: SiteReader | undefined, doc: Document, own: OwnMatcher, maxTextLength: number) {
  if (!reader) return undefined;
  try {
    return reader.read(doc, { own, maxTextLength });
  } catch {
    // A site that changed its markup under a reader must still give the generic capture, not nothing.
    return undefined;
  }
}

function offerSignature(found: Collector, signature: Signature | undefined, own: OwnMatcher): void {
  if (!signature) return;
  if (!(signature.name && own.isOwnName(signature.name))) found.offerName(signature.name, 'signature');
  found.offer('phone', signature.phone ? found.phone(signature.phone, 'signature') : undefined, 'signature');
  found.offerCompany(signature.company, 'signature');
  found.offerJobTitle(signature.jobTitle, 'signature');
}

function metaContent(doc: Document, selector: string): string {
  return doc.querySelector(selector)?.getAttribute('content') ?? '';
}

function hasCustomer(reading: SiteReading | undefined): boolean {
  const c = reading?.customer;
  return Boolean(c && (c.name || c.email || c.phone));
}

/**
 * The page's reader and what it read. A mail site whose markup its reader no
 * longer finds (a redesign, an offline copy, a page shaped like it) is still
 * a mail view: the generic webmail reader then reads what its text says.
 */
function readPage(url: URL | undefined, doc: Document, own: OwnMatcher, maxTextLength: number) {
  const reader = url ? readerFor(url, doc) : undefined;
  const reading = readSite(reader, doc, own, maxTextLength);
  if (reading || !reader || reader.origin !== 'email' || reader === webmailReader) return { reader, reading };
  const generic = readSite(webmailReader, doc, own, maxTextLength);
  return generic ? { reader: webmailReader, reading: generic } : { reader, reading };
}

export function captureDocument(doc: Document, ctx: CaptureContext): CaptureResult {
  const own = ownMatcher(ctx.ownAddresses, ctx.ownNames);
  const country = supportedCountry(ctx.defaultCountry);
  const maxText = Math.max(0, Math.min(ctx.maxTextLength ?? L.defaultTextLength, L.maxTextLength));
  const { reader, reading } = readPage(parseUrl(ctx.url), doc, own, maxText);
  const found = new Collector(own, country);

  // 1. The site reader: who the open message or conversation is with.
  if (reader && reading?.customer) {
    const { name, email, phone } = reading.customer;
    const address = email ? found.email(email, reader.id) : undefined;
    // A sender the reader could only name by an own address is no customer; its name is not either.
    const isOwnSender = email !== undefined && address === undefined && normaliseEmail(email) !== undefined;
    if (!isOwnSender) {
      found.offerName(name, reader.id);
      found.offer('email', address, reader.id);
      found.offer('phone', phone ? found.phone(phone, reader.id) : undefined, reader.id);
    }
    // The closing block of the customer's own latest message: weaker than the header, so it only fills gaps.
    if (!isOwnSender) offerSignature(found, reading.signature, own);
  } else if (reader && reading) {
    // A mail body alone: its writer is named only by the signature.
    offerSignature(found, reading.signature, own);
  }

  // 2. Structured data. On a page a reader read, it describes the mail or the site, not the customer.
  const findings: Array<[ContactFinding, string]> = [
    ...extractJsonLd(doc).map((f): [ContactFinding, string] => [f, 'jsonld']),
    ...extractMicrodata(doc).map((f): [ContactFinding, string] => [f, 'microdata']),
    ...extractRdfa(doc).map((f): [ContactFinding, string] => [f, 'rdfa']),
    ...extractHCards(doc).map((f): [ContactFinding, string] => [f, 'hcard']),
  ];
  const contactable = findings.map(([finding, from]) => ({
    finding,
    from,
    emails: finding.emails.map((e) => found.email(e, from)).filter((e): e is string => e !== undefined),
    phones: finding.phones.map((p) => found.phone(p, from)).filter((p): p is string => p !== undefined),
  }));
  if (!hasCustomer(reading)) {
    const reachable = contactable.filter((c) => c.emails.length > 0 || c.phones.length > 0);
    // Failing a way to reach anyone, the person the page itself is about (a profile, a card), by name only.
    const primary =
      reachable.find((c) => c.finding.kind === 'person') ??
      reachable[0] ??
      contactable.find(
        (c) =>
          c.finding.kind === 'person' && c.finding.name && !c.finding.nested && !own.isOwnName(c.finding.name) &&
          // A card whose every address is the agent's is the agent's card.
          c.emails.length === c.finding.emails.length && c.phones.length === c.finding.phones.length,
      );
    if (primary) {
      found.offerName(primary.finding.name, primary.from);
      found.offerCompany(primary.finding.company, primary.from);
      found.offer('email', primary.emails[0], primary.from);
      found.offer('phone', primary.phones[0], primary.from);
    }
  }

  // 3–5. Links, the selection and the text: candidates, in that order of trust.
  const scope = reading?.scope ?? doc.body ?? doc.documentElement;
  // A reader that cut the customer's own text from quotes reads no links: they may sit in a quote.
  if (reading?.text === undefined) {
    const links = extractLinks(scope);
    links.emails.forEach((e) => found.email(e, 'mailto'));
    links.phones.forEach((p) => found.phone(p, 'tel'));
  }

  const selection = cleanBlock(ctx.selection ?? '', L.selection);
  findEmails(selection).forEach((e) => found.email(e, 'selection'));
  findPhones(selection, country).forEach((p) => found.phone(p.value, 'selection', p.e164));

  const text = reading?.text !== undefined ? { text: reading.text, truncated: false } : readText(scope, maxText);
  findEmails(text.text).forEach((e) => found.email(e, 'text'));
  findPhones(text.text, country).forEach((p) => found.phone(p.value, 'text', p.e164));

  // Fields still empty take the most trusted candidate; a phone only when it could be normalised
  // or a link or reader stated it, so a stray number in the text is never taken as the customer's.
  const [firstEmail] = found.emails;
  if (firstEmail) found.offer('email', firstEmail.value, firstEmail.from);
  const phone = found.phones.find((p) => p.e164) ?? found.phones.find((p) => p.from !== 'text' && p.from !== 'selection');
  if (phone) found.offer('phone', phone.e164 ?? phone.value, phone.from);

  // 6. On a mail, weak guesses from the customer's address, only where nothing better was found.
  const address = found.customer.email?.value;
  if (reader?.origin === 'email' && address) {
    found.offerName(nameFromAddress(address), 'address');
    if (!own.isOwnEmail(address)) found.offerCompany(companyFromDomain(address), 'domain');
  }

  return {
    customer: found.customer,
    suggestedTitle: titleOf(doc, reader, reading),
    descriptionExcerpt: descriptionOf(doc, reader, reading, selection),
    origin: reader?.origin ?? 'web',
    ...(reader && reading ? { reader: reader.id } : {}),
    url: cleanLine(ctx.url, L.url),
    pageTitle: cleanLine(doc.title ?? '', L.pageTitle),
    selection,
    candidates: { emails: found.emails, phones: found.phones },
    truncated: Boolean(reading?.truncated) || text.truncated,
  };
}

function titleOf(doc: Document, reader: SiteReader | undefined, reading: SiteReading | undefined): Field | undefined {
  const fromReader = cleanLine(reading?.title ?? '', L.title);
  if (reader && fromReader) return { value: fromReader, from: reader.id };
  // og:title is the page's own name for itself, without the " | Site" suffix titles often carry.
  const fromPage = cleanLine(metaContent(doc, 'meta[property="og:title"]') || doc.title || '', L.title);
  return fromPage ? { value: fromPage, from: 'page' } : undefined;
}

function descriptionOf(
  doc: Document,
  reader: SiteReader | undefined,
  reading: SiteReading | undefined,
  selection: string,
): Field | undefined {
  // What the agent selected is what the agent wants on the case.
  if (selection) return { value: cleanBlock(selection, L.description), from: 'selection' };
  const body = cleanBlock(reading?.body ?? '', L.description);
  if (reader && body) return { value: body, from: reader.id };
  const meta = metaContent(doc, 'meta[name="description"]') || metaContent(doc, 'meta[property="og:description"]');
  const fromPage = cleanBlock(meta, L.description);
  return fromPage ? { value: fromPage, from: 'page' } : undefined;
}
