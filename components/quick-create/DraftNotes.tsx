import { useSignal } from '@preact/signals';
import { t } from '../../lib/i18n/t';
import { DRAFT_CAPS } from '../../lib/drafts';
import { draft, updateDraft } from './form-state';
import { Lazy } from '../shell/Lazy';

const loadEditor = () => import('../notes/NoteEditor').then((m) => m.NoteEditor);

/** Plain text of a note for the list: parsed in an inert document, never rendered as HTML here. */
function excerptOf(note: { body: string; format: 'text' | 'html' }): string {
  const text = note.format === 'html' ? (new DOMParser().parseFromString(note.body, 'text/html').body.textContent ?? '') : note.body;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
}

/**
 * Notes written while the case is being created: kept in the draft (so they
 * survive closing the panel) and saved with the case, in its transaction,
 * sanitized like every note. The editor loads only when asked for.
 */
export function DraftNotes() {
  const editing = useSignal(false);
  const notes = draft.value.notes;
  const isFull = notes.length >= DRAFT_CAPS.notes;
  return (
    <section class="draft-notes" aria-labelledby="draft-notes-heading">
      <h3 id="draft-notes-heading">{t('form.notes.heading')}</h3>
      {notes.length > 0 && (
        <ul class="draft-notes__list">
          {notes.map((note, index) => (
            <li key={index} class="draft-note">
              <span class="draft-note__text">{excerptOf(note) || t('form.notes.imageOnly')}</span>
              <button
                type="button"
                class="link"
                aria-label={t('form.notes.remove', index + 1)}
                onClick={() => updateDraft({ notes: draft.value.notes.filter((_, i) => i !== index) })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {editing.value ? (
        <Lazy
          load={loadEditor}
          props={{
            mode: 'add' as const,
            onAdd: async (html: string) => {
              // Sanitizing and the "empty note" rule run now, so a bad note is refused here, next to the editor.
              const { prepareNote } = await import('../../lib/notes/prepare');
              const prepared = prepareNote({ body: html, format: 'html' });
              if (draft.value.notes.length >= DRAFT_CAPS.notes) return;
              updateDraft({ notes: [...draft.value.notes, { body: prepared.body, format: prepared.format }] });
              editing.value = false;
            },
          }}
        />
      ) : (
        <>
          <button type="button" name="add-draft-note" disabled={isFull} aria-describedby={isFull ? 'draft-notes-full' : undefined} onClick={() => (editing.value = true)}>
            {t('form.notes.add')}
          </button>
          {isFull && (
            <p class="field__hint" id="draft-notes-full" role="status">
              {t('form.notes.full', DRAFT_CAPS.notes)}
            </p>
          )}
        </>
      )}
    </section>
  );
}
