import type { DocumentDetail, QrFinding } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import type { Settings } from '../../../shared/settings.js';
import type { PageTransform } from '../../../shared/transforms.js';
import { totalRotation } from '../../../shared/transforms.js';
import type { Clock } from '../clock.js';
import type { CallHandlers } from '../dispatcher.js';
import type { EventBus } from '../event-bus.js';
import type { ImagingPool } from '../imaging/imaging-pool.js';
import type { Logger } from '../logging/logger.js';
import type { OcrScheduler } from '../ocr/ocr-scheduler.js';
import type { CaptureService } from '../scan/capture-service.js';
import { appendAudit, localActor } from '../store/audit-log.js';
import type { Store } from '../store/store.js';
import type { SyncService } from '../sync/sync-service.js';
import type { BlankPageFlagger } from './blank-pages.js';
import { startBlankPageFlags } from './blank-pages.js';
import { proposeDigitizationCode } from './digitization-code.js';
import type { DocumentFinisher } from './document-finisher.js';
import { createDocumentFinisher } from './document-finisher.js';
import { mergeSuggestions, suggestFromQr, suggestFromText } from './metadata-suggestions.js';
import { defaultViewerSize, pageImage } from './page-images.js';
import { readQrCodes } from './qr-codes.js';
import { pageEditableStates } from './transitions.js';

export type DeskCalls =
  | 'documents:split'
  | 'documents:split-at-blanks'
  | 'documents:merge'
  | 'documents:reorder-pages'
  | 'documents:suggest'
  | 'documents:propose-code'
  | 'documents:finish'
  | 'pages:remove'
  | 'pages:set-transforms'
  | 'pages:set-blank'
  | 'pages:image'
  | 'scan:insert'
  | 'sync:send-now';

export interface DeskOptions {
  store: Store;
  events: EventBus;
  imaging: ImagingPool;
  capture: CaptureService;
  sync: Pick<SyncService, 'sendNow'> & { queueDocument(documentId: string, actor: string): unknown };
  settings: () => Settings;
  clock: Clock;
  logger: Logger;
  /** OCR of the desk's pages: a removed page leaves the queue, a page the clerk turns is read again. */
  ocr: Pick<OcrScheduler, 'rerun' | 'withdraw'>;
  /** Who the audit log names for the clerk's steps; the OS user by default. */
  actor?: () => string;
  /** Pages the demo scanner delivers when `scan:insert` gives no count. */
  demoPageCount?: () => number;
}

/** The clerk's desk in the engine: its contract calls and the blank-page flags they rely on. */
export interface Desk {
  readonly handlers: Pick<CallHandlers, DeskCalls>;
  readonly finisher: DocumentFinisher;
  /** Resolves when every captured page so far has been measured for blankness. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

function requireEditable(store: Store, documentId: string): void {
  const row = store.workflow.documents.row(documentId);
  if (!pageEditableStates.has(row.workflow_state)) {
    throw new StationError(
      'workflow/locked',
      `Document ${documentId} is ${row.workflow_state}: its pages are fixed once the operator has signed; reopen it first`,
    );
  }
}

export function createDesk(options: DeskOptions): Desk {
  const { store, events, capture } = options;
  const { workflow } = store;
  const actor = options.actor ?? localActor;
  const log = options.logger.child('desk');
  const blankPages: BlankPageFlagger = startBlankPageFlags({
    store,
    events,
    imaging: options.imaging,
    logger: options.logger,
  });
  const finisher = createDocumentFinisher({
    store,
    imaging: options.imaging,
    settings: options.settings,
    clock: options.clock,
    logger: options.logger,
    queue: (documentId, who) => options.sync.queueDocument(documentId, who),
  });

  /** The document a page is in; a page in none is refused for calls that answer with its document. */
  function documentOf(pageId: string): string {
    const documentId = workflow.documents.page(pageId).documentId;
    if (documentId === null) throw new StationError('store/not-found', `Page ${pageId} is in no document`);
    return documentId;
  }

