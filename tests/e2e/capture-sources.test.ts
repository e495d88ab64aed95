/**
 * Every capture source in real Chromium: each fixture page of
 * tests/fixtures/capture is served on 127.0.0.1 (where the site readers know
 * the sites by their structure), the toolbar button is clicked on its tab, and
 * the panel bound to that tab captures it. The expected values are the ones
 * the unit tests assert for the same fixture (tests/unit/capture), so the
 * engine and the extension around it are held to one answer.
 *
 * The browser's context differs from the unit tests' AGENT in two ways that
 * the fixtures do not depend on: the agent's own names are only
 * settings.agentName ('Bence Tóth'), and the default country comes from the
 * browser's language (en-US, so US).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExtensionBrowser } from './support/browser';
import { useFixtureBrowser } from './support/fixture-browser';
import type { FixtureServer } from '../fixtures/pages/server';
import { clickToolbarButton, openFixtureTab, openPanelFor, provenanceOf, valueOf, waitForValue } from '../fixtures/pages/harness';

const FIXTURE_DIR = path.resolve('tests/fixtures/capture');
const CATALOG = JSON.parse(readFileSync(path.resolve('public/_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>;

/** A value the form should hold, and the source its provenance label names. */
type Filled = { value: string; from: string };

interface Source {
  fixture: string;
  /** The test's name: what the product does with this page. */
  does: string;
  title: Filled;
  customer: { name?: Filled; email?: Filled; phone?: Filled; company?: Filled };
  origin: Filled;
}

const SOURCES: Source[] = [
  {
    fixture: 'gmail',
    does: 'fills the form from an open Gmail thread with the sender, not the agent who replied last',
    title: { value: 'Order 4411 arrived damaged', from: 'gmail' },
    customer: {
      name: { value: 'Ana Kovács', from: 'gmail' },
      email: { value: 'ana.kovacs@example.com', from: 'gmail' },
      phone: { value: '+36205550142', from: 'tel' },
    },
    origin: { value: 'email', from: 'gmail' },
  },
  {
    fixture: 'outlook',
    does: 'fills the form from an open Outlook on the web mail with the sender persona and the number in their signature',
    title: { value: 'Replacement charger never arrived', from: 'outlook' },
    customer: {
      name: { value: 'Pavel Novák', from: 'outlook' },
      email: { value: 'pavel.novak@example.net', from: 'outlook' },
      phone: { value: '+420601555014', from: 'text' },
    },
    origin: { value: 'email', from: 'outlook' },
  },
  {
    fixture: 'slack',
    does: "fills the form from a Slack channel with the latest sender who is not the agent, and the contacts they wrote",
    title: {
      value: 'Hi team, our dashboard export has been failing since this morning with "Error 502". Nobody on our side can download…',
      from: 'slack',
    },
    customer: {
      name: { value: 'Lena Fischer', from: 'slack' },
      email: { value: 'lena.fischer@example.org', from: 'text' },
      phone: { value: '+493055501234', from: 'text' },
    },
    origin: { value: 'chat', from: 'slack' },
  },
  {
    fixture: 'whatsapp',
    does: 'fills the form from a WhatsApp Web chat with the phone of a contact shown by number and the email they typed',
    title: { value: 'Hello, the washing machine I bought last week (order W-2231) leaks water from the door.', from: 'whatsapp' },
    customer: {
      phone: { value: '+36305550177', from: 'whatsapp' },
      email: { value: 'julia.szabo@example.com', from: 'text' },
    },
    origin: { value: 'chat', from: 'whatsapp' },
  },
  {
    fixture: 'teams',
    does: "fills the form from a Microsoft Teams chat with the message author, not the agent's own bubbles",
    title: { value: 'Good morning! Our invoice INV-2025-0317 shows 40 licences but we only ordered 25.', from: 'teams' },
    customer: {
      name: { value: 'Maria Popescu', from: 'teams' },
      email: { value: 'maria.popescu@example.org', from: 'text' },
      phone: { value: '+40215550134', from: 'tel' },
    },
    origin: { value: 'chat', from: 'teams' },
  },
  {
    fixture: 'jsonld',
    does: 'fills the form from the JSON-LD person of a contact page rather than the organisation',
    title: { value: 'Contact | Northwind Traders', from: 'page' },
    customer: {
      name: { value: "Grace O'Neill", from: 'jsonld' },
      company: { value: 'Northwind Traders Ltd', from: 'jsonld' },
      email: { value: 'grace.oneill@northwind.example.com', from: 'jsonld' },
      phone: { value: '+442079460958', from: 'jsonld' },
    },
    origin: { value: 'web', from: 'page' },
  },
  {
    fixture: 'microdata',
    does: "fills the form from a microdata Person, keeping the nested organisation's phone out of it",
    title: { value: 'Our team – Contoso Clinic', from: 'page' },
    customer: {
      name: { value: 'Tomasz Wiśniewski', from: 'microdata' },
      company: { value: 'Contoso Clinic Sp. z o.o.', from: 'microdata' },
      email: { value: 'tomasz.wisniewski@contoso.example', from: 'microdata' },
      phone: { value: '+48225550188', from: 'microdata' },
    },
    origin: { value: 'web', from: 'page' },
  },
  {
    fixture: 'hcard',
    does: 'fills the form from the person h-card of a page, not its nested organisation card',
    title: { value: 'Ingrid Larsen – Fjord Design', from: 'page' },
    customer: {
      name: { value: 'Ingrid Larsen', from: 'hcard' },
      company: { value: 'Fjord Design AS', from: 'hcard' },
      email: { value: 'ingrid@example.net', from: 'hcard' },
      phone: { value: '+4721555012', from: 'hcard' },
    },
    origin: { value: 'web', from: 'page' },
  },
  {
    fixture: 'contact-links',
    does: "fills the form from a contact page's mailto: and tel: links, decoded and without query or extension",
    title: { value: 'Contact us', from: 'page' },
    customer: {
      email: { value: 'comenzi@brutaria.example.ro', from: 'mailto' },
      phone: { value: '+40215550147', from: 'tel' },
    },
    origin: { value: 'web', from: 'page' },
  },
  {
    fixture: 'hostile-unicode',
    does: 'fills the form without the bidi overrides, zero-width characters and controls a hostile card hides in its values',
    title: { value: 'txt.exe Contact', from: 'page' },
    customer: {
      name: { value: 'Ana Kovács', from: 'hcard' },
      company: { value: 'Kovács Design', from: 'hcard' },
      email: { value: 'ana.kovacs@example.com', from: 'hcard' },
      phone: { value: '+36205550142', from: 'hcard' },
    },
    origin: { value: 'web', from: 'page' },
  },
  {
    fixture: 'hostile-emoji-rtl',
    does: 'fills the form keeping right-to-left letters, emoji and the joiner inside an emoji sequence',
    title: { value: 'اتصل بنا', from: 'page' },
    customer: {
      name: { value: 'ليلى حداد 🌸👩\u200D💻', from: 'jsonld' },
      email: { value: 'leila.haddad@example.org', from: 'jsonld' },
      phone: { value: '+97145550123', from: 'jsonld' },
    },
    origin: { value: 'web', from: 'page' },
  },
  {
    fixture: 'hostile-markup',
    does: 'fills the form with the markup of a hostile mail as literal characters',
    title: { value: '<script>alert("subject")</script> Refund now', from: 'gmail' },
    customer: {
      name: { value: '<img src=x onerror=alert(1)>', from: 'gmail' },
      email: { value: 'mallory@example.com', from: 'gmail' },
    },
    origin: { value: 'email', from: 'gmail' },
  },
  {
    fixture: 'webmail',
    does: 'fills the form from a mail view no site reader knows, by its Hungarian header block and the sender\'s own signature',
    title: { value: 'Hibás számla – INV-2025-0412', from: 'webmail' },
    customer: {
      name: { value: 'Kovács Anna', from: 'webmail' },
      email: { value: 'anna.kovacs@peldafa.hu', from: 'webmail' },
      phone: { value: '+36205550142', from: 'signature' },
      company: { value: 'Példafa Kft.', from: 'signature' },
    },
    origin: { value: 'email', from: 'webmail' },
  },
  {
    fixture: 'no-customer',
    does: 'leaves every customer field empty on a page with no customer, while still titling the case from the page',
    title: { value: 'Kettle prices fall for the third month', from: 'page' },
    customer: {},
    origin: { value: 'web', from: 'page' },
  },
];

