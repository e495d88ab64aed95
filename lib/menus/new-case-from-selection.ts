/**
 * "New case from selection": the quick-create form filled from the page, with
 * the selection as the description. The page is read too (the click grants
 * activeTab), so the customer comes with it; when it cannot be read (refused,
 * frozen, showing a dialog: captureTab's deadline), the selection alone fills
 * the form and the panel says why the page was not read.
 */
import { selectionOf, storePageDraft, type MenuAction } from './action';

export const newCaseFromSelection: MenuAction = {
  id: 'newCaseFromSelection',
  contexts: ['selection'],
  async run(click) {
    const text = selectionOf(click);
    if (text) await storePageDraft(click, this.id, 'selection', text);
  },
};
