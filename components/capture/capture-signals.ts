/**
 * Capture's state in the panel, as signals (the form's own state stays in
 * form-state.ts). Tiny on purpose: it is in the panel's first paint. Apart
 * from capture-state.ts, which loads capture-actions.ts: the actions write
 * these signals, and a file they import must not import them back.
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
