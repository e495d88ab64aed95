/**
 * Filling the quick-create draft from a capture, the clipboard or a
 * context-menu result. The one rule: what the agent typed is never
 * overwritten. A field may be filled when it is empty, or when it still holds
 * the value an earlier capture put there (its provenance); each filled field
 * records where its value came from, which the form shows beneath it.
 *
 * Pure functions over the draft: no browser API, no database.
 */
import type { Draft, DraftSource, Provenance } from '../drafts';
import type { CaptureResult } from '../capture/result';

export const FILL_PATHS = [
  'title',
  'customer.name',
  'customer.email',
  'customer.phone',
  'customer.company',
  'origin',
  'description',
] as const;
export type FillPath = (typeof FILL_PATHS)[number];
export type Fill = { value: string; from: string };
export type Fills = Partial<Record<FillPath, Fill>>;

/** The origin a new form starts with: not a choice the agent made. */
const DEFAULT_ORIGIN = 'email';

function valueAt(draft: Draft, path: FillPath): string {
  if (path.startsWith('customer.')) return draft.customer[path.slice('customer.'.length) as keyof Omit<Draft['customer'], 'id'>];
  return draft[path as 'title' | 'origin' | 'description'];
}

function withValue(draft: Draft, path: FillPath, value: string): Draft {
  if (path.startsWith('customer.')) {
    return { ...draft, customer: { ...draft.customer, [path.slice('customer.'.length)]: value } };
  }
  return { ...draft, [path]: value } as Draft;
}

/** The field holds something the agent put there (typed, picked or chose). */
export function isAgentValue(draft: Draft, path: FillPath): boolean {
  const current = valueAt(draft, path);
  if (draft.provenance?.[path]?.value === current) return false;
  return path === 'origin' ? current !== DEFAULT_ORIGIN : current.trim() !== '';
}

/**
 * Fill what may be filled; returns the new draft and the paths that changed.
 * `replace` (a new page capture): a field an earlier capture filled and the
 * agent left alone is emptied when the new page has nothing for it, so two
 * pages never mix into one customer.
 */
export function fillDraft(
  draft: Draft,
  fills: Fills,
  source?: DraftSource,
  options: { replace?: boolean } = {},
): { draft: Draft; filled: FillPath[] } {
  let next = draft;
  const provenance: Provenance = { ...draft.provenance };
  const filled: FillPath[] = [];
  for (const path of FILL_PATHS) {
    const fill = fills[path];
    if (!fill?.value) {
      const captured = provenance[path];
      if (options.replace && path !== 'origin' && captured && captured.value === valueAt(next, path) && !(path.startsWith('customer.') && draft.customer.id)) {
        next = withValue(next, path, '');
        delete provenance[path];
        filled.push(path);
      }
      continue;
    }
    // A customer the agent picked from the suggestions is decided: a page does not change it.
    if (path.startsWith('customer.') && draft.customer.id) continue;
    if (isAgentValue(draft, path)) continue;
    next = withValue(next, path, fill.value);
    provenance[path] = { from: fill.from, value: fill.value };
    filled.push(path);
  }
  return { draft: { ...next, provenance, ...(source ? { source } : {}) }, filled };
}

/**
 * Text added to the description (pasted or sent from the page): set when the
 * description is empty or captured, appended after what the agent wrote
 * otherwise, so nothing typed is lost.
 */
export function addToDescription(draft: Draft, text: string, from: string): Draft {
  const value = text.trim();
  if (!value) return draft;
  const typed = isAgentValue(draft, 'description');
  const description = typed ? `${draft.description.trimEnd()}\n\n${value}` : value;
  const provenance = { ...draft.provenance };
  if (typed) delete provenance.description;
  else provenance.description = { from, value: description };
  return { ...draft, description, provenance };
}

/** What a page capture offers the form. */
export function fillsFromCapture(result: CaptureResult): Fills {
  const c = result.customer;
  return {
    title: result.suggestedTitle,
    'customer.name': c.name,
    'customer.email': c.email,
    'customer.phone': c.phone,
    'customer.company': c.company,
    origin: { value: result.origin, from: result.reader ?? 'page' },
    description: result.descriptionExcerpt,
  };
}

export function sourceFromCapture(result: CaptureResult, now: number): DraftSource {
  return {
    kind: result.selection ? 'selection' : 'page',
    url: result.url || undefined,
    pageTitle: result.pageTitle || undefined,
    capturedAt: now,
  };
}

/** Contacts found in pasted or selected text, offered for the customer's empty fields. */
export function fillsFromContacts(contacts: { emails: readonly string[]; phones: readonly string[] }, from: string): Fills {
  const [email] = contacts.emails;
  const [phone] = contacts.phones;
  return {
    ...(email ? { 'customer.email': { value: email, from } } : {}),
    ...(phone ? { 'customer.phone': { value: phone, from } } : {}),
  };
}

/** The provenance label of a field, while it still holds the captured value. */
export function provenanceOf(draft: Draft, path: FillPath): string | undefined {
  const entry = draft.provenance?.[path];
  return entry && entry.value === valueAt(draft, path) ? entry.from : undefined;
}
