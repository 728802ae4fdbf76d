import { useCallback, useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { isTypingEvent, useShortcuts } from '../../app/shortcuts.js';
import { useStation, useT } from '../../app/station-context.js';
import { orderedPages } from '../../store/review-slice.js';
import { DocumentList, RecentDocuments } from './DocumentList.js';
import { PageViewer } from './PageViewer.js';
import { ReviewBanners } from './ReviewBanners.js';
import { ReviewPageGrid } from './ReviewPageGrid.js';
import { ViewerToolbar, PageActions } from './ReviewToolbar.js';
import { reviewCombos } from './review-shortcuts.js';
import './review.css';

/**
 * The Kiểm tra screen: the documents of the batch, a virtualised grid of the open document's pages
 * and a large viewer of the selected page, with every page edit on buttons and keys.
 */
export function ReviewScreen() {
  const t = useT();
  const openDocumentId = useStation((state) => state.openDocumentId);
  const document = useStation((state) => state.reviewDocument);
  const documents = useStation((state) => state.reviewDocuments);
  const loading = useStation((state) => state.reviewLoading);
  const selectedPageId = useStation((state) => state.reviewSelectedPageId);
  const threshold = useStation((state) => state.settings?.values.ocr.lowConfidenceThreshold ?? 85);
  const helpOpen = useStation((state) => state.helpOpen);
  const confirmRemove = useStation((state) => state.reviewConfirmRemove);
  // Actions never change; useShallow compares them one by one, so this does not re-render on every store change.
  const actions = useStation(
    useShallow((state) => ({
      loadReviewDocument: state.loadReviewDocument,
      loadReviewRecent: state.loadReviewRecent,
      selectReviewPage: state.selectReviewPage,
      moveReviewSelection: state.moveReviewSelection,
      movePage: state.movePage,
      rotatePage: state.rotatePage,
      askRemovePage: state.askRemovePage,
      splitBefore: state.splitBefore,
      mergeWithNext: state.mergeWithNext,
      setPageBlank: state.setPageBlank,
      rereadPage: state.rereadPage,
      captureAgain: state.captureAgain,
      insertByScan: state.insertByScan,
      zoomReview: state.zoomReview,
      setReviewZoom: state.setReviewZoom,
      setReviewMode: state.setReviewMode,
      openDocument: state.openDocument,
    })),
  );
  const reviewMode = useStation((state) => state.reviewMode);
  const [enlarged, setEnlarged] = useState(false);
  const [layout, setLayout] = useState({ columns: 1, rowsInView: 1 });
  const [fit, setFit] = useState(1);

  useEffect(() => {
    if (openDocumentId !== null) void actions.loadReviewDocument(openDocumentId);
    else void actions.loadReviewRecent();
  }, [openDocumentId, actions]);

  const pages = useMemo(() => orderedPages(document), [document]);
  const selectedIndex = pages.findIndex((page) => page.id === selectedPageId);
  const selected = selectedIndex === -1 ? null : (pages[selectedIndex] ?? null);
  const documentIndex = documents.findIndex((summary) => summary.id === document?.id);
  const ready = document !== null && document.id === openDocumentId;

  const onLayout = useCallback((value: { columns: number; rowsInView: number }) => {
    setLayout((previous) =>
      previous.columns === value.columns && previous.rowsInView === value.rowsInView ? previous : value,
    );
  }, []);
  const onFitScale = useCallback((scale: number) => {
    setFit((previous) => (Math.abs(previous - scale) < 0.001 ? previous : scale));
  }, []);

  function withSelected(action: (pageId: string, index: number) => void) {
    return () => {
      if (selected !== null) action(selected.id, selectedIndex);
    };
  }

  function openNeighbour(delta: number) {
    const next = documents[documentIndex + delta];
    if (next !== undefined) actions.openDocument(next.id, 'review');
  }

  const bindings: Record<string, () => void> = {
    [reviewCombos.previous]: () => actions.moveReviewSelection(-1),
    [reviewCombos.next]: () => actions.moveReviewSelection(1),
    [reviewCombos.up]: () => actions.moveReviewSelection(-layout.columns),
    [reviewCombos.down]: () => actions.moveReviewSelection(layout.columns),
    [reviewCombos.first]: () => actions.moveReviewSelection(-pages.length),
    [reviewCombos.last]: () => actions.moveReviewSelection(pages.length),
    [reviewCombos.pageUp]: () => actions.moveReviewSelection(-layout.columns * layout.rowsInView),
    [reviewCombos.pageDown]: () => actions.moveReviewSelection(layout.columns * layout.rowsInView),
    [reviewCombos.moveEarlier]: withSelected((id, index) => void actions.movePage(id, index - 1)),
    [reviewCombos.moveLater]: withSelected((id, index) => void actions.movePage(id, index + 1)),
    [reviewCombos.moveUp]: withSelected((id, index) => void actions.movePage(id, index - layout.columns)),
    [reviewCombos.moveDown]: withSelected((id, index) => void actions.movePage(id, index + layout.columns)),
    [reviewCombos.rotateRight]: withSelected((id) => void actions.rotatePage(id, 90)),
    [reviewCombos.rotateLeft]: withSelected((id) => void actions.rotatePage(id, -90)),
    [reviewCombos.remove]: withSelected((id) => actions.askRemovePage(id)),
    [reviewCombos.zoomIn]: () => actions.zoomReview(1, fit),
    [reviewCombos.zoomInPlain]: () => actions.zoomReview(1, fit),
    [reviewCombos.zoomOut]: () => actions.zoomReview(-1, fit),
    [reviewCombos.zoomFit]: () => actions.setReviewZoom('fit'),
    [reviewCombos.zoomActual]: () => actions.setReviewZoom(1),
    [reviewCombos.split]: withSelected((id, index) => {
      if (index > 0) void actions.splitBefore(id);
    }),
    [reviewCombos.merge]: () => void actions.mergeWithNext(),
    [reviewCombos.blank]: withSelected((id) => void actions.setPageBlank(id, !(selected?.blank ?? false))),
    [reviewCombos.captureAgain]: withSelected((id) => void actions.captureAgain(id)),
    [reviewCombos.insert]: withSelected((_id, index) => void actions.insertByScan(index)),
    [reviewCombos.original]: () => actions.setReviewMode(reviewMode === 'original' ? 'cleaned' : 'original'),
    [reviewCombos.compare]: () => actions.setReviewMode(reviewMode === 'compare' ? 'cleaned' : 'compare'),
    [reviewCombos.ocr]: () => actions.setReviewMode(reviewMode === 'ocr' ? 'cleaned' : 'ocr'),
    [reviewCombos.reread]: withSelected((id) => void actions.rereadPage(id)),
    [reviewCombos.shrink]: () => {
      if (confirmRemove !== null) actions.askRemovePage(null);
      else setEnlarged(false);
    },
    [reviewCombos.toIndex]: () => {
      if (document !== null) actions.openDocument(document.id, 'index');
    },
    [reviewCombos.previousDocument]: () => openNeighbour(-1),
    [reviewCombos.nextDocument]: () => openNeighbour(1),
  };
  useShortcuts(bindings, ready && !helpOpen);

  // Enter shows the page large, except where Enter already means something (a button, a link, a field).
  useEffect(() => {
    if (!ready || helpOpen) return;
    function onKeyDown(event: KeyboardEvent): void {
      if (event.key !== 'Enter' || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.shiftKey || isTypingEvent(event)) return;
      const target = event.target;
      if (target instanceof Element && target.closest('button, a, summary, input, select, textarea, [role="button"]'))
        return;
      event.preventDefault();
      setEnlarged((value) => !value);
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [ready, helpOpen]);

  if (openDocumentId === null) {
    return (
      <section className="screen review" aria-labelledby="review-heading">
        <h2 id="review-heading" className="review-title">
          {t('review.heading')}
        </h2>
        <ReviewBanners document={null} pages={[]} />
        <p className="empty">{t('review.none')}</p>
        <RecentDocuments />
      </section>
    );
  }

  return (
    <section className={enlarged ? 'screen review review-enlarged' : 'screen review'} aria-labelledby="review-heading">
      <div className="review-head">
        <h2 id="review-heading" className="review-title">
          {t('review.heading')}
        </h2>
        {ready && (
          <p className="review-summary">
            {t('review.document.summary', {
              number: documentIndex + 1,
              total: Math.max(documents.length, 1),
              count: pages.length,
              state: t(`workflow.state.${document.state}`),
            })}
          </p>
        )}
        <div className="review-head-actions">
          <button
            type="button"
            className="button button-primary"
            disabled={!ready}
            onClick={() => document !== null && actions.openDocument(document.id, 'index')}
          >
            {t('review.toIndex')}
            <kbd>Ctrl+Enter</kbd>
          </button>
        </div>
      </div>

      <ReviewBanners document={ready ? document : null} pages={pages} />

      {!ready ? (
        <p className="empty" role="status">
          {loading ? t('review.loading') : t('review.none')}
        </p>
      ) : (
        <div className="review-body">
          <DocumentList />
          <section className="review-pages card" aria-labelledby="review-pages-heading">
            <h3 id="review-pages-heading" className="card-title">
              {t('review.pages')}
              <span className="count-badge">{pages.length}</span>
            </h3>
            <p id="review-grid-hint" className="review-hint">
              {t('review.pages.hint')}
            </p>
            {pages.length === 0 ? (
              <p className="empty">{t('review.pages.empty')}</p>
            ) : (
              <ReviewPageGrid
                pages={pages}
                selectedPageId={selectedPageId}
                threshold={threshold}
                onSelect={actions.selectReviewPage}
                onOpen={() => setEnlarged((value) => !value)}
                onMove={(pageId, toIndex) => void actions.movePage(pageId, toIndex)}
                onLayout={onLayout}
              />
            )}
          </section>
          <section className="review-viewer card" aria-labelledby="review-viewer-heading">
            <div className="review-viewer-head">
              <h3 id="review-viewer-heading" className="card-title">
                {selected === null
                  ? t('review.viewer')
                  : t('review.viewer.title', { number: selectedIndex + 1, total: pages.length })}
              </h3>
              <button
                type="button"
                className="button button-quiet review-tool"
                aria-pressed={enlarged}
                aria-keyshortcuts={enlarged ? 'Escape' : 'Enter'}
                title={enlarged ? 'Esc' : 'Enter'}
                onClick={() => setEnlarged((value) => !value)}
              >
                {enlarged ? t('review.viewer.shrink') : t('review.viewer.enlarge')}
              </button>
            </div>
            <ViewerToolbar page={selected} fitScale={fit} />
            <PageViewer page={selected} number={selectedIndex + 1} total={pages.length} onFitScale={onFitScale} />
            <PageActions page={selected} index={selectedIndex} count={pages.length} />
          </section>
        </div>
      )}
    </section>
  );
}
