import { useEffect, useState } from 'react';
import type { RefObject } from 'react';

/** The fixed size of a page cell and the gap between cells, in CSS pixels (review.css uses the same). */
export const cellWidth = 132;
export const cellHeight = 196;
export const cellGap = 12;
export const rowHeight = cellHeight + cellGap;
/** Rows rendered above and below the visible ones, so a fast scroll does not show holes. */
export const overscanRows = 2;

/** How many cells fit side by side in `width` pixels (at least one). */
export function columnsFor(width: number): number {
  return Math.max(1, Math.floor((width + cellGap) / (cellWidth + cellGap)));
}

/** The cells to render for a scroll position: whole rows in view plus the overscan, as `[start, end)` indexes. */
export interface VisibleRange {
  start: number;
  end: number;
  /** The cells actually in view (without overscan), for OCR priority. */
  visibleStart: number;
  visibleEnd: number;
}

/** Which cells of a `count`-cell grid are rendered at `scrollTop` in a viewport `height` high. */
export function visibleRange(options: {
  count: number;
  columns: number;
  scrollTop: number;
  height: number;
  overscan?: number;
}): VisibleRange {
  const { count, columns, scrollTop, height } = options;
  const overscan = options.overscan ?? overscanRows;
  const rows = Math.ceil(count / columns);
  const firstRow = Math.max(0, Math.floor(scrollTop / rowHeight));
  const lastRow = Math.min(rows - 1, Math.floor((scrollTop + Math.max(height, 1) - 1) / rowHeight));
  const clamp = (index: number) => Math.max(0, Math.min(count, index));
  return {
    start: clamp((firstRow - overscan) * columns),
    end: clamp((lastRow + overscan + 1) * columns),
    visibleStart: clamp(firstRow * columns),
    visibleEnd: clamp((lastRow + 1) * columns),
  };
}

/** The scroll position that brings cell `index` into view, or undefined when it already is. */
export function scrollToShow(index: number, columns: number, scrollTop: number, height: number): number | undefined {
  const top = Math.floor(index / columns) * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + height) return Math.max(0, top + rowHeight - height);
  return undefined;
}

/** The element's inner size, followed with a ResizeObserver; a fallback where layout is unknown (jsdom). */
export function useElementSize(
  ref: RefObject<HTMLElement | null>,
  fallback: { width: number; height: number },
): { width: number; height: number } {
  const [size, setSize] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const measure = () => {
      const width = element.clientWidth;
      const height = element.clientHeight;
      setSize((previous) => {
        const next = { width: width > 0 ? width : fallback.width, height: height > 0 ? height : fallback.height };
        return next.width === previous.width && next.height === previous.height ? previous : next;
      });
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, fallback.width, fallback.height]);
  return size;
}
