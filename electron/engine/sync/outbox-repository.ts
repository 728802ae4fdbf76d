import type { Database } from 'better-sqlite3';
import type { DeliveryState, DeliveryStep, OutboxItem } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import type { ResultRecord } from './result-record.js';

/** The outbox row as stored (migration "outbox" in store/migrations.ts). */
export interface OutboxRow {
  document_id: string;
  state: DeliveryState;
  step: DeliveryStep;
  file_sha256: string;
  file_bytes: number;
  record_json: string;
  classified: 0 | 1;
  source: string;
  upload_url: string | null;
  uploaded_bytes: number;
  inflight_end: number | null;
  sent_bytes: number;
  resent_bytes: number;
  interruptions: number;
  max_resent_bytes: number;
  warehouse_record_id: string | null;
  attempts: number;
  next_attempt_at: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  queued_at: string;
  updated_at: string;
  delivered_at: string | null;
  verified_at: string | null;
  exported_at: string | null;
  purged_at: string | null;
}

export interface NewOutboxRow {
  documentId: string;
  sha256: string;
  bytes: number;
  record: ResultRecord;
  classified: boolean;
  source: string;
  at: string;
}

/** Figures of the re-sent bytes, for the fault test and the log. */
export interface ResendFigures {
  interruptions: number;
  resentBytes: number;
  maxResentBytes: number;
  sentBytes: number;
  fileBytes: number;
}

/** A visible state that is "in the hands of the worker right now"; reset to waiting after a crash. */
const activeStates: readonly DeliveryState[] = ['token', 'uploading', 'registering', 'verifying'];

export function toOutboxItem(row: OutboxRow): OutboxItem {
  return {
    documentId: row.document_id,
    state: row.state,
    step: row.step,
    sha256: row.file_sha256,
    bytes: row.file_bytes,
    uploadedBytes: row.uploaded_bytes,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError:
      row.last_error_code === null ? null : { code: row.last_error_code, message: row.last_error_message ?? '' },
    source: row.source,
    queuedAt: row.queued_at,
    updatedAt: row.updated_at,
    verifiedAt: row.verified_at,
    warehouseRecordId: row.warehouse_record_id,
    purgedAt: row.purged_at,
  };
}

/** The outbox table: one row per result on its way to the warehouse. */
export interface OutboxRepository {
  insert(row: NewOutboxRow): OutboxRow;
  get(documentId: string): OutboxRow | undefined;
  require(documentId: string): OutboxRow;
  list(options?: { states?: readonly DeliveryState[] | undefined; limit?: number | undefined }): OutboxRow[];
  /** The next row the worker may take at `now`: queued or waiting and due, oldest first. */
  nextDue(now: string, skip: ReadonlySet<string>): OutboxRow | undefined;
  /** The earliest `next_attempt_at` of a waiting row, for the worker's sleep. */
  nextWakeAt(): string | undefined;
  counts(): Record<DeliveryState, number>;
  update(documentId: string, fields: Partial<Omit<OutboxRow, 'document_id'>>): OutboxRow;
  /** Rows left in an active state by a crash go back to waiting, due now; their step is kept. */
  recoverInterrupted(now: string): number;
  /** Every due row waits with the same station-wide error (offline, wrong credentials…). */
  holdAllDue(now: string, nextAt: string, code: string, message: string): number;
  /** Waiting rows held by a station-wide error become due now (the link came back). */
  releaseHeld(codes: readonly string[], now: string): number;
  /** Every waiting row becomes due now (the clerk's "Gửi ngay"); returns how many. */
  releaseWaiting(now: string): number;
  /** Undelivered rows (for BagIt hand-over): not verified, not blocked, not failed. */
  undelivered(): OutboxRow[];
  verifiedDueForPurge(before: string): OutboxRow[];
  /** Whether another row still needs the file (content-addressed files are shared by identical content). */
  fileStillNeeded(sha256: string, except: string): boolean;
  resendFigures(): ResendFigures;
  getControl(key: string): string | undefined;
  setControl(key: string, value: string): void;
}

const states: readonly DeliveryState[] = [
  'queued',
  'token',
  'uploading',
  'registering',
  'verifying',
  'waiting',
  'verified',
  'failed',
  'blocked',
];

