/**
 * "Quick note from selection": a note with no case, straight into the Notes
 * inbox (Dexie, through lib/notes), where the agent later files it or turns
 * it into a case. The page and the time are kept in the note's text, since
 * addNote stores no source yet.
 */
import { addNote } from '../notes/notes';
import { selectionOf, sourceOf, type MenuAction } from './action';

export const quickNoteFromSelection: MenuAction = {
  id: 'quickNoteFromSelection',
  contexts: ['selection'],
  async run(click) {
    const text = selectionOf(click);
    if (!text) return;
    const source = sourceOf(click, 'selection');
    const settings = await click.services.settings();
    const from = [source.pageTitle, source.url].filter(Boolean).join(' · ');
    await addNote(undefined, { body: from ? `${text}\n\n— ${from}` : text, format: 'text' }, { actor: settings.agentName, now: source.capturedAt });
  },
};
