/**
 * Sidecase's records ⇄ Dataverse rows (the table in docs/dynamics365.md).
 * Pure: no request, no storage; the adapter looks up what a mapping needs
 * (the contact's id, a subject by name) and hands it in.
 *
 * - case → `incidents`; customer → `contacts` (a company-only customer is an
 *   `accounts` row); note and attachment → `annotations`; resolve → the
 *   `CloseIncident` action with an `incidentresolution`; cancel, merge and
 *   reopen → `statecode` / `statuscode`; reassign → `ownerid`.
 * - Ids are the records' own, as GUIDs (guid.ts), sent in the create.
 */
import type { Case, Customer, Note, Origin, Priority } from '../../schema';
import { guidOf } from './guid';

/** Case origins with a value in every organisation (incident `caseorigincode`); the others are the organisation's own. */
export const ORIGIN_CODES: Partial<Record<Origin, number>> = { phone: 1, email: 2, web: 3 };
export type OriginCodes = Partial<Record<'chat' | 'social' | 'other', number>>;

/** incident `prioritycode`: High 1, Normal 2, Low 3 (Dataverse has no "urgent"). */
export const PRIORITY_CODES: Record<Priority, number> = { urgent: 1, high: 1, normal: 2, low: 3 };

/** incident `statecode` / `statuscode` (Active 0 / In Progress 1; Resolved 1 / 5, 1000; Cancelled 2 / 6, Merged 2000). */
export const INCIDENT_STATES = {
  active: { statecode: 0, statuscode: 1 },
  cancelled: { statecode: 2, statuscode: 6 },
  merged: { statecode: 2, statuscode: 2000 },
} as const;
/** CloseIncident's `Status`: Problem Solved 5, Information Provided 1000. */
export const RESOLUTION_STATUS: Record<NonNullable<Case['resolution']>['type'], number> = {
  problemSolved: 5,
  informationProvided: 1000,
  other: 5,
};

export type CustomerRef = { set: 'contacts' | 'accounts'; id: string };

export interface IncidentContext {
  customer?: CustomerRef;
  /** A `subjects` row whose title is exactly the case's subject, when there is one. */
  subjectId?: string;
  /** A `products` row whose name is exactly the case's product. */
  productId?: string;
  originCodes?: OriginCodes;
}

const TAGS_LINE = 'Tags: ';
const SUBJECT_LINE = 'Subject (no such subject in Dynamics 365): ';
const PRODUCT_LINE = 'Product (no such product in Dynamics 365): ';
/** The footer starts after this line: pulled descriptions are cut here. */
const FOOTER_RULE = '\n\n— Sidecase —\n';

export function originCodeOf(origin: Origin, codes: OriginCodes = {}): number | undefined {
  return ORIGIN_CODES[origin] ?? codes[origin as keyof OriginCodes];
}

/**
 * The description Dataverse gets: the case's own, then a footer with what
 * has no column: the tags, and a subject or product not found by name.
 */
export function descriptionOf(record: Pick<Case, 'description' | 'tags' | 'subject' | 'product'>, context: IncidentContext): string {
  const footer: string[] = [];
  if (record.tags.length) footer.push(TAGS_LINE + record.tags.join(', '));
  if (record.subject && !context.subjectId) footer.push(SUBJECT_LINE + record.subject);
  if (record.product && !context.productId) footer.push(PRODUCT_LINE + record.product);
  return footer.length ? `${record.description}${FOOTER_RULE}${footer.join('\n')}` : record.description;
}

/** The incident's columns for a create (with its id) or an update. */
export function incidentOf(record: Case, context: IncidentContext, { create }: { create: boolean }): Record<string, unknown> {
  const body: Record<string, unknown> = {
    title: record.title,
    description: descriptionOf(record, context),
    prioritycode: PRIORITY_CODES[record.priority],
  };
  if (create) body.incidentid = guidOf(record.id);
  const origin = originCodeOf(record.origin, context.originCodes);
  if (origin !== undefined) body.caseorigincode = origin;
  if (context.customer) {
    body[context.customer.set === 'accounts' ? 'customerid_account@odata.bind' : 'customerid_contact@odata.bind'] =
      `/${context.customer.set}(${context.customer.id})`;
  }
  if (context.subjectId) body['subjectid@odata.bind'] = `/subjects(${context.subjectId})`;
  if (context.productId) body['productid@odata.bind'] = `/products(${context.productId})`;
  return body;
}

/** First and last name out of one name field: Dataverse requires `lastname`, so a single word is the last name. */
export function splitName(name: string): { firstname?: string; lastname: string } {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { lastname: '' };
  if (words.length === 1) return { lastname: words[0]! };
  return { firstname: words.slice(0, -1).join(' '), lastname: words.at(-1)! };
}

/** The contact's columns; `accountId` is the company's account (found by name or created). */
export function contactOf(customer: Customer, { accountId, create }: { accountId?: string; create: boolean }): Record<string, unknown> {
  const { firstname, lastname } = splitName(customer.name);
  const body: Record<string, unknown> = {
    // A customer known only by an address or a phone still needs a last name.
    lastname: lastname || customer.emails[0] || customer.phones[0] || customer.company || '—',
    emailaddress1: customer.emails[0] ?? null,
    telephone1: customer.phones[0] ?? null,
  };
  if (firstname) body.firstname = firstname;
  if (create) body.contactid = guidOf(customer.id);
  if (accountId) body['parentcustomerid_account@odata.bind'] = `/accounts(${accountId})`;
  return body;
}

