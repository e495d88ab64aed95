/**
 * A context-menu result masked before it waits in storage for the panel:
 * the selection's text and the page's capture (lib/redaction). An image is
 * left to the screenshot editor; an error holds no text.
 *
 * The originals are never stored, so the panel cannot offer "Keep unmasked"
 * for them: the item carries its masked forms (`masked`), and the panel's
 * notice says they were masked with no way back (issue 15, item 3).
 */
import type { PendingItem } from '../inbox/pending';
import { PENDING_TEXT_MAX } from '../inbox/pending';
import { redactFields } from '../redaction/apply';
import { redactCapture } from '../redaction/capture';
import type { MaskedItem } from '../redaction/mask';

const maskedOf = (items: readonly MaskedItem[]) => (items.length ? items.slice(0, 100).map(({ label, masked }) => ({ label, masked })) : undefined);

export async function redactPending(item: PendingItem): Promise<PendingItem> {
  if (item.kind === 'note') {
    const { fields, items } = await redactFields({ text: item.text });
    return { ...item, text: fields.text.slice(0, PENDING_TEXT_MAX), masked: maskedOf(items) };
  }
  if (item.kind === 'draft') {
    const { fields, items } = await redactFields({ text: item.text });
    const capture = item.capture && (await redactCapture(item.capture));
    // What reaches the form: the capture's title and description, or else the selection.
    const shown = capture ? capture.items.filter((i) => i.field === 'title' || i.field === 'description') : items;
    return { ...item, text: fields.text?.slice(0, PENDING_TEXT_MAX), capture: capture?.result, masked: maskedOf(shown) };
  }
  return item;
}
