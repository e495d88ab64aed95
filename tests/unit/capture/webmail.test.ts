// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { captureCorpusPage } from './corpus-pages';
import { AGENT, captureFixture, captureOf, parseHtml } from './fixtures';

const MAIL = 'https://mail.example/message/1';

describe('the generic webmail reader', () => {
  it("takes the customer from the message's own header block, not from the quoted reply", () => {
    const result = captureCorpusPage('talon-eml/gmail');
    expect(result.reader).toBe('webmail');
    expect(result.origin).toBe('email');
    expect(result.customer.name).toEqual({ value: 'Megan One', from: 'webmail' });
    expect(result.customer.email).toEqual({ value: 'xxx@gmail.com', from: 'webmail' });
    expect(result.suggestedTitle).toEqual({ value: 'Re: Test', from: 'webmail' });
    expect(result.descriptionExcerpt?.value).toBe('Hello');
  });

  it('offers the recipient of a mail the agent sent', () => {
    const result = captureCorpusPage('talon-eml/thunderbird');
    expect(result.customer.name).toEqual({ value: 'Megan One', from: 'webmail' });
    expect(result.customer.email).toEqual({ value: 'xxx@gmail.com', from: 'webmail' });
  });

  it("offers a forwarded mail's original sender, not the forwarder", () => {
    const result = captureCorpusPage('crisp-bodies/forward-header');
    expect(result.customer.name).toEqual({ value: 'John Smith', from: 'webmail' });
    expect(result.customer.email).toEqual({ value: 'john@example.com', from: 'webmail' });
    expect(result.suggestedTitle?.value).toBe('Important update');
  });

  it('reads a reply body as mail and takes nobody from its quote', () => {
    for (const page of ['talon-html/gmail', 'talon-html/ms_outlook_2010', 'talon-html/yandex_ru', 'crisp-bodies/german-outlook']) {
      const result = captureCorpusPage(page);
      expect(result.origin, page).toBe('email');
      expect(result.customer, page).toEqual({});
      expect(result.candidates.emails, page).toEqual([]);
    }
  });

  it('cuts the quoted chain from the description', () => {
    const result = captureCorpusPage('crisp-bodies/mixed-languages');
    expect(result.descriptionExcerpt?.value).toMatch(/^Fusce bibendum/);
    expect(result.descriptionExcerpt?.value).not.toContain('Pierre');
    expect(result.descriptionExcerpt?.value).not.toContain('Merci');
  });

  it("takes name and company from the customer's signature, weakly", () => {
    const result = captureCorpusPage('crisp-bodies/double-signature');
    expect(result.origin).toBe('email');
    expect(result.customer.name).toEqual({ value: 'John Doe', from: 'signature' });
    expect(result.customer.company).toEqual({ value: 'Example Corp', from: 'signature' });
    expect(result.customer.jobTitle).toEqual({ value: 'Senior Developer', from: 'signature' });
  });

  it('reads a Hungarian header block and signature, and never the agent quoted below', () => {
    const result = captureFixture('webmail', { url: 'https://posta.example.hu/?_task=mail&_uid=12', ...AGENT });
    expect(result.customer).toEqual({
      name: { value: 'Kovács Anna', from: 'webmail' },
      email: { value: 'anna.kovacs@peldafa.hu', from: 'webmail' },
      phone: { value: '+36205550142', from: 'signature' },
      company: { value: 'Példafa Kft.', from: 'signature' },
      jobTitle: { value: 'pénzügyi vezető', from: 'signature' },
    });
    expect(result.suggestedTitle?.value).toBe('Hibás számla – INV-2025-0412');
    expect(result.descriptionExcerpt?.value).not.toContain('Tóth Bence');
    expect(result.candidates.phones.map((p) => p.e164)).toEqual(['+36205550142']);
  });

  it('never lets a signature replace what the header says', () => {
    const doc = parseHtml(`<pre>De: Ana Popescu &lt;ana@firma.ro&gt;
Către: help@sidecase.example
Subiect: Comanda 1234

Bună ziua, comanda nu a ajuns.

Cu stimă,
Maria Ionescu
Firma SRL</pre>`);
    const result = captureOf(doc, { url: MAIL, ...AGENT });
    expect(result.customer.name).toEqual({ value: 'Ana Popescu', from: 'webmail' });
    expect(result.customer.company).toEqual({ value: 'Firma SRL', from: 'signature' });
  });

  it('reads Indonesian and Romanian header names and a quoted Indonesian reply', () => {
    const doc = parseHtml(`<main><div>Dari: "Santoso, Budi" &lt;budi.santoso@majujaya.co.id&gt;</div>
      <div>Kepada: help@sidecase.example</div><div>Perihal: Tagihan ganda</div>
      <p>Tagihan bulan ini terpotong dua kali.</p><p>Salam,<br>Budi Santoso<br>PT Maju Jaya Tbk<br>HP: +62 812 3456 7890</p>
      <p>Pada 3 Mar 2025 pukul 09.12, Bence Tóth &lt;bence@sidecase.example&gt; menulis:</p>
      <blockquote>Terima kasih, Bence Tóth, +36 1 555 0100</blockquote></main>`);
    const result = captureOf(doc, { url: MAIL, ...AGENT });
    expect(result.customer).toEqual({
      name: { value: 'Budi Santoso', from: 'webmail' },
      email: { value: 'budi.santoso@majujaya.co.id', from: 'webmail' },
      phone: { value: '+6281234567890', from: 'signature' },
      company: { value: 'PT Maju Jaya Tbk', from: 'signature' },
    });
    expect(result.suggestedTitle?.value).toBe('Tagihan ganda');
  });
});

