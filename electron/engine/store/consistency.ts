import fs from 'node:fs';
import type { Database } from 'better-sqlite3';
import { verifyAuditChain } from './audit-log.js';
import type { FileStore } from './file-store.js';
import { sha256Hex } from './file-store.js';
import { requiredFiles } from './garbage-collector.js';

/** One thing wrong with the store, in words a technician can act on. */
export interface StoreProblem {
  kind:
    | 'integrity'
    | 'foreign-key'
    | 'document'
    | 'page-order'
    | 'batch-count'
    | 'audit'
    | 'workflow-audit'
    | 'ocr'
    | 'search-index'
    | 'file-missing'
    | 'file-corrupt';
  message: string;
}

export interface CheckOptions {
  /** Also check that every referenced file exists and, with `hashFiles`, that its bytes match. */
  files?: FileStore | undefined;
  hashFiles?: boolean | undefined;
}

/**
 * Everything that must hold in a healthy store, beyond what the schema's CHECKs already refuse:
 * SQLite's own integrity check, foreign keys, page order, batch counts, the audit chain, the audit
 * log agreeing with each document's state, OCR states, the search index, and the files.
 */
export function checkStore(db: Database, options: CheckOptions = {}): StoreProblem[] {
  const problems: StoreProblem[] = [];
  const add = (kind: StoreProblem['kind'], message: string): void => void problems.push({ kind, message });

  const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
  if (integrity.length !== 1 || integrity[0]?.integrity_check !== 'ok') {
    for (const row of integrity.slice(0, 20)) add('integrity', row.integrity_check);
  }
  for (const row of db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]) {
    add('foreign-key', `${row.table} row ${row.rowid} points to a missing ${row.parent}`);
  }

  for (const id of db
    .prepare(`SELECT d.id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM pages p WHERE p.document_id = d.id)`)
    .pluck()
    .all() as string[]) {
    add('document', `document ${id} has no page`);
  }
  for (const row of db
    .prepare(
      `SELECT document_id, count(*) AS n, min(doc_index) AS lo, max(doc_index) AS hi, count(DISTINCT doc_index) AS distinct_n
       FROM pages WHERE document_id IS NOT NULL GROUP BY document_id
       HAVING lo <> 0 OR hi <> n - 1 OR distinct_n <> n OR sum(doc_index IS NULL) > 0`,
    )
    .all() as { document_id: string }[]) {
    add('page-order', `the pages of document ${row.document_id} are not numbered 0…n-1`);
  }
  for (const row of db
    .prepare(
      `SELECT b.id, b.page_count, (SELECT count(*) FROM pages p WHERE p.batch_id = b.id) AS actual FROM batches b
       WHERE b.page_count <> (SELECT count(*) FROM pages p WHERE p.batch_id = b.id)`,
    )
    .all() as { id: string; page_count: number; actual: number }[]) {
    add('batch-count', `batch ${row.id} counts ${row.page_count} pages but holds ${row.actual}`);
  }
  for (const id of db
    .prepare(
      `SELECT DISTINCT p.batch_id FROM pages p JOIN batches b ON b.id = p.batch_id
       WHERE p.document_id IS NULL AND b.state <> 'scanning'`,
    )
    .pluck()
    .all() as string[]) {
    add('document', `batch ${id} has ended with pages in no document`);
  }

  const chain = verifyAuditChain(db);
  if (!chain.ok) add('audit', `the audit log is broken at row ${chain.brokenAt?.seq}: ${chain.brokenAt?.reason}`);

  // The last recorded transition of each document names the state it is in.
  for (const row of db
    .prepare(
      `SELECT d.id, d.workflow_state,
              (SELECT json_extract(a.details, '$.to') FROM audit_log a
               WHERE a.object_type = 'document' AND a.object_id = d.id AND a.action = 'workflow.transition'
               ORDER BY a.seq DESC LIMIT 1) AS logged
       FROM documents d`,
    )
    .all() as { id: string; workflow_state: string; logged: string | null }[]) {
    if ((row.logged ?? 'captured') !== row.workflow_state) {
      add(
        'workflow-audit',
        `document ${row.id} is ${row.workflow_state} but the audit log last moved it to ${row.logged ?? 'nothing'}`,
      );
    }
  }

  for (const row of db
    .prepare(
      `SELECT p.id, p.ocr_state, o.page_id IS NOT NULL AS has_result FROM pages p LEFT JOIN ocr_results o ON o.page_id = p.id
       WHERE (p.ocr_state = 'done') <> (o.page_id IS NOT NULL) AND p.purged_at IS NULL`,
    )
    .all() as { id: string; ocr_state: string }[]) {
    add(
      'ocr',
      `page ${row.id} is OCR ${row.ocr_state} but its result is ${row.ocr_state === 'done' ? 'missing' : 'present'}`,
    );
  }

  const indexed = db.prepare(`SELECT count(*) FROM search_fts`).pluck().get() as number;
  const documents = db.prepare(`SELECT count(*) FROM documents`).pluck().get() as number;
  if (indexed !== documents) add('search-index', `${indexed} search entries for ${documents} documents`);

  if (options.files !== undefined) {
    for (const sha256 of requiredFiles(db)) {
      if (!options.files.has(sha256)) {
        add('file-missing', `file ${sha256} is referenced but not in the store`);
      } else if (options.hashFiles === true) {
        // Read directly: FileStore.read would quarantine, and a check only reports.
        const stat = options.files.stat(sha256);
        if (stat !== undefined) {
          const data = readFileSafe(options.files.pathOf(sha256));
          if (data === undefined || sha256Hex(data) !== sha256)
            add('file-corrupt', `file ${sha256} does not match its hash`);
        }
      }
    }
  }
  return problems;
}

function readFileSafe(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}
