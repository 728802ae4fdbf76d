import type { Database } from 'better-sqlite3';
import type { ResultMetadata } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';

/**
 * The digitization code of TT 01/2023 art. 10 (REQUIREMENTS.md section 4):
 * `<owner ID>.<result-type code>.<document number>.<NN>`, the owner ID left empty when unknown,
 * NN the two-digit sequence of results with the same prefix (01 for the first).
 */

/** The part before the sequence: `<owner ID>.<result-type code>.<document number>.` (NFC, trimmed). */
export function codePrefix(metadata: Pick<ResultMetadata, 'ownerId' | 'resultTypeCode' | 'documentNumber'>): string {
  const part = (value: string | null): string => (value ?? '').normalize('NFC').trim();
  const missing: { path: string; message: string }[] = [];
  if (part(metadata.resultTypeCode) === '') missing.push({ path: 'metadata.resultTypeCode', message: 'required' });
  if (part(metadata.documentNumber) === '') missing.push({ path: 'metadata.documentNumber', message: 'required' });
  if (missing.length > 0) {
    throw new StationError(
      'workflow/not-ready',
      `The digitization code needs ${missing.map((issue) => issue.path.replace('metadata.', '')).join(' and ')}`,
      missing,
    );
  }
  return `${part(metadata.ownerId)}.${part(metadata.resultTypeCode)}.${part(metadata.documentNumber)}.`;
}

/** The sequence number a code with this prefix would take among the codes already given. */
export function nextSequence(prefix: string, existing: readonly string[]): number {
  let highest = 0;
  for (const code of existing) {
    if (!code.startsWith(prefix)) continue;
    const rest = code.slice(prefix.length);
    if (/^\d{2,}$/u.test(rest)) highest = Math.max(highest, Number(rest));
  }
  return highest + 1;
}

/** `prefix` + NN (two digits; more only past 99). */
export function formatCode(prefix: string, sequence: number): string {
  return `${prefix}${String(sequence).padStart(2, '0')}`;
}

/**
 * The code the document would get from its metadata now: its own code when it already has one
 * with this prefix, else the next sequence in the store.
 */
export function proposeDigitizationCode(db: Database, documentId: string, metadata: ResultMetadata): string {
  const prefix = codePrefix(metadata);
  const own = metadata.digitizationCode?.normalize('NFC') ?? '';
  if (own.startsWith(prefix) && /^\d{2,}$/u.test(own.slice(prefix.length))) return own;
  const existing = db
    .prepare(
      `SELECT digitization_code FROM metadata
       WHERE document_id <> ? AND digitization_code IS NOT NULL AND substr(digitization_code, 1, ?) = ?`,
    )
    .pluck()
    .all(documentId, prefix.length, prefix) as string[];
  return formatCode(prefix, nextSequence(prefix, existing));
}
