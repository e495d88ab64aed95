import { describe, expect, it } from 'vitest';
import { EMPTY_DRAFT, type Draft } from '../../../lib/drafts';
import { addToDescription, fillDraft, fillsFromCapture, isAgentValue, provenanceOf, sourceFromCapture } from '../../../lib/panel/fill';
import type { CaptureResult } from '../../../lib/capture/result';

const gmail: CaptureResult = {
  customer: {
    name: { value: 'Ana Kovács', from: 'gmail' },
    email: { value: 'ana.kovacs@example.com', from: 'gmail' },
    phone: { value: '+36205550142', from: 'tel' },
  },
  suggestedTitle: { value: 'Order 4411 arrived damaged', from: 'gmail' },
  descriptionExcerpt: { value: 'Hello, my order arrived broken.', from: 'gmail' },
  origin: 'email',
  reader: 'gmail',
  url: 'https://mail.google.com/mail/u/0/',
  pageTitle: 'Order 4411 arrived damaged - Mail',
  selection: '',
  candidates: { emails: [], phones: [] },
  truncated: false,
};

const typed = (patch: Partial<Draft>): Draft => ({ ...EMPTY_DRAFT, ...patch });

describe('filling the form from a capture', () => {
  it('fills an empty form and records where each value came from', () => {
    const { draft, filled } = fillDraft(EMPTY_DRAFT, fillsFromCapture(gmail), sourceFromCapture(gmail, 1000));
    expect(draft.title).toBe('Order 4411 arrived damaged');
    expect(draft.customer).toMatchObject({ name: 'Ana Kovács', email: 'ana.kovacs@example.com', phone: '+36205550142', company: '' });
    expect(draft.origin).toBe('email');
    expect(draft.source).toEqual({ kind: 'page', url: gmail.url, pageTitle: gmail.pageTitle, capturedAt: 1000 });
    expect(provenanceOf(draft, 'customer.phone')).toBe('tel');
    expect(filled).toContain('description');
  });

  it('never overwrites what the agent typed', () => {
    const before = typed({ title: 'Broken kettle', customer: { name: '', email: 'someone@example.org', phone: '', company: '' }, origin: 'phone' });
    const { draft } = fillDraft(before, fillsFromCapture(gmail));
    expect(draft.title).toBe('Broken kettle');
    expect(draft.customer.email).toBe('someone@example.org');
    expect(draft.origin).toBe('phone');
    expect(draft.customer.name).toBe('Ana Kovács');
    expect(provenanceOf(draft, 'title')).toBeUndefined();
  });

  it('leaves the customer alone when the agent picked one from the suggestions', () => {
    const before = typed({ customer: { id: '01HZZZZZZZZZZZZZZZZZZZZZZZ', name: 'Picked', email: '', phone: '', company: '' } });
    const { draft } = fillDraft(before, fillsFromCapture(gmail));
    expect(draft.customer).toEqual(before.customer);
    expect(draft.title).toBe('Order 4411 arrived damaged');
  });

  it('replaces what an earlier capture filled, and clears it when the new page has nothing for it', () => {
    const first = fillDraft(EMPTY_DRAFT, { 'customer.company': { value: 'Northwind', from: 'jsonld' }, title: { value: 'Contact', from: 'page' } }).draft;
    const { draft } = fillDraft(first, fillsFromCapture(gmail), undefined, { replace: true });
    expect(draft.title).toBe('Order 4411 arrived damaged');
    expect(draft.customer.company).toBe('');
  });

  it('counts a field the agent edited after a capture as typed', () => {
    const captured = fillDraft(EMPTY_DRAFT, fillsFromCapture(gmail)).draft;
    const edited = { ...captured, title: 'Order 4411: glass cracked' };
    expect(isAgentValue(edited, 'title')).toBe(true);
    expect(provenanceOf(edited, 'title')).toBeUndefined();
    expect(fillDraft(edited, { title: { value: 'Other', from: 'page' } }, undefined, { replace: true }).draft.title).toBe('Order 4411: glass cracked');
  });

  it('adds pasted text after a typed description instead of replacing it', () => {
    expect(addToDescription(typed({ description: 'Called twice.' }), 'From the mail', 'clipboard').description).toBe('Called twice.\n\nFrom the mail');
    const pasted = addToDescription(EMPTY_DRAFT, 'From the mail', 'clipboard');
    expect(pasted.description).toBe('From the mail');
    expect(provenanceOf(pasted, 'description')).toBe('clipboard');
  });
});
