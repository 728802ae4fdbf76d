import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { latestVersion, migrate, migrations } from '../../../electron/engine/store/migrations.js';

// Signal Desktop's habit: each migration is tested on :memory: by migrating to N-1, inserting rows,
// migrating to N and comparing. A new migration adds its case to `cases` below.

function at(version: number): Database {
  const db = new BetterSqlite3(':memory:');
  db.pragma('foreign_keys = ON');
  expect(migrate(db, version)).toBe(version);
  return db;
}

function insertV1(db: Database): void {
  db.exec(`
    INSERT INTO batches (id, device_id, state, page_count, started_at, ended_at) VALUES
      ('b1', 'demo', 'finished', 3, '2026-01-05T01:00:00Z', '2026-01-05T01:02:00Z'),
      ('b2', 'demo', 'scanning', 1, '2026-01-05T02:00:00Z', NULL),
      ('b3', 'demo', 'cancelled', 0, '2026-01-05T03:00:00Z', '2026-01-05T03:00:05Z');
    INSERT INTO pages (id, batch_id, idx, sha256, thumb_sha256, mime_type, width_px, height_px, dpi, colour_mode, device_id, captured_at) VALUES
      ('p1', 'b1', 0, '${'1'.repeat(64)}', '${'a'.repeat(64)}', 'image/jpeg', 2480, 3508, 300, 'color', 'demo', '2026-01-05T01:00:10Z'),
      ('p3', 'b1', 2, '${'3'.repeat(64)}', '${'c'.repeat(64)}', 'image/jpeg', 2480, 3508, 300, 'color', 'demo', '2026-01-05T01:00:30Z'),
      ('p2', 'b1', 1, '${'2'.repeat(64)}', '${'b'.repeat(64)}', 'image/jpeg', 2480, 3508, 300, 'gray', 'demo', '2026-01-05T01:00:20Z'),
      ('p4', 'b2', 0, '${'4'.repeat(64)}', '${'d'.repeat(64)}', 'image/png', 1000, 1400, 200, 'lineart', 'demo', '2026-01-05T02:00:10Z');
  `);
}

const rows = (db: Database, sql: string): unknown[] => db.prepare(sql).all();

interface MigrationCase {
  /** Rows written at version N-1, on top of the version-1 rows every case starts from. */
  before?(db: Database): void;
  /** What must hold at version N. */
  after(db: Database): void;
}

/** Every ordinary table (not FTS shadow tables): each must keep its rows through each migration. */
function tablesOf(db: Database): string[] {
  return db
    .prepare(
      `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'
       AND name NOT LIKE '%fts_%' ORDER BY name`,
    )
    .pluck()
    .all() as string[];
}

