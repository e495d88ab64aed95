/**
 * zod schemas: the single source of truth for Sidecase's data.
 *
 * Every TypeScript type of a stored or exchanged record is inferred from here
 * (`z.infer`), never written twice. Limits follow the case desks agents know
 * (Dynamics 365 Customer Service): title 1–200, description 2,000, tags 1–50
 * characters, unique ignoring case, at most 20 on a case.
 *
 * Error messages are message keys (`form.title.tooLong`), resolved by the UI
 * through i18n, so the same schema validates the form and the storage.
 */
import { z } from 'zod';

// The limits and choices live zod-free in constants.ts (the panel's first
// paint needs them without the validator); re-exported here for the model.
import { LIMITS, ORIGINS, PRIORITIES } from './constants';
export { LIMITS, ORIGINS, PRIORITIES };

export const STATES = ['active', 'resolved', 'cancelled'] as const;
export const ACTIVE_REASONS = ['inProgress', 'onHold', 'waitingForDetails', 'researching'] as const;
/** How a case was resolved (the desks' resolution types); a resolved case's status reason is its type. */
export const RESOLUTION_TYPES = ['problemSolved', 'informationProvided', 'other'] as const;
/** Why a case was cancelled: plainly, or merged into another case. */
export const CANCEL_REASONS = ['cancelled', 'merged'] as const;
export const STATUS_REASONS = [...ACTIVE_REASONS, ...RESOLUTION_TYPES, ...CANCEL_REASONS] as const;
export const CUSTOMER_KINDS = ['contact', 'account'] as const;
export const SOURCE_KINDS = ['manual', 'page', 'selection', 'clipboard', 'link', 'image', 'screenshot'] as const;

/** Client-generated ULID: unique across installs and sortable by creation time. */
export const Id = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'error.id.invalid');
/** `CAS-000123-K7Q2M9XA4B`: a running number per install and that install's suffix (four characters before version 0.2). */
export const CaseNumber = z.string().regex(/^CAS-\d{6,}-[0-9A-HJKMNP-TV-Z]{4}(?:[0-9A-HJKMNP-TV-Z]{6})?$/, 'error.caseNumber.invalid');
/** Milliseconds since the epoch. */
export const Timestamp = z.number().int().nonnegative();

export const Origin = z.enum(ORIGINS);
export const Priority = z.enum(PRIORITIES);
export const CaseState = z.enum(STATES);
export const ActiveReason = z.enum(ACTIVE_REASONS);
export const ResolutionType = z.enum(RESOLUTION_TYPES);
export const CancelReason = z.enum(CANCEL_REASONS);
export const StatusReason = z.enum(STATUS_REASONS);

export const RESOLUTION_TEXT_MAX = 2000;
/** One resolution of a case; a case resolved, reopened and resolved again keeps both in `resolutions`. */
export const Resolution = z.object({
  type: ResolutionType,
  text: z.string().min(1).max(RESOLUTION_TEXT_MAX),
  at: z.number().int().nonnegative(),
  by: z.string(),
});

/** SLA deadlines of a case, fixed from its priority when created (and when the priority changes). */
export const CaseSla = z.object({
  firstResponseBy: z.number().int().nonnegative(),
  resolveBy: z.number().int().nonnegative(),
  firstRespondedAt: z.number().int().nonnegative().optional(),
});

/** Collapse runs of white space and trim: what the agent sees is what is stored. */
const clean = (value: string) => value.replace(/\s+/g, ' ').trim();

export const Title = z
  .string()
  .transform(clean)
  .pipe(z.string().min(1, 'form.title.required').max(LIMITS.titleMax, 'form.title.tooLong'));

export const Tag = z
  .string()
  .transform(clean)
  .pipe(z.string().min(1, 'form.tags.empty').max(LIMITS.tagMax, 'form.tags.tooLong'));

export const Tags = z
  .array(Tag)
  .max(LIMITS.tagsMax, 'form.tags.tooMany')
  .superRefine((tags, ctx) => {
    const seen = new Set<string>();
    tags.forEach((tag, index) => {
      const key = tag.toLocaleLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', message: 'form.tags.duplicate', path: [index] });
      seen.add(key);
    });
  });

