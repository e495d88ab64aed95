/**
 * "Attach image to case": the image is fetched by the background (size-capped,
 * type checked on its bytes) and waits in the panel for a case: the latest
 * open one, one the agent picks, or the case being written.
 */
import { fetchImage } from './image';
import { pendingId, sourceOf, type MenuAction } from './action';

export const attachImageToCase: MenuAction = {
  id: 'attachImageToCase',
  contexts: ['image'],
  async run(click) {
    const url = click.info.srcUrl;
    if (!url) return;
    const image = await fetchImage(url, click.services.fetch, click.services.now());
    await click.services.store({ kind: 'image', id: pendingId(click), action: this.id, source: sourceOf(click, 'image'), image });
  },
};
