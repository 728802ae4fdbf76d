import { describeError } from '../i18n/i18n.js';
import { ErrorDetails } from './ErrorDetails.js';
import { ConnectionIndicator } from './ConnectionIndicator.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { useStation, useT } from './station-context.js';

/** Top bar: the app's name, the link to the engine, the language, and station-wide errors. */
export function Header() {
  const t = useT();
  const info = useStation((state) => state.info);
  const appError = useStation((state) => state.appError);
  const dismissAppError = useStation((state) => state.dismissAppError);

  return (
    <header className="app-header">
      <div className="app-header-bar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            SH
          </span>
          <div>
            <h1 className="brand-title">{t('app.title')}</h1>
            <p className="brand-subtitle">
              {t('app.subtitle')}
              {info !== null && <span className="brand-version"> · {t('app.version', { version: info.version })}</span>}
            </p>
          </div>
        </div>
        <div className="app-header-tools">
          <ConnectionIndicator />
          <LanguageSwitch />
        </div>
      </div>
      {appError !== null && (
        <div className="banner banner-error banner-flat" role="alert">
          <p className="banner-text">{describeError(t, appError)}</p>
          <button type="button" className="button button-quiet" onClick={dismissAppError}>
            {t('capture.dismiss')}
          </button>
          <ErrorDetails error={appError} />
        </div>
      )}
    </header>
  );
}
