// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { captureDocument } from '../../../lib/capture/capture';
import { cleanLine } from '../../../lib/capture/clean';
import { CAPTURE_LIMITS } from '../../../lib/capture/limits';
import { READERS } from '../../../lib/capture/readers';
import { CaptureResult } from '../../../lib/capture/result';
import { LIMITS } from '../../../lib/schema';
import { AGENT, captureFixture, captureOf, fixtureNames, loadFixture, parseHtml } from './fixtures';

const WEB = 'https://example.com/page';

describe('a page with no customer', () => {
  it('leaves every customer field empty and offers no candidates, even with a default country', () => {
    for (const defaultCountry of [undefined, 'HU', 'US']) {
      const result = captureFixture('no-customer', { url: WEB, defaultCountry });
      expect(result.customer).toEqual({});
      expect(result.candidates).toEqual({ emails: [], phones: [] });
    }
  });

  it("still gives the page's own title and description", () => {
    const result = captureFixture('no-customer', { url: WEB });
    expect(result.suggestedTitle).toEqual({ value: 'Kettle prices fall for the third month', from: 'page' });
    expect(result.pageTitle).toBe('Kettle prices fall for the third month | Daily Example');
    expect(result.descriptionExcerpt).toEqual({
      value: 'Retail prices of electric kettles fell again in February.',
      from: 'page',
    });
    expect(result.origin).toBe('web');
    expect(result.url).toBe(WEB);
    expect(result.truncated).toBe(false);
  });
});

describe("the agent's own addresses", () => {
  it('are never the customer, by address, by domain or by subdomain', () => {
    const doc = parseHtml(`<a href="mailto:bence@sidecase.example">me</a>
      <a href="mailto:help@eu.sidecase.example">team</a><a href="mailto:agent@other.example">other</a>
      <p>customer: ana.kovacs@example.com</p>`);
    const result = captureOf(doc, { url: WEB, ownAddresses: ['@sidecase.example', 'Agent@Other.example'] });
    expect(result.customer.email).toEqual({ value: 'ana.kovacs@example.com', from: 'text' });
    expect(result.candidates.emails.map((e) => e.value)).toEqual(['ana.kovacs@example.com']);
  });

  it('do not make a structured-data card of the agent the customer', () => {
    const doc = parseHtml(`<div class="h-card"><span class="p-name">Bence Tóth</span>
      <a class="u-email" href="mailto:bence@sidecase.example">mail</a></div>`);
    const result = captureOf(doc, { url: WEB, ...AGENT });
    expect(result.customer).toEqual({});
  });
});

describe('the order of trust', () => {
  it('prefers structured data to links and links to text, field by field', () => {
    const doc = parseHtml(`<script type="application/ld+json">{"@type":"Person","name":"Ode Kim","email":"ode@example.org"}</script>
      <a href="mailto:info@example.org">info</a> <a href="tel:+4687371000">call</a> <p>or x@example.net</p>`);
    const result = captureOf(doc, { url: WEB });
    expect(result.customer).toEqual({
      name: { value: 'Ode Kim', from: 'jsonld' },
      email: { value: 'ode@example.org', from: 'jsonld' },
      phone: { value: '+4687371000', from: 'tel' },
    });
    expect(result.candidates.emails).toEqual([
      { value: 'ode@example.org', from: 'jsonld' },
      { value: 'info@example.org', from: 'mailto' },
      { value: 'x@example.net', from: 'text' },
    ]);
  });

  it('lets structured data in a mail only add candidates: the sender is the customer', () => {
    const doc = parseHtml(`<h2 class="hP">Your order</h2><div class="adn">
      <span class="gD" email="orders@shop.example" name="Shop">Shop</span>
      <div class="a3s"><div itemscope itemtype="https://schema.org/Organization"><span itemprop="name">Shop Ltd</span>
      <span itemprop="email">care@shop.example</span></div></div></div>`);
    const result = captureOf(doc, { url: 'https://mail.google.com/mail/u/0/#inbox/x', ...AGENT });
    expect(result.customer).toEqual({
      name: { value: 'Shop', from: 'gmail' },
      email: { value: 'orders@shop.example', from: 'gmail' },
    });
    expect(result.candidates.emails.map((e) => e.value)).toEqual(['orders@shop.example', 'care@shop.example']);
  });

  it('normalises national numbers only with a default country, and ignores an unknown country', () => {
    const doc = parseHtml('<a href="tel:06 30 555 0177">call</a>');
    expect(captureOf(doc, { url: WEB, defaultCountry: 'HU' }).customer.phone).toEqual({
      value: '+36305550177',
      from: 'tel',
    });
    expect(captureOf(doc, { url: WEB }).candidates.phones).toEqual([{ value: '06 30 555 0177', from: 'tel' }]);
    expect(captureOf(doc, { url: WEB, defaultCountry: 'ZZ' }).customer.phone?.value).toBe('06 30 555 0177');
  });
});

