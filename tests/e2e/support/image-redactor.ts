/**
 * The screenshot editor (components/redaction/ImageRedactor.tsx) as a test
 * drives it: it opens over the panel before a screenshot or a pasted image
 * is attached.
 */
import type { ElementHandle, Page } from 'puppeteer-core';

export const IMAGE_REDACTOR = 'dialog[data-name="image-redactor"][open]';

/** Waits for the editor to show its image; returns the canvas. */
export async function waitForImageRedactor(page: Page): Promise<ElementHandle<HTMLCanvasElement>> {
  const canvas = await page.waitForSelector(`${IMAGE_REDACTOR} canvas`, { timeout: 15_000 });
  return canvas as ElementHandle<HTMLCanvasElement>;
}

async function closeWith(page: Page, button: 'attach' | 'cancel'): Promise<void> {
  await waitForImageRedactor(page);
  await page.click(`${IMAGE_REDACTOR} button[name="image-redactor.${button}"]:not(:disabled)`);
  await page.waitForFunction(() => !document.querySelector('dialog[data-name="image-redactor"]'), { polling: 100, timeout: 15_000 });
}

/** Attach, with whatever rectangles were drawn (none: the image as it is, encoded again). */
export const attachInImageRedactor = (page: Page) => closeWith(page, 'attach');
export const cancelImageRedactor = (page: Page) => closeWith(page, 'cancel');