/** A customer that is a company only (no person's name, address or phone) is the case's account itself. */
export function isCompanyOnly(customer: Customer): boolean {
  return customer.kind === 'account' || (!customer.name.trim() && !customer.emails.length && !customer.phones.length && !!customer.company.trim());
}

export function accountOf(name: string, id: string): Record<string, unknown> {
  return { accountid: id, name };
}

/** A note's subject: its first line, short. */
function subjectOfText(text: string): string {
  const line = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return line.length > 100 ? `${line.slice(0, 99)}…` : line || 'Note';
}

export function annotationOfNote(note: Pick<Note, 'id' | 'caseId' | 'body'>, { create }: { create: boolean }): Record<string, unknown> {
  const body: Record<string, unknown> = { subject: subjectOfText(note.body), notetext: note.body };
  if (create) {
    body.annotationid = guidOf(note.id);
    if (note.caseId) body['objectid_incident@odata.bind'] = `/incidents(${guidOf(note.caseId)})`;
  }
  return body;
}

export interface AttachmentMeta {
  id: string;
  caseId?: string;
  name: string;
  type: string;
}

export function annotationOfAttachment(meta: AttachmentMeta, documentbody: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    annotationid: guidOf(meta.id),
    subject: meta.name,
    filename: meta.name,
    mimetype: meta.type || 'application/octet-stream',
    documentbody,
    isdocument: true,
  };
  if (meta.caseId) body['objectid_incident@odata.bind'] = `/incidents(${guidOf(meta.caseId)})`;
  return body;
}

/** The CloseIncident action's parameters: the resolution row (with an id of its own) and the status. */
export function closeIncidentOf(record: Case, resolutionId: string): Record<string, unknown> {
  const resolution = record.resolution ?? { type: 'problemSolved' as const, text: 'Resolved', at: record.updatedAt, by: record.owner };
  return {
    IncidentResolution: {
      activityid: resolutionId,
      subject: subjectOfText(resolution.text),
      description: resolution.text,
      'incidentid@odata.bind': `/incidents(${guidOf(record.id)})`,
    },
    Status: RESOLUTION_STATUS[resolution.type],
  };
}

export async function base64Of(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

// ——— Dataverse → Sidecase ———

/** An incident as read back (pull, "their version"): only the columns mapped here. */
export interface IncidentRow {
  incidentid: string;
  title?: string | null;
  description?: string | null;
  prioritycode?: number | null;
  caseorigincode?: number | null;
  statecode?: number | null;
  statuscode?: number | null;
  versionnumber?: number | string | null;
  modifiedon?: string | null;
  '@odata.etag'?: string;
}

/** The description without the footer Sidecase added (the tags are Sidecase's own). */
export function descriptionFrom(text: string): string {
  const at = text.indexOf(FOOTER_RULE);
  return at >= 0 ? text.slice(0, at) : text;
}

const PRIORITY_OF_CODE: Record<number, Priority> = { 1: 'high', 2: 'normal', 3: 'low' };
const STATE_OF_CODE: Record<number, Case['state']> = { 0: 'active', 1: 'resolved', 2: 'cancelled' };

/**
 * The local case with the incident's columns laid over it. What Dataverse
 * cannot tell apart keeps the local value: High is "high" unless the case
 * was "urgent", an origin code of the organisation's own keeps the local origin.
 */
export function caseFromIncident(local: Case, row: IncidentRow, codes: OriginCodes = {}): Case {
  const next: Case = { ...local };
  if (typeof row.title === 'string' && row.title.trim()) next.title = row.title;
  if (typeof row.description === 'string') next.description = descriptionFrom(row.description);
  if (typeof row.prioritycode === 'number') {
    const priority = PRIORITY_OF_CODE[row.prioritycode];
    if (priority && PRIORITY_CODES[local.priority] !== row.prioritycode) next.priority = priority;
  }
  if (typeof row.caseorigincode === 'number' && originCodeOf(local.origin, codes) !== row.caseorigincode) {
    const origin = (Object.entries({ ...ORIGIN_CODES, ...codes }) as [Origin, number][]).find(([, code]) => code === row.caseorigincode)?.[0];
    if (origin) next.origin = origin;
  }
  if (typeof row.statecode === 'number' && STATE_OF_CODE[row.statecode]) {
    const state = STATE_OF_CODE[row.statecode]!;
    if (state !== local.state) {
      next.state = state;
      if (state === 'active') {
        next.statusReason = 'inProgress';
        delete next.resolution;
      } else if (state === 'cancelled') next.statusReason = row.statuscode === 2000 ? 'merged' : 'cancelled';
      else next.statusReason = row.statuscode === 1000 ? 'informationProvided' : 'problemSolved';
    }
  }
  return next;
}

/** `W/"12345"` → 12345: Dataverse's ETag is the row's version number. */
export function versionOfEtag(etag: string | undefined): number | undefined {
  const match = etag?.match(/^W\/"(\d+)"$/);
  return match ? Number(match[1]) : undefined;
}
