import crypto from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { PageTransform } from '../../../shared/transforms.js';
import type {
  DocumentPage,
  DocumentSummary,
  OcrState,
  OutOfScope,
  ResultMetadata,
  Validity,
  WorkflowState,
} from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import { reindexDocument, unindexDocument } from './search-index.js';
import { statement } from './statements.js';
import type { PageRow } from './capture-repository.js';
import { toPage } from './capture-repository.js';

/**
 * Documents, their ordered pages and their metadata: reads and plain writes.
 *
 * No rule of the workflow lives here: electron/engine/workflow/ decides what may change and
 * when, and records it in the audit log; it calls these writes inside its transactions.
 */

export interface DocumentRow {
  seq: number;
  id: string;
  batch_id: string | null;
  workflow_state: WorkflowState;
  validity: Validity;
  classified: 0 | 1;
  out_of_scope: OutOfScope | null;
  pdf_sha256: string | null;
  operator_signature: string | null;
  agency_signature: string | null;
  receipt: string | null;
  created_at: string;
  updated_at: string;
  state_changed_at: string;
  purged_at: string | null;
}

interface SummaryRow extends DocumentRow {
  page_count: number;
  first_page_index: number | null;
  document_number: string | null;
  summary: string | null;
}

interface DocumentPageRow extends PageRow {
  thumb_sha256: string;
  document_id: string | null;
  doc_index: number | null;
  source: DocumentPage['source'];
  bytes: number | null;
  transforms: string;
  blank: 0 | 1;
  ocr_state: OcrState;
  purged_at: string | null;
}

interface MetadataRow {
  digitization_code: string | null;
  result_type_code: string | null;
  owner_id: string | null;
  owner_name: string | null;
  document_number: string | null;
  issued_date: string | null;
  valid_until: string | null;
  permanent: 0 | 1;
  validity_scope: string | null;
  summary: string | null;
  issuing_agency: string | null;
  signer: string | null;
  dossier_code: string | null;
  procedure_code: string | null;
  sector_code: string | null;
  digitized_by: string | null;
  digitized_at: string | null;
  kind: 0 | 1 | null;
  extras: string;
}

/** Metadata field → column; the one map between the contract's names and the schema's. */
export const metadataColumns = {
  digitizationCode: 'digitization_code',
  resultTypeCode: 'result_type_code',
  ownerId: 'owner_id',
  ownerName: 'owner_name',
  documentNumber: 'document_number',
  issuedDate: 'issued_date',
  validUntil: 'valid_until',
  permanent: 'permanent',
  validityScope: 'validity_scope',
  summary: 'summary',
  issuingAgency: 'issuing_agency',
  signer: 'signer',
  dossierCode: 'dossier_code',
  procedureCode: 'procedure_code',
  sectorCode: 'sector_code',
  digitizedBy: 'digitized_by',
  digitizedAt: 'digitized_at',
  kind: 'kind',
  extras: 'extras',
} as const satisfies Record<keyof ResultMetadata, string>;

export function emptyMetadata(): ResultMetadata {
  return {
    digitizationCode: null,
    resultTypeCode: null,
    ownerId: null,
    ownerName: null,
    documentNumber: null,
    issuedDate: null,
    validUntil: null,
    permanent: false,
    validityScope: null,
    summary: null,
    issuingAgency: null,
    signer: null,
    dossierCode: null,
    procedureCode: null,
    sectorCode: null,
    digitizedBy: null,
    digitizedAt: null,
    kind: null,
    extras: {},
  };
}

const summarySelect = `
  SELECT d.*, m.document_number, m.summary,
         (SELECT count(*) FROM pages p WHERE p.document_id = d.id) AS page_count,
         (SELECT min(p.idx) FROM pages p WHERE p.document_id = d.id) AS first_page_index
  FROM documents d LEFT JOIN metadata m ON m.document_id = d.id`;

export function toSummary(row: SummaryRow): DocumentSummary {
  return {
    id: row.id,
    batchId: row.batch_id,
    state: row.workflow_state,
    validity: row.validity,
    classified: row.classified === 1,
    outOfScope: row.out_of_scope,
    pageCount: row.page_count,
    firstPageIndex: row.first_page_index,
    documentNumber: row.document_number,
    summary: row.summary,
    pdfSha256: row.pdf_sha256,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    stateChangedAt: row.state_changed_at,
    purgedAt: row.purged_at,
  };
}

