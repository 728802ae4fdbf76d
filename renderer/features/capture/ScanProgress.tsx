import { useStation, useT } from '../../app/station-context.js';
import type { Translate } from '../../i18n/i18n.js';
import type { ScanStatus } from '../../store/capture-slice.js';
import { assertNever } from '../../../shared/errors.js';

/** The sentence that says where the scan stands, e.g. "Đã quét 3/5 trang". */
export function describeProgress(t: Translate, status: ScanStatus, done: number, total: number | null): string {
  switch (status) {
    case 'idle':
      return t('capture.status.idle');
    case 'starting':
      return t('capture.status.starting');
    case 'scanning':
      return total === null
        ? t('capture.status.progressOpen', { done })
        : t('capture.status.progress', { done, total });
    case 'cancelling':
      return t('capture.status.cancelling');
    case 'finished':
      return t('capture.status.finished', { done });
    case 'cancelled':
      return t('capture.status.cancelled', { done });
    case 'failed':
      return t('capture.status.failed', { done });
    default:
      return assertNever(status);
  }
}

/** Progress of the running scan as text and a bar; a live region so each page is announced. */
export function ScanProgress() {
  const t = useT();
  const status = useStation((state) => state.status);
  const done = useStation((state) => state.pages.length);
  const total = useStation((state) => state.expectedPages);
  const running = status === 'scanning' || status === 'starting' || status === 'cancelling';

  return (
    <div className={`scan-progress scan-progress-${status}`}>
      <p className="scan-progress-text" role="status" aria-live="polite">
        {describeProgress(t, status, done, total)}
      </p>
      {running && (
        <progress
          className="scan-progress-bar"
          max={total ?? undefined}
          value={total === null ? undefined : Math.min(done, total)}
          aria-label={describeProgress(t, status, done, total)}
        />
      )}
    </div>
  );
}
