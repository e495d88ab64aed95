/**
 * Images waiting for the case being written (pasted into the panel, or sent
 * from the page with "Attach to the new case"). Kept in storage.session, so
 * closing the panel mid-case loses none; saved with the case, then cleared.
 */
import { z } from 'zod';
import { storage } from 'wxt/utils/storage';
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

const item = storage.defineItem<unknown[]>('session:draft-attachments', { fallback: [] });

function parseList(value: unknown): DraftAttachment[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    const parsed = DraftAttachment.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

let writes: Promise<unknown> = Promise.resolve();
function update(change: (list: DraftAttachment[]) => DraftAttachment[]): Promise<void> {
  const next = writes.then(async () => item.setValue(change(parseList(await item.getValue()))));
  writes = next.catch(() => undefined);
  return next;
}

export async function listDraftAttachments(): Promise<DraftAttachment[]> {
  return parseList(await item.getValue());
}

/** Adds one; refuses (SidecaseError-free: returns false) when the draft already holds the maximum. */
export async function addDraftAttachment(attachment: DraftAttachment): Promise<boolean> {
  const parsed = DraftAttachment.parse(attachment);
  if ((await listDraftAttachments()).length >= DRAFT_ATTACHMENTS_MAX) return false;
  await update((list) => [...list, parsed].slice(0, DRAFT_ATTACHMENTS_MAX));
  return true;
}

export function removeDraftAttachment(id: string): Promise<void> {
  return update((list) => list.filter((a) => a.id !== id));
}

export function clearDraftAttachments(): Promise<void> {
  return update(() => []);
}

export function watchDraftAttachments(onChange: (list: DraftAttachment[]) => void): () => void {
  return item.watch((value) => onChange(parseList(value)));
}
