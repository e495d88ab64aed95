/**
 * "Add selection to case…": the selection waits in the panel, which offers the
 * latest open case or lets the agent pick another, and adds it as a note.
 */
import { pendingId, selectionOf, sourceOf, type MenuAction } from './action';

export const addSelectionToCase: MenuAction = {
  id: 'addSelectionToCase',
  contexts: ['selection'],
  async run(click) {
    const text = selectionOf(click);
    if (!text) return;
    await click.services.store({ kind: 'note', id: pendingId(click), action: this.id, source: sourceOf(click, 'selection'), text });
  },
};
