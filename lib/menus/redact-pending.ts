/**
 * A context-menu result masked before it waits in storage for the panel:
 * the selection's text and the page's capture (lib/redaction). An image is
 * left to the screenshot editor; an error holds no text.
 */
import type { PendingItem } from '../inbox/pending';
import { PENDING_TEXT_MAX } from '../inbox/pending';
import { redactFields } from '../redaction/apply';
import { redactCapture } from '../redaction/capture';

export async function redactPending(item: PendingItem): Promise<PendingItem> {
  if (item.kind === 'note') {
    const { fields } = await redactFields({ text: item.text });
    return { ...item, text: fields.text.slice(0, PENDING_TEXT_MAX) };
  }
  if (item.kind === 'draft') {
    const { fields } = await redactFields({ text: item.text });
    const capture = item.capture && (await redactCapture(item.capture)).result;
    return { ...item, text: fields.text?.slice(0, PENDING_TEXT_MAX), capture };
  }
  return item;
}
