/**
 * Capture in the panel: its signals (capture-signals.ts) and the door to its
 * work, capture-actions.ts, loaded when the agent first uses it. Tiny on
 * purpose: it is in the panel's first paint.
 */
import { draftAttachmentNames, inboxNoteId, type SaveTarget } from './capture-signals';

export {
  captureStatus,
  contactOffers,
  draftAttachmentNames,
  inboxNoteId,
  saveTarget,
  type CaptureStatus,
  type SaveTarget,
} from './capture-signals';

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
