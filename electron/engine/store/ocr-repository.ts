import type { Database } from 'better-sqlite3';
import type { OcrState, WorkflowState } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import type { OcrLine, OcrResult, Orientation } from '../../../shared/ocr.js';
import { OcrResult as OcrResultSchema } from '../../../shared/ocr.js';
import { reindexDocument } from './search-index.js';

/** The text of a document is fixed once it is sealed: its signed PDF carries that text. */
const lockedStates: ReadonlySet<WorkflowState> = new Set(['sealed', 'queued', 'delivered', 'verified']);

/** A page waiting for OCR, with what the OCR queue needs to fetch its image. */
export interface OcrWork {
  pageId: string;
  sha256: string;
  documentId: string | null;
  state: Extract<OcrState, 'pending' | 'running'>;
}

/**
 * OCR results per page (the OCR engine's port into the store).
 *
 * `save` stores the result as NFC, marks the page `done` and updates the document's search
 * entry, all in one transaction.
 */
export interface OcrRepository {
  save(pageId: string, result: OcrResult, at: string): void;
  get(pageId: string): OcrResult | undefined;
  /** Marks a page `running`, `failed` (with an error code), `skipped` (blank) or back to `pending` (re-OCR). */
  setState(pageId: string, state: Exclude<OcrState, 'done'>, errorCode?: string): void;
  /** Pages still to recognise, oldest capture first. */
  listWaiting(limit: number, states?: readonly ('pending' | 'running')[]): OcrWork[];
  /** Pages left `running` by a crash go back to `pending` (at start). */
  resetRunning(): number;
}

interface ResultRow {
  text: string;
  lines: string;
  orientation: Orientation;
  confidence: number;
  languages: string;
  engine: string;
  width_px: number;
  height_px: number;
}

function nfcLines(lines: OcrLine[]): OcrLine[] {
  return lines.map((line) => ({
    ...line,
    text: line.text.normalize('NFC'),
    words: line.words.map((word) => ({ ...word, text: word.text.normalize('NFC') })),
  }));
}

export function createOcrRepository(db: Database): OcrRepository {
  const selectPage = db.prepare(
    `SELECT p.id, p.document_id, d.workflow_state, p.purged_at FROM pages p
     LEFT JOIN documents d ON d.id = p.document_id WHERE p.id = ?`,
  );
  const upsert = db.prepare(
    `INSERT INTO ocr_results (page_id, text, lines, orientation, confidence, languages, engine, width_px, height_px, recognized_at)
     VALUES (@pageId, @text, @lines, @orientation, @confidence, @languages, @engine, @widthPx, @heightPx, @at)
     ON CONFLICT (page_id) DO UPDATE SET text = excluded.text, lines = excluded.lines, orientation = excluded.orientation,
       confidence = excluded.confidence, languages = excluded.languages, engine = excluded.engine,
       width_px = excluded.width_px, height_px = excluded.height_px, recognized_at = excluded.recognized_at`,
  );
  const markDone = db.prepare(`UPDATE pages SET ocr_state = 'done', ocr_error = NULL WHERE id = ?`);
  const selectResult = db.prepare(`SELECT * FROM ocr_results WHERE page_id = ?`);

  function pageFor(pageId: string): { id: string; document_id: string | null; workflow_state: WorkflowState | null } {
    const page = selectPage.get(pageId) as
      | { id: string; document_id: string | null; workflow_state: WorkflowState | null; purged_at: string | null }
      | undefined;
    if (page === undefined || page.purged_at !== null) throw new StationError('store/not-found', `No page ${pageId}`);
    if (page.workflow_state !== null && lockedStates.has(page.workflow_state)) {
      throw new StationError(
        'workflow/locked',
        `Page ${pageId} belongs to a ${page.workflow_state} document; its text is fixed`,
      );
    }
    return page;
  }

  const save = db.transaction((pageId: string, result: OcrResult, at: string) => {
    const page = pageFor(pageId);
    const parsed = OcrResultSchema.parse(result);
    upsert.run({
      pageId,
      text: parsed.text.normalize('NFC'),
      lines: JSON.stringify(nfcLines(parsed.lines)),
      orientation: parsed.orientation,
      confidence: parsed.confidence,
      languages: parsed.languages,
      engine: parsed.engine,
      widthPx: parsed.widthPx,
      heightPx: parsed.heightPx,
      at,
    });
    markDone.run(pageId);
    if (page.document_id !== null) reindexDocument(db, page.document_id);
  });

  const setState = db.transaction((pageId: string, state: Exclude<OcrState, 'done'>, errorCode?: string) => {
    const page = pageFor(pageId);
    const removed = db.prepare(`DELETE FROM ocr_results WHERE page_id = ?`).run(pageId).changes;
    db.prepare(`UPDATE pages SET ocr_state = ?, ocr_error = ? WHERE id = ?`).run(state, errorCode ?? null, pageId);
    if (removed > 0 && page.document_id !== null) reindexDocument(db, page.document_id);
  });

  return {
    save: (pageId, result, at) => save.immediate(pageId, result, at),
    get(pageId) {
      const row = selectResult.get(pageId) as ResultRow | undefined;
      if (row === undefined) return undefined;
      return {
        text: row.text,
        lines: JSON.parse(row.lines) as OcrLine[],
        orientation: row.orientation,
        confidence: row.confidence,
        languages: row.languages,
        engine: row.engine,
        widthPx: row.width_px,
        heightPx: row.height_px,
      };
    },
    setState: (pageId, state, errorCode) => setState.immediate(pageId, state, errorCode),
    listWaiting(limit, states = ['pending', 'running']) {
      const rows = db
        .prepare(
          `SELECT id, sha256, document_id, ocr_state FROM pages
           WHERE ocr_state IN (${states.map(() => '?').join(', ')}) AND purged_at IS NULL
           ORDER BY captured_at, batch_id, idx LIMIT ?`,
        )
        .all(...states, limit) as {
        id: string;
        sha256: string;
        document_id: string | null;
        ocr_state: 'pending' | 'running';
      }[];
      return rows.map((row) => ({
        pageId: row.id,
        sha256: row.sha256,
        documentId: row.document_id,
        state: row.ocr_state,
      }));
    },
    resetRunning: () => db.prepare(`UPDATE pages SET ocr_state = 'pending' WHERE ocr_state = 'running'`).run().changes,
  };
}
