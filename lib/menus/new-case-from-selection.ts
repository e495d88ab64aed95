/**
 * "New case from selection": the quick-create form filled from the page, with
 * the selection as the description. The page is read too (the click grants
 * activeTab), so the customer comes with it; when it cannot be read (refused,
 * frozen, showing a dialog: captureTab's deadline), the selection alone fills
 * the form and the panel says why the page was not read.
 */
import { pendingId, selectionOf, sourceOf, type MenuAction } from './action';

export const newCaseFromSelection: MenuAction = {
  id: 'newCaseFromSelection',
  contexts: ['selection'],
  async run(click) {
    const text = selectionOf(click);
    if (!text) return;
    const settings = await click.services.settings();
    const captured = click.tab?.id === undefined ? undefined : await click.services.capture(click.tab.id, text, settings);
    await click.services.store({
      kind: 'draft',
      id: pendingId(click),
      action: this.id,
      source: sourceOf(click, 'selection'),
      text,
      capture: captured?.ok ? captured.result : undefined,
      captureError: captured && !captured.ok ? captured.error : undefined,
    });
  },
};
