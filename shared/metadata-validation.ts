/**
 * Checks of the index form's values (REQUIREMENTS.md sections 4 and 5), shared by the index screen
 * and any engine step that wants the same rules. Pure functions: no DOM, no Node, no zod.
 *
 * Issues are codes, not sentences: the UI turns them into Vietnamese or English.
 */

/** The dossier code of TT 01/2018 art. 19 **[practice]**: `<agency id>-YYMMDD-NNNN`. */
export const dossierCodePattern = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-(\d{6})-\d{4}$/;

/** Text fields of a result and their longest length (REQUIREMENTS.md section 5). */
export const metadataMaxLengths = {
  documentNumber: 60,
  validityScope: 200,
  summary: 1000,
  issuingAgency: 200,
  signer: 50,
  ownerId: 50,
  ownerName: 500,
  dossierCode: 50,
  procedureCode: 50,
  sectorCode: 50,
  resultTypeCode: 200,
} as const;

export type MetadataTextField = keyof typeof metadataMaxLengths;

/** The fields the workflow asks for before extraction. */
export const requiredMetadataFields = ['documentNumber', 'issuedDate'] as const;

/** What is wrong with one value. */
export type MetadataIssueCode =
  | 'required'
  | 'too-long'
  | 'date-format'
  | 'date-invalid'
  | 'date-future'
  | 'date-before-issued'
  | 'dossier-format'
  | 'dossier-date';

export interface MetadataIssue {
  code: MetadataIssueCode;
  /** The limit for `too-long`. */
  max?: number;
}

/** Whether year, month (1–12) and day name a day of the calendar (29/02 only in leap years). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/** The result of reading a date typed as dd/MM/yyyy. */
export type ParsedDate = { ok: true; iso: string } | { ok: false; code: 'date-format' | 'date-invalid' };

/**
 * Reads a date typed the Vietnamese way, `dd/MM/yyyy` (`d/M/yyyy`, `-` or `.` between parts are
 * taken too), into `YYYY-MM-DD`. `date-format` when it is not that shape, `date-invalid` when the
 * day does not exist (29/02/2023).
 */
export function parseDisplayDate(text: string): ParsedDate {
  const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text.trim());
  if (match === null) return { ok: false, code: 'date-format' };
  const day = Number(match[1]);
  const month = Number(match[2]);
  const year = Number(match[3]);
  if (!isCalendarDate(year, month, day)) return { ok: false, code: 'date-invalid' };
  return { ok: true, iso: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` };
}

/** `YYYY-MM-DD` shown as `dd/MM/yyyy`; anything else is returned as it is. */
export function formatDisplayDate(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return match === null ? iso : `${match[3]}/${match[2]}/${match[1]}`;
}

/** Today in local time as `YYYY-MM-DD`, the bound of an issue date. */
export function localIsoDate(now: Date): string {
  return `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1, 2)}-${pad(now.getDate(), 2)}`;
}

/** Whether a dossier code has the shape of TT 01/2018 and a receipt date (YYMMDD) that exists. */
export function checkDossierCode(code: string): MetadataIssue | null {
  const match = dossierCodePattern.exec(code);
  if (match === null) return { code: 'dossier-format' };
  const digits = match[1] ?? '';
  const year = 2000 + Number(digits.slice(0, 2));
  const month = Number(digits.slice(2, 4));
  const day = Number(digits.slice(4, 6));
  return isCalendarDate(year, month, day) ? null : { code: 'dossier-date' };
}

/** A text value against its limit, counted on the NFC form as the store counts it. */
export function checkLength(value: string, max: number): MetadataIssue | null {
  return value.normalize('NFC').length > max ? { code: 'too-long', max } : null;
}
