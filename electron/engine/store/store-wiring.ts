import type { Settings } from '../../../shared/settings.js';
import type { Clock } from '../clock.js';
import type { CallHandlers } from '../dispatcher.js';
import type { EventBus } from '../event-bus.js';
import type { Logger } from '../logging/logger.js';
import { localActor } from './audit-log.js';
import { createBackupScheduler } from './backup.js';
import type { DeliveryLookup, Store } from './store.js';

type StoreCalls =
  'documents:list' | 'documents:get' | 'documents:update' | 'documents:transition' | 'queue:list' | 'search:query';

/** The contract calls the store answers (engine.ts spreads them into its table). */
export function storeCallHandlers(
  store: Store,
  options: {
    actor?: () => string;
    /** The outbox's view of queued documents, for `queue:list`. */
    delivery?: DeliveryLookup | undefined;
    /** Queues through delivery, so the workflow step and the outbox job commit together. */
    enqueue?: ((documentId: string, actor: string) => void) | undefined;
  } = {},
): Pick<CallHandlers, StoreCalls> {
  const actor = options.actor ?? localActor;
  const { workflow } = store;
  return {
    'documents:list': ({ states, batchId, limit, offset }) =>
      workflow.documents.list({ states, batchId, limit: limit ?? 100, offset }),
    'documents:get': ({ documentId }) => workflow.detail(documentId),
    'documents:update': ({ documentId, metadata, validity, classified, outOfScope }) => {
      const who = actor();
      // All or nothing: each change becomes a savepoint of this transaction.
      store.db
        .transaction(() => {
          workflow.documents.row(documentId); // not-found before any change
          if (metadata !== undefined) workflow.updateMetadata(documentId, metadata, who);
          if (validity !== undefined) workflow.setValidity(documentId, validity, who);
          if (classified !== undefined) workflow.setClassified(documentId, classified, who);
          if (outOfScope !== undefined) workflow.setOutOfScope(documentId, outOfScope, who);
        })
        .immediate();
      return workflow.detail(documentId);
    },
    'documents:transition': ({ documentId, to }) => {
      if (to === 'queued' && options.enqueue !== undefined) options.enqueue(documentId, actor());
      else workflow.transition(documentId, to, actor());
      return workflow.detail(documentId);
    },
    'queue:list': ({ states, limit, newest }) => store.queue({ states, limit: limit ?? 200, newest }, options.delivery),
    'search:query': ({ query, limit, offset }) => store.search.query(query, { limit, offset }),
  };
}

export interface StoreServices {
  stop(): void;
}

/**
 * What runs beside the store while the engine lives: a document per finished batch, and, in the
 * long-running modes (the app and browser mode, not one-shot CLI commands), the daily back-up and
 * the garbage collection of unreferenced files.
 */
export function startStoreServices(options: {
  store: Store;
  events: EventBus;
  settings: () => Settings;
  clock: Clock;
  logger: Logger;
  scheduled: boolean;
}): StoreServices {
  const { store, logger } = options;
  const log = logger.child('store');
  try {
    const recovered = store.recover();
    if (recovered.batchesClosed + recovered.documentsCreated + recovered.ocrReset > 0) {
      log.warn('repaired what a previous stop left half-done', { ...recovered });
    }
  } catch (error) {
    // A full disk must not keep the station from starting: what is stored stays readable, and
    // the repair runs at the next start with room.
    log.error('could not repair what a previous stop left half-done', { error });
  }

  const unsubscribe = options.events.onAny((name, payload) => {
    if (name !== 'scan:finished' && name !== 'scan:failed') return;
    const { batchId } = payload as { batchId: string };
    try {
      store.workflow.createFromBatch(batchId, 'system:capture');
    } catch (error) {
      // Recovery at the next start makes the document; the pages are safe either way.
      log.error('could not make the document of a batch', { batchId, error });
    }
  });

  const timers: NodeJS.Timeout[] = [];
  const scheduler = options.scheduled
    ? createBackupScheduler({
        db: store.db,
        clock: options.clock,
        targets: () => options.settings().backup.targets,
        hour: () => options.settings().backup.hour,
        run: (target) => store.backup(target, 'auto', 'system:backup'),
        logger: log,
        intervalMs: 15 * 60_000,
      })
    : undefined;
  if (options.scheduled) {
    const gc = (): void => {
      try {
        const report = store.collectGarbage(60 * 60_000);
        if (report.removed > 0) log.info('garbage collected', { ...report });
      } catch (error) {
        log.error('garbage collection failed', { error });
      }
    };
    const merge = (): void => {
      try {
        store.maintainSearch(200);
      } catch (error) {
        log.warn('search index maintenance failed', { error });
      }
    };
    timers.push(setTimeout(gc, 5 * 60_000), setInterval(gc, 6 * 60 * 60_000), setInterval(merge, 5 * 60_000));
    for (const timer of timers) timer.unref();
  }
  return {
    stop() {
      unsubscribe();
      scheduler?.stop();
      for (const timer of timers) clearTimeout(timer);
    },
  };
}
