import type { Database } from 'better-sqlite3';

/**
 * Numbered schema migrations; a migration is never edited once released, only followed by a new one.
 *
 * `PRAGMA user_version` holds the number of the last migration applied.
 */
export const migrations: readonly { version: number; name: string; sql: string }[] = [
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
];

export const latestVersion = migrations.reduce((max, migration) => Math.max(max, migration.version), 0);

/** Applies every migration above the database's version, up to `target`, each in its own transaction. */
export function migrate(db: Database, target = latestVersion): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
