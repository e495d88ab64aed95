/** Sidecase ↔ Zendesk mapping (lib/sync/zendesk/mapping.ts), both ways, and the settings of the kind. */
import { describe, expect, it } from 'vitest';
import { validateBackendSettings } from '../../../lib/sync/settings';
import {
  casePatchOfTicket,
  commentOfNote,
  invalidFieldKey,
  normaliseTag,
  normaliseTags,
  stateOfTicket,
  ticketOfCase,
  ticketUpdateOf,
  userOfCustomer,
  ZendeskTicket,
} from '../../../lib/sync/zendesk/mapping';

const CASE = {
  id: '01JAAAAAAAAAAAAAAAAAAAAAAA',
  title: 'Refund for order 1042',
  description: 'The parcel never arrived.',
  priority: 'high',
  tags: ['Billing Issue', 'VIP', 'refund,urgent'],
  state: 'active',
  version: 3,
};

describe('Zendesk tags', () => {
  it('lower-cases tags and turns spaces and commas into underscores, as Zendesk stores them', () => {
    expect(normaliseTag('  Billing Issue ')).toBe('billing_issue');
    expect(normaliseTag('refund,urgent')).toBe('refund_urgent');
    expect(normaliseTag('Multi\tword  tag')).toBe('multi_word_tag');
  });

  it('keeps one tag of two that normalise alike, and drops empty ones', () => {
    expect(normaliseTags(['VIP', 'vip', '  '], ['cancelled'])).toEqual(['vip', 'cancelled']);
  });
});

describe('Sidecase → Zendesk', () => {
  it('makes a case a ticket: subject, description as first comment, requester, priority, tags, external_id, type when set', () => {
    expect(ticketOfCase(CASE, 77, 'incident')).toEqual({
      ticket: {
        subject: 'Refund for order 1042',
        comment: { body: 'The parcel never arrived.' },
        requester_id: 77,
        priority: 'high',
        tags: ['billing_issue', 'vip', 'refund_urgent'],
        external_id: CASE.id,
        type: 'incident',
      },
    });
    expect(ticketOfCase({ ...CASE, description: '' }, 77).ticket).not.toHaveProperty('type');
    expect((ticketOfCase({ ...CASE, description: '' }, 77).ticket.comment as { body: string }).body).toBe(CASE.title);
  });

  it('maps each priority one to one', () => {
    for (const priority of ['low', 'normal', 'high', 'urgent']) {
      expect(ticketOfCase({ ...CASE, priority }, 1).ticket.priority).toBe(priority);
      expect(ticketUpdateOf({ type: 'case.updated', data: { ...CASE, priority } }).ticket.priority).toBe(priority);
    }
  });

  it('makes the customer the requester: name and email, or the phone when there is no email', () => {
    expect(userOfCustomer({ id: 'C1', name: 'Ana', emails: ['ana@x.example'], phones: ['+36 1'] })).toEqual({
      user: { name: 'Ana', external_id: 'C1', email: 'ana@x.example' },
    });
    expect(userOfCustomer({ id: 'C2', name: '', company: 'Northwind', emails: [], phones: ['+36 20 123'] })).toEqual({
      user: { name: 'Northwind', external_id: 'C2', phone: '+36 20 123' },
    });
  });

  it('resolves as solved with the resolution as a private comment, cancels as solved with the cancelled tag, reopens as open', () => {
    const resolved = ticketUpdateOf({ type: 'case.resolved', data: { ...CASE, resolution: { type: 'other', text: 'Refunded.' } } }).ticket;
    expect(resolved).toMatchObject({ status: 'solved', comment: { body: 'Refunded.', public: false } });
    const cancelled = ticketUpdateOf({ type: 'case.cancelled', data: CASE }).ticket;
    expect(cancelled.status).toBe('solved');
    expect(cancelled.tags).toContain('cancelled');
    expect(ticketUpdateOf({ type: 'case.reopened', data: CASE }).ticket.status).toBe('open');
    const edited = ticketUpdateOf({ type: 'case.updated', data: { ...CASE, title: 'New title' } }).ticket;
    expect(edited).toEqual({ subject: 'New title', priority: 'high', tags: ['billing_issue', 'vip', 'refund_urgent'] });
  });

  it('makes a note a private comment, rich text as html_body', () => {
    expect(commentOfNote({ body: 'Called back', format: 'text' })).toEqual({ body: 'Called back', public: false });
    expect(commentOfNote({ body: '<p><b>Called</b></p>', format: 'html' })).toEqual({ html_body: '<p><b>Called</b></p>', public: false });
  });
});

