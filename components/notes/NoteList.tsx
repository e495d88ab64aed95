import { useState } from 'preact/hooks';
import { deleteNote, editNote, listNotes } from '../../lib/notes/notes';
import type { Note } from '../../lib/schema';
import { formatTime, t } from '../../lib/i18n/t';
import { agentName } from '../shell/panel-state';
import { Lazy } from '../shell/Lazy';
import { NoteBody } from './NoteBody';
import { useLiveQuery } from '../shell/use-live-query';
import { errorKeyOf } from '../format';
import type { NoteEditorProps } from './NoteEditor';

const loadNoteEditor = () => import('./NoteEditor').then((m) => m.NoteEditor);

/** A case's notes, newest first, with the editor on top; one's own notes can be edited and deleted. */
export function NoteList(props: { caseId: string; readOnly: boolean }) {
  const notes = useLiveQuery(() => listNotes(props.caseId), [props.caseId]);
  return (
    <section class="case-section notes" aria-labelledby="notes-heading">
      <h3 id="notes-heading">
        {t('note.heading')} {notes && <span class="count">({notes.length})</span>}
      </h3>
      {!props.readOnly && (
        <Lazy<NoteEditorProps> load={loadNoteEditor} props={{ caseId: props.caseId, mode: 'add' }} />
      )}
      {notes && notes.length === 0 && <p class="muted">{t('note.none')}</p>}
      <ol class="notes__list">
        {(notes ?? []).map((note) => (
          <NoteItem key={note.id} note={note} readOnly={props.readOnly} />
        ))}
      </ol>
    </section>
  );
}

function NoteItem(props: { note: Note; readOnly: boolean }) {
  const { note } = props;
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const own = note.author === agentName.value;
  const canChange = own && !props.readOnly;
  const errorId = `note-${note.id}-error`;
  const remove = async () => {
    try {
      await deleteNote(note.id, { actor: agentName.value });
    } catch (e) {
      setError(errorKeyOf(e));
      setConfirming(false);
    }
  };
  return (
    <li class="note" data-note-id={note.id}>
      <p class="note__meta muted">
        {note.author} · <time dateTime={new Date(note.createdAt).toISOString()}>{formatTime(note.createdAt)}</time>
        {note.updatedAt > note.createdAt ? ` · ${t('note.edited')}` : ''}
      </p>
      {editing ? (
        <Lazy<NoteEditorProps>
          load={loadNoteEditor}
          props={{
            caseId: note.caseId,
            noteId: note.id,
            mode: 'edit',
            initialHtml: note.format === 'html' ? note.body : undefined,
            initialText: note.format === 'text' ? note.body : undefined,
            onSave: async (body) => {
              await editNote(note.id, { body, format: 'html' }, { actor: agentName.value });
              setEditing(false);
            },
            onCancel: () => setEditing(false),
          }}
        />
      ) : (
        <NoteBody note={note} />
      )}
      {canChange && !editing && (
        <div class="actions note__actions">
          <button type="button" class="link" name="note.edit" onClick={() => setEditing(true)}>
            {t('note.edit')}
          </button>
          {confirming ? (
            <>
              <span role="alert">{t('note.delete.confirm')}</span>
              <button type="button" name="note.delete.confirm" onClick={() => void remove()}>
                {t('note.delete')}
              </button>
              <button type="button" name="note.delete.keep" onClick={() => setConfirming(false)}>
                {t('note.delete.keep')}
              </button>
            </>
          ) : (
            <button type="button" class="link" name="note.delete" aria-describedby={error ? errorId : undefined} onClick={() => setConfirming(true)}>
              {t('note.delete')}
            </button>
          )}
        </div>
      )}
      {error && (
        <p class="field__error" id={errorId} role="alert">
          {t(error)}
        </p>
      )}
    </li>
  );
}
