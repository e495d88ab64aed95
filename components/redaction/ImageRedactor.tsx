import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../lib/i18n/t';
import {
  KEY_STEP,
  clampRect,
  fitImage,
  initialSelection,
  isUsableRect,
  moveRect,
  pushRect,
  rectBetween,
  resizeRect,
  toImageRect,
  undoRect,
  type Point,
  type Rect,
  type RectEffect,
  type RectStack,
  type Size,
} from '../../lib/redaction/image-rects';
import { Dialog } from '../shell/Dialog';
import { paintRects, redactImage } from './paint-rects';
import './image-redactor.css';

export interface ImageRedactorProps {
  image: Blob;
  name: string;
  /** The image to attach with its areas hidden, or undefined when the agent cancelled. */
  onDone: (result: Blob | undefined) => void;
}

interface Shown {
  bitmap: ImageBitmap;
  display: Size;
  /** Image pixels per display pixel. */
  scale: number;
}

/** Of the panel's height, what the image may take: the buttons stay in view under it. */
const HEIGHT_SHARE = 0.6;

function strokeRect(ctx: CanvasRenderingContext2D, rect: Rect, ratio: number, dashed: boolean): void {
  ctx.save();
  ctx.lineWidth = 2 * ratio;
  ctx.setLineDash(dashed ? [6 * ratio, 4 * ratio] : []);
  // Two strokes: visible on light and on dark screenshots alike.
  for (const [colour, offset] of [['#fff', 0], ['#0b57d0', ctx.lineWidth]] as const) {
    ctx.strokeStyle = colour;
    ctx.lineDashOffset = offset;
    ctx.strokeRect(rect.x * ratio, rect.y * ratio, rect.width * ratio, rect.height * ratio);
  }
  ctx.restore();
}

/**
 * The screenshot editor: the image scaled to the panel, rectangles dragged
 * (or placed with the keyboard) to black out or blur, Undo, and Attach, which
 * paints them at the image's full resolution. Nothing is kept: the caller
 * gets the new image or nothing. Opened by edit-image.ts, loaded lazily.
 */
