/**
 * Masking: the sensitive spans of a text replaced by their masked forms
 * (`•••• •••• •••• 4242`, `RO49 •••• •••• •••• •••• 1234`,
 * `[secret removed]`). Everything between the spans is left exactly as it
 * was, and each item says where its masked form now sits in the result, so
 * the panel can highlight it.
 *
 * The agent may keep an item unmasked: its exact original is passed in
 * `keep` (a deliberate click in the panel), and the writer logs it on the
 * case's timeline as "kept unmasked: IBAN" (`kept`).
 */
import { findSensitive } from './index';
import { DEFAULT_REDACTION_MODES, type RedactionKind, type RedactionLabel, type RedactionModes } from './span';

export interface MaskOptions {
  /** Per kind: 'off' is not looked for; 'mask' and 'ask' are masked unless kept. */
  modes?: RedactionModes;
  /** Originals the agent chose to keep unmasked. */
  keep?: readonly string[];
}

export interface MaskedItem {
  kind: RedactionKind;
  label: RedactionLabel;
  /** Where the masked form is in the masked text: [start, end). */
  start: number;
  end: number;
  /** The masked form, as it reads in the masked text. */
  masked: string;
  /** The value it replaced: for the panel's "keep unmasked", never stored. */
  original: string;
}

export interface KeptItem {
  kind: RedactionKind;
  label: RedactionLabel;
  /** The value kept (not written to the timeline, which says only its kind). */
  original: string;
}

export interface Masked {
  text: string;
  items: MaskedItem[];
  kept: KeptItem[];
}

const UNCHANGED = (text: string): Masked => ({ text, items: [], kept: [] });

export function maskText(text: string, options: MaskOptions = {}): Masked {
  const modes = options.modes ?? DEFAULT_REDACTION_MODES;
  const spans = findSensitive(text, (kind) => modes[kind] !== 'off');
  if (spans.length === 0) return UNCHANGED(text);
  const keep = new Set(options.keep ?? []);
  const items: MaskedItem[] = [];
  const kept: KeptItem[] = [];
  let out = '';
  let from = 0;
  for (const span of spans) {
    const original = text.slice(span.start, span.end);
    if (keep.has(original)) {
      kept.push({ kind: span.kind, label: span.label, original });
      continue;
    }
    out += text.slice(from, span.start);
    items.push({ kind: span.kind, label: span.label, start: out.length, end: out.length + span.masked.length, masked: span.masked, original });
    out += span.masked;
    from = span.end;
  }
  out += text.slice(from);
  return { text: out, items, kept };
}

/**
 * Note HTML (already sanitized): only the text between tags is read, so an
 * image's data URL or a link's address is never cut into. A value split by a
 * tag (`4242 <b>4242</b>…`) is not seen: the agent typed it that way.
 */
export function maskHtml(html: string, options: MaskOptions = {}): Masked {
  const parts = html.split(/(<[^>]*>)/);
  const items: MaskedItem[] = [];
  const kept: KeptItem[] = [];
  let out = '';
  for (const [i, part] of parts.entries()) {
    if (i % 2 === 1 || !part) {
      out += part;
      continue;
    }
    const masked = maskText(part, options);
    items.push(...masked.items.map((item) => ({ ...item, start: item.start + out.length, end: item.end + out.length })));
    kept.push(...masked.kept);
    out += masked.text;
  }
  return { text: out, items, kept };
}

/** Several fields of one record at once: their masked values, and every item kept across them. */
export function maskFields<T extends Record<string, string | undefined>>(
  fields: T,
  options: MaskOptions = {},
): { fields: T; items: MaskedItem[]; kept: KeptItem[] } {
  const out: Record<string, string | undefined> = {};
  const items: MaskedItem[] = [];
  const kept: KeptItem[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) {
      out[key] = value;
      continue;
    }
    const masked = maskText(value, options);
    out[key] = masked.text;
    items.push(...masked.items);
    kept.push(...masked.kept);
  }
  return { fields: out as T, items, kept };
}
