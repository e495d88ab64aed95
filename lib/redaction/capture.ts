/**
 * A page capture, masked as it comes back from the page (the readers in
 * lib/capture run inside the page and stay as they are): the suggested
 * title, the description excerpt, the selection and the page's title. Each
 * masked field keeps its capture cap, so the result still parses; a masked
 * form cut at the cap shows bullets, never a digit it hid.
 */
import type { CaptureResult } from '../capture/result';
import { CAPTURE_LIMITS } from '../capture/limits';
import { redactFields, type RedactionChoice } from './apply';
import type { MaskedItem } from './mask';

export interface RedactedCapture {
  result: CaptureResult;
  /** What was masked, with its place in the field it now sits in. */
  items: Array<MaskedItem & { field: 'title' | 'description' | 'selection' | 'pageTitle' }>;
}

export async function redactCapture(result: CaptureResult, choice: RedactionChoice = {}): Promise<RedactedCapture> {
  const items: RedactedCapture['items'] = [];
  const mask = async (field: RedactedCapture['items'][number]['field'], value: string | undefined, max: number) => {
    if (!value) return value;
    const masked = await redactFields({ value }, choice);
    items.push(...masked.items.map((item) => ({ ...item, field })));
    return (masked.fields.value as string).slice(0, max);
  };
  const [title, description, selection, pageTitle] = await Promise.all([
    mask('title', result.suggestedTitle?.value, CAPTURE_LIMITS.title),
    mask('description', result.descriptionExcerpt?.value, CAPTURE_LIMITS.description),
    mask('selection', result.selection, CAPTURE_LIMITS.selection),
    mask('pageTitle', result.pageTitle, CAPTURE_LIMITS.pageTitle),
  ]);
  return {
    result: {
      ...result,
      suggestedTitle: result.suggestedTitle && { ...result.suggestedTitle, value: title! },
      descriptionExcerpt: result.descriptionExcerpt && { ...result.descriptionExcerpt, value: description! },
      selection: selection ?? '',
      pageTitle: pageTitle ?? '',
    },
    items,
  };
}
