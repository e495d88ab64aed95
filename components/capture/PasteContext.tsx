import { t } from '../../lib/i18n/t';
import { captureStatus, loadCaptureActions } from './capture-state';
import { PasteExtrasSlot } from './capture-slots';

/**
 * "Paste context": the clipboard's text goes to the description and its
 * emails and phones are offered for the customer; an image becomes an
 * attachment of the case being written (PasteExtras lists them and handles
 * Ctrl+V of an image anywhere in the panel).
 */
export function PasteContext() {
  const paste = () => {
    loadCaptureActions()
      .then((m) => m.pasteContext())
      .catch((error: unknown) => {
        console.error('paste failed', error);
        captureStatus.value = { busy: false, error: 'clipboard.error.denied' };
      });
  };
  return (
    <>
      <button type="button" name="paste-context" onClick={paste}>
        {t('clipboard.button')}
      </button>
      <PasteExtrasSlot />
    </>
  );
}
