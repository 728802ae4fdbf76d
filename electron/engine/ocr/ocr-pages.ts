import type { Database } from 'better-sqlite3';
import type { OcrState, Page } from '../../../shared/domain.js';

/** A stored page as OCR needs it: the captured page, its OCR state and error. */
export interface OcrPageRow extends Page {
  ocrState: OcrState;
  ocrError: string | null;
}

/** Finds a page that is still in the store (not purged). */
export type OcrPageLookup = (pageId: string) => OcrPageRow | undefined;

interface Row {
  id: string;
  batch_id: string;
  idx: number;
  sha256: string;
  mime_type: Page['mimeType'];
  width_px: number;
  height_px: number;
  dpi: number;
  colour_mode: Page['colourMode'];
  device_id: string;
  captured_at: string;
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
      ocrState: row.ocr_state,
      ocrError: row.ocr_error,
    };
  };
}
