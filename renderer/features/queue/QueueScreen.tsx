import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useEffect, useMemo, useRef } from 'react';
import { useShortcuts } from '../../app/shortcuts.js';
import { useStation, useT } from '../../app/station-context.js';
import type { QueueFilter } from '../../store/queue-slice.js';
import {
  matchesQueueFilter,
  queueCounts,
  queueFilters,
  queueLoadLimit,
  queuePageSize,
  queueRows,
} from '../../store/queue-slice.js';
import { describeErrorCode } from './queue-format.js';
import { queueCombos } from './queue-shortcuts.js';
import { QueueTable } from './QueueTable.js';
import { SyncPanel } from './SyncPanel.js';
import './queue.css';

/** The open-document buttons of the table, in row order: the rows the arrow keys move between. */
function rowButtons(table: HTMLElement | null): HTMLButtonElement[] {
  return table === null ? [] : [...table.querySelectorAll<HTMLButtonElement>('button.queue-open')];
}

/** The row holding the focus, if any. */
function focusedRowIndex(buttons: readonly HTMLButtonElement[]): number {
  const active = document.activeElement;
  const row = active instanceof HTMLElement ? active.closest('tr') : null;
  return row === null ? -1 : buttons.findIndex((button) => button.closest('tr') === row);
}

/**
 * The Hàng đợi gửi screen: every document's workflow step beside its delivery, filters with
 * counts, Send now / Pause, and Retry for a failed delivery; live from the engine's events.
 */