  /**
   * After the clerk turned a page: it is read again that way up, unless its text was already read
   * so (OCR found the same turn); with no turn of the clerk's left, OCR finds the way up itself.
   */
  function rereadIfTurned(pageId: string, before: readonly PageTransform[], after: readonly PageTransform[]): void {
    const turn = totalRotation(after);
    const clerkTurns = after.some((transform) => transform.kind === 'rotate');
    const turnedBefore = before.some((transform) => transform.kind === 'rotate');
    if (clerkTurns === turnedBefore && turn === totalRotation(before)) return;
    if (clerkTurns && store.ocr.get(pageId)?.orientation === turn) return;
    options.ocr.rerun(pageId, clerkTurns ? turn : undefined);
  }

  function splitAtBlanks(documentId: string, who: string): string[] {
    const separators: string[] = [];
    const ids = store.db
      .transaction(() => {
        const pages = workflow.documents.pages(documentId);
        requireEditable(store, documentId);
        const runs: string[][] = [];
        let run: string[] = [];
        for (const page of pages) {
          if (page.blank) {
            if (run.length > 0) runs.push(run);
            run = [];
          } else {
            run.push(page.id);
          }
        }
        if (run.length > 0) runs.push(run);
        if (runs.length === 0) {
          throw new StationError(
            'workflow/not-ready',
            `Every page of document ${documentId} is blank; nothing to split`,
          );
        }
        // The separator sheets leave the document first, so each run starts right after the previous one.
        for (const page of pages.filter((each) => each.blank)) {
          workflow.removePage(page.id, who);
          separators.push(page.id);
        }
        const ids = [documentId];
        let current = documentId;
        for (const next of runs.slice(1)) {
          const first = next[0];
          if (first === undefined) continue;
          current = workflow.split(current, first, who);
          ids.push(current);
        }
        return ids;
      })
      .immediate();
    for (const pageId of separators) options.ocr.withdraw(pageId);
    // The split announces the documents it made; removing the separators alone announces nothing.
    events.emit('documents:changed', workflow.documents.summary(documentId));
    return ids;
  }

  /** Puts a page just scanned into the document at `position`; with `replace`, the old page leaves. */
  function placeScannedPage(documentId: string, pageId: string, position: number, replace: string | undefined): void {
    store.db
      .transaction(() => {
        requireEditable(store, documentId);
        const at = options.clock.now().toISOString();
        const order = workflow.documents.pages(documentId).map((page) => page.id);
        workflow.documents.movePages([pageId], documentId, at);
        const place = Math.min(position, order.length);
        const wanted = [...order.slice(0, place), pageId, ...order.slice(place)];
        workflow.documents.setPageOrder(documentId, wanted, at);
        appendAudit(store.db, at, {
          actor: 'system:capture',
          action: 'page.inserted',
          objectType: 'document',
          objectId: documentId,
          details: { pageId, position: place, replaces: replace ?? null },
        });
        if (replace !== undefined) workflow.removePage(replace, 'system:capture');
      })
      .immediate();
    if (replace !== undefined) options.ocr.withdraw(replace);
    events.emit('documents:changed', workflow.documents.summary(documentId));
  }

  async function suggest(documentId: string): Promise<{
    suggestions: ReturnType<typeof mergeSuggestions>;
    qr: QrFinding[];
  }> {
    const pages = workflow.documents.pages(documentId).filter((page) => page.purgedAt === null);
    const texts = pages
      .filter((page) => !page.blank)
      .map((page) => ({ pageId: page.id, text: store.ocr.get(page.id)?.text ?? '' }));
    const qr: QrFinding[] = [];
    for (const page of pages) {
      if (page.blank) continue;
      try {
        for (const text of await readQrCodes(await store.files.read(page.sha256))) qr.push({ pageId: page.id, text });
      } catch (error) {
        log.warn('could not read QR codes of a page', { pageId: page.id, error });
      }
    }
    return { suggestions: mergeSuggestions(suggestFromQr(qr), suggestFromText(texts)), qr };
  }

  const detail = (documentId: string): DocumentDetail => workflow.detail(documentId);

