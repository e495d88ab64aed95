import { useEffect, useState } from 'preact/hooks';
import type { Attachment } from '../../lib/schema';
import { t } from '../../lib/i18n/t';
import { Dialog } from '../shell/Dialog';

export interface AttachmentPreviewProps {
  attachment: Attachment;
  onClose: () => void;
}

/**
 * Preview of an image (an <img> of an object URL) or a PDF (the browser's own
 * viewer in an <iframe> of a blob: URL typed application/pdf), in a dialog.
 * The URL lives as long as the dialog. An <iframe>, not <embed>: the extension
 * pages' CSP (object-src 'self') would block an <embed> of a blob: URL.
 */
export function AttachmentPreview(props: AttachmentPreviewProps) {
  const { attachment } = props;
  const isPdf = attachment.type === 'application/pdf';
  const [url, setUrl] = useState<string | undefined>(undefined);
  useEffect(() => {
    // Re-typed, so the viewer gets a PDF even when the stored Blob lost its type.
    const blob = isPdf ? new Blob([attachment.blob], { type: 'application/pdf' }) : attachment.blob;
    const next = URL.createObjectURL(blob);
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [attachment.id]);
  return (
    <Dialog name="preview" title={attachment.name} onClose={props.onClose} class="dialog--preview">
      {url &&
        (isPdf ? (
          <iframe class="preview__pdf" src={url} title={t('attachment.previewOf', attachment.name)} data-type="application/pdf" />
        ) : (
          <img class="preview__image" src={url} alt={attachment.name} />
        ))}
      <div class="actions">
        <button type="button" name="dismiss" onClick={props.onClose}>
          {t('dialog.close')}
        </button>
      </div>
    </Dialog>
  );
}