describe('quoted threads in Hungarian and Romanian, written by others', () => {
  it('cuts a Romanian Gmail intro that opens with the date, and takes nobody from it', () => {
    const result = captureCorpusPage('edgetier-bodies/romanian-1');
    expect(result.origin).toBe('email');
    expect(result.customer).toEqual({});
    expect(result.candidates.emails).toEqual([]);
    expect(result.descriptionExcerpt?.value).toBe('This is the actual email');
  });

  it('cuts a Hungarian Thunderbird intro ("keltezéssel, … a következőt írta:")', () => {
    const result = captureCorpusPage('mailparser-hu/hu-4');
    expect(result.origin).toBe('email');
    expect(result.descriptionExcerpt?.value).not.toContain('Kedves Anna');
    expect(result.customer.name).toEqual({ value: 'Szabo Anna', from: 'signature' });
  });

  it('finds the signature under a Hungarian closing written without accents', () => {
    const doc = parseHtml(`<pre>Feladó: Kovács Anna &lt;anna.kovacs@peldafa.hu&gt;
Címzett: help@sidecase.example
Tárgy: Számla

A számla hibás.

Udvozlettel,
Kovács Anna
Példafa Kft.
+36 20 555 0142</pre>`);
    const result = captureOf(doc, { url: MAIL, ...AGENT });
    expect(result.customer.company).toEqual({ value: 'Példafa Kft.', from: 'signature' });
    expect(result.customer.phone).toEqual({ value: '+36205550142', from: 'signature' });
  });

  it('reads a body as mail by its Hungarian phone footer, in either word order', () => {
    for (const footer of ['Az iPhone-omról küldve', 'Küldve az iPhone-omról']) {
      const result = captureOf(parseHtml(`<pre>Rendben, holnap átnézem.\n\n${footer}</pre>`), { url: MAIL, ...AGENT });
      expect(result.origin, footer).toBe('email');
    }
  });

  it('cuts a thread quoted under an address-only intro ("x@y wrote:"), below a phone footer', () => {
    for (const page of ['edgetier-bodies/sent-from-device-hungarian', 'edgetier-bodies/sent-from-device-romanian']) {
      const result = captureCorpusPage(page);
      expect(result.origin, page).toBe('email');
      expect(result.customer, page).toEqual({});
      expect(result.candidates.emails, page).toEqual([]);
      expect(result.descriptionExcerpt?.value, page).toMatch(/^Yes that would be fine/);
      expect(result.descriptionExcerpt?.value, page).not.toContain('mouse');
    }
  });
});

