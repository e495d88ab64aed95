import { describe, expect, it } from 'vitest';
import { EMPTY_DRAFT } from '../../../lib/drafts';
import { fillDraft, fillsFromCapture } from '../../../lib/panel/fill';
import {
  SITE_DEFAULTS_MAX,
  applySiteDefaults,
  loadSiteDefaults,
  parseSiteDefaults,
  rememberSite,
  saveSiteDefaults,
  siteOf,
} from '../../../lib/panel/site-defaults';
import type { CaptureResult } from '../../../lib/capture/result';

describe('remembered defaults per site', () => {
  it('names a site by the hostname of a web page, and nothing else', () => {
    expect(siteOf('https://Mail.Google.com/mail/u/0/#inbox/FMfcgzQ')).toBe('mail.google.com');
    expect(siteOf('http://127.0.0.1:4173/chat')).toBe('127.0.0.1');
    expect(siteOf('chrome-extension://abc/sidepanel.html')).toBeUndefined();
    expect(siteOf('not a url')).toBeUndefined();
    expect(siteOf(undefined)).toBeUndefined();
  });

  it('offers what was last saved on the site in the fields still blank, marked as remembered', () => {
    const map = rememberSite({}, 'mail.google.com', { origin: 'chat', product: 'Webshop', priority: 'high' }, 1_000);
    const { draft, applied } = applySiteDefaults(EMPTY_DRAFT, map['mail.google.com']);
    expect(applied).toEqual(['origin', 'product', 'priority']);
    expect(draft).toMatchObject({ origin: 'chat', product: 'Webshop', priority: 'high' });
    expect(draft.provenance).toMatchObject({ origin: { from: 'site', value: 'chat' }, priority: { from: 'site', value: 'high' } });
  });

  it('never overrides what the agent or a capture filled', () => {
    const entry = rememberSite({}, 'a.example', { origin: 'chat', product: 'Webshop', priority: 'high' }, 1)['a.example'];
    const typed = { ...EMPTY_DRAFT, product: 'Mobile app', priority: 'urgent' as const };
    const captured = { ...typed, provenance: { origin: { from: 'gmail', value: 'email' } } };
    const { draft, applied } = applySiteDefaults(captured, entry);
    expect(applied).toEqual([]);
    expect(draft).toBe(captured);
  });

  it('gives way to a later capture: the captured origin replaces a remembered one', () => {
    const entry = rememberSite({}, 'a.example', { origin: 'chat', product: '', priority: 'normal' }, 1)['a.example'];
    const remembered = applySiteDefaults(EMPTY_DRAFT, entry).draft;
    const capture = { origin: 'email', reader: 'gmail', customer: {} } as unknown as CaptureResult;
    expect(fillDraft(remembered, fillsFromCapture(capture)).draft.origin).toBe('email');
  });

  it('remembers only what was chosen: the blanks of the form are not a choice', () => {
    expect(rememberSite({}, 'a.example', { origin: 'email', product: ' ', priority: 'normal' }, 5)).toEqual({ 'a.example': { usedAt: 5 } });
  });

  it(`keeps ${SITE_DEFAULTS_MAX} sites, dropping the least recently used`, () => {
    let map = {};
    for (let i = 0; i < SITE_DEFAULTS_MAX; i++) map = rememberSite(map, `s${i}.example`, { origin: 'chat', product: '', priority: 'low' }, i);
    // The oldest site is used again: it stays, and the next oldest goes for the new one.
    map = rememberSite(map, 's0.example', { origin: 'phone', product: '', priority: 'low' }, 1_000);
    map = rememberSite(map, 'new.example', { origin: 'web', product: '', priority: 'low' }, 1_001);
    expect(Object.keys(map)).toHaveLength(SITE_DEFAULTS_MAX);
    expect(map).toHaveProperty(['s0.example', 'origin'], 'phone');
    expect(map).toHaveProperty(['new.example', 'origin'], 'web');
    expect(map).not.toHaveProperty(['s1.example']);
  });

  it('reads back what it stored, and drops stored entries that do not parse', async () => {
    await saveSiteDefaults('mail.google.com', { origin: 'email', product: 'Billing', priority: 'urgent' }, 10);
    expect(await loadSiteDefaults()).toEqual({ 'mail.google.com': { product: 'Billing', priority: 'urgent', usedAt: 10 } });
    expect(parseSiteDefaults({ 'a.example': { origin: 'fax', usedAt: 1 }, 'b.example': { priority: 'low', usedAt: 2 } })).toEqual({
      'b.example': { priority: 'low', usedAt: 2 },
    });
    expect(parseSiteDefaults('garbage')).toEqual({});
  });
});

describe('remembered defaults follow the site', () => {
  it('replaces the last site\'s remembered values on another site, and keeps what the agent chose', () => {
    let map = rememberSite({}, 'mail.google.com', { origin: 'email', product: 'Webshop', priority: 'high' }, 1);
    map = rememberSite(map, 'chat.example', { origin: 'chat', product: '', priority: 'normal' }, 2);
    const onMail = applySiteDefaults(EMPTY_DRAFT, map['mail.google.com']).draft;
    // The agent picks the priority by hand; then moves to the chat tab.
    const chosen = { ...onMail, priority: 'urgent' as const };
    const { draft, applied } = applySiteDefaults(chosen, map['chat.example']);
    expect(applied).toEqual(['origin', 'product']);
    expect(draft).toMatchObject({ origin: 'chat', product: '', priority: 'urgent' });
    expect(draft.provenance).toEqual({ origin: { from: 'site', value: 'chat' }, priority: { from: 'site', value: 'high' } });
    // A site with nothing remembered takes the remembered values back to the blanks.
    expect(applySiteDefaults(onMail, undefined).draft).toMatchObject({ origin: 'email', product: '', priority: 'normal', provenance: {} });
  });
});