function toDocumentPage(row: DocumentPageRow): DocumentPage {
  return {
    ...toPage(row),
    documentId: row.document_id,
    position: row.doc_index,
    source: row.source,
    bytes: row.bytes,
    transforms: JSON.parse(row.transforms) as PageTransform[],
    blank: row.blank === 1,
    ocrState: row.ocr_state,
    purgedAt: row.purged_at,
  };
}

function toMetadata(row: MetadataRow | undefined): ResultMetadata {
  if (row === undefined) return emptyMetadata();
  return {
    digitizationCode: row.digitization_code,
    resultTypeCode: row.result_type_code,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    documentNumber: row.document_number,
    issuedDate: row.issued_date,
    validUntil: row.valid_until,
    permanent: row.permanent === 1,
    validityScope: row.validity_scope,
    summary: row.summary,
    issuingAgency: row.issuing_agency,
    signer: row.signer,
    dossierCode: row.dossier_code,
    procedureCode: row.procedure_code,
    sectorCode: row.sector_code,
    digitizedBy: row.digitized_by,
    digitizedAt: row.digitized_at,
    kind: row.kind,
    extras: JSON.parse(row.extras) as Record<string, unknown>,
  };
}

/** NFC for every string, so what is stored and searched is one spelling of each Vietnamese letter. */
function nfc<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (Array.isArray(value)) return value.map(nfc) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, nfc(child)])) as T;
  }
  return value;
}

export interface ListOptions {
  states?: readonly WorkflowState[] | undefined;
  batchId?: string | undefined;
  limit: number;
  offset?: number | undefined;
}

export interface DocumentsRepository {
  /** The raw row, or `store/not-found`. */
  row(documentId: string): DocumentRow;
  summary(documentId: string): DocumentSummary;
  list(options: ListOptions): DocumentSummary[];
  /** Documents in the given states, longest in their state first (the queue view), or newest first. */
  listByState(states: readonly WorkflowState[], limit: number, newest?: boolean): DocumentSummary[];
  pages(documentId: string): DocumentPage[];
  page(pageId: string): DocumentPage;
  metadata(documentId: string): ResultMetadata;
  /** Creates a document holding the given pages in that order. */
  create(input: { batchId: string | null; pageIds: readonly string[]; at: string }): string;
  /** Puts the document's pages in this order (every page of the document, each once). */
  setPageOrder(documentId: string, pageIds: readonly string[], at: string): void;
  /** Moves pages (in order) to the end of another document. */
  movePages(pageIds: readonly string[], toDocumentId: string, at: string): void;
  deletePage(pageId: string): void;
  /** Deletes a document without pages. */
  deleteDocument(documentId: string): void;
  setTransforms(pageId: string, transforms: readonly PageTransform[]): void;
  /** Sets the blank flag; the page counts as measured from then on (a clerk's mark stands). */
  setBlank(pageId: string, blank: boolean): void;
  /** The page was measured for blankness (whatever the outcome). */
  markBlankChecked(pageId: string): void;
  isBlankChecked(pageId: string): boolean;
  /** Pages not yet measured for blankness (the station stopped first), oldest first. */
  blankUnchecked(limit: number): { id: string; sha256: string; dpi: number }[];
  /** Writes the given fields (NFC), leaves the others. Returns the names written. */
  saveMetadata(documentId: string, patch: Partial<ResultMetadata>, at: string): string[];
  update(documentId: string, fields: Partial<Omit<DocumentRow, 'seq' | 'id' | 'batch_id' | 'created_at'>>): void;
  /** Batches that ended with pages in no document (a crash between the batch's end and its document). */
  batchesWithLoosePages(): string[];
  loosePages(batchId: string): string[];
}

