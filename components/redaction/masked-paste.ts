/**
 * Text pasted in the panel is masked before anything holds it: the quick-create
 * form's title, subject and description (their value is the draft, written to
 * storage as it changes, so an unmasked paste would sit in storage until Save)
 * and the note editor (lazily loaded; its notes before a case exists are in the
 * draft too). The agent's own typing stays as typed until Save, which masks it
 * (lib/cases, lib/notes).
 *
 * The detectors load with `import()` and the modes come from storage, so
 * both are fetched when the form or the editor mounts (`preparePasteMasking`)
 * and a paste is then masked and inserted within its own event, as the
 * browser would have; a paste that comes before they are ready is taken from
 * the browser and put back masked once they are.
 */
import { useEffect } from 'preact/hooks';
import type { MaskedItem } from '../../lib/redaction/mask';
import { DEFAULT_REDACTION_MODES, type RedactionModes } from '../../lib/redaction/span';
import { loadSettings } from '../../lib/settings';
import { announceMasked } from './redaction-state';

export interface MaskedPaste {
  body: string;
  items: MaskedItem[];
  modes: RedactionModes | undefined;
}

let ready: { mask: typeof import('../../lib/redaction/mask'); modes: RedactionModes | undefined } | undefined;

/** Loads the masker and reads the modes (again: the options may have changed them), for the next paste. */
export async function preparePasteMasking(): Promise<void> {
  const [settings, mask] = await Promise.all([loadSettings(), import('../../lib/redaction/mask')]);
  ready = { mask, modes: settings.redaction ?? DEFAULT_REDACTION_MODES };
}

/** Pasted text or (sanitized) HTML masked at once, or undefined while the masker is not loaded yet. */
export function maskPastedNow(body: string, format: 'text' | 'html'): MaskedPaste | undefined {
  if (!ready) return undefined;
  const options = { modes: ready.modes };
  const masked = format === 'html' ? ready.mask.maskHtml(body, options) : ready.mask.maskText(body, options);
  void preparePasteMasking().catch(() => undefined);
  return { body: masked.text, items: masked.items, modes: ready.modes };
}

/** Pasted text or (sanitized) HTML, masked by the agent's per-kind modes. */
export async function maskPasted(body: string, format: 'text' | 'html'): Promise<MaskedPaste> {
  await preparePasteMasking();
  return maskPastedNow(body, format)!;
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
  const now = maskPastedNow(text, 'text');
  if (now) {
    insertInto(field, start, end, now.body);
    announceMasked(now.items, now.modes);
    return Promise.resolve();
  }
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
    void preparePasteMasking().catch((error: unknown) => console.error('paste masking not loaded', error));
    const listener = (event: ClipboardEvent) => void onFormPaste(event);
    document.addEventListener('paste', listener);
    return () => document.removeEventListener('paste', listener);
  }, []);
}
