/** "Add link to case": the link (and its selected text, if any) as a note on a case the agent picks. */
import { cleanLine } from '../capture/clean';
import { pendingId, selectionOf, sourceOf, type MenuAction } from './action';

/** Only links a person can follow; `javascript:` and friends are not links to keep. */
const FOLLOWABLE = /^(https?|mailto|tel):/i;

export const addLinkToCase: MenuAction = {
  id: 'addLinkToCase',
  contexts: ['link'],
  async run(click) {
    const url = cleanLine(click.info.linkUrl ?? '', 4096);
    if (!FOLLOWABLE.test(url)) return;
    const label = selectionOf(click, 500);
    const text = label && label !== url ? `${label}\n${url}` : url;
    await click.services.store({ kind: 'note', id: pendingId(click), action: this.id, source: sourceOf(click, 'link'), text });
  },
};
