/**
 * The quick-create draft: saved as the agent types, restored when the panel
 * opens again, cleared by Save. Kept in storage.local (not IndexedDB) so the
 * form can be restored before the database code has even loaded.
 *
 * Validated with zod/mini: storage is a boundary, and this check runs before
 * the panel's first paint, where the full zod build would add its script
 * evaluation to every open. The draft is the form as typed (every field a string,
 * nothing lost); lib/schema.ts validates it for real at Save.
 */
import * as z from 'zod/mini';
import { storage } from 'wxt/utils/storage';
import { ORIGINS, PRIORITIES } from './constants';

const text = (max: number) => z._default(z.string().check(z.maxLength(max)), '');

/**
 * What a draft keeps: more than the case allows (the agent trims a pasted
 * thread to 2,000 characters with the counter in view), bounded so a stored
 * draft always parses. The form's controls apply the same caps.
 */
export const DRAFT_CAPS = { text: 10_000, description: 100_000, tags: 100, notes: 20, noteBody: 1_000_000 } as const;

/** Kinds of CaseSource in lib/schema.ts (repeated here so the first paint needs no full zod). */
export const DRAFT_SOURCE_KINDS = ['manual', 'page', 'selection', 'clipboard', 'link', 'image', 'screenshot'] as const;

/** Where the case's content came from: stored with the case (CaseSource). */
export const DraftSource = z.object({
  kind: z.enum(DRAFT_SOURCE_KINDS),
  url: z.optional(z.string().check(z.maxLength(4096))),
  pageTitle: z.optional(z.string().check(z.maxLength(1000))),
  capturedAt: z.optional(z.number()),
});
export type DraftSource = z.infer<typeof DraftSource>;

/**
 * Per field ('title', 'customer.email'…): the value a capture put there and
 * where it came from (a `capture.from.<id>` id). The label shows while the
 * field still holds that value; once the agent edits it, it is theirs, and a
 * later capture leaves it alone.
 */
export const Provenance = z.record(
  z.string().check(z.maxLength(40)),
  z.object({ from: z.string().check(z.maxLength(32)), value: z.string().check(z.maxLength(100_000)) }),
);
export type Provenance = z.infer<typeof Provenance>;

const DraftNote = z.object({ body: z.string().check(z.maxLength(DRAFT_CAPS.noteBody)), format: z.enum(['text', 'html']) });

export const Draft = z.object({
  title: text(DRAFT_CAPS.text),
  /** Set by "New child case": the case this one will be a child of. */
  parentId: z.optional(z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/))),
  parentNumber: z.optional(z.string().check(z.maxLength(40))),
  customer: z._default(
    z.object({
      id: z.optional(z.string().check(z.maxLength(100))),
      name: text(DRAFT_CAPS.text),
      email: text(DRAFT_CAPS.text),
      phone: text(DRAFT_CAPS.text),
      company: text(DRAFT_CAPS.text),
    }),
    { name: '', email: '', phone: '', company: '' },
  ),
  subject: text(DRAFT_CAPS.text),
  origin: z._default(z.enum(ORIGINS), 'email'),
  product: text(DRAFT_CAPS.text),
  priority: z._default(z.enum(PRIORITIES), 'normal'),
  tags: z._default(z.array(z.string().check(z.maxLength(DRAFT_CAPS.text))).check(z.maxLength(DRAFT_CAPS.tags)), []),
  tagInput: text(DRAFT_CAPS.text),
  /** Notes written before the case exists: they are saved with it (sanitized then). */
  notes: z._default(
    z.array(DraftNote).check(z.maxLength(DRAFT_CAPS.notes)),
    [],
  ),
  description: text(DRAFT_CAPS.description),
  source: z.optional(DraftSource),
  provenance: z.optional(Provenance),
  savedAt: z.optional(z.number()),
});
export type Draft = z.infer<typeof Draft>;

const draftItem = storage.defineItem<unknown>('local:draft', { fallback: null, version: 1 });

export const EMPTY_DRAFT: Draft = Draft.parse({});

type Shape = Record<string, { safeParse(value: unknown): { success: boolean; data?: unknown } }>;

/**
 * Keeps what a stored value can give: text cut to its cap, lists cut to their
 * length, then the field's own check; a field that still fails gets its
 * default. So one bad field never costs the others.
 */
function recoverFields(shape: Shape, stored: Record<string, unknown>, cap: (key: string, value: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    const parsed = field.safeParse(cap(key, stored[key]));
    out[key] = parsed.success ? parsed.data : field.safeParse(undefined).data;
  }
  return out;
}

function capText(value: unknown, max: number): unknown {
  return typeof value === 'string' && value.length > max ? value.slice(0, max) : value;
}

function capDraftField(key: string, value: unknown): unknown {
  if (key === 'description') return capText(value, DRAFT_CAPS.description);
  if (key === 'notes' && Array.isArray(value)) {
    return value.filter((note) => DraftNote.safeParse(note).success).slice(0, DRAFT_CAPS.notes);
  }
  if (key === 'tags' && Array.isArray(value)) {
    return value.filter((tag): tag is string => typeof tag === 'string').map((tag) => capText(tag, DRAFT_CAPS.text)).slice(0, DRAFT_CAPS.tags);
  }
  if (key === 'customer' && value && typeof value === 'object') {
    return recoverFields(Draft.shape.customer.def.innerType.shape as unknown as Shape, value as Record<string, unknown>, (_, v) => capText(v, DRAFT_CAPS.text));
  }
  return capText(value, DRAFT_CAPS.text);
}

/**
 * A stored draft, checked: a draft that parses is taken as it is; one that
 * does not (written by an older version, or past a cap) is recovered field by
 * field, so a 100,000-character paste never costs the title, the customer or
 * the notes.
 */
export function parseDraft(stored: unknown): Draft {
  const parsed = Draft.safeParse(stored ?? {});
  if (parsed.success) return parsed.data;
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return EMPTY_DRAFT;
  const recovered = Draft.safeParse(recoverFields(Draft.shape as unknown as Shape, stored as Record<string, unknown>, capDraftField));
  return recovered.success ? recovered.data : EMPTY_DRAFT;
}

/** The draft within its caps, so what is stored always parses back whole. */
export function capDraft(draft: Draft): Draft {
  const fits = Draft.safeParse(draft);
  return fits.success ? fits.data : parseDraft(draft);
}

export async function loadDraft(): Promise<Draft> {
  return parseDraft(await draftItem.getValue());
}

export function isDraftEmpty(draft: Draft): boolean {
  const c = draft.customer;
  return (
    !draft.title && !c.id && !c.name && !c.email && !c.phone && !c.company && !draft.subject &&
    !draft.product && draft.tags.length === 0 && !draft.tagInput && !draft.description && draft.notes.length === 0
  );
}

export async function saveDraft(draft: Draft): Promise<void> {
  if (isDraftEmpty(draft)) await draftItem.removeValue();
  else await draftItem.setValue({ ...capDraft(draft), savedAt: Date.now() });
}

export function clearDraft(): Promise<void> {
  return draftItem.removeValue();
}