export function createOutboxRepository(db: Database): OutboxRepository {
  const insert = db.prepare(
    `INSERT INTO outbox (document_id, state, step, file_sha256, file_bytes, record_json, classified, source,
       queued_at, updated_at, last_error_code, last_error_message)
     VALUES (@documentId, @state, 'upload', @sha256, @bytes, @recordJson, @classified, @source, @at, @at,
       @errorCode, @errorMessage)`,
  );
  const select = db.prepare(`SELECT * FROM outbox WHERE document_id = ?`);
  const nextDue = db.prepare(
    `SELECT * FROM outbox
     WHERE (state = 'queued' OR (state = 'waiting' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)))
     ORDER BY coalesce(next_attempt_at, queued_at), queued_at, document_id LIMIT 50`,
  );
  const nextWake = db.prepare(
    `SELECT min(next_attempt_at) AS at FROM outbox WHERE state = 'waiting' AND next_attempt_at IS NOT NULL`,
  );
  const counts = db.prepare(`SELECT state, count(*) AS n FROM outbox GROUP BY state`);
  const recover = db.prepare(
    `UPDATE outbox SET state = 'waiting', next_attempt_at = ?, updated_at = ?
     WHERE state IN (${activeStates.map(() => '?').join(', ')})`,
  );
  const holdAll = db.prepare(
    `UPDATE outbox SET state = 'waiting', next_attempt_at = @nextAt, last_error_code = @code,
       last_error_message = @message, updated_at = @now
     WHERE state = 'queued' OR (state = 'waiting' AND (next_attempt_at IS NULL OR next_attempt_at <= @nextAt))`,
  );
  const undelivered = db.prepare(
    `SELECT * FROM outbox WHERE state NOT IN ('verified', 'blocked', 'failed') ORDER BY queued_at, document_id`,
  );
  const purgeDue = db.prepare(
    `SELECT * FROM outbox WHERE state = 'verified' AND purged_at IS NULL AND verified_at <= ? ORDER BY verified_at`,
  );
  const stillNeeded = db.prepare(
    `SELECT 1 FROM outbox WHERE file_sha256 = ? AND document_id <> ? AND purged_at IS NULL LIMIT 1`,
  );
  const figures = db.prepare(
    `SELECT coalesce(sum(interruptions), 0) AS interruptions, coalesce(sum(resent_bytes), 0) AS resentBytes,
       coalesce(max(max_resent_bytes), 0) AS maxResentBytes, coalesce(sum(sent_bytes), 0) AS sentBytes,
       coalesce(sum(file_bytes), 0) AS fileBytes
     FROM outbox`,
  );
  const getControl = db.prepare(`SELECT value FROM outbox_control WHERE key = ?`);
  const setControl = db.prepare(
    `INSERT INTO outbox_control (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
  );

  const get = (documentId: string): OutboxRow | undefined => select.get(documentId) as OutboxRow | undefined;
  const require = (documentId: string): OutboxRow => {
    const row = get(documentId);
    if (row === undefined) throw new StationError('sync/not-found', `No delivery for document ${documentId}`);
    return row;
  };

  return {
    insert(row) {
      insert.run({
        documentId: row.documentId,
        state: row.classified ? 'blocked' : 'queued',
        sha256: row.sha256,
        bytes: row.bytes,
        recordJson: JSON.stringify(row.record),
        classified: row.classified ? 1 : 0,
        source: row.source,
        at: row.at,
        errorCode: row.classified ? 'sync/classified' : null,
        errorMessage: row.classified ? 'Marked classified ("mật"): never sent' : null,
      });
      return require(row.documentId);
    },
    get,
    require,
    list(options = {}) {
      const wanted = options.states ?? [];
      const where = wanted.length === 0 ? '' : `WHERE state IN (${wanted.map(() => '?').join(', ')})`;
      const limit = options.limit ?? 1000;
      return db
        .prepare(`SELECT * FROM outbox ${where} ORDER BY queued_at, document_id LIMIT ?`)
        .all(...wanted, limit) as OutboxRow[];
    },
    nextDue(now, skip) {
      return (nextDue.all(now) as OutboxRow[]).find((row) => !skip.has(row.document_id));
    },
    nextWakeAt() {
      return (nextWake.get() as { at: string | null }).at ?? undefined;
    },
    counts() {
      const result = Object.fromEntries(states.map((state) => [state, 0])) as Record<DeliveryState, number>;
      for (const row of counts.all() as { state: DeliveryState; n: number }[]) result[row.state] = row.n;
      return result;
    },
    update(documentId, fields) {
      const keys = Object.keys(fields);
      if (keys.length > 0) {
        db.prepare(`UPDATE outbox SET ${keys.map((key) => `${key} = @${key}`).join(', ')} WHERE document_id = @id`).run(
          {
            ...fields,
            id: documentId,
          },
        );
      }
      return require(documentId);
    },
    recoverInterrupted: (now) => recover.run(now, now, ...activeStates).changes,
    holdAllDue: (now, nextAt, code, message) => holdAll.run({ now, nextAt, code, message }).changes,
    releaseHeld(codes, now) {
      if (codes.length === 0) return 0;
      return db
        .prepare(
          `UPDATE outbox SET next_attempt_at = ?, updated_at = ?
           WHERE state = 'waiting' AND last_error_code IN (${codes.map(() => '?').join(', ')})`,
        )
        .run(now, now, ...codes).changes;
    },
    releaseWaiting: (now) =>
      db.prepare(`UPDATE outbox SET next_attempt_at = ?, updated_at = ? WHERE state = 'waiting'`).run(now, now).changes,
    undelivered: () => undelivered.all() as OutboxRow[],
    verifiedDueForPurge: (before) => purgeDue.all(before) as OutboxRow[],
    fileStillNeeded: (sha256, except) => stillNeeded.get(sha256, except) !== undefined,
    resendFigures: () => figures.get() as ResendFigures,
    getControl: (key) => (getControl.get(key) as { value: string } | undefined)?.value,
    setControl: (key, value) => void setControl.run(key, value),
  };
}
