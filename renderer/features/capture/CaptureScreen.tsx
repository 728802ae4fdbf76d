import { useT } from '../../app/station-context.js';
import { ReviewBatchButton } from '../review/ReviewBatchButton.js';
import { CaptureErrorBanner } from './CaptureErrorBanner.js';
import { PageGrid } from './PageGrid.js';
import { RecentBatches } from './RecentBatches.js';
import { ScanForm } from './ScanForm.js';
import { ScanProgress } from './ScanProgress.js';

/** The Quét screen: choose a scanner and a count, scan, and watch the pages arrive. */
export function CaptureScreen() {
  const t = useT();
  return (
    <div className="capture">
      <section className="card capture-panel" aria-labelledby="capture-heading">
        <h2 id="capture-heading" className="card-title">
          {t('capture.heading')}
        </h2>
        <ScanForm />
        <ScanProgress />
        <ReviewBatchButton />
      </section>
      <div className="capture-results">
        <CaptureErrorBanner />
        <PageGrid />
        <RecentBatches />
      </div>
    </div>
  );
}
