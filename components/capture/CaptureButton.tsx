import { t } from '../../lib/i18n/t';
import { captureStatus, loadCaptureActions } from './capture-state';
import { CaptureStatusSlot } from './capture-slots';
import './capture.css';

/**
 * "Capture from page": fills the form from the tab the panel works on. What
 * went wrong, and "Always allow on this site", show beneath it (CaptureStatus).
 */
export function CaptureButton() {
  const busy = captureStatus.value.busy;
  const capture = () => {
    if (captureStatus.peek().busy) return;
    performance.mark('sidecase:capture-start');
    loadCaptureActions()
      .then((m) => m.runCapture())
      .catch((error: unknown) => {
        console.error('capture failed', error);
        captureStatus.value = { busy: false, error: 'capture.error.failed' };
      });
  };
  return (
    <>
      {/* aria-disabled, not disabled, while busy: a disabled button drops the focus to the page, and
          the agent who pressed it (or Alt+C) would lose their place. */}
      <button type="button" name="capture" aria-disabled={busy} aria-busy={busy} aria-describedby="capture-status" onClick={capture}>
        {t('capture.button')}
      </button>
      <CaptureStatusSlot />
    </>
  );
}
