/**
 * The screenshot editor's canvas work: the rectangles painted over an image,
 * on screen for the preview and at full resolution for Attach, then encoded
 * again (which also drops whatever metadata the original carried). Loaded
 * with the editor, never with the panel's first paint.
 */
import { blurCellSize, outputTypeOf, type RedactionRect } from '../../lib/redaction/image-rects';

type Canvas = HTMLCanvasElement | OffscreenCanvas;
type Context = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

function newCanvas(width: number, height: number): Canvas {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

function contextOf(canvas: Canvas): Context {
  const ctx = canvas.getContext('2d') as Context | null;
  if (!ctx) throw new Error('no 2d canvas context');
  return ctx;
}

/**
 * Paints the rectangles (image pixels) over what the context already shows,
 * `factor` context pixels per image pixel. A blurred area is read from the
 * context itself, so a blur over a black box never brings back what is under it.
 */
export function paintRects(ctx: Context, rects: readonly RedactionRect[], factor: number): void {
  for (const rect of rects) {
    const x = Math.floor(rect.x * factor);
    const y = Math.floor(rect.y * factor);
    const width = Math.max(1, Math.ceil((rect.x + rect.width) * factor) - x);
    const height = Math.max(1, Math.ceil((rect.y + rect.height) * factor) - y);
    if (rect.effect === 'black') {
      ctx.fillStyle = '#000';
      ctx.fillRect(x, y, width, height);
      continue;
    }
    // Blur: the area shrunk to a few cells, then stretched back smoothly over itself.
    const cell = Math.max(1, blurCellSize(rect) * factor);
    const small = newCanvas(Math.max(1, Math.ceil(width / cell)), Math.max(1, Math.ceil(height / cell)));
    const smallCtx = contextOf(small);
    smallCtx.imageSmoothingEnabled = true;
    smallCtx.imageSmoothingQuality = 'high';
    smallCtx.drawImage(ctx.canvas, x, y, width, height, 0, 0, small.width, small.height);
    ctx.save();
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(small, 0, 0, small.width, small.height, x, y, width, height);
    ctx.restore();
  }
}

/** The image with its rectangles painted at full resolution, as PNG (JPEG when it came as JPEG). */
export async function redactImage(image: Blob, rects: readonly RedactionRect[]): Promise<Blob> {
  const bitmap = await createImageBitmap(image);
  try {
    const canvas = newCanvas(bitmap.width, bitmap.height);
    const ctx = contextOf(canvas);
    ctx.drawImage(bitmap, 0, 0);
    paintRects(ctx, rects, 1);
    const type = outputTypeOf(image.type);
    if ('convertToBlob' in canvas) return await canvas.convertToBlob({ type, quality: 0.92 });
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('image not encoded'))), type, 0.92),
    );
  } finally {
    bitmap.close();
  }
}