describe('hostile pages', () => {
  it('returns markup in a name, a subject and a body as literal characters and creates no element', () => {
    const doc = loadFixture('hostile-markup');
    const before = doc.documentElement.outerHTML;
    const result = captureOf(doc, { url: 'https://mail.google.com/mail/u/0/#inbox/1', ...AGENT });
    expect(result.customer.name).toEqual({ value: '<img src=x onerror=alert(1)>', from: 'gmail' });
    expect(result.customer.email?.value).toBe('mallory@example.com');
    expect(result.suggestedTitle?.value).toBe('<script>alert("subject")</script> Refund now');
    expect(result.descriptionExcerpt?.value).toContain('<iframe src="https://evil.example/"></iframe> Please refund');
    expect(result.pageTitle).toBe('<b>Urgent</b> - bence@sidecase.example - Sidecase Mail');
    expect(doc.querySelectorAll('img, script, iframe').length).toBe(0);
    expect(doc.documentElement.outerHTML).toBe(before);
  });

  it('strips bidi overrides, zero-width characters and controls from the name, email and phone', () => {
    const result = captureFixture('hostile-unicode', { url: WEB });
    expect(result.customer).toEqual({
      name: { value: 'Ana Kovács', from: 'hcard' },
      company: { value: 'Kovács Design', from: 'hcard' },
      email: { value: 'ana.kovacs@example.com', from: 'hcard' },
      phone: { value: '+36205550142', from: 'hcard' },
    });
    expect(result.pageTitle).toBe('txt.exe Contact');
  });

  it('keeps right-to-left letters, emoji and the joiner inside an emoji sequence', () => {
    const result = captureFixture('hostile-emoji-rtl', { url: WEB });
    expect(result.customer.name).toEqual({ value: 'ليلى حداد 🌸👩\u200D💻', from: 'jsonld' });
    expect(result.customer.email?.value).toBe('leila.haddad@example.org');
    expect(result.customer.phone?.value).toBe('+97145550123');
    expect(result.pageTitle).toBe('اتصل بنا');
  });

  it('cleans the selection it returns', () => {
    const result = captureOf(parseHtml('<p>x</p>'), { url: WEB, selection: 'pay \u202Eevil\u202C\u0000 now\r\n\r\n\r\n\r\nok' });
    expect(result.selection).toBe('pay evil now\n\nok');
  });
});

describe('a 2 MB page', () => {
  const paragraph = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. ';
  const big = (tail: string) =>
    parseHtml(`<title>Big</title><body>${`<p>${paragraph.repeat(12)}</p>`.repeat(2_100)}${tail}</body>`);

  it('is read up to the cap and reported as truncated', () => {
    const doc = big('<p>late.contact@example.com</p>');
    expect(doc.body.textContent!.length).toBeGreaterThan(2_000_000);
    const result = captureOf(doc, { url: WEB });
    expect(result.truncated).toBe(true);
    // The address after the cap was not read.
    expect(result.candidates.emails).toEqual([]);
  });

  it('reads further when the caller raises the cap', () => {
    const result = captureOf(big('<p>late.contact@example.com</p>'), { url: WEB, maxTextLength: 1_000_000 });
    expect(result.truncated).toBe(true);
    expect(captureOf(big(''), { url: WEB, maxTextLength: 10 }).truncated).toBe(true);
  });

  it('is truncated too when all of it is one text node', () => {
    const doc = parseHtml(`<body><pre>${'0123456789 '.repeat(200_000)}</pre></body>`);
    const result = captureOf(doc, { url: WEB, selection: 'x'.repeat(2_000_000) });
    expect(result.truncated).toBe(true);
    expect(result.selection.length).toBe(CAPTURE_LIMITS.selection);
  });
});

