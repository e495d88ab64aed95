/**
 * What the writers call (lib/cases create and edit, lib/notes, lib/menus):
 * the agent's modes read from the settings, the detectors loaded on first
 * use, the fields masked, and the timeline events for what the agent kept.
 * Called before a transaction opens, never inside one (a storage read and an
 * `import()` are not Dexie work).
 */
import type { PreparedNote } from '../notes/prepare';
import { noteWords } from '../search/words';
import { loadSettings } from '../settings';
import type { KeptItem, MaskOptions, MaskedItem } from './mask';
import { DEFAULT_REDACTION_MODES, type RedactionModes } from './span';

/** The agent's choice for one write: exact originals to keep unmasked (each a deliberate click). */
export interface RedactionChoice {
  keepUnmasked?: readonly string[];
  /** Set by tests and callers that already hold the settings. */
  redactionModes?: RedactionModes;
}

async function optionsOf(choice: RedactionChoice): Promise<MaskOptions> {
  return { modes: choice.redactionModes ?? (await loadSettings()).redaction ?? DEFAULT_REDACTION_MODES, keep: choice.keepUnmasked };
}

const loadMask = () => import('./mask');

/** Plain-text fields of one record, masked; `undefined` and non-strings pass through. */
export async function redactFields<T extends Record<string, unknown>>(
  fields: T,
  choice: RedactionChoice = {},
): Promise<{ fields: T; items: MaskedItem[]; kept: KeptItem[] }> {
  const strings = Object.fromEntries(Object.entries(fields).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  if (Object.keys(strings).length === 0) return { fields, items: [], kept: [] };
  const [{ maskFields }, options] = await Promise.all([loadMask(), optionsOf(choice)]);
  const masked = maskFields(strings, options);
  return { fields: { ...fields, ...masked.fields }, items: masked.items, kept: masked.kept };
}

/** A note body, text or sanitized HTML. */
export async function redactBody(body: string, format: 'text' | 'html', choice: RedactionChoice = {}) {
  const [{ maskHtml, maskText }, options] = await Promise.all([loadMask(), optionsOf(choice)]);
  return format === 'html' ? maskHtml(body, options) : maskText(body, options);
}

/**
 * What an edit may keep without asking again: the values a stored version
 * already holds unmasked (kept by a deliberate click when it was written, or
 * stored before masking existed), so editing a description around a kept
 * IBAN does not mask it behind the agent's back.
 */
export async function unmaskedIn(texts: ReadonlyArray<string | undefined>, choice: RedactionChoice = {}): Promise<string[]> {
  const present = texts.filter((t): t is string => typeof t === 'string' && t.length > 0);
  if (present.length === 0) return [];
  const [{ maskText }, options] = await Promise.all([loadMask(), optionsOf({ redactionModes: choice.redactionModes })]);
  return present.flatMap((text) => maskText(text, options).items.map((item) => item.original));
}

/** The timeline's data for each item the agent kept: "kept unmasked: IBAN". */
export function keptEventData(kept: readonly KeptItem[]): Array<{ action: 'keptUnmasked'; kind: string; label: string }> {
  return kept.map((item) => ({ action: 'keptUnmasked', kind: item.kind, label: item.label }));
}

/**
 * A prepared note (sanitized, words cut), masked: its search words are cut
 * again from the masked body, or the index would keep the original.
 */
export async function redactNote(note: PreparedNote, choice: RedactionChoice = {}): Promise<{ note: PreparedNote; items: MaskedItem[]; kept: KeptItem[] }> {
  const masked = await redactBody(note.body, note.format, choice);
  if (masked.items.length === 0) return { note, items: [], kept: masked.kept };
  const body = masked.text;
  return { note: { ...note, body, words: noteWords({ body, format: note.format }) }, items: masked.items, kept: masked.kept };
}
