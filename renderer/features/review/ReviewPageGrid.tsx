import type { DragEvent } from 'react';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { useStation, useT } from '../../app/station-context.js';
import type { DocumentPage } from '../../../shared/domain.js';
import { totalRotation } from '../../../shared/transforms.js';
import { isLowConfidence } from '../../store/review-slice.js';
import {
  cellGap,
  cellWidth,
  columnsFor,
  rowHeight,
  scrollToShow,
  useElementSize,
  visibleRange,
} from './virtual-grid.js';

const gridFallbackSize = { width: 720, height: 640 };
const dragType = 'application/x-sohoa-page';

/** The DOM id of a page's cell, for aria-activedescendant. */
export function cellId(pageId: string): string {
  return `review-page-${pageId}`;
}

interface DropTarget {
  index: number;
  side: 'before' | 'after';
}

export interface ReviewPageGridProps {
  pages: readonly DocumentPage[];
  selectedPageId: string | null;
  threshold: number;
  onSelect: (pageId: string) => void;
  /** A double click: show the page large (Enter is bound by the screen). */
  onOpen: () => void;
  /** Where the dragged page lands: 0-based index in the order after the move. */
  onMove: (pageId: string, toIndex: number) => void;
  /** Tells the screen how many cells make a row and a screenful, for the arrow and page keys. */
  onLayout: (layout: { columns: number; rowsInView: number }) => void;
}

/**
 * The pages of the open document as a virtualised grid: only the rows in view (plus a few) exist in
 * the DOM, cells have one fixed size, thumbnails load when their cell appears, and the pages in
 * view go first in the OCR queue. Smooth at thousands of pages.
 */
export function ReviewPageGrid(props: ReviewPageGridProps) {
  const { pages, selectedPageId, onLayout } = props;
  const t = useT();
  const scroller = useRef<HTMLDivElement>(null);
  const size = useElementSize(scroller, gridFallbackSize);
  const [scrollTop, setScrollTop] = useState(0);
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<DropTarget | null>(null);
  const prioritizeOcr = useStation((state) => state.prioritizeOcr);
  const frame = useRef<number | null>(null);

  const columns = columnsFor(size.width);
  const rows = Math.ceil(pages.length / columns);
  const range = visibleRange({ count: pages.length, columns, scrollTop, height: size.height });
  const selectedIndex = pages.findIndex((page) => page.id === selectedPageId);

  useEffect(() => {
    onLayout({ columns, rowsInView: Math.max(1, Math.floor(size.height / rowHeight)) });
  }, [columns, size.height, onLayout]);

  // Keep the selected page in view when the keyboard moves it.
  useEffect(() => {
    const element = scroller.current;
    if (element === null || selectedIndex === -1) return;
    const target = scrollToShow(selectedIndex, columns, element.scrollTop, size.height);
    if (target !== undefined) {
      element.scrollTop = target;
      setScrollTop(target);
    }
  }, [selectedIndex, columns, size.height]);

  // The pages in view are recognised first; the key changes only when the set does.
  const visibleIds = useMemo(() => {
    const ids = pages.slice(range.visibleStart, range.visibleEnd).map((page) => page.id);
    if (selectedPageId !== null && ids.includes(selectedPageId)) {
      return [selectedPageId, ...ids.filter((id) => id !== selectedPageId)];
    }
    return ids;
  }, [pages, range.visibleStart, range.visibleEnd, selectedPageId]);
  const visibleKey = visibleIds.join(',');
  useEffect(() => {
    if (visibleIds.length === 0) return;
    const timer = setTimeout(() => void prioritizeOcr(visibleIds), 200);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the set of ids, not the array's identity
  }, [visibleKey, prioritizeOcr]);

  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  function onScroll() {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      setScrollTop(scroller.current?.scrollTop ?? 0);
    });
  }

  function dropIndex(target: DropTarget, from: number): number {
    const insertion = target.side === 'before' ? target.index : target.index + 1;
    return insertion > from ? insertion - 1 : insertion;
  }

  function onDragOver(event: DragEvent<HTMLDivElement>, index: number) {
    if (dragging === null) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    const box = event.currentTarget.getBoundingClientRect();
    const side = event.clientX < box.left + box.width / 2 ? 'before' : 'after';
    if (dropTarget?.index !== index || dropTarget.side !== side) setDropTarget({ index, side });
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    const pageId = dragging ?? event.dataTransfer.getData(dragType);
    const from = pages.findIndex((page) => page.id === pageId);
    if (dropTarget !== null && from !== -1) {
      const to = dropIndex(dropTarget, from);
      if (to !== from) props.onMove(pageId, to);
    }
    setDragging(null);
    setDropTarget(null);
  }

  const cells = pages.slice(range.start, range.end).map((page, offset) => {
    const index = range.start + offset;
    return (
      <PageCell
        key={page.id}
        page={page}
        index={index}
        count={pages.length}
        x={(index % columns) * (cellWidth + cellGap)}
        y={Math.floor(index / columns) * rowHeight}
        selected={page.id === selectedPageId}
        threshold={props.threshold}
        dragging={page.id === dragging}
        drop={dropTarget?.index === index ? dropTarget.side : null}
        onSelect={props.onSelect}
        onOpen={props.onOpen}
        onDragStart={(event) => {
          event.dataTransfer.effectAllowed = 'move';
          event.dataTransfer.setData(dragType, page.id);
          event.dataTransfer.setData('text/plain', t('review.page', { number: index + 1 }));
          setDragging(page.id);
          props.onSelect(page.id);
        }}
        onDragOver={(event) => onDragOver(event, index)}
        onDrop={onDrop}
        onDragEnd={() => {
          setDragging(null);
          setDropTarget(null);
        }}
      />
    );
  });

  return (
    <div
      ref={scroller}
      className="review-grid-scroll"
      role="listbox"
      aria-label={t('review.pages')}
      aria-describedby="review-grid-hint"
      aria-activedescendant={selectedPageId === null ? undefined : cellId(selectedPageId)}
      tabIndex={0}
      onScroll={onScroll}
      data-testid="review-grid"
    >
      <div
        className="review-grid-space"
        role="presentation"
        style={{ height: rows * rowHeight, width: columns * (cellWidth + cellGap) - cellGap }}
      >
        {cells}
      </div>
    </div>
  );
}

