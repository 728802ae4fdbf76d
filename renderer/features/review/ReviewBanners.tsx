import { useEffect, useRef } from 'react';
import { ErrorDetails } from '../../app/ErrorDetails.js';
import { useStation, useT } from '../../app/station-context.js';
import type { DocumentDetail, DocumentPage } from '../../../shared/domain.js';
import { describeError } from '../../i18n/i18n.js';
import { blankSeparators } from '../../store/review-slice.js';

/**
 * What the review screen says above its work: an error with its explanation, what the last action
 * did, the offer to split at blank separator sheets, the removal waiting for confirmation, and an
 * inserted scan in progress.
 */
export function ReviewBanners(props: { document: DocumentDetail | null; pages: readonly DocumentPage[] }) {
  const t = useT();
  const error = useStation((state) => state.reviewError);
  const notice = useStation((state) => state.reviewNotice);
  const busy = useStation((state) => state.reviewBusy);
  const insert = useStation((state) => state.reviewInsertScan);
  const declined = useStation((state) => state.reviewSplitDeclined);
  const confirmRemove = useStation((state) => state.reviewConfirmRemove);
  const dismissError = useStation((state) => state.dismissReviewError);
  const dismissNotice = useStation((state) => state.dismissReviewNotice);
  const splitAtBlanks = useStation((state) => state.splitAtBlanks);
  const declineSplit = useStation((state) => state.declineSplitAtBlanks);
  const removePage = useStation((state) => state.removePage);
  const askRemovePage = useStation((state) => state.askRemovePage);
  const confirmButton = useRef<HTMLButtonElement>(null);

  const removeIndex = confirmRemove === null ? -1 : props.pages.findIndex((page) => page.id === confirmRemove);
  useEffect(() => {
    if (removeIndex !== -1) confirmButton.current?.focus();
  }, [removeIndex]);

  const separators = blankSeparators(props.pages);
  const offerSplit =
    props.document !== null &&
    separators.blanks > 0 &&
    separators.documents >= 2 &&
    !declined.includes(props.document.id);

  return (
    <div className="review-banners">
      {error !== null && (
        <div className="banner banner-error" role="alert">
          <p className="banner-text">
            <strong>{t('error.title')}: </strong>
            {describeError(t, error)}
          </p>
          <div className="banner-actions">
            <button type="button" className="button button-quiet" onClick={dismissError}>
              {t('review.dismiss')}
            </button>
          </div>
          <ErrorDetails error={error} />
        </div>
      )}

      {confirmRemove !== null && removeIndex !== -1 && (
        <div className="banner review-confirm" role="alertdialog" aria-labelledby="review-confirm-text">
          <p id="review-confirm-text" className="banner-text">
            {t('review.confirmRemove.text', { number: removeIndex + 1 })}
          </p>
          <div className="banner-actions">
            <button
              ref={confirmButton}
              type="button"
              className="button button-danger"
              onClick={() => void removePage(confirmRemove)}
            >
              {t('review.confirmRemove.yes')}
              <kbd>Enter</kbd>
            </button>
            <button type="button" className="button button-quiet" onClick={() => askRemovePage(null)}>
              {t('review.confirmRemove.no')}
              <kbd>Esc</kbd>
            </button>
          </div>
        </div>
      )}

      {offerSplit && (
        <div className="banner review-offer" role="region" aria-label={t('review.blanks.split')}>
          <p className="banner-text">
            <span aria-hidden="true">▢ </span>
            {t('review.blanks.offer', { blanks: separators.blanks, documents: separators.documents })}
          </p>
          <div className="banner-actions">
            <button
              type="button"
              className="button button-primary"
              disabled={busy !== null}
              onClick={() => void splitAtBlanks()}
            >
              {t('review.blanks.split')}
            </button>
            <button type="button" className="button button-quiet" onClick={declineSplit}>
              {t('review.blanks.keep')}
            </button>
          </div>
        </div>
      )}

      <div className="review-status" role="status" aria-live="polite">
        {busy !== null ? (
          <p className="review-status-text">{t(busy)}</p>
        ) : insert !== null ? (
          <p className="review-status-text">{t('review.insertScan.progress', { count: insert.pages })}</p>
        ) : notice !== null ? (
          <p className="review-status-text review-status-notice">
            <span>{t(notice.key, notice.params)}</span>
            <button type="button" className="button button-quiet button-small" onClick={dismissNotice}>
              {t('review.dismiss')}
            </button>
          </p>
        ) : null}
      </div>
    </div>
  );
}
