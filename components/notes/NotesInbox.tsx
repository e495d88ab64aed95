import { excerpt } from '../../lib/capture/clean';
import { formatTime, t } from '../../lib/i18n/t';
import { listInboxNotes } from '../../lib/notes/notes';
import { noteText } from '../../lib/search/words';
import { inboxNoteId } from '../capture/capture-state';
import { turnInboxNoteIntoCase } from '../capture/capture-actions';
import { goHome } from '../shell/panel-state';
import { useLiveQuery } from '../shell/use-live-query';

const INBOX_SHOWN = 50;

/** Quick notes with no case yet (from the context menu): each can be turned into a case. */
export function NotesInbox() {
  const notes = useLiveQuery(() => listInboxNotes(INBOX_SHOWN), []);
  if (!notes || notes.length === 0) return null;
  return (
    <section class="notes-inbox" aria-labelledby="notes-inbox-heading">
      <h2 id="notes-inbox-heading">{t('inbox.heading', notes.length)}</h2>
      <ul class="notes-inbox__list">
        {notes.map((note) => {
          const text = noteText(note);
          const inForm = inboxNoteId.value === note.id;
          return (
            <li key={note.id} class="notes-inbox__note" data-note-id={note.id}>
              {/* Page text, shown as text: never parsed as markup. */}
              <p class="notes-inbox__text">{excerpt(text, 400)}</p>
              <p class="field__hint">{formatTime(note.createdAt)}</p>
              {inForm ? (
                <p class="field__hint">{t('inbox.inForm')}</p>
              ) : (
                <button
                  type="button"
                  name="inbox-to-case"
                  onClick={() => {
                    goHome();
                    turnInboxNoteIntoCase({ id: note.id, text });
                  }}
                >
                  {t('inbox.toCase')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
