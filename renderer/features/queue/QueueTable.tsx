import type { OutboxItem } from '../../../shared/domain.js';
import { useStation, useT } from '../../app/station-context.js';
import type { Translate } from '../../i18n/i18n.js';
import type { QueueDocument, QueueRow } from '../../store/queue-slice.js';
import { describeErrorCode, documentName, formatMoment, workflowTone } from './queue-format.js';

/** The delivery cell: the outbox state with its progress or next attempt, or why the document is never sent. */
function DeliveryCell(props: { blocked: QueueDocument['blocked']; delivery: OutboxItem | null }) {
  const t = useT();
  const { blocked, delivery } = props;
  if (delivery === null || delivery.state === 'blocked') {
    if (blocked !== null) {
      return <span className="delivery delivery-blocked">{t(`queue.blocked.${blocked}`)}</span>;
    }
    if (delivery === null) return <span className="delivery delivery-none">{t('queue.delivery.none')}</span>;
    return <span className="delivery delivery-blocked">{t('queue.delivery.blocked')}</span>;
  }
  const label = t(`queue.delivery.${delivery.state}`);
  if (delivery.state === 'uploading') {
    const percent =
      delivery.bytes === 0 ? 0 : Math.min(100, Math.floor((delivery.uploadedBytes / delivery.bytes) * 100));
    return (
      <span className="delivery delivery-uploading">
        {label}{' '}
        <span className="delivery-progress-text">
          {t('queue.delivery.progress', {
            percent,
            done: formatBytes(delivery.uploadedBytes),
            total: formatBytes(delivery.bytes),
          })}
        </span>
        <progress
          className="delivery-progress"
          max={Math.max(1, delivery.bytes)}
          value={delivery.uploadedBytes}
          aria-label={t('queue.delivery.progressLabel', { percent })}
        />
      </span>
    );
  }
  return (
    <span className={`delivery delivery-${delivery.state}`}>
      {label}
      {delivery.state === 'waiting' && delivery.nextAttemptAt !== null ? (
        <span className="delivery-next">
          {' '}
          {t('queue.delivery.nextAttempt', { time: formatMoment(delivery.nextAttemptAt) })}
        </span>
      ) : null}
    </span>
  );
}

/** Bytes as a clerk reads them (kB, MB). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function errorText(t: Translate, delivery: OutboxItem | null): string | null {
  if (delivery?.lastError == null || delivery.state === 'verified') return null;
  return describeErrorCode(t, delivery.lastError.code);
}

/** The first cell: the document's name (a button that opens it) with its summary and pages. */
function DocumentCell(props: { row: QueueRow; name: string }) {
  const t = useT();
  const openDocument = useStation((state) => state.openDocument);
  const { document, delivery } = props.row;
  if (document === null) {
    // A result another station exported as a bag: there is nothing here to open.
    const source = delivery.source.startsWith('bag:') ? delivery.source.slice(4) : null;
    return (
      <th scope="row" className="queue-document">
        <span className="queue-foreign">{props.name}</span>
        <span className="queue-document-meta">
          {source === null ? t('queue.document.notHere') : t('queue.document.fromBag', { station: source })}
        </span>
      </th>
    );
  }
  return (
    <th scope="row" className="queue-document">
      <button
        type="button"
        className="queue-open"
        aria-label={t('queue.document.open', { name: props.name })}
        onClick={() => openDocument(document.id, 'review')}
      >
        {props.name}
      </button>
      <span className="queue-document-meta">
        {document.summary !== null && document.summary !== '' ? (
          <span className="queue-summary">{document.summary}</span>
        ) : null}
        <span>{t('queue.document.pages', { count: document.pageCount })}</span>
      </span>
    </th>
  );
}

/** One document of the queue: open it, see where it stands, retry it when it failed. */
function QueueTableRow(props: { row: QueueRow }) {
  const t = useT();
  const retryDelivery = useStation((state) => state.retryDelivery);
  const retrying = useStation((state) => state.retrying[props.row.id] === true);
  const { id, document, delivery } = props.row;
  const name = document === null ? id : documentName(t, document);
  const error = errorText(t, delivery);
  return (
    <tr data-document-id={id} className={delivery?.state === 'failed' ? 'queue-row queue-row-failed' : 'queue-row'}>
      <DocumentCell row={props.row} name={name} />
      <td>
        {document === null ? (
          <span className="state state-wf-ready">{t('workflow.state.queued')}</span>
        ) : (
          <span className={`state state-wf-${workflowTone(document.state)}`}>
            {t(`workflow.state.${document.state}`)}
          </span>
        )}
      </td>
      <td>
        <DeliveryCell blocked={document?.blocked ?? null} delivery={delivery} />
      </td>
      <td className="numeric">{delivery === null ? '—' : t('queue.attempts', { count: delivery.attempts })}</td>
      <td className="queue-error">{error ?? <span className="queue-no-error">{t('queue.noError')}</span>}</td>
      <td>
        {delivery?.state === 'failed' ? (
          <button
            type="button"
            className="button button-danger queue-retry"
            disabled={retrying}
            aria-label={t('queue.retry.label', { name })}
            onClick={() => void retryDelivery(id)}
          >
            {retrying ? t('queue.retrying') : t('queue.retry')}
          </button>
        ) : null}
      </td>
    </tr>
  );
}

/** One page of the queue's rows as a table; the screen chooses which rows. */
export function QueueTable(props: { rows: readonly QueueRow[] }) {
  const t = useT();
  return (
    <table className="table queue-table" aria-label={t('queue.table')}>
      <thead>
        <tr>
          <th scope="col">{t('queue.column.document')}</th>
          <th scope="col">{t('queue.column.workflow')}</th>
          <th scope="col">{t('queue.column.delivery')}</th>
          <th scope="col" className="numeric">
            {t('queue.column.attempts')}
          </th>
          <th scope="col">{t('queue.column.error')}</th>
          <th scope="col">{t('queue.column.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <QueueTableRow key={row.id} row={row} />
        ))}
      </tbody>
    </table>
  );
}
