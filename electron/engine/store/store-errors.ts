import { StationError, isStationError } from '../../../shared/errors.js';

/** Whether an error means the disk (or the database file's quota) is full. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL';
}

/**
 * Turns a full disk into `store/disk-full` and a damaged database into `store/corrupt`; anything
 * else is rethrown as it is, so it reaches the log as an internal error with its stack.
 */
export function toStoreError(error: unknown, what: string): unknown {
  if (isStationError(error)) return error;
  if (isDiskFull(error)) {
    return new StationError(
      'store/disk-full',
      `The disk is full: ${what} was not saved; what was stored before is intact`,
    );
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new StationError('store/corrupt', `The station database is damaged (${String(code)}) while ${what}`);
  }
  return error;
}

/** Runs `fn`, mapping its failure with toStoreError. */
export function withStoreErrors<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toStoreError(error, what);
  }
}
