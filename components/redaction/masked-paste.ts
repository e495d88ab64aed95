/**
 * Text pasted in the panel is masked before anything holds it: the quick-create
 * form's title, subject and description (their value is the draft, written to
 * storage as it changes, so an unmasked paste would sit in storage until Save)
 * and the note editor (lazily loaded; its notes before a case exists are in the
 * draft too). The agent's own typing stays as typed until Save, which masks it
 * (lib/cases, lib/notes).
 *
 * A paste is taken from the browser (its default prevented at once) and put
 * back masked when the detectors have answered: they load with `import()`.
 */
import { useEffect } from 'preact/hooks';
import type { MaskedItem } from '../../lib/redaction/mask';
import type { RedactionModes } from '../../lib/redaction/span';
import { loadSettings } from '../../lib/settings';
import { announceMasked } from './redaction-state';

export interface MaskedPaste {
  body: string;
  items: MaskedItem[];
  modes: RedactionModes | undefined;
}

/** Pasted text or (sanitized) HTML, masked by the agent's per-kind modes. */
export async function maskPasted(body: string, format: 'text' | 'html'): Promise<MaskedPaste> {
  const [settings, { redactBody }] = await Promise.all([loadSettings(), import('../../lib/redaction/apply')]);
  const masked = await redactBody(body, format, { redactionModes: settings.redaction });
  return { body: masked.text, items: masked.items, modes: settings.redaction };
}

/** The quick-create fields the writers mask (lib/cases create and edit). */
const FORM_FIELDS = new Set(['title', 'subject', 'description']);

function formFieldOf(target: EventTarget | null): HTMLInputElement | HTMLTextAreaElement | undefined {
  const el = target as (HTMLInputElement | HTMLTextAreaElement) | null;
  if (!el || (el.tagName !== 'INPUT' && el.tagName !== 'TEXTAREA')) return undefined;
  return FORM_FIELDS.has(el.name) && el.closest('form[name="quick-create"]') ? el : undefined;
}

/** Text where the selection was, as the paste would have put it: the field's input event fires (and so the draft is saved). */
function insertInto(field: HTMLInputElement | HTMLTextAreaElement, start: number, end: number, text: string): void {
  field.focus();
  field.setSelectionRange(start, end);
  // execCommand keeps the field's undo history; where it is missing, the text goes in by hand.
  let inserted = false;
  try {
    inserted = document.execCommand('insertText', false, text);
  } catch {
    inserted = false;
  }
  if (!inserted) {
    field.setRangeText(text, start, end, 'end');
    field.dispatchEvent(new Event('input', { bubbles: true }));
  }
}

/** A paste into one of the form's masked fields: masked, then inserted, then announced in the notice. */
export function onFormPaste(event: ClipboardEvent): Promise<void> | undefined {
  const field = formFieldOf(event.target);
  const text = event.clipboardData?.getData('text/plain');
  if (!field || !text) return undefined;
  event.preventDefault();
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  return maskPasted(text, 'text')
    .then((masked) => {
      insertInto(field, start, end, masked.body);
      announceMasked(masked.items, masked.modes);
    })
    .catch((error: unknown) => console.error('paste not masked', error));
}

/** Listens for pastes into the quick-create form while the component calling it is mounted. */
export function useMaskedFormPaste(): void {
  useEffect(() => {
    const listener = (event: ClipboardEvent) => void onFormPaste(event);
    document.addEventListener('paste', listener);
    return () => document.removeEventListener('paste', listener);
  }, []);
}
