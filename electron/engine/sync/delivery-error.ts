import type { ErrorCode } from '../../../shared/errors.js';
import { StationError, isStationError } from '../../../shared/errors.js';

/** Codes that no retry can heal: the document waits for a person (`failed`). Never a network condition. */
const permanentCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'sync/record-rejected',
  'sync/too-large',
  'sync/conflict',
  'sync/verify-failed',
  'sync/file-missing',
  'sync/classified',
  'store/corrupt',
]);

/**
 * Codes about the station or the link rather than one document: the worker stops the pass,
 * every due document waits with the same message, and the link is probed before going on.
 */
const stationWideCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'sync/not-configured',
  'sync/insecure-url',
  'sync/secret-unavailable',
  'sync/offline',
  'sync/tls',
  'sync/auth-failed',
  'sync/forbidden',
  'sync/busy',
]);

export interface DeliveryErrorDetails {
  /** HTTP status of the answer that caused it, when there was one. */
  status?: number | undefined;
  /** The warehouse's own error code (`error` of the JSON body). */
  reason?: string | undefined;
  /** From `Retry-After` (429, 503). */
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

/** A failed delivery step with what the worker needs to decide: retry or not, when, and for whom. */
export class DeliveryError extends StationError {
  readonly status: number | undefined;
  readonly reason: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, details: DeliveryErrorDetails = {}) {
    super(code, message);
    this.status = details.status;
    this.reason = details.reason;
    this.retryAfterMs = details.retryAfterMs;
    if (details.cause !== undefined) this.cause = details.cause;
  }
}

/** Whether retrying later can succeed (everything but the permanent codes). */
export function isRetryable(error: StationError): boolean {
  return !permanentCodes.has(error.code);
}

/** Whether the error concerns the station or the link rather than one document. */
export function isStationWide(error: StationError): boolean {
  return stationWideCodes.has(error.code);
}

/** Any thrown value as a StationError; an unknown throw stays retryable under `internal`. */
export function asStationError(error: unknown): StationError {
  if (isStationError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StationError('internal', message);
}

/**
 * Parses `Retry-After`: delta-seconds or an HTTP date.
 *
 * Returns milliseconds from `now`, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: Date): number | undefined {
  const header = Array.isArray(value) ? value[0] : value;
  if (header === undefined || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
