/**
 * What the panel masked in the last capture or paste, for the notice
 * ("Masked 2 card numbers, 1 password") and its "Keep unmasked". The
 * originals live only here, in memory: the form and the draft hold the masked
 * forms until the agent deliberately keeps one, and Save passes the kept
 * originals to the writer, which logs each on the case's timeline.
 *
 * No detector here: this file is loaded with the capture actions, and the
 * detectors come with lib/redaction's own `import()`.
 */
import { computed, signal } from '@preact/signals';
import type { MaskedItem } from '../../lib/redaction/mask';
import type { RedactionModes } from '../../lib/redaction/span';
import { draft, updateDraft } from '../quick-create/form-state';

export interface NoticeItem {
  id: number;
  kind: MaskedItem['kind'];
  label: MaskedItem['label'];
  masked: string;
  original: string;
  /** masked: as captured; kept: the agent clicked "Keep unmasked"; confirmed: "Keep masked" (ask mode). */
  state: 'masked' | 'kept' | 'confirmed';
  /** The kind's mode is "ask": Save waits until the agent chose. */
  isAsked: boolean;
  /** Masked before the panel saw it (a context-menu result): no original to put back. */
  isFinal?: boolean;
}

export const noticeItems = signal<NoticeItem[]>([]);

const KIND_OF_LABEL: Record<NoticeItem['label'], NoticeItem['kind']> = {
  card: 'card',
  iban: 'iban',
  password: 'secret',
  privateKey: 'secret',
  token: 'secret',
  apiKey: 'secret',
  cnp: 'nationalId',
  taj: 'nationalId',
  huTaxId: 'nationalId',
  nik: 'nationalId',
};
const kindOfLabel = (label: NoticeItem['label']) => KIND_OF_LABEL[label];
/** The agent closed the notice: hidden, but what was kept stays kept. */
export const isNoticeDismissed = signal(false);
let nextId = 1;

/** Originals the agent chose to keep unmasked: the writers' `keepUnmasked`. */
export const keptOriginals = computed(() => noticeItems.value.filter((i) => i.state === 'kept').map((i) => i.original));
/** An "ask" item the agent has not answered yet. */
export const hasUnansweredAsk = computed(() => noticeItems.value.some((i) => i.isAsked && i.state === 'masked'));

export function announceMasked(items: readonly MaskedItem[], modes: RedactionModes | undefined): void {
  if (items.length === 0) return;
  const added = items.map((item) => ({
    id: nextId++,
    kind: item.kind,
    label: item.label,
    masked: item.masked,
    original: item.original,
    state: 'masked' as const,
    isAsked: modes?.[item.kind] === 'ask',
  }));
  noticeItems.value = [...noticeItems.value, ...added];
  isNoticeDismissed.value = false;
}

/**
 * A context-menu result the background masked before storing it: the notice
 * says what was masked, with no "Keep unmasked" (the original was never kept).
 */
export function announceMaskedFinal(items: ReadonlyArray<{ label: NoticeItem['label']; masked: string }> | undefined): void {
  if (!items || items.length === 0) return;
  const added = items.map((item) => ({
    id: nextId++,
    kind: kindOfLabel(item.label),
    label: item.label,
    masked: item.masked,
    original: '',
    state: 'masked' as const,
    isAsked: false,
    isFinal: true,
  }));
  noticeItems.value = [...noticeItems.value, ...added];
  isNoticeDismissed.value = false;
}

/** "Keep unmasked": the masked form in the title, subject or description becomes the original again. */
export function keepUnmasked(id: number): void {
  const item = noticeItems.value.find((i) => i.id === id);
  if (!item || item.state === 'kept' || item.isFinal) return;
  const d = draft.value;
  for (const field of ['title', 'subject', 'description'] as const) {
    if (d[field].includes(item.masked)) {
      updateDraft({ [field]: d[field].replace(item.masked, item.original) });
      break;
    }
  }
  noticeItems.value = noticeItems.value.map((i) => (i.id === id ? { ...i, state: 'kept' } : i));
}

/** "Keep masked" (ask mode): answered, nothing changes in the form. */
export function confirmMasked(id: number): void {
  noticeItems.value = noticeItems.value.map((i) => (i.id === id && i.state === 'masked' ? { ...i, state: 'confirmed' } : i));
}

/** The case was saved or the form cleared: nothing of it is remembered. */
export function clearMasked(): void {
  noticeItems.value = [];
  isNoticeDismissed.value = false;
}
