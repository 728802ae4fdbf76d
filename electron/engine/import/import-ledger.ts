import type { Database } from 'better-sqlite3';
import type { ImportFormat } from './import-formats.js';

/** Where imported pages say they came from (the batch's device id). */
export type ImportOrigin = 'import' | 'hot-folder';

/** A file already imported, by the hash of its content. */
export interface ImportedFile {
  source: ImportOrigin;
  fileName: string;
  sha256: string;
  bytes: number;
  format: ImportFormat;
  batchId: string;
  pageCount: number;
  signed: boolean;
  originalSha256: string | null;
  importedAt: string;
}

interface Row {
  source: ImportOrigin;
  file_name: string;
  sha256: string;
  bytes: number;
  format: ImportFormat;
  batch_id: string;
  page_count: number;
  signed: number;
  original_sha256: string | null;
  imported_at: string;
}

/** The record of every file imported (table `imported_files`), which makes import exactly-once. */
export interface ImportLedger {
  find(sha256: string): ImportedFile | undefined;
  /** Records a file; call inside the transaction that stores its batch and pages. */
  record(file: ImportedFile): void;
  list(limit: number): ImportedFile[];
}

function toFile(row: Row): ImportedFile {
  return {
    source: row.source,
    fileName: row.file_name,
    sha256: row.sha256,
    bytes: row.bytes,
    format: row.format,
    batchId: row.batch_id,
    pageCount: row.page_count,
    signed: row.signed === 1,
    originalSha256: row.original_sha256,
    importedAt: row.imported_at,
  };
}

export function createImportLedger(db: Database): ImportLedger {
  const select = db.prepare(`SELECT * FROM imported_files WHERE sha256 = ?`);
  const insert = db.prepare(
    `INSERT INTO imported_files (source, file_name, sha256, bytes, format, batch_id, page_count, signed, original_sha256, imported_at)
     VALUES (@source, @fileName, @sha256, @bytes, @format, @batchId, @pageCount, @signed, @originalSha256, @importedAt)`,
  );
  const recent = db.prepare(`SELECT * FROM imported_files ORDER BY seq DESC LIMIT ?`);
  return {
    find(sha256) {
      const row = select.get(sha256) as Row | undefined;
      return row === undefined ? undefined : toFile(row);
    },
    record(file) {
      insert.run({ ...file, signed: file.signed ? 1 : 0 });
    },
    list: (limit) => (recent.all(limit) as Row[]).map(toFile),
  };
}