export function QueueScreen() {
  const t = useT();
  const documents = useStation((state) => state.queueDocuments);
  const deliveries = useStation((state) => state.queueDeliveries);
  const status = useStation((state) => state.queueStatus);
  const loadError = useStation((state) => state.queueError);
  const truncated = useStation((state) => state.queueTruncated);
  const filter = useStation((state) => state.queueFilter);
  const page = useStation((state) => state.queuePage);
  const syncStatus = useStation((state) => state.syncStatus);
  const syncAction = useStation((state) => state.syncAction);
  const actionError = useStation((state) => state.syncActionError);
  const loadQueue = useStation((state) => state.loadQueue);
  const setFilter = useStation((state) => state.setQueueFilter);
  const setPage = useStation((state) => state.setQueuePage);
  const sendNow = useStation((state) => state.sendNow);
  const pauseSync = useStation((state) => state.pauseSync);
  const resumeSync = useStation((state) => state.resumeSync);
  const retryDelivery = useStation((state) => state.retryDelivery);
  const dismissActionError = useStation((state) => state.dismissSyncActionError);
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void loadQueue();
  }, [loadQueue]);

  const rows = useMemo(
    () => queueRows({ queueDocuments: documents, queueDeliveries: deliveries }),
    [documents, deliveries],
  );
  const counts = useMemo(() => queueCounts(rows), [rows]);
  const filtered = useMemo(() => rows.filter((row) => matchesQueueFilter(row, filter)), [rows, filter]);
  const pageCount = Math.max(1, Math.ceil(filtered.length / queuePageSize));
  const currentPage = Math.min(page, pageCount - 1);
  const shown = filtered.slice(currentPage * queuePageSize, (currentPage + 1) * queuePageSize);

  function focusRow(step: 1 | -1): void {
    const buttons = rowButtons(panel.current);
    if (buttons.length === 0) return;
    const index = focusedRowIndex(buttons);
    const next =
      index === -1 ? (step === 1 ? 0 : buttons.length - 1) : Math.min(buttons.length - 1, Math.max(0, index + step));
    buttons[next]?.focus();
  }

  function retryFocused(): void {
    const buttons = rowButtons(panel.current);
    const id = buttons[focusedRowIndex(buttons)]?.closest('tr')?.dataset['documentId'];
    if (id !== undefined && deliveries[id]?.state === 'failed') void retryDelivery(id);
  }

  const bindings: Record<string, () => void> = {
    [queueCombos.sendNow]: () => {
      if (syncStatus?.configured === true && syncAction === null) void sendNow();
    },
    [queueCombos.pause]: () => {
      if (syncStatus?.configured !== true || syncAction !== null) return;
      void (syncStatus.paused ? resumeSync() : pauseSync());
    },
    [queueCombos.retry]: retryFocused,
    [queueCombos.nextRow]: () => focusRow(1),
    [queueCombos.previousRow]: () => focusRow(-1),
    [queueCombos.nextPage]: () => setPage(Math.min(pageCount - 1, currentPage + 1)),
    [queueCombos.previousPage]: () => setPage(currentPage - 1),
  };
  queueCombos.filters.forEach((combo, index) => {
    const target = queueFilters[index];
    if (target !== undefined) bindings[combo] = () => setFilter(target);
  });
  useShortcuts(bindings);

  function onTabKey(event: ReactKeyboardEvent<HTMLDivElement>): void {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft' && event.key !== 'Home' && event.key !== 'End') return;
    event.preventDefault();
    const index = queueFilters.indexOf(filter);
    const last = queueFilters.length - 1;
    const next =
      event.key === 'Home'
        ? 0
        : event.key === 'End'
          ? last
          : event.key === 'ArrowRight'
            ? index === last
              ? 0
              : index + 1
            : index === 0
              ? last
              : index - 1;
    const target = queueFilters[next] ?? 'all';
    setFilter(target);
    document.getElementById(`queue-tab-${target}`)?.focus();
  }

  const from = filtered.length === 0 ? 0 : currentPage * queuePageSize + 1;
  const to = currentPage * queuePageSize + shown.length;

  return (
    <div className="queue">
      <SyncPanel />
      {actionError !== null ? (
        <div className="banner banner-error" role="alert">
          <p className="banner-text">{t('queue.actionFailed', { message: describeErrorCode(t, actionError.code) })}</p>
          <div className="banner-actions">
            <button type="button" className="button button-quiet" onClick={dismissActionError}>
              {t('queue.dismiss')}
            </button>
          </div>
        </div>
      ) : null}
      <section className="card queue-list" aria-label={t('queue.table')}>
        <div className="queue-tabs" role="tablist" aria-label={t('queue.filters')} onKeyDown={onTabKey}>
          {queueFilters.map((item: QueueFilter, index) => (
            <button
              key={item}
              id={`queue-tab-${item}`}
              type="button"
              role="tab"
              className="queue-tab"
              aria-selected={item === filter}
              aria-controls="queue-panel"
              aria-keyshortcuts={queueCombos.filters[index]}
              tabIndex={item === filter ? 0 : -1}
              onClick={() => setFilter(item)}
            >
              {t(`queue.filter.${item}`)}
              <span className="count-badge">{counts[item]}</span>
            </button>
          ))}
        </div>
        <div
          id="queue-panel"
          role="tabpanel"
          aria-labelledby={`queue-tab-${filter}`}
          ref={panel}
          className="queue-panel"
        >
          {status === 'failed' && loadError !== null ? (
            <p className="banner banner-error banner-flat" role="alert">
              {t('queue.loadFailed', { message: describeErrorCode(t, loadError.code) })}
            </p>
          ) : null}
          {truncated ? <p className="queue-note">{t('queue.truncated', { limit: queueLoadLimit })}</p> : null}
          {status === 'loading' && rows.length === 0 ? (
            <p className="empty" role="status">
              {t('queue.loading')}
            </p>
          ) : filtered.length === 0 ? (
            status === 'failed' ? null : (
              <p className="empty">
                {filter === 'all'
                  ? t('queue.empty.all')
                  : t('queue.empty.filter', { filter: t(`queue.filter.${filter}`) })}
              </p>
            )
          ) : (
            <>
              <QueueTable rows={shown} />
              {pageCount > 1 ? (
                <nav className="queue-pager" aria-label={t('queue.pager')}>
                  <button
                    type="button"
                    className="button button-quiet"
                    disabled={currentPage === 0}
                    aria-keyshortcuts={queueCombos.previousPage}
                    onClick={() => setPage(currentPage - 1)}
                  >
                    {t('queue.pager.previous')}
                  </button>
                  <span className="queue-pager-status">
                    {t('queue.pager.status', {
                      page: currentPage + 1,
                      pages: pageCount,
                      from,
                      to,
                      total: filtered.length,
                    })}
                  </span>
                  <button
                    type="button"
                    className="button button-quiet"
                    disabled={currentPage >= pageCount - 1}
                    aria-keyshortcuts={queueCombos.nextPage}
                    onClick={() => setPage(currentPage + 1)}
                  >
                    {t('queue.pager.next')}
                  </button>
                </nav>
              ) : null}
            </>
          )}
        </div>
      </section>
    </div>
  );
}
