// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { extractHCards } from '../../../lib/capture/extractors/hcard';
import { extractJsonLd } from '../../../lib/capture/extractors/jsonld';
import { extractLinks } from '../../../lib/capture/extractors/links';
import { extractMicrodata } from '../../../lib/capture/extractors/microdata';
import { findEmails, findPhones } from '../../../lib/capture/extractors/patterns';
import { captureFixture, captureOf, loadFixture, parseHtml } from './fixtures';

const WEB = 'https://northwind.example.com/contact';

describe('JSON-LD', () => {
  it('finds the Person of an @graph with the organisation it works for, resolved by @id', () => {
    const findings = extractJsonLd(loadFixture('jsonld'));
    expect(findings).toEqual([
      {
        kind: 'organization',
        company: 'Northwind Traders Ltd',
        emails: ['sales@northwind.example.com'],
        phones: ['+44 20 7946 0321'],
      },
      {
        kind: 'person',
        name: "Grace O'Neill",
        company: 'Northwind Traders Ltd',
        emails: ['mailto:grace.oneill@northwind.example.com'],
        phones: ['+44 20 7946 0958'],
      },
    ]);
  });

  it('fills the customer from the person rather than the organisation, keeping both as candidates', () => {
    const result = captureFixture('jsonld', { url: WEB });
    expect(result.customer).toEqual({
      name: { value: "Grace O'Neill", from: 'jsonld' },
      company: { value: 'Northwind Traders Ltd', from: 'jsonld' },
      email: { value: 'grace.oneill@northwind.example.com', from: 'jsonld' },
      phone: { value: '+442079460958', from: 'jsonld' },
    });
    expect(result.origin).toBe('web');
    expect(result.candidates.emails.map((e) => e.value)).toEqual([
      'sales@northwind.example.com',
      'grace.oneill@northwind.example.com',
    ]);
    expect(result.descriptionExcerpt).toEqual({ value: "Talk to Northwind Traders' account team.", from: 'page' });
  });

  it('reads top-level arrays, type URLs and given and family names', () => {
    const doc = parseHtml(`<script type="application/ld+json">[
      {"@type":"https://schema.org/Person","givenName":"Ode","familyName":"Kim","email":["ode@example.org"]}]</script>`);
    expect(extractJsonLd(doc)).toEqual([
      { kind: 'person', name: 'Ode Kim', company: undefined, emails: ['ode@example.org'], phones: [] },
    ]);
  });

  it('repairs trailing commas and raw line breaks, and skips what cannot be parsed without failing', () => {
    const doc = parseHtml(`<script type="application/ld+json">{"@type":"Organization","name":"Two
      Lines Ltd","telephone":"+44 20 7946 0000",}</script><script type="application/ld+json">{{{</script>`);
    expect(extractJsonLd(doc)).toEqual([
      { kind: 'organization', company: 'Two       Lines Ltd', emails: [], phones: ['+44 20 7946 0000'] },
    ]);
  });

  it('gives an organisation found only through a ContactPoint', () => {
    const doc = parseHtml(
      '<script type="application/ld+json">{"@type":"ContactPoint","email":"help@example.org"}</script>',
    );
    expect(extractJsonLd(doc)).toEqual([{ kind: 'organization', emails: ['help@example.org'], phones: [] }]);
  });
});

describe('microdata', () => {
  it("keeps a nested organisation's phone out of the person it belongs to", () => {
    const findings = extractMicrodata(loadFixture('microdata'));
    expect(findings[0]).toEqual({
      kind: 'person',
      name: 'Tomasz Wiśniewski',
      company: 'Contoso Clinic Sp. z o.o.',
      emails: ['mailto:tomasz.wisniewski@contoso.example'],
      phones: ['+48 22 555 0188'],
    });
    expect(findings.slice(1)).toEqual([
      { kind: 'organization', company: 'Contoso Clinic Sp. z o.o.', emails: [], phones: ['+48 22 555 0100'] },
      { kind: 'organization', company: 'Contoso Pharmacy', emails: [], phones: ['+48 22 555 0199'] },
    ]);
  });

  it('fills the customer from the Person item', () => {
    const result = captureFixture('microdata', { url: 'https://contoso.example/team' });
    expect(result.customer).toEqual({
      name: { value: 'Tomasz Wiśniewski', from: 'microdata' },
      company: { value: 'Contoso Clinic Sp. z o.o.', from: 'microdata' },
      email: { value: 'tomasz.wisniewski@contoso.example', from: 'microdata' },
      phone: { value: '+48225550188', from: 'microdata' },
    });
  });
});

