/**
 * "Screenshot to case": the visible part of the tab (`tabs.captureVisibleTab`,
 * allowed by the click's activeTab grant), as a PNG; a screen too large for
 * the image cap is taken again as JPEG.
 */
import { IMAGE_MAX_BYTES, dataUrlToBlob, imageNameOf } from '../inbox/images';
import { SidecaseError } from '../errors';
import { pendingId, sourceOf, type MenuAction } from './action';

export const screenshotToCase: MenuAction = {
  id: 'screenshotToCase',
  contexts: ['page'],
  async run(click) {
    let dataUrl = await click.services.captureVisibleTab(click.tab?.windowId, 'png');
    let blob = dataUrlToBlob(dataUrl);
    if (blob.size > IMAGE_MAX_BYTES) {
      dataUrl = await click.services.captureVisibleTab(click.tab?.windowId, 'jpeg');
      blob = dataUrlToBlob(dataUrl);
    }
    if (blob.size > IMAGE_MAX_BYTES) throw new SidecaseError('menus.image.tooLarge');
    const type = blob.type === 'image/jpeg' ? 'image/jpeg' : 'image/png';
    const now = click.services.now();
    await click.services.store({
      kind: 'image',
      id: pendingId(click),
      action: this.id,
      source: sourceOf(click, 'screenshot'),
      image: { dataUrl, name: imageNameOf(undefined, type, now, 'screenshot'), type, size: blob.size },
    });
  },
};
