import type { Database } from 'better-sqlite3';
import { reindexAllDocuments } from './search-index.js';

/**
 * Numbered schema migrations; a migration is never edited once released, only followed by a new one.
 *
 * `PRAGMA user_version` holds the number of the last migration applied.
 */
/** One schema step: SQL, then (rarely) a data step that needs code, both in one transaction. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Runs after `sql` in the same transaction, for data that SQL alone cannot derive (e.g. folded search text). */
  up?: (db: Database) => void;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'batches and pages',
    sql: `
      CREATE TABLE batches (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('scanning', 'finished', 'cancelled', 'failed')),
        page_count INTEGER NOT NULL DEFAULT 0,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        error_code TEXT
      ) STRICT;
      CREATE TABLE pages (
        id TEXT PRIMARY KEY,
        batch_id TEXT NOT NULL REFERENCES batches(id),
        idx INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        thumb_sha256 TEXT NOT NULL,
        mime_type TEXT NOT NULL,
        width_px INTEGER NOT NULL,
        height_px INTEGER NOT NULL,
        dpi INTEGER NOT NULL,
        colour_mode TEXT NOT NULL CHECK (colour_mode IN ('color', 'gray', 'lineart')),
        device_id TEXT NOT NULL,
        captured_at TEXT NOT NULL,
        UNIQUE (batch_id, idx)
      ) STRICT;
      CREATE INDEX batches_started ON batches(started_at);
    `,
  },
  {
    version: 2,
    name: 'documents and page details',
    // A batch is split into documents; a document owns ordered pages and walks the workflow of
    // TT 01/2023. The CHECKs make the impossible states unstorable, whatever code writes the row.
    sql: `
      CREATE TABLE documents (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        batch_id TEXT REFERENCES batches(id),
        workflow_state TEXT NOT NULL DEFAULT 'captured' CHECK (workflow_state IN
          ('captured', 'reviewed', 'operator-signed', 'extracted', 'coded', 'sealed', 'queued', 'delivered', 'verified')),
        validity TEXT NOT NULL DEFAULT 'valid' CHECK (validity IN ('valid', 'expired', 'cancelled')),
        classified INTEGER NOT NULL DEFAULT 0 CHECK (classified IN (0, 1)),
        out_of_scope TEXT CHECK (out_of_scope IN ('photocopy', 'national-db')),
        pdf_sha256 TEXT CHECK (pdf_sha256 IS NULL OR (length(pdf_sha256) = 64 AND pdf_sha256 NOT GLOB '*[^0-9a-f]*')),
        operator_signature TEXT CHECK (operator_signature IS NULL OR json_valid(operator_signature)),
        agency_signature TEXT CHECK (agency_signature IS NULL OR json_valid(agency_signature)),
        receipt TEXT CHECK (receipt IS NULL OR json_valid(receipt)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        state_changed_at TEXT NOT NULL,
        purged_at TEXT,
        CHECK (pdf_sha256 IS NOT NULL OR workflow_state NOT IN ('sealed', 'queued', 'delivered', 'verified')),
        CHECK ((classified = 0 AND out_of_scope IS NULL) OR workflow_state NOT IN ('queued', 'delivered', 'verified')),
        CHECK (receipt IS NOT NULL OR workflow_state NOT IN ('delivered', 'verified')),
        CHECK (operator_signature IS NOT NULL OR workflow_state IN ('captured', 'reviewed')),
        CHECK (purged_at IS NULL OR workflow_state = 'verified')
      ) STRICT;
      CREATE INDEX documents_state ON documents(workflow_state, state_changed_at);
      CREATE INDEX documents_batch ON documents(batch_id);

      ALTER TABLE pages ADD COLUMN document_id TEXT REFERENCES documents(id);
      ALTER TABLE pages ADD COLUMN doc_index INTEGER;
      ALTER TABLE pages ADD COLUMN source TEXT CHECK (source IN ('flatbed', 'adf', 'adf-duplex', 'import'));
      ALTER TABLE pages ADD COLUMN bytes INTEGER CHECK (bytes >= 0);
      ALTER TABLE pages ADD COLUMN transforms TEXT NOT NULL DEFAULT '[]'
        CHECK (json_valid(transforms) AND json_type(transforms) = 'array');
      ALTER TABLE pages ADD COLUMN blank INTEGER NOT NULL DEFAULT 0 CHECK (blank IN (0, 1));
      ALTER TABLE pages ADD COLUMN ocr_state TEXT NOT NULL DEFAULT 'pending'
        CHECK (ocr_state IN ('pending', 'running', 'done', 'failed', 'skipped'));
      ALTER TABLE pages ADD COLUMN purged_at TEXT;
      CREATE INDEX pages_document ON pages(document_id, doc_index);
      CREATE INDEX pages_ocr_waiting ON pages(ocr_state) WHERE ocr_state IN ('pending', 'running');

      -- Pages captured before documents existed: one document per batch, in capture order.
      INSERT INTO documents (id, batch_id, created_at, updated_at, state_changed_at)
        SELECT lower(hex(randomblob(16))), b.id, coalesce(b.ended_at, b.started_at), coalesce(b.ended_at, b.started_at),
               coalesce(b.ended_at, b.started_at)
        FROM batches b WHERE b.state <> 'scanning' AND EXISTS (SELECT 1 FROM pages p WHERE p.batch_id = b.id);
      UPDATE pages SET
        document_id = (SELECT d.id FROM documents d WHERE d.batch_id = pages.batch_id),
        doc_index = (SELECT count(*) FROM pages q WHERE q.batch_id = pages.batch_id AND q.idx < pages.idx)
        WHERE EXISTS (SELECT 1 FROM documents d WHERE d.batch_id = pages.batch_id);
    `,
  },
  {
    version: 3,
    name: 'OCR results and metadata',
    sql: `
      CREATE TABLE ocr_results (
        page_id TEXT PRIMARY KEY REFERENCES pages(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        lines TEXT NOT NULL CHECK (json_valid(lines) AND json_type(lines) = 'array'),
        orientation INTEGER NOT NULL CHECK (orientation IN (0, 90, 180, 270)),
        confidence REAL NOT NULL CHECK (confidence BETWEEN 0 AND 100),
        languages TEXT NOT NULL,
        engine TEXT NOT NULL,
        width_px INTEGER NOT NULL CHECK (width_px > 0),
        height_px INTEGER NOT NULL CHECK (height_px > 0),
        recognized_at TEXT NOT NULL
      ) STRICT;
      ALTER TABLE pages ADD COLUMN ocr_error TEXT;

      -- REQUIREMENTS.md section 5; the validity status lives on documents, page count, bytes and
      -- hash are derived from pages and the PDF. Lengths are the warehouse's limits.
      CREATE TABLE metadata (
        document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        digitization_code TEXT CHECK (length(digitization_code) <= 200),
        result_type_code TEXT CHECK (length(result_type_code) <= 200),
        owner_id TEXT CHECK (length(owner_id) <= 50),
        owner_name TEXT CHECK (length(owner_name) <= 500),
        document_number TEXT CHECK (length(document_number) <= 60),
        issued_date TEXT CHECK (issued_date IS NULL OR date(issued_date) IS issued_date),
        valid_until TEXT CHECK (valid_until IS NULL OR date(valid_until) IS valid_until),
        permanent INTEGER NOT NULL DEFAULT 0 CHECK (permanent IN (0, 1)),
        validity_scope TEXT CHECK (length(validity_scope) <= 200),
        summary TEXT CHECK (length(summary) <= 1000),
        issuing_agency TEXT CHECK (length(issuing_agency) <= 200),
        signer TEXT CHECK (length(signer) <= 50),
        dossier_code TEXT CHECK (length(dossier_code) <= 50),
        procedure_code TEXT CHECK (length(procedure_code) <= 50),
        sector_code TEXT CHECK (length(sector_code) <= 50),
        digitized_by TEXT CHECK (length(digitized_by) <= 200),
        digitized_at TEXT,
        kind INTEGER CHECK (kind IN (0, 1)),
        extras TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extras) AND json_type(extras) = 'object'),
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX metadata_dossier ON metadata(dossier_code);
      CREATE INDEX metadata_document_number ON metadata(document_number);
      CREATE INDEX metadata_digitization_code ON metadata(digitization_code);
    `,
  },
  {
    version: 4,
    name: 'users and the audit log',
    // The audit log is append-only (triggers) and chained: each row's hash covers the previous
    // row's hash, so an edit or a removal in the middle is found by verifyAuditChain.
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        object_type TEXT NOT NULL,
        object_id TEXT NOT NULL,
        details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details)),
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
      ) STRICT;
      CREATE INDEX audit_object ON audit_log(object_type, object_id, seq);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `,
  },
  {
    version: 5,
    name: 'full-text search and station state',
    // Contentless FTS5 over text folded in code (đ → d is not a combining mark, so unicode61
    // cannot fold it); snippets are cut from the original text, see search-index.ts. The rowid
    // is -documents.seq (newest first in FTS5 order).
    sql: `
      CREATE VIRTUAL TABLE search_fts USING fts5(
        meta, body,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3'
      );
      CREATE TABLE station_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value))
      ) STRICT;
    `,
    up: (db) => reindexAllDocuments(db),
  },
  {
    version: 6,
    name: 'outbox',
    // Delivery to the warehouse (electron/engine/sync/): one row per result on its way out, with
    // its protocol step, the tus upload URL kept across restarts, and the retry schedule. No
    // foreign key to documents: a bag imported from another station has no local document.
    sql: `
      CREATE TABLE outbox (
        document_id TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN
          ('queued', 'token', 'uploading', 'registering', 'verifying', 'waiting', 'verified', 'failed', 'blocked')),
        step TEXT NOT NULL CHECK (step IN ('upload', 'register', 'verify', 'done')),
        file_sha256 TEXT NOT NULL CHECK (length(file_sha256) = 64 AND file_sha256 NOT GLOB '*[^0-9a-f]*'),
        file_bytes INTEGER NOT NULL CHECK (file_bytes > 0),
        record_json TEXT NOT NULL CHECK (json_valid(record_json)),
        classified INTEGER NOT NULL DEFAULT 0 CHECK (classified IN (0, 1)),
        source TEXT NOT NULL DEFAULT 'station',
        upload_url TEXT,
        uploaded_bytes INTEGER NOT NULL DEFAULT 0,
        inflight_end INTEGER,
        sent_bytes INTEGER NOT NULL DEFAULT 0,
        resent_bytes INTEGER NOT NULL DEFAULT 0,
        interruptions INTEGER NOT NULL DEFAULT 0,
        max_resent_bytes INTEGER NOT NULL DEFAULT 0,
        warehouse_record_id TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_error_code TEXT,
        last_error_message TEXT,
        queued_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        delivered_at TEXT,
        verified_at TEXT,
        exported_at TEXT,
        purged_at TEXT,
        CHECK (classified = 0 OR state IN ('blocked', 'failed')),
        CHECK (verified_at IS NOT NULL OR state <> 'verified'),
        CHECK (purged_at IS NULL OR state = 'verified')
      ) STRICT;
      CREATE INDEX outbox_due ON outbox(state, next_attempt_at, queued_at);
      CREATE TABLE outbox_control (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 7,
    name: 'imported files',
    // File import and the hot folder (electron/engine/import/): one row per file taken, written in
    // the same transaction as its batch and pages, so a file is imported exactly once across
    // crashes and restarts. A signed PDF's original bytes are kept in the file store
    // (original_sha256) and never rewritten.
    sql: `
      CREATE TABLE imported_files (
        seq INTEGER PRIMARY KEY,
        source TEXT NOT NULL CHECK (source IN ('import', 'hot-folder')),
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
        bytes INTEGER NOT NULL CHECK (bytes >= 0),
        format TEXT NOT NULL CHECK (format IN ('pdf', 'tiff', 'jpeg', 'png')),
        batch_id TEXT NOT NULL REFERENCES batches(id),
        page_count INTEGER NOT NULL CHECK (page_count >= 0),
        signed INTEGER NOT NULL DEFAULT 0 CHECK (signed IN (0, 1)),
        original_sha256 TEXT CHECK (original_sha256 IS NULL OR length(original_sha256) = 64),
        imported_at TEXT NOT NULL,
        CHECK (signed = 0 OR original_sha256 IS NOT NULL)
      ) STRICT;
      CREATE UNIQUE INDEX imported_files_content ON imported_files(sha256);
      CREATE INDEX imported_files_batch ON imported_files(batch_id);
    `,
  },
  {
    version: 8,
    name: 'blank-sheet checks',
    // The desk measures each captured page for blankness after capture (workflow/blank-pages.ts);
    // a page the station stopped before measuring is measured at the next start. A page the clerk
    // marked or unmarked counts as measured: the clerk's word stands. Pages stored before this
    // version count as measured.
    sql: `
      ALTER TABLE pages ADD COLUMN blank_checked INTEGER NOT NULL DEFAULT 0 CHECK (blank_checked IN (0, 1));
      UPDATE pages SET blank_checked = 1;
      CREATE INDEX pages_blank_unchecked ON pages(blank_checked) WHERE blank_checked = 0;
    `,
  },
];

export const latestVersion = migrations.reduce((max, migration) => Math.max(max, migration.version), 0);

/** Applies every migration above the database's version, up to `target`, each in its own transaction. */
export function migrate(db: Database, target = latestVersion): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      migration.up?.(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