export function createDocumentsRepository(db: Database): DocumentsRepository {
  const selectRow = statement(db, `SELECT * FROM documents WHERE id = ?`);
  const selectSummary = statement(db, `${summarySelect} WHERE d.id = ?`);
  const selectPages = statement(db, `SELECT * FROM pages WHERE document_id = ? ORDER BY doc_index`);
  const selectPage = statement(db, `SELECT * FROM pages WHERE id = ?`);
  const selectMetadata = statement(db, `SELECT * FROM metadata WHERE document_id = ?`);
  const insertDocument = statement(
    db,
    `INSERT INTO documents (id, batch_id, created_at, updated_at, state_changed_at) VALUES (?, ?, ?, ?, ?)`,
  );
  const placePage = statement(db, `UPDATE pages SET document_id = ?, doc_index = ? WHERE id = ?`);
  const touch = statement(db, `UPDATE documents SET updated_at = ? WHERE id = ?`);

  function row(documentId: string): DocumentRow {
    const found = selectRow.get(documentId) as DocumentRow | undefined;
    if (found === undefined) throw new StationError('store/not-found', `No document ${documentId}`);
    return found;
  }

  function pageIdsOf(documentId: string): string[] {
    return (selectPages.all(documentId) as DocumentPageRow[]).map((page) => page.id);
  }

  function renumber(documentId: string, pageIds: readonly string[]): void {
    pageIds.forEach((pageId, position) => placePage.run(documentId, position, pageId));
  }

  return {
    row,
    summary(documentId) {
      const found = selectSummary.get(documentId) as SummaryRow | undefined;
      if (found === undefined) throw new StationError('store/not-found', `No document ${documentId}`);
      return toSummary(found);
    },
    list({ states, batchId, limit, offset }) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (states !== undefined && states.length > 0) {
        where.push(`d.workflow_state IN (${states.map(() => '?').join(', ')})`);
        params.push(...states);
      }
      if (batchId !== undefined) {
        where.push('d.batch_id = ?');
        params.push(batchId);
      }
      const sql = `${summarySelect} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
                   ORDER BY d.seq DESC LIMIT ? OFFSET ?`;
      return (statement(db, sql).all(...params, limit, offset ?? 0) as SummaryRow[]).map(toSummary);
    },
    listByState(states, limit, newest = false) {
      // One indexed range per state, merged: stays fast with a million documents.
      const order = newest ? 'DESC' : 'ASC';
      const sql = `${summarySelect} WHERE d.seq IN (
          ${states.map(() => `SELECT seq FROM (SELECT seq FROM documents WHERE workflow_state = ? ORDER BY state_changed_at ${order} LIMIT ?)`).join(' UNION ALL ')}
        ) ORDER BY d.state_changed_at ${order}, d.seq ${order} LIMIT ?`;
      const params = states.flatMap((state) => [state, limit]);
      return (statement(db, sql).all(...params, limit) as SummaryRow[]).map(toSummary);
    },
    pages: (documentId) => (selectPages.all(documentId) as DocumentPageRow[]).map(toDocumentPage),
    page(pageId) {
      const found = selectPage.get(pageId) as DocumentPageRow | undefined;
      if (found === undefined) throw new StationError('store/not-found', `No page ${pageId}`);
      return toDocumentPage(found);
    },
    metadata: (documentId) => toMetadata(selectMetadata.get(documentId) as MetadataRow | undefined),
    create({ batchId, pageIds, at }) {
      const id = crypto.randomUUID();
      insertDocument.run(id, batchId, at, at, at);
      renumber(id, pageIds);
      reindexDocument(db, id);
      return id;
    },
    setPageOrder(documentId, pageIds, at) {
      const current = pageIdsOf(documentId);
      const wanted = new Set(pageIds);
      if (
        wanted.size !== pageIds.length ||
        current.length !== pageIds.length ||
        current.some((id) => !wanted.has(id))
      ) {
        throw new StationError('ipc/invalid-args', 'The new order must list every page of the document exactly once', [
          { path: 'pageIds', message: `expected the ${current.length} pages of document ${documentId}` },
        ]);
      }
      // Positions are not unique in the schema, so a reorder is a plain rewrite inside the transaction.
      renumber(documentId, pageIds);
      touch.run(at, documentId);
      reindexDocument(db, documentId);
    },
    movePages(pageIds, toDocumentId, at) {
      const sources = new Set<string>();
      for (const pageId of pageIds) {
        const page = selectPage.get(pageId) as DocumentPageRow | undefined;
        if (page === undefined) throw new StationError('store/not-found', `No page ${pageId}`);
        if (page.document_id !== null) sources.add(page.document_id);
      }
      const target = pageIdsOf(toDocumentId).filter((id) => !pageIds.includes(id));
      renumber(toDocumentId, [...target, ...pageIds]);
      for (const source of sources) {
        if (source === toDocumentId) continue;
        renumber(source, pageIdsOf(source));
        touch.run(at, source);
        reindexDocument(db, source);
      }
      touch.run(at, toDocumentId);
      reindexDocument(db, toDocumentId);
    },
    deletePage(pageId) {
      const page = selectPage.get(pageId) as DocumentPageRow | undefined;
      if (page === undefined) throw new StationError('store/not-found', `No page ${pageId}`);
      statement(db, `DELETE FROM pages WHERE id = ?`).run(pageId);
      statement(db, `UPDATE batches SET page_count = page_count - 1 WHERE id = ?`).run(page.batch_id);
      if (page.document_id !== null) {
        renumber(page.document_id, pageIdsOf(page.document_id));
        reindexDocument(db, page.document_id);
      }
    },
    deleteDocument(documentId) {
      const found = row(documentId);
      if (pageIdsOf(documentId).length > 0) throw new Error(`Document ${documentId} still has pages`);
      unindexDocument(db, found.seq);
      statement(db, `DELETE FROM metadata WHERE document_id = ?`).run(documentId);
      statement(db, `DELETE FROM documents WHERE id = ?`).run(documentId);
    },
    setTransforms(pageId, transforms) {
      statement(db, `UPDATE pages SET transforms = ? WHERE id = ?`).run(JSON.stringify(transforms), pageId);
    },
    setBlank(pageId, blank) {
      statement(db, `UPDATE pages SET blank = ?, blank_checked = 1 WHERE id = ?`).run(blank ? 1 : 0, pageId);
    },
    markBlankChecked(pageId) {
      statement(db, `UPDATE pages SET blank_checked = 1 WHERE id = ?`).run(pageId);
    },
    isBlankChecked(pageId) {
      const found = statement(db, `SELECT blank_checked FROM pages WHERE id = ?`).get(pageId) as
        { blank_checked: number } | undefined;
      return found?.blank_checked === 1;
    },
    blankUnchecked(limit) {
      return statement(
        db,
        `SELECT id, sha256, dpi FROM pages WHERE blank_checked = 0 AND purged_at IS NULL ORDER BY rowid LIMIT ?`,
      ).all(limit) as { id: string; sha256: string; dpi: number }[];
    },
    saveMetadata(documentId, patch, at) {
      const clean = nfc(patch);
      const names = (Object.keys(clean) as (keyof ResultMetadata)[]).filter((name) => clean[name] !== undefined);
      statement(
        db,
        `INSERT INTO metadata (document_id, updated_at) VALUES (?, ?) ON CONFLICT (document_id) DO NOTHING`,
      ).run(documentId, at);
      if (names.length > 0) {
        const sets = names.map((name) => `${metadataColumns[name]} = @${name}`).join(', ');
        const values: Record<string, unknown> = { documentId, at };
        for (const name of names) {
          const value = clean[name];
          values[name] =
            name === 'extras' ? JSON.stringify(value) : typeof value === 'boolean' ? (value ? 1 : 0) : value;
        }
        db.prepare(`UPDATE metadata SET ${sets}, updated_at = @at WHERE document_id = @documentId`).run(values);
      }
      touch.run(at, documentId);
      reindexDocument(db, documentId);
      return names;
    },
    update(documentId, fields) {
      const names = Object.keys(fields) as (keyof typeof fields)[];
      if (names.length === 0) return;
      statement(db, `UPDATE documents SET ${names.map((name) => `${name} = @${name}`).join(', ')} WHERE id = @id`).run({
        ...fields,
        id: documentId,
      });
    },
    batchesWithLoosePages: () =>
      statement(
        db,
        `SELECT DISTINCT p.batch_id FROM pages p JOIN batches b ON b.id = p.batch_id
           WHERE p.document_id IS NULL AND b.state <> 'scanning'`,
      )
        .pluck()
        .all() as string[],
    loosePages: (batchId) =>
      statement(db, `SELECT id FROM pages WHERE batch_id = ? AND document_id IS NULL ORDER BY idx`)
        .pluck()
        .all(batchId) as string[],
  };
}
