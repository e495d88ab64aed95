/**
 * Sidecase ↔ Zendesk, both ways, as pure functions: what a case, a customer,
 * a note or an attachment becomes in Zendesk, and what a ticket changed in
 * Zendesk means for the case. The table in docs/zendesk.md is this file.
 */
import { z } from 'zod';
import type { OutboxEntry } from '../../schema';

/**
 * The ticket as Sidecase reads it (zod at the boundary: everything else is
 * dropped). A plain object schema, not a loose one: a loose one copies every
 * other field of the answer (url, description, via, custom fields …) through
 * its catch-all, per ticket, for nothing Sidecase reads.
 */
export const ZendeskTicket = z.object({
  id: z.number().int().positive(),
  external_id: z.string().max(255).nullable().optional(),
  subject: z.string().max(10_000).nullable().optional(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).nullable().optional(),
  status: z.enum(['new', 'open', 'pending', 'hold', 'solved', 'closed', 'deleted']),
  tags: z.array(z.string().max(200)).max(500).optional(),
  updated_at: z.string().max(40),
});
export type ZendeskTicket = z.infer<typeof ZendeskTicket>;

/** Tags on a cancelled or merged case, beside the case's own. */
export const CANCELLED_TAG = 'cancelled';
export const MERGED_TAG = 'merged';

/**
 * Zendesk's tag rules: lower case, no spaces (a space would split one tag in
 * two, so it becomes an underscore), no commas (a separator too). Empty tags
 * are dropped, and two tags that become the same are one.
 */
export function normaliseTag(tag: string): string {
  return tag.trim().toLowerCase().replace(/[\s,]+/g, '_');
}

export function normaliseTags(tags: readonly string[], extra: readonly string[] = []): string[] {
  return [...new Set([...tags, ...extra].map(normaliseTag).filter(Boolean))];
}

type Data = Record<string, unknown>;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/**
 * A customer → a Zendesk user (Create Or Update User), found again by
 * `external_id` = the customer's id. Zendesk needs a name: without one, the
 * company, the email or the phone stands in.
 */
export function userOfCustomer(customer: Data): { user: Data } {
  const email = strings(customer.emails)[0];
  const phone = strings(customer.phones)[0];
  const name = text(customer.name).trim() || text(customer.company).trim() || email || phone || text(customer.id);
  return {
    user: {
      name,
      external_id: text(customer.id),
      ...(email ? { email } : {}),
      // The phone only when there is no email: Zendesk identifies the requester by one of them.
      ...(phone && !email ? { phone } : {}),
    },
  };
}

/** A case → Create Ticket's body. The description is the first comment (Zendesk needs one: the title when empty). */
export function ticketOfCase(data: Data, requesterId: number, ticketType?: string): { ticket: Data } {
  const description = text(data.description).trim();
  return {
    ticket: {
      subject: text(data.title),
      comment: { body: description || text(data.title) },
      requester_id: requesterId,
      priority: text(data.priority) || 'normal',
      tags: normaliseTags(strings(data.tags)),
      external_id: text(data.id),
      ...(ticketType ? { type: ticketType } : {}),
    },
  };
}

/** The fields an edit of the case sends (Update Ticket): Zendesk keeps the rest. */
function editedFields(data: Data, extraTags: string[] = []): Data {
  return {
    subject: text(data.title),
    priority: text(data.priority) || 'normal',
    tags: normaliseTags(strings(data.tags), extraTags),
  };
}

/**
 * A change of the case → Update Ticket's body (without safe_update, which the
 * adapter adds): resolve → solved with the resolution as a private comment,
 * cancel → solved with the `cancelled` tag, merge → the same and `merged`,
 * reopen → open, any other edit → the edited fields.
 */
