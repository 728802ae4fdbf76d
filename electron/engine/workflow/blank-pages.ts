import type { Page } from '../../../shared/domain.js';
import type { EventBus } from '../event-bus.js';
import type { ImagingPool } from '../imaging/imaging-pool.js';
import type { Logger } from '../logging/logger.js';
import type { Store } from '../store/store.js';
import { pageEditableStates } from './transitions.js';

/** The actor the audit log shows for flags the imaging sets. */
export const imagingActor = 'system:imaging';

/**
 * Measures every captured or imported page in the imaging pool, off the capture's hand-on path,
 * and sets its `blank` flag when the imaging finds no marks. The review screen offers to split a
 * document at these blank separator sheets; `documents:changed` announces each flag.
 */
export interface BlankPageFlagger {
  /** Resolves when every page announced so far is measured (tests, shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function startBlankPageFlags(options: {
  store: Store;
  events: EventBus;
  imaging: ImagingPool;
  logger: Logger;
}): BlankPageFlagger {
  const { store, events, imaging } = options;
  const log = options.logger.child('blank-pages');
  const pending = new Set<Promise<void>>();
  let stopped = false;

  async function measure(page: Page): Promise<void> {
    const image = await store.files.read(page.sha256);
    if (stopped) return;
    const analysis = await imaging.analyse(image, { dpi: page.dpi });
    if (stopped || !analysis.blank) return;
    const current = store.workflow.documents.page(page.id);
    if (current.blank) return;
    if (current.documentId !== null) {
      // A document signed meanwhile keeps its pages as they are.
      if (!pageEditableStates.has(store.workflow.documents.row(current.documentId).workflow_state)) return;
    }
    store.workflow.setPageBlank(page.id, true, imagingActor);
    const documentId = store.workflow.documents.page(page.id).documentId;
    // A page not yet in a document is announced with its document when the batch ends.
    if (documentId !== null) events.emit('documents:changed', store.workflow.documents.summary(documentId));
  }

  const unsubscribe = events.onAny((name, payload) => {
    if (name !== 'scan:page-captured' || stopped) return;
    const { page } = payload as { page: Page };
    const job = measure(page)
      .catch((error: unknown) => {
        if (!stopped) log.warn('could not measure a page for blankness', { pageId: page.id, error });
      })
      .finally(() => pending.delete(job));
    pending.add(job);
  });

  return {
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    async stop() {
      stopped = true;
      unsubscribe();
      await Promise.allSettled([...pending]);
    },
  };
}
