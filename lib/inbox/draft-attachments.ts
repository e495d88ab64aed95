/**
 * Images waiting for the case being written (pasted into the panel, or sent
 * from the page with "Attach to the new case"). Kept in storage.session, so
 * closing the panel mid-case loses none; saved with the case, then cleared.
 */
import { z } from 'zod';
import { storedList } from './stored-list';
import { PENDING_IMAGE_SHAPE, sameImageType } from './pending';

export const DRAFT_ATTACHMENTS_MAX = 10;

export const DraftAttachment = z
  .object({
    ...PENDING_IMAGE_SHAPE,
    id: z.string().max(40),
    source: z.enum(['clipboard', 'page', 'screenshot']),
    sourceUrl: z.string().max(4096).optional(),
  })
  .refine(sameImageType, 'menus.image.unsupported');
export type DraftAttachment = z.infer<typeof DraftAttachment>;

const drafts = storedList('session:draft-attachments', DraftAttachment);

export function listDraftAttachments(): Promise<DraftAttachment[]> {
  return drafts.read();
}

/** Adds one; refuses (SidecaseError-free: returns false) when the draft already holds the maximum. */
export async function addDraftAttachment(attachment: DraftAttachment): Promise<boolean> {
  const parsed = DraftAttachment.parse(attachment);
  if ((await listDraftAttachments()).length >= DRAFT_ATTACHMENTS_MAX) return false;
  await drafts.update((list) => [...list, parsed].slice(0, DRAFT_ATTACHMENTS_MAX));
  return true;
}

export function removeDraftAttachment(id: string): Promise<void> {
  return drafts.update((list) => list.filter((a) => a.id !== id));
}

export function clearDraftAttachments(): Promise<void> {
  return drafts.update(() => []);
}

export function watchDraftAttachments(onChange: (list: DraftAttachment[]) => void): () => void {
  return drafts.watch(onChange);
}