describe('Zendesk → Sidecase', () => {
  const ticket = (patch: Partial<ZendeskTicket>): ZendeskTicket =>
    ({ id: 5, external_id: CASE.id, subject: CASE.title, priority: 'high', status: 'open', tags: ['billing_issue', 'vip', 'refund_urgent'], updated_at: '2026-12-01T05:00:00Z', ...patch }) as ZendeskTicket;

  it('changes nothing when the ticket shows what the case holds (tags compared normalised)', () => {
    expect(casePatchOfTicket(ticket({}), CASE, 1)).toEqual({});
  });

  it('brings back subject, priority and tags changed in Zendesk', () => {
    expect(casePatchOfTicket(ticket({ subject: 'Renamed', priority: 'urgent', tags: ['vip'] }), CASE, 1)).toEqual({
      title: 'Renamed',
      priority: 'urgent',
      tags: ['vip'],
    });
  });

  it('reads solved as resolved, solved with the cancelled tag as cancelled, and open again as active', () => {
    expect(stateOfTicket({ status: 'solved', tags: [] })).toBe('resolved');
    expect(stateOfTicket({ status: 'closed', tags: ['cancelled'] })).toBe('cancelled');
    expect(stateOfTicket({ status: 'pending', tags: [] })).toBe('active');
    const solved = casePatchOfTicket(ticket({ status: 'solved' }), CASE, 9);
    expect(solved).toMatchObject({ state: 'resolved', statusReason: 'other', resolution: { type: 'other', at: 9 } });
    const reopened = casePatchOfTicket(ticket({ status: 'open' }), { ...CASE, state: 'resolved' }, 9);
    expect(reopened).toMatchObject({ state: 'active', statusReason: 'inProgress', resolution: undefined });
  });

  it('reads of a ticket only the fields Sidecase uses: the rest of the answer is dropped at the boundary', () => {
    const answer = {
      id: 5,
      url: 'https://acme.zendesk.com/api/v2/tickets/5.json',
      external_id: CASE.id,
      subject: CASE.title,
      description: 'The parcel never arrived.',
      priority: 'high',
      status: 'open',
      requester_id: 77,
      tags: ['vip'],
      via: { channel: 'api' },
      custom_fields: [{ id: 1, value: 'x' }],
      created_at: '2026-12-01T04:00:00Z',
      updated_at: '2026-12-01T05:00:00Z',
    };
    expect(ZendeskTicket.parse(answer)).toEqual({
      id: 5,
      external_id: CASE.id,
      subject: CASE.title,
      priority: 'high',
      status: 'open',
      tags: ['vip'],
      updated_at: '2026-12-01T05:00:00Z',
    });
    expect(ZendeskTicket.safeParse({ ...answer, status: 'archived' }).success).toBe(false);
  });

  it('names the field a 422 RecordInvalid names', () => {
    expect(invalidFieldKey({ error: 'RecordInvalid', details: { requester: [{ description: 'Requester: is invalid' }] } })).toBe(
      'sync.zendesk.invalid.requester',
    );
    expect(invalidFieldKey({ error: 'RecordInvalid', details: { priority: [] } })).toBe('sync.zendesk.invalid.priority');
    expect(invalidFieldKey({ error: 'RecordInvalid', details: { custom_field_9: [] } })).toBe('sync.zendesk.invalid.other');
    expect(invalidFieldKey(undefined)).toBe('sync.zendesk.invalid.other');
  });
});

describe('Zendesk settings', () => {
  const base = { kind: 'zendesk', auth: { type: 'token', email: 'Agent@Example.org', token: 'abc123' } };

  it('accepts a zendesk.com subdomain and the loopback, spelled without a trailing slash', () => {
    const result = validateBackendSettings({ ...base, url: 'https://acme.zendesk.com/' });
    expect(result).toMatchObject({ ok: true, settings: { url: 'https://acme.zendesk.com', auth: { email: 'agent@example.org' } } });
    expect(validateBackendSettings({ ...base, url: 'http://127.0.0.1:8123' }).ok).toBe(true);
    expect(validateBackendSettings({ ...base, url: 'http://localhost:8123' }).ok).toBe(true);
  });

  it('refuses another host, a path, plain http off this computer, a bad email and an empty token, each on its field', () => {
    expect(validateBackendSettings({ ...base, url: 'https://acme.example.com' })).toEqual({
      ok: false,
      fields: { 'zendesk.url': 'sync.settings.zendesk.url.notZendesk' },
    });
    expect(validateBackendSettings({ ...base, url: 'https://acme.zendesk.com/api/v2' }).ok).toBe(false);
    expect(validateBackendSettings({ ...base, url: 'http://acme.zendesk.com' })).toEqual({
      ok: false,
      fields: { 'zendesk.url': 'sync.settings.url.httpNotLocal' },
    });
    expect(validateBackendSettings({ ...base, url: 'https://acme.zendesk.com', auth: { type: 'token', email: 'nope', token: '' } })).toEqual({
      ok: false,
      fields: { 'zendesk.email': 'sync.settings.zendesk.email.invalid', 'zendesk.token': 'sync.settings.token.required' },
    });
  });
});