const optionalText = (max: number, key: string) =>
  z
    .string()
    .transform(clean)
    .pipe(z.string().max(max, key));

export const Description = z.string().max(LIMITS.descriptionMax, 'form.description.tooLong');

export const Email = z
  .string()
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.string().max(LIMITS.emailMax, 'form.customer.email.invalid').email('form.customer.email.invalid'));

/** Phones are stored as typed (E.164 normalisation arrives with page capture). */
export const Phone = z
  .string()
  .transform(clean)
  .pipe(
    z
      .string()
      .max(LIMITS.phoneMax, 'form.customer.phone.invalid')
      .regex(/^\+?[\d\s().-]{5,}$/, 'form.customer.phone.invalid')
      .refine((value) => value.replace(/\D/g, '').length >= 5, 'form.customer.phone.invalid'),
  );

export const CaseSource = z.object({
  kind: z.enum(SOURCE_KINDS),
  url: z.string().max(4096).optional(),
  pageTitle: z.string().max(1000).optional(),
  capturedAt: Timestamp.optional(),
});

export const Customer = z.object({
  id: Id,
  kind: z.enum(CUSTOMER_KINDS),
  name: z.string().max(LIMITS.nameMax),
  emails: z.array(z.string()).max(20),
  phones: z.array(z.string()).max(20),
  company: z.string().max(LIMITS.companyMax),
  /** Lower-cased prefixes the suggestion box searches: name words, emails, their domains, phone digits. */
  searchKeys: z.array(z.string()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.number().int().positive(),
});

export const Case = z.object({
  id: Id,
  number: CaseNumber,
  title: Title,
  customerId: Id,
  subject: optionalText(LIMITS.subjectMax, 'form.subject.tooLong'),
  origin: Origin,
  product: optionalText(LIMITS.productMax, 'form.product.tooLong'),
  priority: Priority,
  state: CaseState,
  /** Active: why it waits; resolved: the resolution type; cancelled: cancelled or merged. */
  statusReason: StatusReason.optional(),
  owner: z.string().max(200),
  /** The team the case is assigned to, beside its owner (schema version 3). */
  team: z.string().max(200).optional(),
  tags: Tags,
  /** Lower-cased tags for the multi-entry index (added in schema version 2). */
  tagKeys: z.array(z.string()),
  description: Description,
  parentId: Id.optional(),
  source: CaseSource.optional(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.number().int().positive(),
  // Schema version 3 (issue 5). Optional so records of older versions and of
  // other writers still parse; the v3 migration fills them for stored cases.
  /** The current resolution while resolved; cleared on reopening. */
  resolution: Resolution.optional(),
  /** Every resolution the case ever had, oldest first: survives reopening. */
  resolutions: z.array(Resolution).optional(),
  /** Set when cancelled as merged: the case that received its notes and attachments. */
  mergedIntoId: Id.optional(),
  sla: CaseSla.optional(),
  /** The next SLA deadline still running (index for the SLA sort and the badge). */
  slaDueAt: Timestamp.optional(),
  /** Folded search words: number, title, tags, customer name, email and phone (`*words` index). */
  words: z.array(z.string()).optional(),
  /** The words of the case's notes, together (`*noteWords` index): a word only in a note finds its case. */
  noteWords: z.array(z.string()).optional(),
  /**
   * How lists name the case's customer (lib/customers/label.ts), kept with the
   * case like its words, so a list or a search shows its rows without reading
   * customers too. Derived: written whenever the words are. Cases stored before
   * it existed have none until their next change, and their customer is read
   * instead: filling it by a schema upgrade rewrote every case with all its
   * index entries, and with tens of thousands of cases the panel could not
   * open for minutes.
   */
  customerLabel: z.string().max(LIMITS.customerLabelMax).optional(),
  /** The key of its source's URL (lib/cases/source-key.ts, `sourceKey` index, schema version 4). Derived. */
  sourceKey: z.string().max(4096).optional(),
});

/**
 * One row of search results as it crosses from the background to the panel:
 * what the row shows, never the case's search words or its description.
 */
export const CaseSearchResult = Case.pick({
  id: true,
  number: true,
  title: true,
  customerId: true,
  priority: true,
  state: true,
  statusReason: true,
  updatedAt: true,
}).extend({
  /** The customer as the row names them: name, else company, email or phone (lib/customers/label.ts). */
  customerLabel: z.string().max(LIMITS.customerLabelMax),
  /** Some word was found only in the case's notes ("in a note"). */
  inNotes: z.boolean(),
});
export type CaseSearchResult = z.infer<typeof CaseSearchResult>;

export const FOLLOW_UP_TITLE_MAX = 200;
/**
 * A task with a due date on a case; open ones block resolving and cancelling it.
 * Synced as part of its case (a `case.updated` entry carries the case's follow-ups).
 */
export const FollowUp = z.object({
  id: Id,
  caseId: Id,
  title: z.string().min(1).max(FOLLOW_UP_TITLE_MAX),
  dueAt: Timestamp,
  done: z.boolean(),
  doneAt: Timestamp.optional(),
  doneBy: z.string().optional(),
  createdBy: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.number().int().positive(),
});

export const NOTE_FORMATS = ['text', 'html'] as const;
export const Note = z.object({
  id: Id,
  caseId: Id.optional(),
  // Room for a pasted screenshot as a data: URL in an HTML note.
  body: z.string().max(1_000_000),
  format: z.enum(NOTE_FORMATS),
  author: z.string(),
  source: CaseSource.optional(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.number().int().positive(),
  /** Folded words of the note's text (`*words` index, schema version 3): a word only in a note finds its case. */
  words: z.array(z.string()).optional(),
  /** Set (to createdAt) while the note is in the inbox, on no case: the inbox's index. */
  inboxAt: Timestamp.optional(),
});

export const ATTACHMENT_SOURCES = ['upload', 'note', 'clipboard', 'page', 'screenshot'] as const;
export const Attachment = z.object({
  id: Id,
  caseId: Id.optional(),
  blob: z.instanceof(Blob),
  name: z.string().min(1).max(255),
  type: z.string().max(255),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  source: z.enum(ATTACHMENT_SOURCES),
  sourceUrl: z.string().max(4096).optional(),
  uploadedBy: z.string(),
  uploadedAt: Timestamp,
});

export const TIMELINE_KINDS = [
  'created',
  'fieldChanged',
  'note',
  'attachment',
  'status',
  'owner',
  'resolved',
  'cancelled',
  'merged',
  'reopened',
  'customerCreated',
  'followUp',
  'child',
  'customerChanged',
  /** The agent kept a sensitive value unmasked (lib/redaction): data { action: 'keptUnmasked', kind, label }. */
  'redaction',
] as const;
export const TimelineEvent = z.object({
  id: Id,
  caseId: Id.optional(),
  customerId: Id.optional(),
  kind: z.enum(TIMELINE_KINDS),
  actor: z.string(),
  at: Timestamp,
  /** What changed: field → [old, new], or the event's own details. */
  data: z.record(z.string(), z.unknown()),
});

export const ENTITIES = ['case', 'customer', 'note', 'attachment'] as const;
export const EVENT_TYPES = [
  'case.created',
  'case.updated',
  'case.resolved',
  'case.cancelled',
  'note.added',
  'attachment.added',
  'customer.created',
  'customer.updated',
  'case.reopened',
  'case.merged',
  'case.reassigned',
  'note.updated',
  'note.deleted',
  'attachment.updated',
  'attachment.deleted',
] as const;
/**
 * The sync hook: every write appends one of these in the same transaction as
 * the record. The sync engine delivers it and deletes it only once the backend
 * confirmed; `idempotencyKey` makes a retry after a lost response harmless.
 */
export const OutboxEntry = z.object({
  /** ULID: the order of changes, also per record. */
  id: Id,
  entity: z.enum(ENTITIES),
  entityId: Id,
  type: z.enum(EVENT_TYPES),
  idempotencyKey: z.string().min(1),
  occurredAt: Timestamp,
  /** The record as it was after the change. */
  data: z.record(z.string(), z.unknown()),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: Timestamp,
  lastError: z.string().optional(),
});

export const Meta = z.object({ key: z.string(), value: z.unknown() });

export const SYNC_STATUSES = ['local', 'syncing', 'synced', 'conflict', 'error'] as const;
/** Per-record sync state, kept beside the record (owned by lib/sync). */
export const SyncRecord = z.object({
  entity: z.enum(ENTITIES),
  entityId: Id,
  status: z.enum(SYNC_STATUSES),
  /** The backend's ETag of the version we last saw, for If-Match. */
  etag: z.string().optional(),
  remoteVersion: z.number().int().optional(),
  /** The backend's own id of the record when it is not ours (a Dynamics 365 contact found by email); not indexed. */
  remoteId: z.string().max(200).optional(),
  lastSyncedAt: Timestamp.optional(),
  /** A message key the UI shows (`sync.error.unauthorized`). */
  error: z.string().optional(),
  /** Their version of the record when both sides changed it. */
  theirs: z.record(z.string(), z.unknown()).optional(),
  /** While "syncing": when its request went out (a large upload shows how long it has been on its way). */
  sendingSince: Timestamp.optional(),
  /**
   * The fingerprint (lib/sync/fingerprint.ts) of the last change confirmed by an answer
   * without a version: the pull takes the feed's copy of it for our own echo, not theirs.
   */
  echo: z.string().max(32).optional(),
});

/** One delivery attempt of an outbox entry (the options page's delivery log). */
export const Delivery = z.object({
  id: Id,
  outboxId: Id,
  type: z.enum(EVENT_TYPES),
  at: Timestamp,
  status: z.number().int().optional(),
  attempts: z.number().int().nonnegative(),
  ok: z.boolean(),
  error: z.string().optional(),
});

/** What the agent types: the quick-create form, validated by the same rules as storage. */
export const CustomerInput = z.object({
  /** Set when the agent picked an existing customer. */
  id: Id.optional(),
  name: optionalText(LIMITS.nameMax, 'form.customer.name.tooLong'),
  // White space alone counts as empty, not as a malformed address.
  email: z.string().transform((value) => value.trim()).pipe(z.union([z.literal(''), Email])),
  phone: z.string().transform((value) => value.trim()).pipe(z.union([z.literal(''), Phone])),
  company: optionalText(LIMITS.companyMax, 'form.customer.company.tooLong'),
});

export const CaseInput = z
  .object({
    title: Title,
    customer: CustomerInput,
    subject: optionalText(LIMITS.subjectMax, 'form.subject.tooLong'),
    origin: Origin,
    product: optionalText(LIMITS.productMax, 'form.product.tooLong'),
    priority: Priority,
    tags: Tags,
    description: Description,
    parentId: Id.optional(),
    source: CaseSource.optional(),
  })
  .superRefine((input, ctx) => {
    const c = input.customer;
    if (!c.id && !c.name && !c.email && !c.phone && !c.company) {
      ctx.addIssue({ code: 'custom', message: 'form.customer.required', path: ['customer', 'name'] });
    }
  });

export type Customer = z.infer<typeof Customer>;
export type FollowUp = z.infer<typeof FollowUp>;
export type Resolution = z.infer<typeof Resolution>;
export type ResolutionType = z.infer<typeof ResolutionType>;
export type StatusReason = z.infer<typeof StatusReason>;
export type CaseSla = z.infer<typeof CaseSla>;
export type Case = z.infer<typeof Case>;
export type Note = z.infer<typeof Note>;
export type Attachment = z.infer<typeof Attachment>;
export type TimelineEvent = z.infer<typeof TimelineEvent>;
export type OutboxEntry = z.infer<typeof OutboxEntry>;
export type Meta = z.infer<typeof Meta>;
export type SyncRecord = z.infer<typeof SyncRecord>;
export type Delivery = z.infer<typeof Delivery>;
export type CustomerInput = z.infer<typeof CustomerInput>;
export type CaseInput = z.infer<typeof CaseInput>;
export type CaseInputRaw = z.input<typeof CaseInput>;
export type Origin = z.infer<typeof Origin>;
export type Priority = z.infer<typeof Priority>;
export type CaseState = z.infer<typeof CaseState>;
export type EventType = z.infer<typeof EVENT_TYPES_SCHEMA>;
const EVENT_TYPES_SCHEMA = z.enum(EVENT_TYPES);
