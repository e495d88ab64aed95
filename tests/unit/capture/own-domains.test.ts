// @vitest-environment happy-dom
/**
 * The agent's own domains are never the customer, and neither is anything
 * that merely ends in the same letters: an agent at example.com must still
 * capture a customer at notexample.com. A domain covers its subdomains.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ownMatcher } from '../../../lib/capture/contacts';
import { saveSettings } from '../../../lib/settings';
import { pasteText } from '../../../components/capture/capture-actions';
import { contactOffers } from '../../../components/capture/capture-state';
import { draft, resetDraft, updateCustomer } from '../../../components/quick-create/form-state';
import { captureOf, parseHtml } from './fixtures';

const WEB = 'https://example.org/page';

describe('an own domain', () => {
  const own = ownMatcher(['example.com']);

  it('covers the domain itself and its subdomains', () => {
    expect(own.isOwnEmail('agent@example.com')).toBe(true);
    expect(own.isOwnEmail('help@sub.example.com')).toBe(true);
    expect(own.isOwnEmail('help@eu.support.example.com')).toBe(true);
    expect(own.isOwnEmail('Agent@Sub.Example.COM')).toBe(true);
  });

  it('does not cover a look-alike domain that only ends in the same letters', () => {
    expect(own.isOwnEmail('ana@notexample.com')).toBe(false);
    expect(own.isOwnEmail('ana@my-example.com')).toBe(false);
    expect(own.isOwnEmail('ana@example.com.evil.example')).toBe(false);
    expect(own.isOwnEmail('ana@example.co')).toBe(false);
  });

  it('written with a leading @ means the same domain', () => {
    const withAt = ownMatcher(['@example.com']);
    expect(withAt.isOwnEmail('help@sub.example.com')).toBe(true);
    expect(withAt.isOwnEmail('ana@notexample.com')).toBe(false);
  });

  it('keeps a customer at the look-alike domain when a page is captured, and drops the agent at a subdomain', () => {
    const doc = parseHtml(`<p>From: Help Desk &lt;help@sub.example.com&gt;</p>
      <a href="mailto:agent@example.com">me</a>
      <p>Customer: ana.kovacs@notexample.com</p>`);
    const result = captureOf(doc, { url: WEB, ownAddresses: ['example.com'] });
    expect(result.customer.email).toEqual({ value: 'ana.kovacs@notexample.com', from: 'text' });
    expect(result.candidates.emails.map((e) => e.value)).toEqual(['ana.kovacs@notexample.com']);
  });
});

describe('pasting text that holds own addresses', () => {
  beforeEach(async () => {
    // The fake browser has no UI language; the paste reads it for national phone numbers.
    vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue('en-US');
    await resetDraft();
    contactOffers.value = { emails: [], phones: [] };
    await saveSettings({ agentName: 'Bence Tóth', ownAddresses: ['example.com'], defaultCountry: '' });
  });

  it('neither fills nor offers an own address, and fills the customer at the look-alike domain', async () => {
    await pasteText('Forwarded by help@sub.example.com (agent@example.com in copy).\nThe customer is ana.kovacs@notexample.com.');
    expect(draft.value.customer.email).toBe('ana.kovacs@notexample.com');
    expect(contactOffers.value.emails).toEqual([]);
  });

  it('offers only the other customers, never the agent, when the agent typed the email', async () => {
    updateCustomer({ email: 'typed@example.org' });
    await pasteText('From help@sub.example.com, cc agent@example.com: ana.kovacs@notexample.com and dan@my-example.com');
    expect(draft.value.customer.email).toBe('typed@example.org');
    expect(contactOffers.value.emails).toEqual(['ana.kovacs@notexample.com', 'dan@my-example.com']);
  });
});
