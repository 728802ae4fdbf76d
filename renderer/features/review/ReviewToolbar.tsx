import { useStation, useT } from '../../app/station-context.js';
import type { DocumentPage } from '../../../shared/domain.js';
import type { ViewerMode } from '../../store/review-slice.js';

const modes: readonly ViewerMode[] = ['cleaned', 'original', 'compare', 'ocr'];
const modeKeys: Record<ViewerMode, string> = { cleaned: '', original: 'O', compare: 'V', ocr: 'T' };

/** Zoom, rotation and the way the page is shown (after clean-up, original, both, OCR marks). */
export function ViewerToolbar(props: { page: DocumentPage | null; fitScale: number }) {
  const t = useT();
  const zoom = useStation((state) => state.reviewZoom);
  const mode = useStation((state) => state.reviewMode);
  const busy = useStation((state) => state.reviewBusy);
  const setZoom = useStation((state) => state.setReviewZoom);
  const zoomReview = useStation((state) => state.zoomReview);
  const setMode = useStation((state) => state.setReviewMode);
  const rotatePage = useStation((state) => state.rotatePage);
  const { page } = props;
  const percent = Math.round((zoom === 'fit' ? props.fitScale : zoom) * 100);
  const zoomable = mode === 'cleaned' || mode === 'original';

  return (
    <div className="review-toolbar" role="toolbar" aria-label={t('review.viewer')}>
      <div className="review-tool-group" role="group" aria-label={t('review.viewer.mode')}>
        {modes.map((item) => (
          <button
            key={item}
            type="button"
            className="button button-quiet review-tool"
            aria-pressed={mode === item}
            aria-keyshortcuts={modeKeys[item] === '' ? undefined : modeKeys[item]}
            title={modeKeys[item] === '' ? undefined : modeKeys[item]}
            onClick={() => setMode(item)}
          >
            {t(`review.viewer.${item}`)}
          </button>
        ))}
      </div>
      <div className="review-tool-group" role="group" aria-label={t('review.zoom')}>
        <button
          type="button"
          className="button button-quiet review-tool"
          aria-pressed={zoom === 'fit'}
          disabled={!zoomable}
          onClick={() => setZoom('fit')}
        >
          {t('review.zoom.fit')}
        </button>
        <button
          type="button"
          className="button button-quiet review-tool"
          aria-pressed={zoom === 1}
          disabled={!zoomable}
          onClick={() => setZoom(1)}
        >
          {t('review.zoom.actual')}
        </button>
        <button
          type="button"
          className="button button-quiet review-tool"
          aria-label={t('review.zoom.out')}
          title={t('review.zoom.out')}
          disabled={!zoomable}
          onClick={() => zoomReview(-1, props.fitScale)}
        >
          −
        </button>
        <span className="review-zoom-level" aria-label={t('review.zoom.level', { percent })}>
          {`${percent} %`}
        </span>
        <button
          type="button"
          className="button button-quiet review-tool"
          aria-label={t('review.zoom.in')}
          title={t('review.zoom.in')}
          disabled={!zoomable}
          onClick={() => zoomReview(1, props.fitScale)}
        >
          +
        </button>
      </div>
      <div className="review-tool-group" role="group" aria-label={t('review.tools')}>
        <button
          aria-keyshortcuts="Shift+R"
          title="Shift+R"
          type="button"
          className="button button-quiet review-tool"
          disabled={page === null || busy !== null}
          onClick={() => page !== null && void rotatePage(page.id, -90)}
        >
          <span aria-hidden="true">↺ </span>
          {t('review.rotateLeft')}
        </button>
        <button
          aria-keyshortcuts="R"
          title="R"
          type="button"
          className="button button-quiet review-tool"
          disabled={page === null || busy !== null}
          onClick={() => page !== null && void rotatePage(page.id, 90)}
        >
          <span aria-hidden="true">↻ </span>
          {t('review.rotateRight')}
        </button>
      </div>
    </div>
  );
}

