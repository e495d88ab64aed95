/**
 * The geometry of the screenshot editor (components/redaction/ImageRedactor):
 * rectangles drawn on an image shown smaller than it is, kept in the image's
 * own pixels so that Attach covers at full resolution what the agent covered
 * on screen, and the undo stack. Pure: no canvas, no DOM.
 */

export interface Size {
  width: number;
  height: number;
}
export interface Point {
  x: number;
  y: number;
}
export interface Rect extends Point, Size {}

/** Black paints the area over; blur smears it beyond reading. */
export type RectEffect = 'black' | 'blur';
export interface RedactionRect extends Rect {
  effect: RectEffect;
}

/** A drag shorter than this (display pixels) either way is a click, not a rectangle. */
export const MIN_RECT_SIZE = 3;
/** One arrow key press moves or resizes the keyboard selection by this many display pixels. */
export const KEY_STEP = 10;

/** The display size of an image fitted into a box (never enlarged) and the display → image scale. */
export function fitImage(image: Size, box: Size): { display: Size; scale: number } {
  const ratio = Math.min(1, box.width / image.width, box.height / image.height);
  const display = { width: Math.max(1, Math.round(image.width * ratio)), height: Math.max(1, Math.round(image.height * ratio)) };
  return { display, scale: image.width / display.width };
}

/** The rectangle spanned by two corners, whichever way the drag went. */
export function rectBetween(a: Point, b: Point): Rect {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
}

/** The part of a rectangle inside the bounds (0,0)–(width,height); empty (0 × 0) when none is. */
export function clampRect(rect: Rect, bounds: Size): Rect {
  const x = Math.min(Math.max(rect.x, 0), bounds.width);
  const y = Math.min(Math.max(rect.y, 0), bounds.height);
  const right = Math.min(Math.max(rect.x + rect.width, 0), bounds.width);
  const bottom = Math.min(Math.max(rect.y + rect.height, 0), bounds.height);
  return { x, y, width: Math.max(0, right - x), height: Math.max(0, bottom - y) };
}

export function isUsableRect(rect: Rect, min = MIN_RECT_SIZE): boolean {
  return rect.width >= min && rect.height >= min;
}

/**
 * A display rectangle in image pixels: scaled, then widened to whole pixels
 * outwards (a pixel half under the rectangle on screen is covered too), and
 * clamped to the image.
 */
export function toImageRect(rect: Rect, scale: number, image: Size): Rect {
  const x = Math.floor(rect.x * scale);
  const y = Math.floor(rect.y * scale);
  const right = Math.ceil((rect.x + rect.width) * scale);
  const bottom = Math.ceil((rect.y + rect.height) * scale);
  return clampRect({ x, y, width: right - x, height: bottom - y }, image);
}

/** An image rectangle on screen, for drawing the preview. */
export function toDisplayRect(rect: Rect, scale: number): Rect {
  return { x: rect.x / scale, y: rect.y / scale, width: rect.width / scale, height: rect.height / scale };
}

/** The keyboard selection at first: the middle half of the displayed image. */
export function initialSelection(display: Size): Rect {
  return { x: Math.round(display.width / 4), y: Math.round(display.height / 4), width: Math.round(display.width / 2), height: Math.round(display.height / 2) };
}

/** The keyboard selection moved by (dx, dy), kept whole inside the display. */
export function moveRect(rect: Rect, dx: number, dy: number, bounds: Size): Rect {
  const x = Math.min(Math.max(rect.x + dx, 0), Math.max(0, bounds.width - rect.width));
  const y = Math.min(Math.max(rect.y + dy, 0), Math.max(0, bounds.height - rect.height));
  return { ...rect, x, y };
}

/** The keyboard selection grown or shrunk from its bottom-right corner, never below the minimum nor past the display. */
export function resizeRect(rect: Rect, dWidth: number, dHeight: number, bounds: Size, min = MIN_RECT_SIZE): Rect {
  const width = Math.min(Math.max(rect.width + dWidth, min), bounds.width - rect.x);
  const height = Math.min(Math.max(rect.height + dHeight, min), bounds.height - rect.y);
  return { ...rect, width, height };
}

/**
 * The side (image pixels) of the cells a blurred rectangle is reduced to
 * before it is stretched back: coarse enough that text under it cannot be
 * read back (at least 12 px, about a line of screen text), and a twelfth of
 * the rectangle's longer side on larger areas.
 */
export function blurCellSize(rect: Size): number {
  return Math.max(12, Math.ceil(Math.max(rect.width, rect.height) / 12));
}

/** What Attach encodes: JPEG stays JPEG (a photo as PNG would grow several times), anything else becomes PNG. */
export function outputTypeOf(sourceType: string): 'image/png' | 'image/jpeg' {
  return sourceType.split(';')[0]!.trim().toLowerCase() === 'image/jpeg' ? 'image/jpeg' : 'image/png';
}

/** The edited image's file name: the original's, with the extension of the type written ("photo.webp" → "photo.png"). */
export function outputNameOf(name: string, type: string): string {
  const isJpeg = type === 'image/jpeg';
  if (isJpeg ? /\.jpe?g$/i.test(name) : /\.png$/i.test(name)) return name;
  return `${name.replace(/\.[a-z0-9]{2,5}$/i, '')}.${isJpeg ? 'jpg' : 'png'}`;
}

// ------------------------------------------------------------------ undo stack

/** The rectangles drawn so far, oldest first: Undo removes the latest. Values, never changed in place. */
export type RectStack = readonly RedactionRect[];

export function pushRect(stack: RectStack, rect: RedactionRect): RectStack {
  return [...stack, rect];
}

export function undoRect(stack: RectStack): RectStack {
  return stack.slice(0, -1);
}
