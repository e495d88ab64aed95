/**
 * "New case from this page": the capture button's work, from the page's own
 * menu. A page that cannot be read (refused, frozen, showing a dialog) still
 * gives its URL and title, with the reason it was not read.
 */
import { pendingId, sourceOf, type MenuAction } from './action';

export const newCaseFromPage: MenuAction = {
  id: 'newCaseFromPage',
  contexts: ['page'],
  async run(click) {
    const settings = await click.services.settings();
    const captured = click.tab?.id === undefined ? undefined : await click.services.capture(click.tab.id, undefined, settings);
    await click.services.store({
      kind: 'draft',
      id: pendingId(click),
      action: this.id,
      source: sourceOf(click, 'page'),
      capture: captured?.ok ? captured.result : undefined,
      captureError: captured && !captured.ok ? captured.error : undefined,
    });
  },
};
