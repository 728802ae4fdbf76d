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

/** What measuring a page needs: where its image is and its resolution. */
type PageRef = Pick<Page, 'id' | 'sha256' | 'dpi'>;

/** At most this many pages left unmeasured by an earlier run are measured at a start. */
const maxResumed = 10_000;

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
  const waiting: PageRef[] = [];
  let running: Promise<void> | null = null;
  let stopped = false;
  const { documents } = store.workflow;

  async function measure(page: PageRef): Promise<void> {
    const image = await store.files.read(page.sha256);
    if (stopped) return;
    const blank = await imaging.isBlank(image, { dpi: page.dpi });
    if (stopped) return;
    const current = documents.page(page.id);
    // The clerk marked or unmarked it meanwhile: the clerk's word stands.
    if (documents.isBlankChecked(page.id)) return;
    const signed =
      current.documentId !== null && !pageEditableStates.has(documents.row(current.documentId).workflow_state);
    // A document signed meanwhile keeps its pages as they are.
    if (!blank || current.blank || signed) {
      documents.markBlankChecked(page.id);
      return;
    }
    store.workflow.setPageBlank(page.id, true, imagingActor);
    const documentId = documents.page(page.id).documentId;
    // A page not yet in a document is announced with its document when the batch ends.
    if (documentId !== null) events.emit('documents:changed', documents.summary(documentId));
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
    const { page } = payload as { page: Page };
    waiting.push({ id: page.id, sha256: page.sha256, dpi: page.dpi });
    running ??= drain();
  });

  // Pages an earlier run stored but stopped before measuring.
  const left = documents.blankUnchecked(maxResumed);
  if (left.length > 0) {
    log.info('measuring pages an earlier run left unmeasured', { pages: left.length });
    waiting.push(...left);
    running ??= drain();
  }

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