describe('h-card and hCard', () => {
  it('reads a microformats2 h-card with a nested organisation card, and a classic vcard', () => {
    expect(extractHCards(loadFixture('hcard'))).toEqual([
      {
        kind: 'person',
        name: 'Ingrid Larsen',
        company: 'Fjord Design AS',
        emails: ['mailto:ingrid@example.net'],
        phones: ['+47 21 55 50 12'],
      },
      {
        kind: 'organization',
        company: 'Fjord Design AS',
        emails: ['mailto:office@fjord.example.net'],
        phones: ['+47 21 55 50 00'],
      },
    ]);
  });

  it('fills the customer from the person card', () => {
    const result = captureFixture('hcard', { url: 'https://ingrid.example.net/' });
    expect(result.customer).toEqual({
      name: { value: 'Ingrid Larsen', from: 'hcard' },
      company: { value: 'Fjord Design AS', from: 'hcard' },
      email: { value: 'ingrid@example.net', from: 'hcard' },
      phone: { value: '+4721555012', from: 'hcard' },
    });
    // The nested organisation's address is still offered, from the links.
    expect(result.candidates.emails.map((e) => e.value)).toContain('post@fjord.example.net');
  });
});

describe('mailto: and tel: links', () => {
  it('decodes the address, drops the query and the extension, and ignores other schemes', () => {
    expect(extractLinks(loadFixture('contact-links'))).toEqual({
      emails: ['Comenzi@brutaria.example.ro', 'furnizori@brutaria.example.ro'],
      phones: ['+40-21-555-0147'],
    });
  });

  it('splits several recipients and keeps a stray percent sign as written', () => {
    const doc = parseHtml('<a href="mailto:a@example.com,b@example.com">x</a><a href="tel:%2B100%">y</a>');
    expect(extractLinks(doc)).toEqual({ emails: ['a@example.com', 'b@example.com'], phones: ['%2B100%'] });
  });

  it('fills the customer from the links, then offers the number written in the text', () => {
    const result = captureFixture('contact-links', { url: 'https://brutaria.example.ro/contact' });
    expect(result.customer).toEqual({
      email: { value: 'comenzi@brutaria.example.ro', from: 'mailto' },
      phone: { value: '+40215550147', from: 'tel' },
    });
    expect(result.candidates.phones).toEqual([
      { value: '+40-21-555-0147', e164: '+40215550147', from: 'tel' },
      { value: '+40 21 555 0199', e164: '+40215550199', from: 'text' },
    ]);
    expect(result.suggestedTitle).toEqual({ value: 'Contact us', from: 'page' });
  });
});

describe('patterns in text', () => {
  it('finds addresses between punctuation and drops trailing dots', () => {
    expect(findEmails('Write to <ana.kovacs@example.com>, or (b_c+tag@sub.example.org). Not: a@b, x@y.z1')).toEqual([
      'ana.kovacs@example.com',
      'b_c+tag@sub.example.org',
    ]);
  });

  it('finds international numbers always and national ones only with a default country', () => {
    const text = 'Call +36 20 555 0142 or 06 30 555 0177, order 2025-02-28, ISBN 978-3-16-148410-0.';
    expect(findPhones(text)).toEqual([{ value: '+36 20 555 0142', e164: '+36205550142' }]);
    expect(findPhones(text, 'HU').map((p) => p.e164)).toEqual(['+36205550142', '+36305550177']);
  });

  it('stays bounded on text built to make patterns backtrack', () => {
    const hostile = [
      'a'.repeat(300_000) + '@',
      '@'.repeat(50_000),
      ('x'.repeat(60) + '@' + 'y'.repeat(250) + ' ').repeat(500),
      '+1 '.repeat(100_000),
      '1'.repeat(300_000),
    ].join('\n');
    expect(findEmails(hostile).length).toBeLessThanOrEqual(50);
    expect(findPhones(hostile, 'US').length).toBeLessThanOrEqual(50);
  });

  it('offers what the agent selected before what the page says', () => {
    const doc = parseHtml('<p>Sales: sales@example.com, +36 1 555 0100</p>');
    const result = captureOf(doc, {
      url: 'https://example.com/',
      selection: 'Customer: dora.lind@example.org\n+46 8 555 012 34',
    });
    expect(result.customer).toEqual({
      email: { value: 'dora.lind@example.org', from: 'selection' },
      phone: { value: '+46855501234', from: 'selection' },
    });
    expect(result.candidates.emails.map((e) => e.from)).toEqual(['selection', 'text']);
    expect(result.descriptionExcerpt).toEqual({
      value: 'Customer: dora.lind@example.org\n+46 8 555 012 34',
      from: 'selection',
    });
    expect(result.selection).toBe('Customer: dora.lind@example.org\n+46 8 555 012 34');
  });
});
