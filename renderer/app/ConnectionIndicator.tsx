import type { MessageKey } from '../i18n/i18n.js';
import type { ConnectionState } from '../station/station-client.js';
import { useStation, useT } from './station-context.js';

const labels: Record<ConnectionState, MessageKey> = {
  connecting: 'connection.connecting',
  online: 'connection.online',
  offline: 'connection.offline',
};

/** Shows whether the engine is reachable; announced politely so a lost link is heard, not only seen. */
export function ConnectionIndicator() {
  const t = useT();
  const connection = useStation((state) => state.connection);
  return (
    <p className={`connection connection-${connection}`} role="status" aria-label={t('connection.label')}>
      <span className="connection-dot" aria-hidden="true" />
      {t(labels[connection])}
    </p>
  );
}
