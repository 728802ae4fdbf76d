import { setTimeout as delay } from 'node:timers/promises';
import { StationError } from '../../../shared/errors.js';
import { createDemoPageSource, type DemoColourMode, type DemoPageSource } from './demo-pages.js';
import { separatedSampleIndex } from './sample-documents.js';
import type { DriverDevice, ScanDriver, ScannedPage, ScanRequest } from './scan-driver.js';

/** The one device of the demo driver: always present, so a station without a scanner can still train clerks. */
export const demoDevice: DriverDevice = {
  id: 'demo',
  kind: 'demo',
  name: 'Máy quét thử (Demo)',
  sources: ['flatbed', 'adf'],
  resolutions: [200, 300],
  colourModes: ['color', 'gray'],
};

/** Failure codes a trainer can make the demo scanner simulate. */
export type DemoFailureCode = 'scan/paper-jam' | 'scan/no-paper';

/** A simulated failure: after `pages` sheets, stop with `code`. */
export interface DemoFailure {
  pages: number;
  code: DemoFailureCode;
}

/** How the demo scanner behaves. */
export interface DemoScanDriverOptions {
  /** Folder where rendered sheets are cached (one JPEG per sample page, dpi and colour mode). */
  cacheDir: string;
  /** Folder holding the Noto Serif TTF files; the installed font package when absent. */
  fontDir?: string;
  /** Pause before each sheet so the demo feels like a scanner; 100 ms when absent. */
  pageDelayMs?: number;
  /**
   * Stop with this error once this many pages have been delivered, for training on failures.
   *
   * A function is asked at the start of every scan, so a trainer can switch the
   * simulated jam or empty feeder on and off in the settings (`scan.demoFailure`).
   */
  failAfter?: DemoFailure | (() => DemoFailure | undefined);
  /** Where sheets come from; the on-disk cache when absent (tests pass a fake). */
  pageSource?: DemoPageSource;
  /**
   * A blank separator sheet after each sample document (asked at the start of every scan, the
   * setting `scan.demoSeparators`); without, the samples follow each other with one blank sheet a round.
   */
  separators?: boolean | (() => boolean);
}

/** Pages delivered when a request sets no limit, like a feeder loaded with a small stack. */
export const defaultDemoPageCount = 10;

const defaultPageDelayMs = 100;
const minDpi = 50;
const maxDpi = 600;

/**
 * A scanner that feeds rendered sample documents.
 *
 * It is the default device when nothing is attached and the scanner used for
 * clerk training: sheets come in order from the sample documents (cycling),
 * one by one, with a short pause, and cancellation and simulated jams behave
 * as a real driver's do.
 */
export class DemoScanDriver implements ScanDriver {
  readonly kind = 'demo' as const;
  private readonly pageSource: DemoPageSource;
  private readonly pageDelayMs: number;
  private readonly failAfter: () => DemoFailure | undefined;
  private readonly separators: () => boolean;

  constructor(options: DemoScanDriverOptions) {
    this.pageSource =
      options.pageSource ??
      createDemoPageSource({
        cacheDir: options.cacheDir,
        ...(options.fontDir === undefined ? {} : { fontDir: options.fontDir }),
      });
    this.pageDelayMs = options.pageDelayMs ?? defaultPageDelayMs;
    const separators = options.separators ?? false;
    this.separators = typeof separators === 'function' ? separators : () => separators;
    const failAfter = options.failAfter;
    this.failAfter = typeof failAfter === 'function' ? failAfter : () => failAfter;
    if (!Number.isFinite(this.pageDelayMs) || this.pageDelayMs < 0) {
      throw new RangeError(`pageDelayMs must be a non-negative number, got ${this.pageDelayMs}`);
    }
    if (typeof failAfter === 'object') checkFailure(failAfter);
  }

