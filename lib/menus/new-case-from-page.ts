/**
 * "New case from this page": the capture button's work, from the page's own
 * menu. A page that cannot be read (refused, frozen, showing a dialog) still
 * gives its URL and title, with the reason it was not read.
 */
import { storePageDraft, type MenuAction } from './action';

export const newCaseFromPage: MenuAction = {
  id: 'newCaseFromPage',
  contexts: ['page'],
  run(click) {
    return storePageDraft(click, this.id, 'page');
  },
};
