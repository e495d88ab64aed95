/**
 * The quick-create form's state: the draft as typed (every field a string, so
 * nothing is lost) and the field errors. The draft is written to storage on
 * every change, in order, so closing the panel mid-sentence loses nothing.
 */
import { signal } from '@preact/signals';
import { EMPTY_DRAFT, saveDraft, type Draft } from '../../lib/drafts';
import type { FieldErrors } from '../../lib/errors';
import type { CaseInputRaw } from '../../lib/schema';

export const draft = signal<Draft>(EMPTY_DRAFT);
export const errors = signal<FieldErrors>({});
export const saving = signal(false);

let writes: Promise<void> = Promise.resolve();
function persist(value: Draft): void {
  // Each write is issued at once, not after the previous one: storage applies
  // calls in the order they are made, so an older draft never lands after a
  // newer one (or after Save). A chain waiting on each write's answer lagged
  // behind fast typing on a busy machine, and closing the panel then lost the
  // last characters (never issued).
  writes = saveDraft(value).catch((error: unknown) => console.error('draft not saved', error));
}

export function updateDraft(patch: Partial<Draft>): void {
  draft.value = { ...draft.value, ...patch };
  persist(draft.value);
}

export function updateCustomer(patch: Partial<Draft['customer']>): void {
  updateDraft({ customer: { ...draft.value.customer, ...patch } });
}

export function resetDraft(): Promise<void> {
  draft.value = EMPTY_DRAFT;
  errors.value = {};
  persist(EMPTY_DRAFT);
  return writes;
}

export function setFieldError(path: string, key: string | undefined): void {
  const next = { ...errors.value };
  if (key) next[path] = key;
  else delete next[path];
  errors.value = next;
}

/** The draft as input for createCase: the same shape the zod schema validates. */
export function draftToInput(value: Draft): CaseInputRaw {
  const c = value.customer;
  return {
    title: value.title,
    customer: { id: c.id || undefined, name: c.name, email: c.email.trim(), phone: c.phone.trim(), company: c.company },
    subject: value.subject,
    origin: value.origin,
    product: value.product,
    priority: value.priority,
    tags: value.tags,
    description: value.description,
    // Where a captured case came from (page, selection, clipboard…); createCase defaults to manual.
    source: value.source,
    parentId: value.parentId || undefined,
  };
}
