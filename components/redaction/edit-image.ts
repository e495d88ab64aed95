/**
 * Opens the screenshot editor (ImageRedactor, loaded on first use) over the
 * panel for one image and resolves with the image to attach, or undefined
 * when the agent cancelled. Callable from any paste or capture path without
 * a place in the component tree: the editor mounts in a node of its own and
 * goes away with it. Editors open one at a time, in the order asked.
 */
import { h, render } from 'preact';
import { isImageType } from '../../lib/inbox/images';
import { outputNameOf } from '../../lib/redaction/image-rects';

let queue: Promise<unknown> = Promise.resolve();

/** Whether an image goes through the editor: raster images only (the types Sidecase accepts from a page or the clipboard). */
export function isEditableImage(file: Blob): boolean {
  return isImageType(file.type);
}

export function editImageBeforeAttaching(image: Blob, name: string): Promise<Blob | undefined> {
  const next = queue.then(async () => {
    const { ImageRedactor } = await import('./ImageRedactor');
    const host = document.createElement('div');
    document.body.append(host);
    return new Promise<Blob | undefined>((resolve) => {
      const onDone = (result: Blob | undefined) => {
        render(null, host);
        host.remove();
        resolve(result);
      };
      render(h(ImageRedactor, { image, name, onDone }), host);
    });
  });
  queue = next.catch(() => undefined);
  return next;
}

/** The edited image as a file, named after the original with the extension of the type Attach wrote. */
export function editedFile(image: Blob, name: string): File {
  return new File([image], outputNameOf(name, image.type), { type: image.type });
}