export function ticketUpdateOf(entry: Pick<OutboxEntry, 'type' | 'data'>): { ticket: Data } {
  const data = entry.data;
  switch (entry.type) {
    case 'case.resolved': {
      const resolution = (data.resolution ?? {}) as Data;
      return {
        ticket: {
          ...editedFields(data),
          status: 'solved',
          comment: { body: text(resolution.text) || text(data.title), public: false },
        },
      };
    }
    case 'case.cancelled':
      return { ticket: { ...editedFields(data, [CANCELLED_TAG]), status: 'solved' } };
    case 'case.merged':
      return { ticket: { ...editedFields(data, [CANCELLED_TAG, MERGED_TAG]), status: 'solved' } };
    case 'case.reopened':
      return { ticket: { ...editedFields(data), status: 'open' } };
    default:
      return { ticket: editedFields(data) };
  }
}

/** A note → a private comment; rich text goes as `html_body` (the note was sanitized when saved). */
export function commentOfNote(data: Data): Data {
  return data.format === 'html' ? { html_body: text(data.body), public: false } : { body: text(data.body), public: false };
}

/** An attachment's comment: the file's name, the upload token, private. */
export function commentOfAttachment(name: string, token: string): Data {
  return { body: name, uploads: [token], public: false };
}

/** The words of a comment or a note, to tell whether a comment is already there (Zendesk rewrites HTML). */
export function commentWords(value: string): string {
  return value
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A Zendesk status → Sidecase's state: solved and closed are resolved, or cancelled with the `cancelled` tag. */
export function stateOfTicket(ticket: Pick<ZendeskTicket, 'status' | 'tags'>): 'active' | 'resolved' | 'cancelled' {
  if (ticket.status === 'solved' || ticket.status === 'closed') {
    return ticket.tags?.includes(CANCELLED_TAG) ? 'cancelled' : 'resolved';
  }
  return 'active';
}

/** updated_at as a version: it only ever grows for one ticket. */
export function versionOfTicket(ticket: Pick<ZendeskTicket, 'updated_at'>): number {
  const at = Date.parse(ticket.updated_at);
  return Number.isFinite(at) ? at : 0;
}

/**
 * A ticket changed in Zendesk → the fields of the case it changes, over the
 * case as it is here (`local`). Tags come back only when Zendesk's set differs
 * from the local tags normalised (else "Billing Issue" would be rewritten as
 * "billing_issue" for nothing); the marker tags stay in Zendesk.
 */
export function casePatchOfTicket(ticket: ZendeskTicket, local: Data, at: number): Data {
  const patch: Data = {};
  if (ticket.subject && ticket.subject !== local.title) patch.title = ticket.subject;
  if (ticket.priority && ticket.priority !== local.priority) patch.priority = ticket.priority;
  const theirTags = (ticket.tags ?? []).filter((tag) => tag !== CANCELLED_TAG && tag !== MERGED_TAG);
  const ourTags = normaliseTags(strings(local.tags));
  if (ticket.tags && (theirTags.length !== ourTags.length || theirTags.some((tag) => !ourTags.includes(tag)))) patch.tags = theirTags;
  const state = stateOfTicket(ticket);
  if (state !== local.state) {
    patch.state = state;
    if (state === 'active') {
      patch.statusReason = 'inProgress';
      patch.resolution = undefined;
    } else if (state === 'cancelled') {
      patch.statusReason = 'cancelled';
    } else {
      const resolution = { type: 'other', text: 'Solved in Zendesk', at, by: 'Zendesk' };
      patch.statusReason = 'other';
      patch.resolution = resolution;
      patch.resolutions = [...((local.resolutions as unknown[]) ?? []), resolution];
    }
  }
  return patch;
}

/**
 * The field a 422 `RecordInvalid` names (`details: { requester: [...] }`), as
 * the message key the case shows: "Zendesk refused the requester".
 */
export const INVALID_FIELDS = ['requester', 'subject', 'priority', 'tags', 'type', 'status', 'comment', 'uploads', 'email', 'name'] as const;
export function invalidFieldKey(body: unknown): string {
  const details = (body as { details?: unknown } | undefined)?.details;
  const field = details && typeof details === 'object' ? Object.keys(details)[0] : undefined;
  return field && (INVALID_FIELDS as readonly string[]).includes(field) ? `sync.zendesk.invalid.${field}` : 'sync.zendesk.invalid.other';
}
