import type { Database } from 'better-sqlite3';
import type { Batch, BatchState, ColourMode, Page } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import { withStoreErrors } from './store-errors.js';

interface BatchRow {
  id: string;
  device_id: string;
  state: BatchState;
  page_count: number;
  started_at: string;
  ended_at: string | null;
  error_code: string | null;
}

/** The columns every page query selects; other queries add their own to it. */
export interface PageRow {
  id: string;
  batch_id: string;
  idx: number;
  sha256: string;
  mime_type: Page['mimeType'];
  width_px: number;
  height_px: number;
  dpi: number;
  colour_mode: ColourMode;
  device_id: string;
  captured_at: string;
}

export interface NewPage extends Page {
  thumbSha256: string;
  /** Where the sheet came from; unknown for drivers that do not say. */
  source?: 'flatbed' | 'adf' | 'adf-duplex' | 'import' | undefined;
  /** Size of the stored image file. */
  bytes?: number | undefined;
  /** Set when imaging found the page blank. */
  blank?: boolean | undefined;
}

/** Batches and their pages as captured; the rows that say what the file store holds. */
export interface CaptureRepository {
  createBatch(batch: { id: string; deviceId: string; startedAt: string }): void;
  /** Adds a page and counts it on its batch in one transaction. */
  addPage(page: NewPage): void;
  endBatch(id: string, state: Exclude<BatchState, 'scanning'>, endedAt: string, errorCode: string | null): void;
  /** Batches left `scanning` by a crash are closed as failed at start. */
  closeInterruptedBatches(endedAt: string): number;
  listBatches(limit: number): Batch[];
  listPages(batchId: string): Page[];
  thumbnailOf(pageId: string): string;
}

function toBatch(row: BatchRow): Batch {
  return {
    id: row.id,
    deviceId: row.device_id,
    state: row.state,
    pageCount: row.page_count,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    errorCode: row.error_code,
  };
}

/** A page row as the contract's Page; the one mapping of those columns. */
export function toPage(row: PageRow): Page {
  return {
    id: row.id,
    batchId: row.batch_id,
    index: row.idx,
    sha256: row.sha256,
    mimeType: row.mime_type,
    widthPx: row.width_px,
    heightPx: row.height_px,
    dpi: row.dpi,
    colourMode: row.colour_mode,
    deviceId: row.device_id,
    capturedAt: row.captured_at,
  };
}

export function createCaptureRepository(db: Database): CaptureRepository {
  const insertBatch = db.prepare(
    `INSERT INTO batches (id, device_id, state, started_at) VALUES (@id, @deviceId, 'scanning', @startedAt)`,
  );
  const insertPage = db.prepare(
    `INSERT INTO pages (id, batch_id, idx, sha256, thumb_sha256, mime_type, width_px, height_px, dpi, colour_mode, device_id,
                        captured_at, source, bytes, blank)
     VALUES (@id, @batchId, @index, @sha256, @thumbSha256, @mimeType, @widthPx, @heightPx, @dpi, @colourMode, @deviceId,
             @capturedAt, @source, @bytes, @blank)`,
  );
  const countPage = db.prepare(`UPDATE batches SET page_count = page_count + 1 WHERE id = ?`);
  const updateEnd = db.prepare(
    `UPDATE batches SET state = ?, ended_at = ?, error_code = ? WHERE id = ? AND state = 'scanning'`,
  );
  const closeInterrupted = db.prepare(
    `UPDATE batches SET state = 'failed', ended_at = ?, error_code = 'scan/interrupted' WHERE state = 'scanning'`,
  );
  const selectBatches = db.prepare(`SELECT * FROM batches ORDER BY started_at DESC, rowid DESC LIMIT ?`);
  const selectPages = db.prepare(`SELECT * FROM pages WHERE batch_id = ? ORDER BY idx`);
  const selectThumb = db.prepare(`SELECT thumb_sha256 FROM pages WHERE id = ?`);

  const addPage = db.transaction((page: NewPage) => {
    insertPage.run({
      ...page,
      source: page.source ?? null,
      bytes: page.bytes ?? null,
      blank: page.blank === true ? 1 : 0,
    });
    countPage.run(page.batchId);
  });

  return {
    createBatch: (batch) => void insertBatch.run(batch),
    addPage: (page) => withStoreErrors(`page ${page.index + 1}`, () => addPage(page)),
    endBatch: (id, state, endedAt, errorCode) => void updateEnd.run(state, endedAt, errorCode, id),
    closeInterruptedBatches: (endedAt) => closeInterrupted.run(endedAt).changes,
    listBatches: (limit) => (selectBatches.all(limit) as BatchRow[]).map(toBatch),
    listPages: (batchId) => (selectPages.all(batchId) as PageRow[]).map(toPage),
    thumbnailOf(pageId) {
      const row = selectThumb.get(pageId) as { thumb_sha256: string } | undefined;
      if (row === undefined) throw new StationError('store/not-found', `No page ${pageId}`);
      return row.thumb_sha256;
    },
  };
}
