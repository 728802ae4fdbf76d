import type { DocumentSummary } from '../../../shared/domain.js';
import { errorCodes } from '../../../shared/errors.js';
import type { ErrorCode } from '../../../shared/errors.js';
import type { Translate } from '../../i18n/i18n.js';
import { describeError } from '../../i18n/i18n.js';

const knownCodes: ReadonlySet<string> = new Set(errorCodes);

function isErrorCode(code: string): code is ErrorCode {
  return knownCodes.has(code);
}

/**
 * The clerk's message for an error code that crossed the boundary as a plain string (outbox rows
 * keep theirs as text); a code this build does not know still gets a plain sentence.
 */
export function describeErrorCode(t: Translate, code: string): string {
  return isErrorCode(code) ? describeError(t, { code }) : t('queue.error.unknown', { code });
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** A moment as clerks write it, in local time: `14:05 26/11/2026`. */
export function formatMoment(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${pad(date.getHours())}:${pad(date.getMinutes())} ${pad(date.getDate())}/${pad(date.getMonth() + 1)}/${date.getFullYear()}`;
}

/** How a document is named in a list: its number, or a placeholder until it is indexed. */
export function documentName(t: Translate, document: Pick<DocumentSummary, 'documentNumber'>): string {
  const number = document.documentNumber?.trim();
  return number === undefined || number === '' ? t('queue.document.untitled') : number;
}

/** The colour family of a workflow state badge. */
export function workflowTone(state: DocumentSummary['state']): 'work' | 'ready' | 'done' {
  if (state === 'delivered' || state === 'verified') return 'done';
  if (state === 'sealed' || state === 'queued') return 'ready';
  return 'work';
}