const PATHS = ['title', 'customer.name', 'customer.email', 'customer.phone', 'customer.company', 'origin'] as const;
type FormPath = (typeof PATHS)[number];

function expectedOf(source: Source): Record<FormPath, { value: string; from: string | null }> {
  const at = (filled?: Filled) => ({ value: filled?.value ?? '', from: filled?.from ?? null });
  return {
    title: at(source.title),
    'customer.name': at(source.customer.name),
    'customer.email': at(source.customer.email),
    'customer.phone': at(source.customer.phone),
    'customer.company': at(source.customer.company),
    origin: at(source.origin),
  };
}

let ext: ExtensionBrowser;
let server: FixtureServer;

useFixtureBrowser((started) => ({ ext, server } = started));

describe('capture from every source into the quick-create form', () => {
  it('has a browser test for every capture fixture page', () => {
    const fixtures = readdirSync(FIXTURE_DIR)
      .filter((file) => file.endsWith('.html'))
      .map((file) => file.slice(0, -'.html'.length))
      .sort();
    expect(SOURCES.map((s) => s.fixture).sort()).toEqual(fixtures);
  });

  for (const source of SOURCES) {
    it(source.does, async () => {
      const tab = await openFixtureTab(ext, server.url(`/capture/${source.fixture}`));
      await clickToolbarButton(ext, tab.page);
      const panel = await openPanelFor(ext, tab.tabId);
      try {
        await panel.click('button[name="capture"]');
        // Every field is filled in one update: once the title is there, the rest is too.
        await waitForValue(panel, 'title');
        const filled = {} as Record<FormPath, { value: string; from: string | null }>;
        for (const p of PATHS) filled[p] = { value: await valueOf(panel, p), from: await provenanceOf(panel, p) };
        expect(filled).toEqual(expectedOf(source));

        // Each label the form shows reads the catalog's words for its source, never a bare key.
        const labels = await panel.$$eval('[data-provenance-for]', (els) =>
          els.map((el) => ({ from: el.getAttribute('data-from') ?? '', text: el.textContent ?? '' })),
        );
        expect(labels.length).toBeGreaterThan(0);
        for (const label of labels) expect(label.text, label.from).toBe(CATALOG[`capture_from_${label.from}`]?.message);

        // Nothing in a captured value became markup in the panel.
        expect(await panel.evaluate(() => document.querySelectorAll('form img, form script, form iframe').length)).toBe(0);
      } finally {
        await panel.close();
        await tab.page.close();
      }
    });
  }
});
