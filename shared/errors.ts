import { z } from 'zod';

/** Every error code that may cross a process boundary. */
export const errorCodes = [
  'internal',
  'ipc/invalid-args',
  'ipc/unknown-call',
  'ipc/untrusted-sender',
  'bridge/unauthorized',
  'bridge/forbidden-origin',
  'settings/invalid',
  'settings/locked',
  'scan/device-not-found',
  'scan/no-paper',
  'scan/paper-jam',
  'scan/cover-open',
  'scan/busy',
  'scan/offline',
  'scan/cancelled',
  'scan/io',
  'scan/profile-not-found',
  'scan/unsupported-setting',
  'scan/untrusted-certificate',
  'import/unsupported-format',
  'import/corrupt-file',
  'import/encrypted',
  'import/file-not-found',
  'ocr/cancelled',
  'ocr/failed',
  'ocr/unreadable-image',
  'ocr/assets-missing',
  'ocr/not-claimed',
  'store/not-found',
  'store/disk-full',
  'store/corrupt',
  'store/not-empty',
  'store/backup-invalid',
  'workflow/illegal-transition',
  'workflow/blocked',
  'workflow/not-ready',
  'workflow/signature-required',
  'workflow/locked',
  'sync/not-configured',
  'sync/insecure-url',
  'sync/secret-unavailable',
  'sync/offline',
  'sync/tls',
  'sync/auth-failed',
  'sync/forbidden',
  'sync/busy',
  'sync/server-error',
  'sync/protocol',
  'sync/record-rejected',
  'sync/too-large',
  'sync/conflict',
  'sync/hash-mismatch',
  'sync/verify-failed',
  'sync/file-missing',
  'sync/classified',
  'sync/withdrawn',
  'sync/not-found',
  'sync/bag-invalid',
  'pdf/empty-document',
] as const;

export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const FieldIssue = z.object({
  path: z.string(),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

/** The only shape of an error that leaves the engine: a code, an English message for logs, and field paths for invalid input. */
export const StationErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  fields: z.array(FieldIssue).optional(),
});
export type StationErrorShape = z.infer<typeof StationErrorShape>;

/** An expected failure with a code the UI can explain; anything else thrown becomes `internal`. */
export class StationError extends Error {
  override readonly name = 'StationError';
  readonly code: ErrorCode;
  readonly fields: FieldIssue[] | undefined;

  constructor(code: ErrorCode, message: string, fields?: FieldIssue[]) {
    super(message);
    this.code = code;
    this.fields = fields;
  }

  toShape(): StationErrorShape {
    return this.fields === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, fields: this.fields };
  }
}

export function isStationError(value: unknown): value is StationError {
  return value instanceof StationError;
}

/** Turns zod issues into field paths such as `count` or `patch.scan.demoPageCount`; an unknown key is named by its own path. */
export function fieldIssuesFromZod(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...base, key].join('.'), message: 'unknown key' }));
    }
    return [{ path: base.join('.') || '(root)', message: issue.message }];
  });
}

/** The reply of every call: `{ ok: true, value }` or `{ ok: false, error }`. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: StationErrorShape };

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
