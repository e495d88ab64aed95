/**
 * Context-menu results waiting for the panel (see README.md). A list in
 * storage.session, newest last, written by the background and read by the
 * panel; every read is parsed, and an item that does not parse is dropped.
 */
import { z } from 'zod';
import { storedList } from './stored-list';
import { CaptureResult } from '../capture/result';
import { IMAGE_MAX_BYTES, IMAGE_TYPES } from './images';
import { REDACTION_LABELS } from '../redaction/span';

export const PENDING_TEXT_MAX = 100_000;
/** Enough for a busy morning; the oldest go first beyond it. */
export const PENDING_MAX = 20;
const SOURCE_KINDS = ['page', 'selection', 'clipboard', 'link', 'image', 'screenshot'] as const;

export const PendingSource = z.object({
  kind: z.enum(SOURCE_KINDS),
  url: z.string().max(4096).optional(),
  pageTitle: z.string().max(1000).optional(),
  capturedAt: z.number().int().nonnegative(),
});
export type PendingSource = z.infer<typeof PendingSource>;

export const PENDING_IMAGE_SHAPE = {
  // Base64 is 4/3 of the bytes, plus the prefix.
  dataUrl: z.string().max(Math.ceil((IMAGE_MAX_BYTES * 4) / 3) + 100),
  name: z.string().min(1).max(255),
  type: z.enum(IMAGE_TYPES),
  size: z.number().int().nonnegative().max(IMAGE_MAX_BYTES),
};
/** The data URL must say the type that was checked: never an SVG or a page behind an image's name. */
export const sameImageType = (image: { dataUrl: string; type: string }) => image.dataUrl.startsWith(`data:${image.type};base64,`);
export const PendingImage = z.object(PENDING_IMAGE_SHAPE).refine(sameImageType, 'menus.image.unsupported');
export type PendingImage = z.infer<typeof PendingImage>;

const MESSAGE_KEY = z.string().regex(/^[a-z][A-Za-z0-9.]{0,80}$/);

/**
 * What the background masked in a menu result before storing it (lib/menus/redact-pending.ts):
 * the panel's notice says so. Masked forms only; the originals were never stored, so no way back.
 */
const PendingMasked = z.array(z.object({ label: z.enum(REDACTION_LABELS), masked: z.string().max(200) })).max(100).optional();

export const PendingItem = z.discriminatedUnion('kind', [
  /** Fill the quick-create form (new case from a selection or a page). */
  z.object({
    kind: z.literal('draft'),
    id: z.string().max(40),
    action: z.string().max(40),
    source: PendingSource,
    text: z.string().max(PENDING_TEXT_MAX).optional(),
    capture: CaptureResult.optional(),
    /** Why the page could not be read (a message key): the form is filled from what there is, and says so. */
    captureError: MESSAGE_KEY.optional(),
    masked: PendingMasked,
  }),
  /** Text or a link for a case: the latest open case, or one the agent picks. */
  z.object({
    kind: z.literal('note'),
    id: z.string().max(40),
    action: z.string().max(40),
    source: PendingSource,
    text: z.string().min(1).max(PENDING_TEXT_MAX),
    masked: PendingMasked,
  }),
  /** An image or a screenshot for a case, or for the case being written. */
  z.object({
    kind: z.literal('image'),
    id: z.string().max(40),
    action: z.string().max(40),
    source: PendingSource,
    image: PendingImage,
  }),
  /** An action that could not finish: the panel says why (a message key). */
  z.object({
    kind: z.literal('error'),
    id: z.string().max(40),
    action: z.string().max(40),
    source: PendingSource,
    error: MESSAGE_KEY,
  }),
]);
export type PendingItem = z.infer<typeof PendingItem>;

// Writes of this context in order: two menu clicks in a row must both land.
const pending = storedList('session:pending', PendingItem);

export function listPending(): Promise<PendingItem[]> {
  return pending.read();
}

export function addPending(item: PendingItem): Promise<void> {
  const parsed = PendingItem.parse(item);
  return pending.update((list) => [...list.filter((i) => i.id !== parsed.id), parsed].slice(-PENDING_MAX));
}

export function removePending(id: string): Promise<void> {
  return pending.update((list) => list.filter((i) => i.id !== id));
}

export function watchPending(onChange: (items: PendingItem[]) => void): () => void {
  return pending.watch(onChange);
}