describe('the result at the boundary', () => {
  const urlFor = (name: string) =>
    ({
      gmail: 'https://mail.google.com/mail/u/0/#inbox/1',
      'hostile-markup': 'https://mail.google.com/mail/u/0/#inbox/1',
      outlook: 'https://outlook.office.com/mail/',
      slack: 'https://app.slack.com/client/T1/C1',
      whatsapp: 'https://web.whatsapp.com/',
      teams: 'https://teams.microsoft.com/v2/',
    })[name] ?? WEB;

  it('passes the schema for every fixture, with and without the agent, as read and as a plain page', () => {
    for (const name of fixtureNames()) {
      for (const ctx of [{ url: urlFor(name), ...AGENT }, { url: urlFor(name) }, { url: 'not a url' }]) {
        const raw = captureDocument(loadFixture(name), { ownAddresses: [], ...ctx });
        expect(CaptureResult.safeParse(raw).success, `${name} ${ctx.url}`).toBe(true);
        // What crosses from the page is plain data: it survives a JSON round trip unchanged.
        expect(JSON.parse(JSON.stringify(raw))).toEqual(raw);
      }
    }
  });

  it('is refused when a field carries a bidi override, an over-long name or something that is not an address', () => {
    const valid = captureFixture('gmail', { url: urlFor('gmail'), ...AGENT });
    const withName = (value: string) => ({ ...valid, customer: { ...valid.customer, name: { value, from: 'gmail' } } });
    expect(CaptureResult.safeParse(withName('Ana\u202E')).success).toBe(false);
    expect(CaptureResult.safeParse(withName('a'.repeat(LIMITS.nameMax + 1))).success).toBe(false);
    expect(CaptureResult.safeParse(withName('')).success).toBe(false);
    const badEmail = { ...valid, customer: { email: { value: '<b>@x', from: 'gmail' } } };
    expect(CaptureResult.safeParse(badEmail).success).toBe(false);
    expect(CaptureResult.safeParse({ ...valid, origin: 'phone' }).success).toBe(false);
  });

  it('caps every field at the limits the case form enforces', () => {
    expect(CAPTURE_LIMITS.name).toBe(LIMITS.nameMax);
    expect(CAPTURE_LIMITS.company).toBe(LIMITS.companyMax);
    expect(CAPTURE_LIMITS.email).toBe(LIMITS.emailMax);
    expect(CAPTURE_LIMITS.phone).toBe(LIMITS.phoneMax);
    expect(CAPTURE_LIMITS.title).toBe(LIMITS.titleMax);
    expect(CAPTURE_LIMITS.description).toBe(LIMITS.descriptionMax);
    const long = parseHtml(`<div class="h-card"><span class="p-name">${'Ana '.repeat(200)}</span>
      <a class="u-email" href="mailto:a@example.com">a</a></div><title>${'T'.repeat(5000)}</title>`);
    const result = captureOf(long, { url: WEB });
    expect(result.customer.name?.value.length).toBeLessThanOrEqual(LIMITS.nameMax);
    expect(result.suggestedTitle?.value.length).toBe(LIMITS.titleMax);
  });

  it('never cuts an emoji in half at a cap', () => {
    expect(cleanLine('a' + '😀'.repeat(10), 4)).toBe('a😀');
  });

  it('names each reader by an id the result accepts', () => {
    for (const reader of READERS) expect(reader.id).toMatch(/^[a-z][a-z0-9-]{0,31}$/);
  });
});
