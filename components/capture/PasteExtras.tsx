import { useEffect } from 'preact/hooks';
import { t } from '../../lib/i18n/t';
import { contactOffers, draftAttachmentNames, loadCaptureActions } from './capture-state';

function sizeOf(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * What pasting left for the agent: emails and phones to use for the customer,
 * and the images waiting for the case. Also attaches an image pasted with
 * Ctrl+V anywhere in the panel, once the agent has hidden what it should not show.
 */
export function PasteExtras() {
  useEffect(() => {
    let live = true;
    let stop: (() => void) | undefined;
    void loadCaptureActions().then((m) => {
      if (live) stop = m.followDraftAttachments();
    });
    const onPaste = (event: ClipboardEvent) => {
      // Taken already by the part of the panel it was pasted into (a note, a case's attachments).
      if (event.defaultPrevented) return;
      const images = Array.from(event.clipboardData?.files ?? []).filter((file) => file.type.startsWith('image/'));
      if (images.length === 0) return;
      // A pasted screenshot has no text: nothing else should happen to it.
      if (!event.clipboardData?.types.includes('text/plain')) event.preventDefault();
      void loadCaptureActions().then(async (m) => {
        for (const image of images) await m.attachPastedImage(image);
      });
    };
    document.addEventListener('paste', onPaste);
    return () => {
      live = false;
      stop?.();
      document.removeEventListener('paste', onPaste);
    };
  }, []);

  const use = (kind: 'email' | 'phone', value: string) => void loadCaptureActions().then((m) => m.useOffer(kind, value));
  const offers = contactOffers.value;
  const attachments = draftAttachmentNames.value;
  return (
    <>
      {(offers.emails.length > 0 || offers.phones.length > 0) && (
        <p class="offers">
          {t('clipboard.offer')}{' '}
          {offers.emails.map((email) => (
            <button key={email} type="button" class="chip" name="use-email" value={email} onClick={() => use('email', email)}>
              {email}
            </button>
          ))}
          {offers.phones.map((phone) => (
            <button key={phone} type="button" class="chip" name="use-phone" value={phone} onClick={() => use('phone', phone)}>
              {phone}
            </button>
          ))}
        </p>
      )}
      {attachments.length > 0 && (
        <ul class="draft-attachments" aria-label={t('clipboard.attachments')}>
          {attachments.map((a) => (
            <li key={a.id} data-attachment-name={a.name}>
              <span class="draft-attachments__name">{a.name}</span> <span class="field__hint">{sizeOf(a.size)}</span>{' '}
              <button
                type="button"
                class="link"
                aria-label={t('clipboard.removeAttachment', a.name)}
                onClick={() => void loadCaptureActions().then((m) => m.removeDraftAttachment(a.id))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