export function ImageRedactor(props: ImageRedactorProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState<Shown | undefined>(undefined);
  const [rects, setRects] = useState<RectStack>([]);
  const [effect, setEffect] = useState<RectEffect>('black');
  const [drag, setDrag] = useState<{ start: Point; end: Point } | undefined>(undefined);
  const [selection, setSelection] = useState<Rect | undefined>(undefined);
  const [isFocused, setFocused] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    let live = true;
    let bitmap: ImageBitmap | undefined;
    createImageBitmap(props.image).then(
      (loaded) => {
        bitmap = loaded;
        if (!live) return loaded.close();
        const width = frame.current?.clientWidth || window.innerWidth - 48;
        const fitted = fitImage(loaded, { width, height: Math.max(120, window.innerHeight * HEIGHT_SHARE) });
        setShown({ bitmap: loaded, ...fitted });
        setSelection(initialSelection(fitted.display));
      },
      () => live && setError('imageRedactor.error.open'),
    );
    return () => {
      live = false;
      bitmap?.close();
    };
  }, [props.image]);

  // The preview: the image, the rectangles as Attach will paint them, the drag and the keyboard selection.
  useEffect(() => {
    const el = canvas.current;
    if (!el || !shown) return;
    const ratio = window.devicePixelRatio || 1;
    el.width = Math.round(shown.display.width * ratio);
    el.height = Math.round(shown.display.height * ratio);
    const ctx = el.getContext('2d');
    if (!ctx) return;
    ctx.drawImage(shown.bitmap, 0, 0, el.width, el.height);
    paintRects(ctx, rects, el.width / shown.bitmap.width);
    if (drag) strokeRect(ctx, rectBetween(drag.start, drag.end), ratio, false);
    if (isFocused && selection && !drag) strokeRect(ctx, selection, ratio, true);
  }, [shown, rects, drag, selection, isFocused]);

  const add = (displayRect: Rect) => {
    if (!shown) return;
    const clamped = clampRect(displayRect, shown.display);
    if (!isUsableRect(clamped)) return;
    setRects((stack) => pushRect(stack, { ...toImageRect(clamped, shown.scale, shown.bitmap), effect }));
  };
  const undo = () => setRects(undoRect);
  const cancel = () => props.onDone(undefined);
  const attach = async () => {
    setBusy(true);
    setError(undefined);
    try {
      props.onDone(await redactImage(props.image, rects));
    } catch (failure) {
      console.error('image not redacted', failure);
      setError('imageRedactor.error.encode');
      setBusy(false);
    }
  };

  /** A pointer's place on the canvas, in display pixels (the canvas may be drawn narrower than its size). */
  const pointOf = (event: PointerEvent): Point => {
    const box = canvas.current!.getBoundingClientRect();
    const width = shown?.display.width ?? box.width;
    const height = shown?.display.height ?? box.height;
    const x = ((event.clientX - box.left) * width) / (box.width || 1);
    const y = ((event.clientY - box.top) * height) / (box.height || 1);
    return { x: Math.min(Math.max(x, 0), width), y: Math.min(Math.max(y, 0), height) };
  };

  const onCanvasKey = (event: KeyboardEvent) => {
    if (!shown || !selection) return;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      const [dx, dy] = [move[0] * KEY_STEP, move[1] * KEY_STEP];
      setSelection(event.shiftKey ? resizeRect(selection, dx, dy, shown.display) : moveRect(selection, dx, dy, shown.display));
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      add(selection);
    }
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      undo();
    }
  };

  return (
    <Dialog name="image-redactor" title={t('imageRedactor.title')} onClose={cancel} class="image-redactor">
      <div onKeyDown={onKeyDown}>
        <p class="field__hint" id="image-redactor-hint">
          {t('imageRedactor.hint')}
        </p>
        <fieldset class="image-redactor__effect">
          <legend>{t('imageRedactor.effect.legend')}</legend>
          {(['black', 'blur'] as const).map((value) => (
            <label key={value}>
              <input type="radio" name="image-redactor.effect" value={value} checked={effect === value} onChange={() => setEffect(value)} />{' '}
              {t(`imageRedactor.effect.${value}`)}
            </label>
          ))}
        </fieldset>
        <div class="image-redactor__frame" ref={frame}>
          {shown && (
            <canvas
              ref={canvas}
              class="image-redactor__canvas"
              style={{ width: `${shown.display.width}px`, height: `${shown.display.height}px` }}
              role="application"
              tabIndex={0}
              aria-label={t('imageRedactor.canvas.label', props.name)}
              aria-describedby="image-redactor-hint"
              data-image-width={shown.bitmap.width}
              data-image-height={shown.bitmap.height}
              onFocus={() => setFocused(true)}
              onBlur={() => setFocused(false)}
              onKeyDown={onCanvasKey}
              onPointerDown={(event) => {
                if (event.button !== 0) return;
                event.preventDefault();
                canvas.current?.setPointerCapture(event.pointerId);
                const at = pointOf(event);
                setDrag({ start: at, end: at });
              }}
              onPointerMove={(event) => drag && setDrag({ ...drag, end: pointOf(event) })}
              onPointerUp={(event) => {
                if (!drag) return;
                add(rectBetween(drag.start, pointOf(event)));
                setDrag(undefined);
              }}
              onPointerCancel={() => setDrag(undefined)}
            />
          )}
          {!shown && !error && (
            <p class="loading" aria-busy="true">
              {t('app.loading')}
            </p>
          )}
        </div>
        <p class="field__hint" role="status">
          {t('imageRedactor.count', rects.length)}
        </p>
        {error && (
          <p class="field__error" role="alert">
            {t(error)}
          </p>
        )}
        <div class="actions">
          <button type="button" class="primary" name="image-redactor.attach" disabled={busy || !shown} onClick={() => void attach()}>
            {t('imageRedactor.attach')}
          </button>
          <button type="button" name="image-redactor.undo" disabled={busy || rects.length === 0} aria-keyshortcuts="Control+Z Meta+Z" onClick={undo}>
            {t('imageRedactor.undo')}
          </button>
          <button type="button" name="image-redactor.cancel" disabled={busy} onClick={cancel}>
            {t('imageRedactor.cancel')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