const cases: Record<number, MigrationCase> = {
  2: {
    after(db) {
      // Ended batches with pages get one document each, pages in capture order; a scanning batch waits.
      const documents = rows(
        db,
        `SELECT batch_id, workflow_state, validity, classified FROM documents ORDER BY batch_id`,
      );
      expect(documents).toEqual([{ batch_id: 'b1', workflow_state: 'captured', validity: 'valid', classified: 0 }]);
      expect(
        rows(
          db,
          `SELECT id, doc_index, ocr_state, transforms, blank FROM pages WHERE batch_id = 'b1' ORDER BY doc_index`,
        ),
      ).toEqual([
        { id: 'p1', doc_index: 0, ocr_state: 'pending', transforms: '[]', blank: 0 },
        { id: 'p2', doc_index: 1, ocr_state: 'pending', transforms: '[]', blank: 0 },
        { id: 'p3', doc_index: 2, ocr_state: 'pending', transforms: '[]', blank: 0 },
      ]);
      expect(rows(db, `SELECT document_id FROM pages WHERE id = 'p4'`)).toEqual([{ document_id: null }]);
      // The impossible states cannot be stored.
      expect(() => db.exec(`UPDATE documents SET workflow_state = 'sealed'`)).toThrow(/CHECK constraint/);
      expect(() => db.exec(`UPDATE documents SET workflow_state = 'published'`)).toThrow(/CHECK constraint/);
      expect(() => db.exec(`UPDATE documents SET purged_at = 'x'`)).toThrow(/CHECK constraint/);
    },
  },
  3: {
    after(db) {
      const documentId = db.prepare(`SELECT id FROM documents`).pluck().get() as string;
      db.prepare(
        `INSERT INTO metadata (document_id, document_number, issued_date, summary, updated_at) VALUES (?, ?, ?, ?, ?)`,
      ).run(documentId, '123/GCN-SKHCN', '2021-09-22', 'Giấy chứng nhận đăng ký hoạt động', '2026-01-06T00:00:00Z');
      expect(() =>
        db.prepare(`UPDATE metadata SET issued_date = '22/09/2021' WHERE document_id = ?`).run(documentId),
      ).toThrow(/CHECK constraint/);
      expect(() =>
        db.prepare(`UPDATE metadata SET document_number = ? WHERE document_id = ?`).run('x'.repeat(61), documentId),
      ).toThrow(/CHECK constraint/);
      db.prepare(
        `INSERT INTO ocr_results (page_id, text, lines, orientation, confidence, languages, engine, width_px, height_px, recognized_at)
         VALUES ('p1', 'Quyết định', '[]', 0, 88.5, 'vie', 'test', 2480, 3508, '2026-01-06T00:00:00Z')`,
      ).run();
      expect(() => db.exec(`UPDATE ocr_results SET orientation = 45`)).toThrow(/CHECK constraint/);
    },
  },
  4: {
    after(db) {
      db.exec(
        `INSERT INTO audit_log (seq, at, actor, action, object_type, object_id, details, prev_hash, hash)
         VALUES (1, 'now', 'a', 'x', 'document', 'd', '{}', '${'0'.repeat(64)}', '${'f'.repeat(64)}')`,
      );
      expect(() => db.exec(`UPDATE audit_log SET actor = 'b'`)).toThrow(/append-only/);
      expect(() => db.exec(`DELETE FROM audit_log`)).toThrow(/append-only/);
      db.exec(`INSERT INTO users (id, display_name, role, created_at) VALUES ('u1', 'Nguyễn Văn A', 'clerk', 'now')`);
      expect(() =>
        db.exec(`INSERT INTO users (id, display_name, role, created_at) VALUES ('u2', 'B', 'root', 'now')`),
      ).toThrow(/CHECK constraint/);
    },
  },
  5: {
    before(db) {
      const documentId = db.prepare(`SELECT id FROM documents`).pluck().get() as string;
      db.prepare(`INSERT INTO metadata (document_id, document_number, summary, updated_at) VALUES (?, ?, ?, ?)`).run(
        documentId,
        '45/QĐ-UBND',
        'Đăng ký kinh doanh',
        'now',
      );
      db.prepare(
        `INSERT INTO ocr_results (page_id, text, lines, orientation, confidence, languages, engine, width_px, height_px, recognized_at)
         VALUES ('p2', 'QUYẾT ĐỊNH về việc cấp phép', '[]', 0, 90, 'vie', 'test', 2480, 3508, 'now')`,
      ).run();
      db.exec(`UPDATE pages SET ocr_state = 'done' WHERE id = 'p2'`);
    },
    after(db) {
      // Documents that existed before the index are searchable, without diacritics, đ included.
      const seq = -(db.prepare(`SELECT seq FROM documents`).pluck().get() as number);
      const match = (query: string) =>
        db.prepare(`SELECT rowid FROM search_fts WHERE search_fts MATCH ?`).pluck().all(query);
      expect(match('"quyet" AND "dinh"')).toEqual([seq]);
      expect(match('"dang" AND "ky"')).toEqual([seq]);
      expect(match('"qd"')).toEqual([seq]);
    },
  },
};

describe('migrations', () => {
  it('are numbered 1…N without gaps, in order', () => {
    expect(migrations.map((migration) => migration.version)).toEqual(migrations.map((_, index) => index + 1));
    expect(latestVersion).toBe(migrations.length);
  });

  it('bring an empty database to the latest version, and a second run changes nothing', () => {
    const db = at(latestVersion);
    const schema = rows(db, `SELECT type, name, sql FROM sqlite_schema ORDER BY name`);
    expect(migrate(db)).toBe(latestVersion);
    expect(rows(db, `SELECT type, name, sql FROM sqlite_schema ORDER BY name`)).toEqual(schema);
  });

  for (const migration of migrations.filter((candidate) => candidate.version > 1)) {
    it(`${migration.version} (${migration.name}) keeps the rows of version ${migration.version - 1} and adds what it promises`, () => {
      const db = at(1);
      insertV1(db);
      migrate(db, migration.version - 1);
      const testCase = cases[migration.version];
      testCase?.before?.(db);
      const before: Record<string, unknown[]> = {};
      for (const table of tablesOf(db)) before[table] = rows(db, `SELECT * FROM ${table} ORDER BY rowid`);
      expect(migrate(db, migration.version)).toBe(migration.version);
      for (const [table, old] of Object.entries(before)) {
        const columns = Object.keys((old[0] as object | undefined) ?? {});
        const now = rows(db, `SELECT * FROM ${table} ORDER BY rowid`).map((row) =>
          Object.fromEntries(columns.map((column) => [column, (row as Record<string, unknown>)[column]])),
        );
        expect(now, table).toEqual(old);
      }
      testCase?.after(db);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    });
  }

  it('roll a failed migration back whole, leaving the version as it was', () => {
    const db = at(1);
    db.exec(`CREATE TABLE documents (x INTEGER)`); // makes migration 2 fail half-way
    expect(() => migrate(db, 2)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(rows(db, `SELECT name FROM pragma_table_info('pages') WHERE name = 'document_id'`)).toEqual([]);
  });
});
