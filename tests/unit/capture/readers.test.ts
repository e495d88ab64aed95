// @vitest-environment happy-dom
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READERS, readerFor } from '../../../lib/capture/readers';
import { SOURCE_IDS } from '../../../lib/capture/result';
import { AGENT, FIXTURE_DIR, LOCALES_DIR, captureFixture, captureOf, parseHtml } from './fixtures';

const GMAIL_URL = 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQZTMlXbKqVjWcGhHbVwxPLlDfk';
const OUTLOOK_URL = 'https://outlook.office.com/mail/inbox/id/AAQkAGI2TGuLAAA%3D';
const SLACK_URL = 'https://app.slack.com/client/T01SIDECASE/C05NORTHWND';
const WHATSAPP_URL = 'https://web.whatsapp.com/';
const TEAMS_URL = 'https://teams.microsoft.com/v2/';

describe('Gmail', () => {
  it('takes the customer of a mail to the agent from its sender, not from the agent who replied last', () => {
    const result = captureFixture('gmail', { url: GMAIL_URL, ...AGENT });
    expect(result.customer).toEqual({
      name: { value: 'Ana Kovács', from: 'gmail' },
      email: { value: 'ana.kovacs@example.com', from: 'gmail' },
      phone: { value: '+36205550142', from: 'tel' },
    });
    expect(result.origin).toBe('email');
    expect(result.reader).toBe('gmail');
    expect(result.suggestedTitle).toEqual({ value: 'Order 4411 arrived damaged', from: 'gmail' });
  });

  it("uses the customer's message as the description, without the agent's reply", () => {
    const result = captureFixture('gmail', { url: GMAIL_URL, ...AGENT });
    expect(result.descriptionExcerpt?.from).toBe('gmail');
    expect(result.descriptionExcerpt?.value).toMatch(/^Hello,\n\nmy order 4411 arrived today/);
    expect(result.descriptionExcerpt?.value).toContain('Mobile: +36 20 555 0142');
    expect(result.descriptionExcerpt?.value).not.toContain('Dear Ana');
  });

  it('looks for candidates in the open message only, never in the rest of the mailbox', () => {
    const result = captureFixture('gmail', { url: GMAIL_URL, ...AGENT });
    expect(result.candidates.emails.map((e) => e.value)).toEqual(['ana.kovacs@example.com']);
    expect(result.candidates.phones).toEqual([{ value: '+36205550142', e164: '+36205550142', from: 'tel' }]);
  });

  it('takes the agent as the customer when no own address is configured, which is why the option exists', () => {
    const result = captureFixture('gmail', { url: GMAIL_URL });
    expect(result.customer.email?.value).toBe('bence@sidecase.example');
  });

  it('takes the recipient as the customer of a mail the agent sent', () => {
    const doc = parseHtml(`<h2 class="hP">Your refund</h2>
      <div class="adn"><span class="gD" email="bence@sidecase.example" name="Bence Tóth">Bence Tóth</span>
      <span class="g2" email="bence@sidecase.example" name="me">me</span>
      <span class="g2" email="pavel.novak@example.net" name="Pavel Novák">Pavel</span>
      <div class="a3s">Your refund was sent today.</div></div>`);
    const result = captureOf(doc, { url: GMAIL_URL, ...AGENT });
    expect(result.customer.name).toEqual({ value: 'Pavel Novák', from: 'gmail' });
    expect(result.customer.email).toEqual({ value: 'pavel.novak@example.net', from: 'gmail' });
  });

  it('gives no name when Gmail shows only the address', () => {
    const doc = parseHtml(`<h2 class="hP">Hi</h2><div class="adn">
      <span class="gD" email="noname@example.com" name="noname@example.com">noname@example.com</span>
      <div class="a3s">Hello</div></div>`);
    const result = captureOf(doc, { url: GMAIL_URL, ...AGENT });
    expect(result.customer.name).toBeUndefined();
    expect(result.customer.email?.value).toBe('noname@example.com');
  });

  it('reads an inbox list without an open mail as an ordinary page of origin email', () => {
    const result = captureOf(parseHtml('<title>Inbox (3) - Sidecase Mail</title><div role="main">Inbox</div>'), {
      url: 'https://mail.google.com/mail/u/0/#inbox',
      ...AGENT,
    });
    expect(result.reader).toBeUndefined();
    expect(result.origin).toBe('email');
    expect(result.customer).toEqual({});
    expect(result.suggestedTitle).toEqual({ value: 'Inbox (3) - Sidecase Mail', from: 'page' });
  });
});

describe('Outlook on the web', () => {
  it('takes the customer from the sender persona of the open mail', () => {
    const result = captureFixture('outlook', { url: OUTLOOK_URL, ...AGENT, defaultCountry: 'HU' });
    expect(result.customer).toEqual({
      name: { value: 'Pavel Novák', from: 'outlook' },
      email: { value: 'pavel.novak@example.net', from: 'outlook' },
      phone: { value: '+420601555014', from: 'text' },
    });
    expect(result.origin).toBe('email');
    expect(result.suggestedTitle).toEqual({ value: 'Replacement charger never arrived', from: 'outlook' });
    expect(result.descriptionExcerpt?.value).toMatch(/^Hi,\ntwo weeks ago you promised a replacement charger/);
  });

  it("never offers the agent's addresses on the To line as candidates", () => {
    const result = captureFixture('outlook', { url: OUTLOOK_URL, ...AGENT });
    expect(result.candidates.emails.map((e) => e.value)).toEqual(['pavel.novak@example.net']);
  });

  it('serves every Outlook host', () => {
    for (const host of ['outlook.live.com', 'outlook.office365.com', 'outlook.cloud.microsoft']) {
      expect(readerFor(new URL(`https://${host}/mail/`))?.id).toBe('outlook');
    }
  });
});

