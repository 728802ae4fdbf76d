import type { Database } from 'better-sqlite3';
import type { FileStore } from './file-store.js';
import { isSha256 } from './file-store.js';

/**
 * Which files of the store the database still needs.
 *
 * By convention every column whose name ends in `sha256` names a file of the store, and a row whose
 * `purged_at` is set no longer holds its files. The columns are found from the schema, so a table
 * added later (the outbox, signed originals, derived images) is covered without touching this
 * module; a hash column that is not a file only keeps a file longer, never deletes one too early.
 */
export function fileReferenceQueries(db: Database): string[] {
  const tables = db
    .prepare(
      `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'`,
    )
    .pluck()
    .all() as string[];
  const queries: string[] = [];
  for (const table of tables) {
    const columns = db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[];
    const purgeable = columns.includes('purged_at');
    for (const column of columns.filter((name) => name.endsWith('sha256'))) {
      queries.push(
        `SELECT "${column}" FROM "${table}" WHERE "${column}" IS NOT NULL${purgeable ? ' AND purged_at IS NULL' : ''}`,
      );
    }
  }
  return queries;
}

/** Every hash the database references (one consistent read). */
export function referencedFiles(db: Database): Set<string> {
  const referenced = new Set<string>();
  db.transaction(() => {
    for (const sql of fileReferenceQueries(db)) {
      for (const value of db.prepare(sql).pluck().iterate()) if (isSha256(value)) referenced.add(value);
    }
  })();
  return referenced;
}

/**
 * The files the store itself must hold: the images and thumbnails of pages and the PDFs of
 * documents not purged. Other hash columns (an imported file's, the warehouse's) may name bytes
 * that were never stored; they only keep files from collection.
 */
export function requiredFiles(db: Database): Set<string> {
  const rows = db
    .prepare(
      `SELECT sha256 FROM pages WHERE purged_at IS NULL UNION SELECT thumb_sha256 FROM pages WHERE purged_at IS NULL
       UNION SELECT pdf_sha256 FROM documents WHERE pdf_sha256 IS NOT NULL AND purged_at IS NULL`,
    )
    .pluck()
    .all() as string[];
  return new Set(rows);
}

export interface GcOptions {
  /**
   * Files younger than this are kept even when unreferenced: capture writes the file before the row
   * that references it, and another process may be between the two. 0 only when no writer runs.
   */
  graceMs: number;
  /** Only look at these hashes (after a purge); every file when absent. */
  candidates?: Iterable<string>;
  nowMs?: number;
}

export interface GcReport {
  scanned: number;
  removed: number;
  bytesFreed: number;
  tempRemoved: number;
}

/** Deletes the files no row references any more, and temporary files left by a crash. */
export function collectGarbage(db: Database, files: FileStore, options: GcOptions): GcReport {
  const now = options.nowMs ?? Date.now();
  const referenced = referencedFiles(db);
  const report: GcReport = { scanned: 0, removed: 0, bytesFreed: 0, tempRemoved: 0 };
  const hashes = options.candidates === undefined ? files.list() : options.candidates;
  for (const sha256 of hashes) {
    report.scanned += 1;
    if (!isSha256(sha256) || referenced.has(sha256)) continue;
    const stat = files.stat(sha256);
    if (stat === undefined || now - stat.mtimeMs < options.graceMs) continue;
    if (files.remove(sha256)) {
      report.removed += 1;
      report.bytesFreed += stat.bytes;
    }
  }
  report.tempRemoved = files.cleanTemp(options.graceMs, now);
  return report;
}
