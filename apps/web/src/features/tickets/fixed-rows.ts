import { type Accessor, createMemo, createSignal, onCleanup, onMount } from 'solid-js';

/** Indexes into the list, both ends included. */
export interface RowRange {
  from: number;
  to: number;
}

/**
 * The window of a scrolling list whose rows all have one height: which rows are in view (plus
 * `overscan` on each side) is arithmetic on the scroll position. A scroll event costs one read of
 * `scrollTop` and, only when a row enters or leaves, one update; nothing is measured or reconciled
 * per event (a general virtualizer's bookkeeping per scroll event showed in every frame of a fling on
 * a phone-class CPU).
 */
export function createFixedRows(options: { count: Accessor<number>; rowHeight: number; overscan: number; scroller: () => HTMLElement | undefined }) {
  const [top, setTop] = createSignal(0);
  const [height, setHeight] = createSignal(0);
  onMount(() => {
    const el = options.scroller();
    if (!el) return;
    setHeight(el.clientHeight);
    setTop(el.scrollTop);
    // The rows a scroll brings in are rendered in a task of their own, not in the scroll event: the
    // browser dispatches scroll events inside its frame's task, with the frame's style, layout and paint,
    // and at a phone's CPU speed rendering the rows coming in there too made some frames' tasks longer
    // than 50 ms. The overscan (5 rows, 520 px) covers the frame this may lag by. The position is read
    // in that task, after the frame (reading it in the event forced the layout of the rows before).
    let pending: ReturnType<typeof setTimeout> | undefined;
    const onScroll = () => {
      pending ??= setTimeout(() => {
        pending = undefined;
        setTop(el.scrollTop);
      });
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    // The box's height as laid out, without reading layout ourselves.
    const resized = new ResizeObserver(([entry]) => entry && setHeight(entry.contentRect.height));
    resized.observe(el);
    onCleanup(() => {
      el.removeEventListener('scroll', onScroll);
      clearTimeout(pending);
      resized.disconnect();
    });
  });
  const range = createMemo<RowRange | null>(
    () => {
      const count = options.count();
      if (count === 0) return null;
      const first = Math.floor(top() / options.rowHeight);
      const last = Math.floor((top() + height()) / options.rowHeight);
      return { from: Math.max(0, first - options.overscan), to: Math.min(count - 1, last + options.overscan) };
    },
    null,
    { equals: (a, b) => a?.from === b?.from && a?.to === b?.to },
  );
  /** Scrolls the least that shows the row whole (nothing when it already is). */
  const scrollToIndex = (index: number) => {
    const el = options.scroller();
    if (!el) return;
    const rowTop = index * options.rowHeight;
    if (rowTop < el.scrollTop) el.scrollTop = rowTop;
    else if (rowTop + options.rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = rowTop + options.rowHeight - el.clientHeight;
  };
  return { range, totalSize: () => options.count() * options.rowHeight, scrollToIndex };
}