interface PageCellProps {
  page: DocumentPage;
  index: number;
  count: number;
  x: number;
  y: number;
  selected: boolean;
  threshold: number;
  dragging: boolean;
  drop: 'before' | 'after' | null;
  onSelect: (pageId: string) => void;
  onOpen: () => void;
  onDragStart: (event: DragEvent<HTMLDivElement>) => void;
  onDragOver: (event: DragEvent<HTMLDivElement>) => void;
  onDrop: (event: DragEvent<HTMLDivElement>) => void;
  onDragEnd: () => void;
}

/**
 * One page of the grid: thumbnail (turned as the clerk turned it), "Trang N", and marks in words and
 * symbols. Its accessible name is its visible text ("Trang 3, Trang trắng"), as WCAG 2.5.3 asks.
 */
const PageCell = memo(function PageCell(props: PageCellProps) {
  const { page, index } = props;
  const t = useT();
  const thumbnail = useStation((state) => state.thumbnails[page.id]);
  const ocr = useStation((state) => state.reviewOcr[page.id]);
  const loadThumbnail = useStation((state) => state.loadThumbnail);
  const loadPageOcr = useStation((state) => state.loadPageOcr);
  const number = index + 1;
  const rotation = totalRotation(page.transforms);
  // A blank sheet has nothing to read: it is marked blank, not doubtful.
  const low = !page.blank && isLowConfidence(ocr, props.threshold);
  const marksId = `${cellId(page.id)}-marks`;

  useEffect(() => {
    void loadThumbnail(page.id);
  }, [page.id, loadThumbnail]);

  const ocrDone = page.ocrState === 'done';
  const needsConfidence = ocrDone && (ocr === undefined || (ocr.state === 'done' && ocr.confidence === null));
  useEffect(() => {
    if (needsConfidence) void loadPageOcr(page.id);
  }, [needsConfidence, page.id, loadPageOcr]);

  const classes = ['review-cell'];
  if (props.selected) classes.push('review-cell-selected');
  if (page.blank) classes.push('review-cell-blank');
  if (low) classes.push('review-cell-low');
  if (props.dragging) classes.push('review-cell-dragging');
  if (props.drop !== null) classes.push(`review-cell-drop-${props.drop}`);

  const marks = [];
  if (page.blank) {
    marks.push(
      <span key="blank" className="review-mark review-mark-blank">
        <span className="review-hidden">, </span>
        <span aria-hidden="true">▢ </span>
        {t('review.mark.blank')}
      </span>,
    );
  }
  if (low && ocr?.confidence !== null && ocr?.confidence !== undefined) {
    marks.push(
      <span
        key="low"
        className="review-mark review-mark-low"
        title={t('review.mark.lowOcr.long', { confidence: Math.round(ocr.confidence) })}
      >
        <span className="review-hidden">, </span>
        <span aria-hidden="true">⚠ </span>
        {t('review.mark.lowOcr', { confidence: Math.round(ocr.confidence) })}
      </span>,
    );
  }
  if (rotation !== 0) {
    marks.push(
      <span key="rotated" className="review-mark review-mark-rotated">
        <span className="review-hidden">, </span>
        <span aria-hidden="true">↻ </span>
        {t('review.mark.rotated', { degrees: rotation })}
      </span>,
    );
  }

  return (
    <div
      id={cellId(page.id)}
      role="option"
      aria-selected={props.selected}
      aria-setsize={props.count}
      aria-posinset={number}
      className={classes.join(' ')}
      style={{ transform: `translate(${props.x}px, ${props.y}px)` }}
      draggable
      onClick={() => {
        props.onSelect(page.id);
        if (thumbnail?.state === 'failed') void loadThumbnail(page.id);
      }}
      onDoubleClick={props.onOpen}
      onDragStart={props.onDragStart}
      onDragOver={props.onDragOver}
      onDrop={props.onDrop}
      onDragEnd={props.onDragEnd}
    >
      <div className="review-cell-frame">
        {thumbnail?.state === 'ready' ? (
          <img
            className={`review-cell-image review-cell-image-${rotation}`}
            src={thumbnail.src}
            alt=""
            decoding="async"
            draggable={false}
          />
        ) : thumbnail?.state === 'failed' ? (
          <span className="review-cell-failed">{t('review.page.failed', { number })}</span>
        ) : (
          <span className="review-cell-loading" aria-hidden="true" />
        )}
      </div>
      <div className="review-cell-caption">{t('review.page', { number })}</div>
      <div id={marksId} className="review-cell-marks">
        {marks}
      </div>
    </div>
  );
});
