import type { VNode } from 'preact';
import { useLayoutEffect, useReducer, useRef, useState } from 'preact/hooks';
import { Virtualizer, elementScroll, observeElementOffset, observeElementRect } from '@tanstack/virtual-core';

/**
 * A virtualized list of fixed-height rows (@tanstack/virtual-core): only the
 * rows in view (plus a few) are in the DOM, so 50,000 cases scroll as smoothly
 * as 50. The caller renders each row (an <li> with the given style) and hears
 * which rows are in view, to load their data page by page.
 *
 * Keyboard: Arrow Up/Down, Home and End move the focus between rows, scrolling
 * rows that are not rendered yet into view first. A roving tabindex keeps the
 * list one Tab stop: only the row last focused (else the first one rendered)
 * is in the Tab order, so Tab leaves the list instead of walking 50 rows.
 */
export function VirtualList(props: {
  count: number;
  rowHeight: number;
  /** Height of the scrolling box, CSS. */
  height: string;
  renderRow: (index: number, style: string) => VNode;
  onRange?: (start: number, end: number) => void;
  listProps?: Record<string, string | undefined>;
  /** Changes when the rows mean something else (another view): back to the top. */
  resetKey?: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const options = {
    count: props.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => props.rowHeight,
    scrollToFn: elementScroll,
    observeElementRect,
    observeElementOffset,
    overscan: 6,
    onChange: () => rerender(0),
  };
  const [virtualizer] = useState(() => new Virtualizer<HTMLDivElement, HTMLLIElement>(options));
  virtualizer.setOptions({ ...virtualizer.options, ...options });
  useLayoutEffect(() => virtualizer._didMount(), []);
  useLayoutEffect(() => virtualizer._willUpdate());
  useLayoutEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [props.resetKey]);

  const active = useRef(0);
  // After every render: rows come and go as the list scrolls, so their tabindex is set on the DOM.
  useLayoutEffect(() => {
    const buttons = scrollRef.current?.querySelectorAll<HTMLElement>('[data-index] > button') ?? [];
    const hasActive = [...buttons].some((b) => Number(b.parentElement?.dataset.index) === active.current);
    buttons.forEach((button, i) => {
      const index = Number(button.parentElement?.dataset.index);
      button.tabIndex = (hasActive ? index === active.current : i === 0) ? 0 : -1;
    });
  });
  const onFocusIn = (event: FocusEvent) => {
    const row = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!row) return;
    active.current = Number(row.dataset.index);
    for (const button of scrollRef.current?.querySelectorAll<HTMLElement>('[data-index] > button') ?? []) {
      button.tabIndex = button.parentElement === row ? 0 : -1;
    }
  };

  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;
  const onRange = props.onRange;
  useLayoutEffect(() => {
    if (last >= first) onRange?.(first, last);
  }, [first, last, onRange]);

  const focusRow = (index: number) => {
    const target = Math.max(0, Math.min(props.count - 1, index));
    virtualizer.scrollToIndex(target, { align: 'auto' });
    // The row may render only on the next frame.
    const tryFocus = (attempt: number) => {
      const row = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${target}"] button`);
      if (row) row.focus();
      else if (attempt < 5) requestAnimationFrame(() => tryFocus(attempt + 1));
    };
    tryFocus(0);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const current = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!current) return;
    const index = Number(current.dataset.index);
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: props.count - 1, PageDown: index + 8, PageUp: index - 8 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    focusRow(moves[event.key]!);
  };

  return (
    <div ref={scrollRef} class="vlist" style={`height:${props.height}`}>
      <ul class="cases vlist__rows" style={`height:${virtualizer.getTotalSize()}px`} onKeyDown={onKeyDown} onFocusIn={onFocusIn} {...props.listProps}>
        {items.map((item) => props.renderRow(item.index, `transform:translateY(${item.start}px);height:${item.size}px`))}
      </ul>
    </div>
  );
}
