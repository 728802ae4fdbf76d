import type { ErrorCode } from '../../../shared/errors.js';
import { StationError } from '../../../shared/errors.js';

/** SANE_Status values (sane.h); scanimage exits with the status that stopped it. */
export const saneStatus = {
  good: 0,
  unsupported: 1,
  cancelled: 2,
  deviceBusy: 3,
  inval: 4,
  eof: 5,
  jammed: 6,
  noDocs: 7,
  coverOpen: 8,
  ioError: 9,
  noMem: 10,
  accessDenied: 11,
} as const;

/** What one line of scanimage's stderr says. */
export type SaneStderrEvent =
  | { type: 'page-started'; page: number }
  | { type: 'progress'; percent: number }
  | { type: 'page-ended'; page: number; status: number }
  | { type: 'batch-ended'; pages: number }
  | { type: 'message'; text: string };

/**
 * Reads scanimage's stderr as it streams.
 *
 * `--progress` writes `Progress: 12.3%` lines ended by `\r`, so both `\r` and
 * `\n` end a line. `Scanned page N. (scanner status = 5)` marks page N written
 * (status 5 is SANE_STATUS_EOF, the normal end of a page); any other status
 * means page N failed and its file was removed.
 */
export function createStderrParser(onEvent: (event: SaneStderrEvent) => void): (chunk: string) => void {
  let pending = '';
  const parseLine = (line: string): void => {
    const text = line.trim();
    if (text === '') return;
    let match: RegExpExecArray | null;
    if ((match = /^Progress: ([\d.]+)%/.exec(text)) !== null) {
      onEvent({ type: 'progress', percent: Math.min(100, Number(match[1])) });
    } else if ((match = /^Scanning page (\d+)/.exec(text)) !== null) {
      onEvent({ type: 'page-started', page: Number(match[1]) });
    } else if ((match = /^Scanned page (\d+)\. \(scanner status = (\d+)\)/.exec(text)) !== null) {
      onEvent({ type: 'page-ended', page: Number(match[1]), status: Number(match[2]) });
    } else if ((match = /^Batch terminated, (\d+) pages? scanned/.exec(text)) !== null) {
      onEvent({ type: 'batch-ended', pages: Number(match[1]) });
    } else {
      onEvent({ type: 'message', text });
    }
  };
  return (chunk) => {
    pending += chunk;
    const parts = pending.split(/\r\n|\r|\n/);
    pending = parts.pop() ?? '';
    for (const part of parts) parseLine(part);
  };
}

/** sane_strstatus() texts (sanei/sane_strstatus.c) → status, for messages printed without an exit status we can trust. */
const statusTexts: [RegExp, number][] = [
  [/document feeder jammed/i, saneStatus.jammed],
  [/document feeder out of documents/i, saneStatus.noDocs],
  [/scanner cover is open/i, saneStatus.coverOpen],
  [/device busy/i, saneStatus.deviceBusy],
  [/error during device i\/o/i, saneStatus.ioError],
  [/operation was cancell?ed/i, saneStatus.cancelled],
  [/operation not supported/i, saneStatus.unsupported],
  [/invalid argument/i, saneStatus.inval],
  [/out of memory/i, saneStatus.noMem],
  [/access to resource has been denied/i, saneStatus.accessDenied],
];

/** The status a scanimage message names, if any. */
export function statusFromMessage(text: string): number | undefined {
  return statusTexts.find(([pattern]) => pattern.test(text))?.[1];
}

const codeOfStatus: Record<number, ErrorCode> = {
  [saneStatus.unsupported]: 'scan/unsupported-setting',
  [saneStatus.cancelled]: 'scan/cancelled',
  [saneStatus.deviceBusy]: 'scan/busy',
  [saneStatus.inval]: 'scan/unsupported-setting',
  [saneStatus.jammed]: 'scan/paper-jam',
  [saneStatus.noDocs]: 'scan/no-paper',
  [saneStatus.coverOpen]: 'scan/cover-open',
  [saneStatus.ioError]: 'scan/io',
  [saneStatus.noMem]: 'scan/io',
  [saneStatus.accessDenied]: 'scan/offline',
};

/** What happened in one scanimage run, as far as the error decision needs. */
export interface SaneRunOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Pages written completely. */
  pagesDone: number;
  /** Status of the `Scanned page N. (scanner status = S)` line of a page that failed, if any. */
  failedPageStatus: number | undefined;
  /** Every line scanimage printed that was not progress (for the error message and the log). */
  messages: string[];
  /** Whether we asked it to stop. */
  cancelled: boolean;
}

/**
 * Decides how a scanimage run ended: undefined when it ended well, else the StationError to throw.
 *
 * An empty feeder after at least one page is the normal end of an ADF batch;
 * before any page it means the clerk forgot the paper.
 */
export function outcomeError(outcome: SaneRunOutcome, device: string): StationError | undefined {
  if (outcome.cancelled) return new StationError('scan/cancelled', 'Scan cancelled');
  const openFailure = outcome.messages.find((text) => /open of device .* failed/i.test(text));
  if (openFailure !== undefined) {
    const status = statusFromMessage(openFailure);
    if (status === saneStatus.deviceBusy) return new StationError('scan/busy', `${device}: ${openFailure}`);
    if (status === saneStatus.inval) return new StationError('scan/device-not-found', `${device}: ${openFailure}`);
    return new StationError('scan/offline', `${device}: ${openFailure}`);
  }
  const optionFailure = outcome.messages.find((text) => /setting of option .* failed/i.test(text));
  if (optionFailure !== undefined) return new StationError('scan/unsupported-setting', `${device}: ${optionFailure}`);

  const lastMessage = [...outcome.messages].reverse().find((text) => /^scanimage: /.test(text));
  let status: number | undefined =
    outcome.exitCode !== null && outcome.exitCode > 1 && outcome.exitCode < 12 ? outcome.exitCode : undefined;
  if (outcome.failedPageStatus !== saneStatus.eof) status ??= outcome.failedPageStatus;
  status ??= lastMessage === undefined ? undefined : statusFromMessage(lastMessage);

  if (status === saneStatus.noDocs) {
    return outcome.pagesDone === 0
      ? new StationError('scan/no-paper', `${device}: the document feeder is empty`)
      : undefined;
  }
  if (outcome.exitCode === 0) return undefined;
  if (status !== undefined && status !== saneStatus.good && status !== saneStatus.eof) {
    const reason = lastMessage?.replace(/^scanimage: /, '') ?? `SANE status ${status}`;
    return new StationError(codeOfStatus[status] ?? 'scan/io', `${device}: ${reason}`);
  }
  const why = outcome.signal !== null ? `killed by ${outcome.signal}` : `exit code ${String(outcome.exitCode)}`;
  return new StationError(
    'scan/io',
    `${device}: scanimage failed (${why})${lastMessage === undefined ? '' : `: ${lastMessage}`}`,
  );
}
