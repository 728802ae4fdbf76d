import type { SyncStatus } from '../../../shared/domain.js';
import { useStation, useT } from '../../app/station-context.js';
import type { Translate } from '../../i18n/i18n.js';
import { queueCombos } from './queue-shortcuts.js';
import { describeErrorCode, formatMoment } from './queue-format.js';

/** Whether results can reach the warehouse now, as one word for the indicator's colour. */
export type Connectivity = 'loading' | 'not-configured' | 'online' | 'offline' | 'unknown';

export function connectivityOf(status: SyncStatus | null): Connectivity {
  if (status === null) return 'loading';
  if (!status.configured) return 'not-configured';
  if (status.online === null) return 'unknown';
  return status.online ? 'online' : 'offline';
}

function connectivityText(t: Translate, connectivity: Connectivity): string {
  switch (connectivity) {
    case 'loading':
      return t('queue.sync.loading');
    case 'not-configured':
      return t('queue.sync.notConfigured');
    case 'online':
      return t('queue.sync.online');
    case 'offline':
      return t('queue.sync.offline');
    case 'unknown':
      return t('queue.sync.unknown');
  }
}

/** The send window line: inside it, or when the next one opens. */
function windowText(t: Translate, status: SyncStatus): string {
  if (status.inSendWindow) return t('queue.sync.inWindow');
  return status.nextWindowAt === null
    ? t('queue.sync.outsideWindowUnknown')
    : t('queue.sync.outsideWindow', { time: formatMoment(status.nextWindowAt) });
}

/** The delivery worker at a glance (connectivity, pause, send window, last error) with Send now and Pause/Resume. */
export function SyncPanel() {
  const t = useT();
  const status = useStation((state) => state.syncStatus);
  const action = useStation((state) => state.syncAction);
  const queueStatus = useStation((state) => state.queueStatus);
  const sendNow = useStation((state) => state.sendNow);
  const pauseSync = useStation((state) => state.pauseSync);
  const resumeSync = useStation((state) => state.resumeSync);
  const loadQueue = useStation((state) => state.loadQueue);

  const connectivity = connectivityOf(status);
  const configured = status?.configured === true;
  const paused = status?.paused === true;

  return (
    <section className="card queue-sync" aria-labelledby="queue-heading">
      <div className="queue-sync-head">
        <h2 id="queue-heading" className="card-title">
          {t('queue.heading')}
        </h2>
        <div className="queue-sync-actions">
          <button
            type="button"
            className="button button-primary"
            disabled={!configured || action !== null}
            aria-keyshortcuts={queueCombos.sendNow}
            onClick={() => void sendNow()}
          >
            {t('queue.sendNow')}
            <kbd>{queueCombos.sendNow}</kbd>
          </button>
          <button
            type="button"
            className="button button-quiet"
            disabled={!configured || action !== null}
            aria-keyshortcuts={queueCombos.pause}
            onClick={() => void (paused ? resumeSync() : pauseSync())}
          >
            {paused ? t('queue.resume') : t('queue.pause')}
            <kbd>{queueCombos.pause}</kbd>
          </button>
          <button
            type="button"
            className="button button-quiet"
            disabled={queueStatus === 'loading'}
            onClick={() => void loadQueue()}
          >
            {t('queue.refresh')}
          </button>
        </div>
      </div>
      <div
        className={`queue-connectivity queue-connectivity-${connectivity}`}
        role="status"
        aria-label={t('queue.sync.label')}
      >
        <p className="queue-connectivity-main">
          <span className="queue-connectivity-dot" aria-hidden="true" />
          {connectivityText(t, connectivity)}
        </p>
        {status !== null && configured ? (
          <p className="queue-connectivity-detail">
            {paused ? <strong className="queue-paused">{t('queue.sync.paused')} </strong> : null}
            {windowText(t, status)}
          </p>
        ) : null}
        {status?.lastError != null ? (
          <p className="queue-connectivity-error">
            {t('queue.sync.lastError', { message: describeErrorCode(t, status.lastError.code) })}
          </p>
        ) : null}
      </div>
    </section>
  );
}
