import { useStation, useT } from '../../app/station-context.js';

/** "Kiểm tra lô này": after a scan, opens the batch's first document on the review screen. */
export function ReviewBatchButton() {
  const t = useT();
  const batchId = useStation((state) => state.batchId);
  const status = useStation((state) => state.status);
  const pageCount = useStation((state) => state.pages.length);
  const reviewBatch = useStation((state) => state.reviewBatch);
  const done = status === 'finished' || status === 'cancelled' || status === 'failed';
  if (batchId === null || !done || pageCount === 0) return null;
  return (
    <div className="review-from-capture">
      <button type="button" className="button button-primary button-large" onClick={() => void reviewBatch(batchId)}>
        {t('review.fromCapture')}
      </button>
    </div>
  );
}
