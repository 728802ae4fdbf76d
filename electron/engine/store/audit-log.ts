import crypto from 'node:crypto';
import os from 'node:os';
import type { Database } from 'better-sqlite3';
import { statement } from './statements.js';
import type { AuditEntry } from '../../../shared/domain.js';

/**
 * The append-only audit log: who did what to which object, and when (NĐ 13/2023: a log of who
 * processed personal data). Each row's hash covers the previous row's hash, so changing or removing
 * a row in the middle breaks the chain at that row. Details name fields, never their values: the
 * log must not become a second copy of personal data.
 */

export const genesisHash = '0'.repeat(64);

export interface AuditInput {
  actor: string;
  action: string;
  objectType: string;
  objectId: string;
  details?: Record<string, unknown>;
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  object_type: string;
  object_id: string;
  details: string;
  prev_hash: string;
  hash: string;
}

/** JSON with sorted keys, so the same details always hash the same. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, child]) => child !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonical(child)}`).join(',')}}`;
}

/** The hash of a row: SHA-256 over the previous hash and the row's fields. */
export function auditHash(
  prevHash: string,
  row: {
    seq: number;
    at: string;
    actor: string;
    action: string;
    objectType: string;
    objectId: string;
    details: string;
  },
): string {
  return crypto
    .createHash('sha256')
    .update(
      `${prevHash}\n${canonical([row.seq, row.at, row.actor, row.action, row.objectType, row.objectId, row.details])}`,
    )
    .digest('hex');
}

/** The actor for actions of whoever sits at this machine until the station has its own log-in. */
export function localActor(): string {
  try {
    return `os:${os.userInfo().username}`;
  } catch {
    return 'os:unknown';
  }
}

/**
 * Appends one row. Call inside the transaction that makes the change it records, so the change and
 * its record commit together or not at all; an IMMEDIATE transaction keeps two processes from
 * chaining onto the same previous row.
 */
export function appendAudit(db: Database, at: string, input: AuditInput): AuditEntry {
  const last = statement(db, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).get() as
    { seq: number; hash: string } | undefined;
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? genesisHash;
  const details = canonical(input.details ?? {});
  const hash = auditHash(prevHash, { seq, at, ...input, details });
  statement(
    db,
    `INSERT INTO audit_log (seq, at, actor, action, object_type, object_id, details, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(seq, at, input.actor, input.action, input.objectType, input.objectId, details, prevHash, hash);
  return {
    seq,
    at,
    actor: input.actor,
    action: input.action,
    objectType: input.objectType,
    objectId: input.objectId,
    details: JSON.parse(details) as Record<string, unknown>,
  };
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}

/** The history of one object, oldest first. */
export function auditHistory(db: Database, objectType: string, objectId: string, limit = 200): AuditEntry[] {
  const rows = statement(
    db,
    `SELECT * FROM (SELECT * FROM audit_log WHERE object_type = ? AND object_id = ? ORDER BY seq DESC LIMIT ?)
       ORDER BY seq`,
  ).all(objectType, objectId, limit) as AuditRow[];
  return rows.map(toEntry);
}

export interface AuditVerification {
  ok: boolean;
  rows: number;
  /** The hash of the last row: written into each back-up, so cutting rows off the end shows too. */
  headHash: string;
  /** The first row that does not chain, and why. */
  brokenAt?: { seq: number; reason: string };
}

/** Walks the whole chain and recomputes every hash. */
export function verifyAuditChain(db: Database): AuditVerification {
  let prevHash = genesisHash;
  let expectedSeq = 1;
  let rows = 0;
  for (const row of statement(db, `SELECT * FROM audit_log ORDER BY seq`).iterate() as IterableIterator<AuditRow>) {
    rows += 1;
    const fail = (reason: string): AuditVerification => ({
      ok: false,
      rows,
      headHash: prevHash,
      brokenAt: { seq: row.seq, reason },
    });
    if (row.seq !== expectedSeq) return fail(`row ${expectedSeq} is missing`);
    if (row.prev_hash !== prevHash) return fail('does not chain to the previous row');
    const hash = auditHash(prevHash, {
      seq: row.seq,
      at: row.at,
      actor: row.actor,
      action: row.action,
      objectType: row.object_type,
      objectId: row.object_id,
      details: row.details,
    });
    if (hash !== row.hash) return fail('its content does not match its hash');
    prevHash = row.hash;
    expectedSeq += 1;
  }
  return { ok: true, rows, headHash: prevHash };
}
