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
  // Pages wait as references, not images: a 500-page batch arrives faster than it is measured, and
  // holding every image until its turn would cost a gigabyte. One page at a time, read when its
  // turn comes, keeps the measuring to one core and its memory to one page.
  const waiting: Page[] = [];
  let running: Promise<void> | null = null;
  let stopped = false;

  async function measure(page: Page): Promise<void> {
    const image = await store.files.read(page.sha256);
    if (stopped) return;
    const blank = await imaging.isBlank(image, { dpi: page.dpi });
    if (stopped || !blank) return;
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

  async function drain(): Promise<void> {
    for (let page = waiting.shift(); page !== undefined && !stopped; page = waiting.shift()) {
      try {
        await measure(page);
      } catch (error) {
        // A page removed or purged meanwhile, or an image the imaging cannot read: it stays unflagged.
        if (!stopped) log.warn('could not measure a page for blankness', { pageId: page.id, error });
      }
    }
    running = null;
  }

  const unsubscribe = events.onAny((name, payload) => {
    if (name !== 'scan:page-captured' || stopped) return;
    waiting.push((payload as { page: Page }).page);
    running ??= drain();
  });

  return {
    async idle() {
      while (running !== null) await running;
    },
    async stop() {
      stopped = true;
      unsubscribe();
      waiting.length = 0;
      await running;
    },
  };
}