describe('mail views whose markup no site reader knows', () => {
  it("falls back to the message's header block when Gmail's or Outlook's reader finds nothing it knows", () => {
    for (const [page, name, email] of [
      ['gorgoneye-webmail/gmail-message', 'Security Notice', 'security@paypa1.example'],
      ['gorgoneye-webmail/outlook-message', 'Microsoft 365 Security', 'security@micr0soft.example'],
    ] as const) {
      const result = captureCorpusPage(page);
      expect(result.reader, page).toBe('webmail');
      expect(result.origin, page).toBe('email');
      expect(result.customer.name, page).toEqual({ value: name, from: 'webmail' });
      expect(result.customer.email, page).toEqual({ value: email, from: 'webmail' });
    }
  });

  it('takes the subject from the heading above the sender block, not from the tab title', () => {
    const result = captureCorpusPage('gorgoneye-webmail/gmail-message');
    expect(result.suggestedTitle).toEqual({ value: 'Action required: confirm your account before tomorrow', from: 'webmail' });
    expect(result.descriptionExcerpt?.value).toMatch(/^Hi there,/);
  });

  it('takes no subject from a heading above a body without a sender block', () => {
    const doc = parseHtml(
      '<title>Inbox - Mail</title><main><h1>Weekly notes</h1><p>Thanks for the update.</p><p>Sent from my iPhone</p></main>',
    );
    const result = captureOf(doc, { url: MAIL, ...AGENT });
    expect(result.origin).toBe('email');
    expect(result.suggestedTitle).toEqual({ value: 'Inbox - Mail', from: 'page' });
  });
});

describe('guesses on a mail', () => {
  it("guesses the company from the sender's own domain, and says so", () => {
    const result = captureCorpusPage('talon-eml/apple_mail_2');
    expect(result.customer.company).toEqual({ value: 'Tictail', from: 'domain' });
  });

  it('never guesses a company from a public mail provider or an example domain', () => {
    for (const page of ['talon-eml/gmail', 'talon-eml/yahoo', 'talon-eml/comcast', 'talon-eml/android']) {
      expect(captureCorpusPage(page).customer.company, page).toBeUndefined();
    }
  });

  it('names the sender from the address only when the page names nobody', () => {
    const named = (from: string) =>
      captureOf(parseHtml(`<pre>From: ${from}\nTo: help@sidecase.example\nSubject: Hi\n\nHello</pre>`), { url: MAIL, ...AGENT });
    expect(named('ana.popescu@firma.ro').customer.name).toEqual({ value: 'Ana Popescu', from: 'address' });
    expect(named('"POPESCU Ana" &lt;ana.popescu@firma.ro&gt;').customer.name).toEqual({ value: 'Ana Popescu', from: 'webmail' });
    expect(named('xxx@comcast.net').customer.name).toBeUndefined();
  });
});

describe('bad input on the webmail path', () => {
  it('keeps markup in a header as text', () => {
    const doc = parseHtml(`<pre>From: &lt;img src=x onerror=alert(1)&gt; Evil &lt;evil@firma.ro&gt;\nTo: help@sidecase.example\nSubject: &lt;b&gt;hi&lt;/b&gt;\n\nx</pre>`);
    const result = captureOf(doc, { url: MAIL, ...AGENT });
    expect(result.customer.email?.value).toBe('evil@firma.ro');
    expect(result.suggestedTitle?.value).toBe('<b>hi</b>');
  });

  it('reads a 2 MB raw mail no further than the text cap', () => {
    const body = 'Lorem ipsum dolor sit amet, consectetur.\n'.repeat(52_000);
    const doc = parseHtml(`<pre>From: Ana Popescu &lt;ana@firma.ro&gt;\nTo: help@sidecase.example\nSubject: Big\n\n${body}\n\nOn Mon, 3 Mar 2025, Bence &lt;bence@sidecase.example&gt; wrote:\n&gt; x</pre>`);
    const result = captureOf(doc, { url: MAIL, ...AGENT });
    expect(result.customer.email?.value).toBe('ana@firma.ro');
    expect(result.truncated).toBe(true);
  });
});
