import type { Database } from 'better-sqlite3';
import type { OcrState, Page } from '../../../shared/domain.js';
import type { PageRow } from '../store/capture-repository.js';
import { toPage } from '../store/capture-repository.js';

/** A stored page as OCR needs it: the captured page, its OCR state and error. */
export interface OcrPageRow extends Page {
  ocrState: OcrState;
  ocrError: string | null;
}

/** Finds a page that is still in the store (not purged). */
export type OcrPageLookup = (pageId: string) => OcrPageRow | undefined;

interface Row extends PageRow {
  ocr_state: OcrState;
  ocr_error: string | null;
}

/** Reads pages for the OCR scheduler (read-only; the store's repositories do every write). */
export function createOcrPageLookup(db: Database): OcrPageLookup {
  const select = db.prepare(
    `SELECT id, batch_id, idx, sha256, mime_type, width_px, height_px, dpi, colour_mode, device_id, captured_at,
            ocr_state, ocr_error
     FROM pages WHERE id = ? AND purged_at IS NULL`,
  );
  return (pageId) => {
    const row = select.get(pageId) as Row | undefined;
    if (row === undefined) return undefined;
    return {
      ...toPage(row),
      ocrState: row.ocr_state,
      ocrError: row.ocr_error,
    };
  };
}
