import { describe, expect, it } from 'vitest';
import {
  blurCellSize,
  clampRect,
  fitImage,
  initialSelection,
  isUsableRect,
  moveRect,
  outputNameOf,
  outputTypeOf,
  pushRect,
  rectBetween,
  resizeRect,
  toDisplayRect,
  toImageRect,
  undoRect,
  type RectStack,
} from '../../../lib/redaction/image-rects';

describe('the screenshot editor geometry', () => {
  it('fits a screenshot to the panel width without enlarging a small image, and says the scale back to image pixels', () => {
    const screenshot = { width: 1600, height: 900 };
    const fitted = fitImage(screenshot, { width: 400, height: 2000 });
    expect(fitted.display).toEqual({ width: 400, height: 225 });
    expect(fitted.scale).toBe(4);
    // A tall image is fitted by its height.
    expect(fitImage({ width: 400, height: 2000 }, { width: 400, height: 500 }).display).toEqual({ width: 100, height: 500 });
    const small = fitImage({ width: 120, height: 80 }, { width: 400, height: 600 });
    expect(small.display).toEqual({ width: 120, height: 80 });
    expect(small.scale).toBe(1);
  });

  it('takes a drag in any direction as the rectangle between its corners', () => {
    expect(rectBetween({ x: 50, y: 40 }, { x: 10, y: 90 })).toEqual({ x: 10, y: 40, width: 40, height: 50 });
  });

  it('maps a rectangle drawn on screen to the image pixels it covers, rounding outwards and never past the image', () => {
    const image = { width: 1600, height: 900 };
    // 10.3..20.6 on screen at 4× is 41.2..82.4 in the image: pixels 41 to 82 inclusive.
    expect(toImageRect({ x: 10.3, y: 5, width: 10.3, height: 10 }, 4, image)).toEqual({ x: 41, y: 20, width: 42, height: 40 });
    // Dragged beyond the canvas: clamped to the image.
    expect(toImageRect({ x: -5, y: 200, width: 420, height: 50 }, 4, image)).toEqual({ x: 0, y: 800, width: 1600, height: 100 });
    // Back on screen for the preview.
    expect(toDisplayRect({ x: 40, y: 20, width: 40, height: 40 }, 4)).toEqual({ x: 10, y: 5, width: 10, height: 10 });
  });

  it('clamps a rectangle to the bounds and makes one wholly outside empty', () => {
    expect(clampRect({ x: -10, y: -10, width: 30, height: 30 }, { width: 100, height: 100 })).toEqual({ x: 0, y: 0, width: 20, height: 20 });
    expect(clampRect({ x: 150, y: 10, width: 30, height: 30 }, { width: 100, height: 100 })).toMatchObject({ width: 0 });
  });

  it('takes a click (a drag of a pixel or two) for no rectangle', () => {
    expect(isUsableRect({ x: 0, y: 0, width: 2, height: 40 })).toBe(false);
    expect(isUsableRect({ x: 0, y: 0, width: 3, height: 3 })).toBe(true);
  });

  it('moves and resizes the keyboard selection within the image', () => {
    const display = { width: 200, height: 100 };
    const start = initialSelection(display);
    expect(start).toEqual({ x: 50, y: 25, width: 100, height: 50 });
    expect(moveRect(start, 500, -500, display)).toEqual({ x: 100, y: 0, width: 100, height: 50 });
    expect(resizeRect(start, 500, -500, display)).toEqual({ x: 50, y: 25, width: 150, height: 3 });
  });

  it('undoes the latest rectangle first, without changing the stack it was given', () => {
    let stack: RectStack = [];
    stack = pushRect(stack, { x: 0, y: 0, width: 10, height: 10, effect: 'black' });
    stack = pushRect(stack, { x: 20, y: 0, width: 10, height: 10, effect: 'blur' });
    const before = stack;
    expect(undoRect(stack).map((r) => r.x)).toEqual([0]);
    expect(before).toHaveLength(2);
    expect(undoRect(undoRect(undoRect(stack)))).toEqual([]);
  });

  it('blurs in cells too coarse to read a line of text back', () => {
    expect(blurCellSize({ width: 40, height: 16 })).toBe(12);
    expect(blurCellSize({ width: 1200, height: 300 })).toBe(100);
  });

  it('keeps a JPEG a JPEG and writes anything else as PNG', () => {
    expect(outputTypeOf('image/jpeg')).toBe('image/jpeg');
    expect(outputTypeOf('image/webp')).toBe('image/png');
    expect(outputTypeOf('image/png')).toBe('image/png');
    expect(outputNameOf('receipt.webp', 'image/png')).toBe('receipt.png');
    expect(outputNameOf('photo.JPEG', 'image/jpeg')).toBe('photo.JPEG');
    expect(outputNameOf('screenshot-2026.png', 'image/png')).toBe('screenshot-2026.png');
    expect(outputNameOf('image', 'image/png')).toBe('image.png');
  });
});
