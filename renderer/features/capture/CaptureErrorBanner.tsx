import { useStation, useT } from '../../app/station-context.js';
import { ErrorDetails } from '../../app/ErrorDetails.js';
import { describeError } from '../../i18n/i18n.js';
import type { ErrorCode } from '../../../shared/errors.js';

/** Device conditions a clerk can fix at the scanner and then resume from. */
const resumableCodes: ReadonlySet<ErrorCode> = new Set([
  'scan/no-paper',
  'scan/paper-jam',
  'scan/cover-open',
  'scan/busy',
  'scan/offline',
  'scan/io',
]);

/** Explains a capture error in the clerk's language, with the button its next step names. */
export function CaptureErrorBanner() {
  const t = useT();
  const error = useStation((state) => state.error);
  const dismissError = useStation((state) => state.dismissError);
  const continueScan = useStation((state) => state.continueScan);
  const loadDevices = useStation((state) => state.loadDevices);
  if (error === null) return null;

  return (
    <div className="banner banner-error" role="alert">
      <p className="banner-text">
        <strong>{t('error.title')}: </strong>
        {describeError(t, error)}
      </p>
      <div className="banner-actions">
        {resumableCodes.has(error.code) && (
          <button type="button" className="button button-primary" onClick={() => void continueScan()}>
            {t('capture.continue')}
          </button>
        )}
        {error.code === 'scan/device-not-found' && (
          <button type="button" className="button button-primary" onClick={() => void loadDevices()}>
            {t('capture.device.refresh')}
          </button>
        )}
        <button type="button" className="button button-quiet" onClick={dismissError}>
          {t('capture.dismiss')}
        </button>
      </div>
      <ErrorDetails error={error} />
    </div>
  );
}