/** What the clerk does to the selected page and the document around it. */
export function PageActions(props: { page: DocumentPage | null; index: number; count: number }) {
  const t = useT();
  const busy = useStation((state) => state.reviewBusy);
  const insert = useStation((state) => state.reviewInsertScan);
  const documents = useStation((state) => state.reviewDocuments);
  const openId = useStation((state) => state.reviewDocument?.id ?? null);
  const askRemovePage = useStation((state) => state.askRemovePage);
  const movePage = useStation((state) => state.movePage);
  const setPageBlank = useStation((state) => state.setPageBlank);
  const captureAgain = useStation((state) => state.captureAgain);
  const insertByScan = useStation((state) => state.insertByScan);
  const replaceByScan = useStation((state) => state.replaceByScan);
  const splitBefore = useStation((state) => state.splitBefore);
  const mergeWithNext = useStation((state) => state.mergeWithNext);
  const { page, index, count } = props;
  const none = page === null || busy !== null;
  const scanning = insert !== null;
  const at = documents.findIndex((document) => document.id === openId);
  const hasNext = at !== -1 && at + 1 < documents.length;

  return (
    <div className="review-actions" role="toolbar" aria-label={t('review.tools')}>
      <button
        aria-keyshortcuts="Alt+ArrowLeft"
        title="Alt+←"
        type="button"
        className="button button-quiet review-tool"
        disabled={none || index <= 0}
        onClick={() => page !== null && void movePage(page.id, index - 1)}
      >
        <span aria-hidden="true">← </span>
        {t('review.moveEarlier')}
      </button>
      <button
        aria-keyshortcuts="Alt+ArrowRight"
        title="Alt+→"
        type="button"
        className="button button-quiet review-tool"
        disabled={none || index >= count - 1}
        onClick={() => page !== null && void movePage(page.id, index + 1)}
      >
        {t('review.moveLater')}
        <span aria-hidden="true"> →</span>
      </button>
      <button
        aria-keyshortcuts="B"
        title="B"
        type="button"
        className="button button-quiet review-tool"
        aria-pressed={page?.blank ?? false}
        disabled={none}
        onClick={() => page !== null && void setPageBlank(page.id, !page.blank)}
      >
        {page?.blank === true ? t('review.blank.unmark') : t('review.blank.mark')}
      </button>
      <button
        aria-keyshortcuts="C"
        title="C"
        type="button"
        className="button button-quiet review-tool"
        disabled={none || scanning}
        onClick={() => page !== null && void captureAgain(page.id)}
      >
        {t('review.captureAgain')}
      </button>
      <button
        aria-keyshortcuts="Insert"
        title="Insert"
        type="button"
        className="button button-quiet review-tool"
        disabled={none || scanning}
        onClick={() => void insertByScan(index)}
      >
        {t('review.insert')}
      </button>
      <button
        type="button"
        className="button button-quiet review-tool"
        disabled={busy !== null || scanning || openId === null}
        onClick={() => void insertByScan(count)}
      >
        {t('review.insertEnd')}
      </button>
      <button
        type="button"
        className="button button-quiet review-tool"
        disabled={none || scanning}
        onClick={() => page !== null && void replaceByScan(page.id)}
      >
        {t('review.replace')}
      </button>
      <button
        aria-keyshortcuts="S"
        title="S"
        type="button"
        className="button button-quiet review-tool"
        disabled={none || index <= 0}
        onClick={() => page !== null && void splitBefore(page.id)}
      >
        {t('review.split')}
      </button>
      <button
        aria-keyshortcuts="M"
        title="M"
        type="button"
        className="button button-quiet review-tool"
        disabled={busy !== null || !hasNext}
        onClick={() => void mergeWithNext()}
      >
        {t('review.merge')}
      </button>
      <button
        aria-keyshortcuts="Delete"
        title="Delete"
        type="button"
        className="button button-danger review-tool"
        disabled={none}
        onClick={() => page !== null && askRemovePage(page.id)}
      >
        {t('review.remove')}
      </button>
    </div>
  );
}
