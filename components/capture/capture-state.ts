/**
 * Capture's state in the panel, as signals (the form's own state stays in
 * form-state.ts). Tiny on purpose: it is in the panel's first paint; the work
 * lives in capture-actions.ts, loaded when the agent first uses it.
 */
import { signal } from '@preact/signals';

export interface CaptureStatus {
  busy: boolean;
  /** A message key: why the last capture or paste did not work. */
  error?: string;
  /** The page's text was cut (very long page). */
  truncated?: boolean;
  /** Offer "Always allow on this site" (after a refusal, or after a capture with a click's grant). */
  offerAllow?: boolean;
  /** The site to allow, when known. */
  allowOrigin?: string;
}
export const captureStatus = signal<CaptureStatus>({ busy: false });

/** The open case the agent chose to add the draft to instead of creating a new one. */
export interface SaveTarget {
  id: string;
  number: string;
}
export const saveTarget = signal<SaveTarget | undefined>(undefined);

/** The inbox note being turned into a case: filed on the case when it is saved. */
export const inboxNoteId = signal<string | undefined>(undefined);

/** Emails and phones found in pasted text that did not go into a field: offered to the agent. */
export const contactOffers = signal<{ emails: string[]; phones: string[] }>({ emails: [], phones: [] });

/** Images waiting for the case being written (mirrors lib/inbox/draft-attachments). */
export const draftAttachmentNames = signal<Array<{ id: string; name: string; size: number }>>([]);

/** The capture code, loaded on first use. */
export const loadCaptureActions = () => import('./capture-actions');

/**
 * After Save created the case: attach the waiting images, file the inbox note.
 * Loads the capture code only when there is something to do.
 */
export async function finishCapture(caseId: string): Promise<void> {
  if (draftAttachmentNames.value.length === 0 && !inboxNoteId.value) return;
  await (await loadCaptureActions()).afterCaseCreated(caseId);
}

/** Save with an open case chosen in the duplicate offer: the draft becomes a note on it. */
export async function saveToTarget(target: SaveTarget): Promise<void> {
  await (await loadCaptureActions()).addDraftToCase(target);
}