  /** Lists the demo device; a copy, so callers cannot change what the next call returns. */
  listDevices(): Promise<DriverDevice[]> {
    return Promise.resolve([
      {
        ...demoDevice,
        sources: [...demoDevice.sources],
        resolutions: [...demoDevice.resolutions],
        colourModes: [...demoDevice.colourModes],
      },
    ]);
  }

  /**
   * Feeds `maxPages` sheets (10 when undefined; none when 0).
   *
   * Throws StationError `scan/cancelled` when the signal aborts between or
   * during pages, and the configured `failAfter` code once that many pages are
   * out; pages already yielded stay delivered.
   */
  async *scan(request: ScanRequest): AsyncGenerator<ScannedPage, void, undefined> {
    const colourMode = checkRequest(request);
    const pageCount = request.maxPages ?? defaultDemoPageCount;
    const failure = this.failAfter();
    if (failure !== undefined) checkFailure(failure);
    const sheet = this.separators() ? separatedSampleIndex : (index: number) => index;
    for (let index = 0; index < pageCount; index += 1) {
      throwIfCancelled(request.signal);
      request.onProgress?.({ pageIndex: index, percent: null });
      if (failure !== undefined && index >= failure.pages) {
        throw new StationError(failure.code, failureMessage(failure.code, index));
      }
      if (this.pageDelayMs > 0) await pause(this.pageDelayMs, request.signal);
      const rendered = await this.pageSource.page({ index: sheet(index), dpi: request.dpi, colourMode });
      // The page may have finished rendering after the user pressed cancel; a real
      // scanner would not deliver it either.
      throwIfCancelled(request.signal);
      yield {
        data: rendered.data,
        mimeType: rendered.mimeType,
        widthPx: rendered.widthPx,
        heightPx: rendered.heightPx,
        dpi: request.dpi,
        colourMode,
        completedAt: Date.now(),
      };
    }
  }
}

function checkRequest(request: ScanRequest): DemoColourMode {
  if (request.deviceId !== demoDevice.id) {
    throw new StationError('scan/device-not-found', `The demo driver has no device ${request.deviceId}`);
  }
  if (!demoDevice.sources.includes(request.source)) {
    throw new StationError('settings/invalid', `The demo scanner has no ${request.source} source`, [
      { path: 'source', message: `expected one of ${demoDevice.sources.join(', ')}` },
    ]);
  }
  // Any resolution renders; the device lists the two a clerk would normally pick.
  if (!Number.isInteger(request.dpi) || request.dpi < minDpi || request.dpi > maxDpi) {
    throw new StationError('settings/invalid', `The demo scanner renders ${minDpi}–${maxDpi} dpi`, [
      { path: 'dpi', message: `expected an integer from ${minDpi} to ${maxDpi}` },
    ]);
  }
  if (request.maxPages !== undefined && (!Number.isInteger(request.maxPages) || request.maxPages < 0)) {
    throw new StationError('settings/invalid', 'maxPages must be a non-negative integer', [
      { path: 'maxPages', message: 'expected a non-negative integer' },
    ]);
  }
  const colourMode = request.colourMode;
  if (colourMode === 'lineart') {
    throw new StationError('settings/invalid', 'The demo scanner scans in colour or grey only', [
      { path: 'colourMode', message: 'expected color or gray' },
    ]);
  }
  return colourMode;
}

function checkFailure(failure: DemoFailure): void {
  if (!Number.isInteger(failure.pages) || failure.pages < 0) {
    throw new RangeError(`failAfter.pages must be a non-negative integer, got ${failure.pages}`);
  }
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new StationError('scan/cancelled', 'Scan cancelled');
}

async function pause(milliseconds: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(milliseconds, undefined, { signal });
  } catch (error) {
    if (signal.aborted) throw new StationError('scan/cancelled', 'Scan cancelled');
    throw error;
  }
}

function failureMessage(code: DemoFailureCode, delivered: number): string {
  switch (code) {
    case 'scan/paper-jam':
      return `Simulated paper jam after ${delivered} pages`;
    case 'scan/no-paper':
      return `Simulated empty feeder after ${delivered} pages`;
  }
}
