/**
 * The quick-create draft: saved as the agent types, restored when the panel
 * opens again, cleared by Save. Kept in storage.local (not IndexedDB) so the
 * form can be restored before the database code has even loaded.
 */
import { storage } from 'wxt/utils/storage';
import { Draft } from './schema';

const draftItem = storage.defineItem<unknown>('local:draft', { fallback: null, version: 1 });

export const EMPTY_DRAFT: Draft = Draft.parse({});

export async function loadDraft(): Promise<Draft> {
  const parsed = Draft.safeParse((await draftItem.getValue()) ?? {});
  return parsed.success ? parsed.data : EMPTY_DRAFT;
}

export function isDraftEmpty(draft: Draft): boolean {
  const c = draft.customer;
  return (
    !draft.title && !c.id && !c.name && !c.email && !c.phone && !c.company && !draft.subject &&
    !draft.product && draft.tags.length === 0 && !draft.tagInput && !draft.description
  );
}

export async function saveDraft(draft: Draft): Promise<void> {
  if (isDraftEmpty(draft)) await draftItem.removeValue();
  else await draftItem.setValue({ ...draft, savedAt: Date.now() });
}

export function clearDraft(): Promise<void> {
  return draftItem.removeValue();
}