describe('Slack', () => {
  it('takes the customer from the latest sender who is not the agent', () => {
    const result = captureFixture('slack', { url: SLACK_URL, ...AGENT });
    expect(result.customer).toEqual({
      name: { value: 'Lena Fischer', from: 'slack' },
      email: { value: 'lena.fischer@example.org', from: 'text' },
      phone: { value: '+493055501234', from: 'text' },
    });
    expect(result.origin).toBe('chat');
  });

  it("gathers the customer's consecutive messages into the description and titles the case with the first", () => {
    const result = captureFixture('slack', { url: SLACK_URL, ...AGENT });
    expect(result.suggestedTitle?.value).toBe(
      'Hi team, our dashboard export has been failing since this morning with "Error 502". Nobody on our side can download…',
    );
    expect(result.descriptionExcerpt?.value).toContain('You can reach me at lena.fischer@example.org');
    expect(result.descriptionExcerpt?.value).not.toContain('looking into it');
  });
});

describe('WhatsApp Web', () => {
  it("takes the phone of a contact WhatsApp shows by number, and the email they typed", () => {
    const result = captureFixture('whatsapp', { url: WHATSAPP_URL, ...AGENT });
    expect(result.customer).toEqual({
      phone: { value: '+36305550177', from: 'whatsapp' },
      email: { value: 'julia.szabo@example.com', from: 'text' },
    });
    expect(result.origin).toBe('chat');
    expect(result.suggestedTitle?.value).toBe(
      'Hello, the washing machine I bought last week (order W-2231) leaks water from the door.',
    );
    expect(result.descriptionExcerpt?.value).toContain('My name is Júlia Szabó, email julia.szabo@example.com 🙏');
    expect(result.descriptionExcerpt?.value).not.toContain('technician');
  });

  it('takes the name of a saved contact from the conversation header', () => {
    const doc = parseHtml(`<div id="main"><header><span dir="auto" title="Júlia Szabó">Júlia Szabó</span></header>
      <div class="message-in"><div data-pre-plain-text="[10:02, 04/03/2025] Júlia Szabó: "><span class="selectable-text">Hi!</span></div></div></div>`);
    const result = captureOf(doc, { url: WHATSAPP_URL, ...AGENT });
    expect(result.customer).toEqual({ name: { value: 'Júlia Szabó', from: 'whatsapp' } });
  });
});

describe('Microsoft Teams', () => {
  it("takes the customer from the message author and not from the agent's own bubbles", () => {
    const result = captureFixture('teams', { url: TEAMS_URL, ...AGENT });
    expect(result.customer).toEqual({
      name: { value: 'Maria Popescu', from: 'teams' },
      email: { value: 'maria.popescu@example.org', from: 'text' },
      phone: { value: '+40215550134', from: 'tel' },
    });
    expect(result.origin).toBe('chat');
    expect(result.suggestedTitle?.value).toBe(
      'Good morning! Our invoice INV-2025-0317 shows 40 licences but we only ordered 25.',
    );
    expect(result.descriptionExcerpt?.value).not.toContain('checking the invoice');
  });
});

describe('the reader list', () => {
  it('has a fixture page named after every reader', () => {
    for (const reader of READERS) {
      expect(existsSync(path.join(FIXTURE_DIR, `${reader.id}.html`)), reader.id).toBe(true);
    }
  });

  it('has a provenance label in every catalog for every reader and every other source', () => {
    for (const locale of ['en', 'hu', 'ro', 'id']) {
      const catalog = JSON.parse(
        readFileSync(path.join(LOCALES_DIR, locale, 'messages.json'), 'utf8'),
      ) as Record<string, unknown>;
      for (const id of [...READERS.map((r) => r.id), ...SOURCE_IDS]) {
        expect(catalog[`capture_from_${id}`], `${locale} ${id}`).toBeDefined();
      }
    }
  });

  it('has unique ids and leaves other sites to the generic capture', () => {
    expect(new Set(READERS.map((r) => r.id)).size).toBe(READERS.length);
    expect(readerFor(new URL('https://mail.google.com.evil.example/'))).toBeUndefined();
    expect(readerFor(new URL('https://example.com/contact'))).toBeUndefined();
  });

  it('recognises each site by its structure when the page is served from another host', () => {
    for (const reader of READERS) {
      const result = captureFixture(reader.id, { url: `http://127.0.0.1:8080/${reader.id}/`, ...AGENT });
      expect(result.reader, reader.id).toBe(reader.id);
      expect(result.origin, reader.id).toBe(reader.origin);
    }
  });

  it('reads a structured-data page or a page with no customer as a plain page, whatever its host', () => {
    for (const name of ['jsonld', 'microdata', 'hcard', 'no-customer']) {
      expect(captureFixture(name, { url: 'http://127.0.0.1:8080/page', ...AGENT }).reader, name).toBeUndefined();
    }
  });
});
