/**
 * Opens the screenshot editor (ImageRedactor, loaded on first use) over the
 * panel for one image and resolves with the image to attach (named after the
 * original, with the extension of the type written), or undefined when the
 * agent cancelled. Callable from any paste or capture path without
 * a place in the component tree: the editor mounts in a node of its own and
 * goes away with it. Editors open one at a time, in the order asked.
 *
 * Callers import this file with import(): a static import from a lazy chunk
 * still lists it in the first-paint script's preload map.
 */
import { h, render } from 'preact';
import { isImageType } from '../../lib/inbox/images';
import { outputNameOf } from '../../lib/redaction/image-rects';

let queue: Promise<unknown> = Promise.resolve();

export function editImageBeforeAttaching(image: Blob, name: string): Promise<File | undefined> {
  // Not a raster image the editor can open (an SVG, a TIFF): left as it is, for the caller's own checks.
  if (!isImageType(image.type)) return Promise.resolve(image instanceof File ? image : new File([image], name, { type: image.type }));
  const next = queue.then(async () => {
    const { ImageRedactor } = await import('./ImageRedactor');
    const host = document.createElement('div');
    document.body.append(host);
    return new Promise<File | undefined>((resolve) => {
      const onDone = (result: Blob | undefined) => {
        render(null, host);
        host.remove();
        resolve(result && new File([result], outputNameOf(name, result.type), { type: result.type }));
      };
      render(h(ImageRedactor, { image, name, onDone }), host);
    });
  });
  queue = next.catch(() => undefined);
  return next;
}
