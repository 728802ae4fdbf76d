import crypto from 'node:crypto';
import type { BlankPagePolicy, Page } from '../../../shared/domain.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../event-bus.js';
import { makeThumbnail } from '../imaging/thumbnail.js';
import type { Logger } from '../logging/logger.js';
import type { CaptureRepository, NewPage } from '../store/capture-repository.js';
import type { FileStore } from '../store/file-store.js';
import type { ScannedPage } from './scan-driver.js';

/**
 * Runs once a page is in the store (file and row) and before it is announced.
 *
 * This is where the imaging/OCR pipeline attaches. A hook that throws is
 * logged and the page is still announced: the captured original is never lost
 * because a later step failed.
 */
export type PageStoredHook = (page: Page, context: PageContext) => Promise<void> | void;

/** What the steps after capture need to know about the page's batch: its scan profile. */
export interface PageContext {
  profile: string;
  blankPages: BlankPagePolicy;
}

/** Where a page belongs. */
export interface PagePlace {
  batchId: string;
  index: number;
  deviceId: string;
  /** Where the sheet came from, when known. */
  source?: NewPage['source'];
}

/** The one way a page enters the store, for scanners and imports alike. */
export interface PageWriter {
  /** Puts the image and its thumbnail in the file store and returns the row to add; nothing is in the database yet. */
  prepare(scanned: ScannedPage, place: PagePlace): Promise<NewPage>;
  /** Adds the row (inside the caller's transaction when there is one). */
  commit(page: NewPage): void;
  /** The page is stored: runs the page-stored hook, then emits `scan:page-captured`. */
  announce(page: NewPage, context: PageContext): Promise<Page>;
}

export interface PageWriterOptions {
  repository: CaptureRepository;
  files: FileStore;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  onPageStored?: PageStoredHook | undefined;
}

export function createPageWriter(options: PageWriterOptions): PageWriter {
  const { repository, files, events, clock } = options;
  const log = options.logger.child('pages');
  const writer: PageWriter = {
    async prepare(scanned, place) {
      // Hash + write of the image and thumbnailing run side by side: the two cores are both busy.
      const [sha256, thumbSha256] = await Promise.all([
        files.put(scanned.data),
        makeThumbnail(scanned.data).then((thumb) => files.put(thumb)),
      ]);
      return {
        id: crypto.randomUUID(),
        batchId: place.batchId,
        index: place.index,
        sha256,
        thumbSha256,
        mimeType: scanned.mimeType,
        widthPx: scanned.widthPx,
        heightPx: scanned.heightPx,
        dpi: scanned.dpi,
        colourMode: scanned.colourMode,
        deviceId: place.deviceId,
        capturedAt: clock.now().toISOString(),
        source: place.source,
        bytes: scanned.data.length,
      };
    },
    commit(page) {
      repository.addPage(page);
    },
    async announce(page, context) {
      const { thumbSha256: _thumb, source: _source, bytes: _bytes, blank: _blank, ...stored } = page;
      // PAGE STORED: the file and the row are durable from here on.
      if (options.onPageStored !== undefined) {
        try {
          await options.onPageStored(stored, context);
        } catch (error) {
          log.error('page-stored hook failed; the page is kept', { pageId: stored.id, batchId: stored.batchId, error });
        }
      }
      events.emit('scan:page-captured', { batchId: stored.batchId, page: stored });
      return stored;
    },
  };
  return writer;
}