  const handlers: Pick<CallHandlers, DeskCalls> = {
    'documents:split': ({ documentId, firstPageId }) => ({
      documentId: workflow.split(documentId, firstPageId, actor()),
    }),
    'documents:split-at-blanks': ({ documentId }) => ({ documentIds: splitAtBlanks(documentId, actor()) }),
    'documents:merge': ({ targetId, sourceId }) => {
      workflow.merge(targetId, sourceId, actor());
      return detail(targetId);
    },
    'documents:reorder-pages': ({ documentId, pageIds }) => {
      workflow.reorderPages(documentId, pageIds, actor());
      return detail(documentId);
    },
    'documents:suggest': ({ documentId }) => {
      workflow.documents.row(documentId); // not-found first
      return suggest(documentId);
    },
    'documents:propose-code': ({ documentId }) => ({
      code: proposeDigitizationCode(store.db, documentId, workflow.documents.metadata(documentId)),
    }),
    'documents:finish': ({ documentId }) => finisher.finish(documentId, actor()),
    'pages:remove': ({ pageId }) => {
      const documentId = documentOf(pageId);
      if (workflow.documents.pages(documentId).length === 1) {
        // Removing it would delete the document; the call answers with the document as it is now.
        throw new StationError('ipc/invalid-args', 'The only page of a document cannot be removed', [
          { path: 'pageId', message: 'the last page of its document' },
        ]);
      }
      workflow.removePage(pageId, actor());
      options.ocr.withdraw(pageId);
      events.emit('documents:changed', workflow.documents.summary(documentId));
      return detail(documentId);
    },
    'pages:set-transforms': ({ pageId, transforms }) => {
      const documentId = documentOf(pageId);
      const before = workflow.documents.page(pageId).transforms;
      workflow.setPageTransforms(pageId, transforms, actor());
      rereadIfTurned(pageId, before, transforms);
      events.emit('documents:changed', workflow.documents.summary(documentId));
      return detail(documentId);
    },
    'pages:set-blank': ({ pageId, blank }) => {
      const documentId = documentOf(pageId);
      workflow.setPageBlank(pageId, blank, actor());
      events.emit('documents:changed', workflow.documents.summary(documentId));
      return detail(documentId);
    },
    'pages:image': async ({ pageId, variant, maxSize }) => {
      const page = workflow.documents.page(pageId);
      if (page.purgedAt !== null) {
        throw new StationError('store/not-found', `Page ${pageId} was purged after the warehouse verified it`);
      }
      return pageImage({
        image: await store.files.read(page.sha256),
        page,
        variant,
        maxSize: maxSize ?? defaultViewerSize,
        imaging: options.imaging,
        output: options.settings().output,
      });
    },
    'scan:insert': async ({ documentId, deviceId, position, count, profile, replacePageId }) => {
      requireEditable(store, documentId);
      const pages = workflow.documents.pages(documentId);
      let next = position;
      if (replacePageId !== undefined) {
        next = pages.findIndex((page) => page.id === replacePageId);
        if (next < 0) {
          throw new StationError('ipc/invalid-args', 'The page to replace is not in this document', [
            { path: 'replacePageId', message: 'not in this document' },
          ]);
        }
      } else if (position > pages.length) {
        throw new StationError('ipc/invalid-args', `The document has ${pages.length} pages`, [
          { path: 'position', message: `at most ${pages.length}` },
        ]);
      }
      let replace = replacePageId;
      return capture.start({
        deviceId,
        count: count ?? (replacePageId !== undefined ? 1 : deviceId === 'demo' ? options.demoPageCount?.() : undefined),
        profile,
        intoDocumentId: documentId,
        onPageCommitted: (page) => {
          placeScannedPage(documentId, page.id, next, replace);
          next += 1;
          replace = undefined;
        },
      });
    },
    'sync:send-now': () => options.sync.sendNow(),
  };

  return {
    handlers,
    finisher,
    idle: () => blankPages.idle(),
    close: () => blankPages.stop(),
  };
}
