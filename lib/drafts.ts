/**
 * The quick-create draft: saved as the agent types, restored when the panel
 * opens again, cleared by Save. Kept in storage.local (not IndexedDB) so the
 * form can be restored before the database code has even loaded.
 *
 * Validated with zod/mini: storage is a boundary, and this check runs before
 * the panel's first paint, where the full zod build would cost ~25 ms of
 * script evaluation. The draft is the form as typed (every field a string,
 * nothing lost); lib/schema.ts validates it for real at Save.
 */
import * as z from 'zod/mini';
import { storage } from 'wxt/utils/storage';
import { ORIGINS, PRIORITIES } from './constants';

const text = (max: number) => z._default(z.string().check(z.maxLength(max)), '');

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

export const Draft = z.object({
  title: text(10_000),
  /** Set by "New child case": the case this one will be a child of. */
  parentId: z.optional(z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/))),
  parentNumber: z.optional(z.string().check(z.maxLength(40))),
  customer: z._default(
    z.object({
      id: z.optional(z.string().check(z.maxLength(100))),
      name: text(10_000),
      email: text(10_000),
      phone: text(10_000),
      company: text(10_000),
    }),
    { name: '', email: '', phone: '', company: '' },
  ),
  subject: text(10_000),
  origin: z._default(z.enum(ORIGINS), 'email'),
  product: text(10_000),
  priority: z._default(z.enum(PRIORITIES), 'normal'),
  tags: z._default(z.array(z.string().check(z.maxLength(10_000))).check(z.maxLength(100)), []),
  tagInput: text(10_000),
  /** Notes written before the case exists: they are saved with it (sanitized then). */
  notes: z._default(
    z.array(z.object({ body: z.string().check(z.maxLength(1_000_000)), format: z.enum(['text', 'html']) })).check(z.maxLength(20)),
    [],
  ),
  description: text(100_000),
  source: z.optional(DraftSource),
  provenance: z.optional(Provenance),
  savedAt: z.optional(z.number()),
});
export type Draft = z.infer<typeof Draft>;

const draftItem = storage.defineItem<unknown>('local:draft', { fallback: null, version: 1 });

export const EMPTY_DRAFT: Draft = Draft.parse({});

/** A stored draft, checked: anything that does not parse gives the empty draft. */
export function parseDraft(stored: unknown): Draft {
  const parsed = Draft.safeParse(stored ?? {});
  return parsed.success ? parsed.data : EMPTY_DRAFT;
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
  else await draftItem.setValue({ ...draft, savedAt: Date.now() });
}

export function clearDraft(): Promise<void> {
  return draftItem.removeValue();
}
