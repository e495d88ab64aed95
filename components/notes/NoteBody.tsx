import { sanitizeNoteHtml } from '../../lib/notes/prepare';
import type { Note } from '../../lib/schema';
import { t } from '../../lib/i18n/t';

/**
 * A note's body. HTML notes are the ONE place the panel sets inner HTML, and
 * only after DOMPurify: they were sanitized when stored, and are sanitized
 * again here, because a note may also arrive from sync or an older build.
 * Plain-text notes are text nodes.
 */
export function NoteBody(props: { note: Pick<Note, 'body' | 'format'> }) {
  if (props.note.format === 'text') return <div class="note__body note__body--text">{props.note.body}</div>;
  let html: string;
  try {
    html = sanitizeNoteHtml(props.note.body);
  } catch {
    // A body that does not settle under sanitizing is not shown as HTML at all.
    return <div class="note__body note__body--text">{t('note.unsafe')}</div>;
  }
  return <div class="note__body" dangerouslySetInnerHTML={{ __html: html }} />;
}
