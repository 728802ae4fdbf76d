import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { StationError } from '../../../shared/errors.js';
import type { Logger } from '../logging/logger.js';
import { createSilentLogger } from '../logging/logger.js';
import { hasImageEnding, readImageInfo } from './image-info.js';
import { runProcess } from './run-process.js';
import type { SaneRunOutcome } from './sane-batch.js';
import { createStderrParser, outcomeError, saneStatus } from './sane-batch.js';
import type { SaneCapabilities } from './sane-options.js';
import { extraOptionArgs, parseSaneCapabilities, parseSaneDeviceList, saneListFormat } from './sane-options.js';
import type { DriverDevice, ScanDriver, ScannedPage, ScanRequest } from './scan-driver.js';
import { pageSizesFitting, scanAreaMm } from './scan-driver.js';

/** How the SANE driver reaches `scanimage`. */
export interface SaneScanDriverOptions {
  /** Folder for the per-batch temporary folders scanimage writes pages into. */
  workDir: string;
  /** The scanimage program; `scanimage` on the PATH when absent. */
  scanimage?: string;
  /** Environment of scanimage (SANE_CONFIG_DIR…); this process's when absent. */
  env?: NodeJS.ProcessEnv;
  /**
   * SANE backends whose devices are left out of the list. Network scanners seen
   * through sane-airscan or sane-escl are better served by the station's own
   * eSCL driver, so by default they are not listed twice.
   */
  skipBackends?: readonly string[];
  /** Upper bound on a device listing (network backends can take seconds). */
  listTimeoutMs?: number;
  /** How long a stopped scanimage gets to end on SIGINT before SIGTERM and SIGKILL. */
  stopTimeoutMs?: number;
  /** Fallback poll of the batch folder, besides the file watcher and stderr. */
  pollMs?: number;
  logger?: Logger;
}

interface PageFile {
  page: number;
  file: string;
  data: Buffer;
}

const idPrefix = 'sane:';

/**
 * Scanners reached through SANE's `scanimage` (Linux).
 *
 * A batch runs `scanimage --batch` into a temporary folder. scanimage writes
 * page N to `pN.ext.part` and renames it to `pN.ext` when the page is done,
 * then prints `Scanned page N. (scanner status = 5)`; a page is handed on as
 * soon as its final file exists and either that line, the next page's file or
 * the end of the process confirms it, and its image ending is checked, so a
 * page is never read half-written, also with older scanimage versions that
 * write in place. Cancelling sends SIGINT (scanimage then stops the scanner
 * cleanly and removes the partial page); pages finished before that are kept.
 */
export class SaneScanDriver implements ScanDriver {
  readonly kind = 'sane' as const;
  private readonly scanimage: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly skipBackends: readonly string[];
  private readonly listTimeoutMs: number;
  private readonly stopTimeoutMs: number;
  private readonly pollMs: number;
  private readonly logger: Logger;
  private readonly capabilitiesCache = new Map<string, SaneCapabilities>();

  constructor(private readonly options: SaneScanDriverOptions) {
    this.scanimage = options.scanimage ?? 'scanimage';
    this.env = options.env ?? process.env;
    this.skipBackends = options.skipBackends ?? ['airscan', 'escl'];
    this.listTimeoutMs = options.listTimeoutMs ?? 20_000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
    this.pollMs = options.pollMs ?? 100;
    this.logger = (options.logger ?? createSilentLogger()).child('sane');
  }

  /** Lists SANE devices with their capabilities (`scanimage -A` per device, cached). */
  async listDevices(signal?: AbortSignal): Promise<DriverDevice[]> {
    let listing;
    try {
      listing = await runProcess(this.scanimage, ['-f', saneListFormat], {
        env: this.env,
        timeoutMs: this.listTimeoutMs,
        signal,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.logger.info('scanimage is not installed; no SANE devices');
        return [];
      }
      throw error;
    }
    if (listing.timedOut) this.logger.warn('scanimage device listing timed out', { timeoutMs: this.listTimeoutMs });
    const devices: DriverDevice[] = [];
    for (const line of parseSaneDeviceList(listing.stdout)) {
      const backend = line.name.split(':')[0] ?? '';
      if (this.skipBackends.includes(backend)) continue;
      const caps = await this.capabilities(line.name, signal).catch((error: unknown) => {
        this.logger.warn('cannot read SANE device options', { device: line.name, error });
        return undefined;
      });
      const model = `${line.vendor} ${line.model}`.trim();
      devices.push({
        id: `${idPrefix}${line.name}`,
        kind: 'sane',
        name: `${model === '' ? line.name : model} (${line.name})`,
        sources: caps === undefined ? [] : sourcesOf(caps),
        resolutions: caps?.resolutions ?? [],
        colourModes: caps === undefined ? [] : modesOf(caps),
        ...(caps?.maxAreaMm === undefined
          ? {}
          : { maxAreaMm: caps.maxAreaMm, pageSizes: pageSizesFitting(caps.maxAreaMm) }),
      });
    }
    return devices;
  }

  private async capabilities(name: string, signal?: AbortSignal, fresh = false): Promise<SaneCapabilities> {
    const cached = this.capabilitiesCache.get(name);
    if (cached !== undefined && !fresh) return cached;
    const result = await runProcess(this.scanimage, ['-d', name, '-A'], {
      env: this.env,
      timeoutMs: this.listTimeoutMs,
      signal,
    });
    if (result.code !== 0) {
      throw new StationError(
        'scan/offline',
        `scanimage -A for ${name} failed: ${result.stderr.trim().split('\n').at(-1) ?? ''}`,
      );
    }
    const caps = parseSaneCapabilities(result.stdout);
    this.capabilitiesCache.set(name, caps);
    return caps;
  }

  /** Builds the scanimage command line for a request (exported through the class for tests). */
  buildArgs(
    name: string,
    caps: SaneCapabilities,
    request: ScanRequest,
    folder: string,
  ): { args: string[]; ext: string } {
    const unsupported = (message: string, field: string): StationError =>
      new StationError('scan/unsupported-setting', `${name}: ${message}`, [{ path: field, message }]);
    const ext = request.colourMode === 'lineart' ? 'png' : 'jpg';
    const args = [
      '-d',
      name,
      `--format=${ext === 'png' ? 'png' : 'jpeg'}`,
      `--batch=${path.join(folder, `p%d.${ext}`)}`,
    ];
    args.push('--batch-start=1', '--progress');
    // A flatbed holds one sheet; without a count scanimage would scan the glass again and again.
    const count = request.source === 'flatbed' ? 1 : request.maxPages;
    if (count !== undefined) args.push(`--batch-count=${count}`);

    const hasSourceOption = Object.keys(caps.sources).length > 0 || caps.optionNames.has('source');
    const sourceValue = caps.sources[request.source];
    if (sourceValue !== undefined) args.push(`--source=${sourceValue}`);
    else if (hasSourceOption || request.source !== 'flatbed')
      throw unsupported(`no ${request.source} source`, 'source');

    const modeValue = caps.modes[request.colourMode];
    if (modeValue !== undefined) args.push(`--mode=${modeValue}`);
    else if (caps.optionNames.has('mode') || request.colourMode !== 'color') {
      throw unsupported(`no ${request.colourMode} mode`, 'colourMode');
    }
    if (caps.optionNames.has('resolution')) args.push(`--resolution=${request.dpi}`);

    const area = scanAreaMm(request.pageSize, caps.maxAreaMm);
    if (area !== undefined && caps.maxAreaMm !== undefined) {
      const width = round(area.width);
      const height = round(area.height);
      if (caps.hasPageWidth) args.push(`--page-width=${width}`);
      if (caps.hasPageHeight) args.push(`--page-height=${height}`);
      args.push('-l', '0', '-t', '0', '-x', String(width), '-y', String(height));
    }
    try {
      args.push(...extraOptionArgs(request.options));
    } catch (error) {
      throw unsupported((error as Error).message, 'options');
    }
    return { args, ext };
  }

  /** Scans into a temporary folder and yields each page as soon as its file is complete. */
  async *scan(request: ScanRequest): AsyncGenerator<ScannedPage, void, undefined> {
    if (!request.deviceId.startsWith(idPrefix)) {
      throw new StationError('scan/device-not-found', `Not a SANE device: ${request.deviceId}`);
    }
    if (request.signal.aborted) throw new StationError('scan/cancelled', 'Scan cancelled');
    const name = request.deviceId.slice(idPrefix.length);
    let caps = this.capabilitiesCache.get(name);
    if (caps === undefined || Object.keys(caps.sources).length === 0)
      caps = await this.capabilities(name, request.signal, true);

    await fsp.mkdir(this.options.workDir, { recursive: true });
    const folder = await fsp.mkdtemp(path.join(this.options.workDir, 'batch-'));
    const { args, ext } = this.buildArgs(name, caps, request, folder);
    const log = this.logger;
    log.info('scanimage started', { device: name, source: request.source, dpi: request.dpi, mode: request.colourMode });

    const child = spawn(this.scanimage, args, { env: this.env, stdio: ['ignore', 'ignore', 'pipe'] });
    const run = new BatchRun(child, folder, ext, this.pollMs);
    const stop = (): void => run.stop(this.stopTimeoutMs);
    request.signal.addEventListener('abort', stop, { once: true });
    run.onProgress = (pageIndex, percent) => {
      try {
        request.onProgress?.({ pageIndex, percent });
      } catch {
        // Progress is advisory; a failing listener must not stop the scanner.
      }
    };
    let delivered = 0;
    try {
      for (;;) {
        const next = await run.nextPage(delivered + 1);
        if (next === undefined) break;
        const { data } = next;
        // The rename that made the file whole set its ctime: when the scanner output was complete.
        const completedAt = (await fsp.stat(next.file).catch(() => undefined))?.ctimeMs;
        const info = await readImageInfo(data);
        delivered += 1;
        yield {
          data,
          mimeType: info.mimeType,
          widthPx: info.widthPx,
          heightPx: info.heightPx,
          dpi: request.dpi,
          colourMode: request.colourMode,
          completedAt,
        };
        await fsp.rm(next.file, { force: true });
      }
      const outcome = await run.outcome();
      const error = outcomeError({ ...outcome, cancelled: request.signal.aborted, pagesDone: delivered }, name);
      log.info('scanimage ended', {
        device: name,
        pages: delivered,
        exitCode: outcome.exitCode,
        code: error?.code ?? 'ok',
      });
      if (error !== undefined) throw error;
    } finally {
      request.signal.removeEventListener('abort', stop);
      // The consumer may stop early (a store failure): the scanner must not keep feeding paper.
      if (!run.exited) run.stop(this.stopTimeoutMs);
      await run.outcome().catch(() => undefined);
      await fsp.rm(folder, { recursive: true, force: true });
    }
  }
}

function round(millimetres: number): string {
  return (Math.floor(millimetres * 10) / 10).toString();
}

function sourcesOf(caps: SaneCapabilities): DriverDevice['sources'] {
  const sources = (['flatbed', 'adf', 'adf-duplex'] as const).filter((source) => caps.sources[source] !== undefined);
  // A device without a source option is a plain flatbed.
  return sources.length > 0 || caps.optionNames.has('source') ? sources : ['flatbed'];
}

function modesOf(caps: SaneCapabilities): DriverDevice['colourModes'] {
  const modes = (['color', 'gray', 'lineart'] as const).filter((mode) => caps.modes[mode] !== undefined);
  return modes.length > 0 || caps.optionNames.has('mode') ? modes : ['color'];
}

/** One running scanimage: its stderr, its exit, and the files it has finished. */
class BatchRun {
  exited = false;
  onProgress: (pageIndex: number, percent: number | null) => void = () => undefined;
  private readonly ended = new Map<number, number>();
  private readonly messages: string[] = [];
  private failedPageStatus: number | undefined;
  private currentPage = 0;
  private exitCode: number | null = null;
  private exitSignal: NodeJS.Signals | null = null;
  private spawnError: Error | undefined;
  private wake: () => void = () => undefined;
  private readonly exitPromise: Promise<void>;
  private readonly watcher: fs.FSWatcher | undefined;
  private stopping = false;
  private secondSignal = false;

  constructor(
    private readonly child: ChildProcess,
    private readonly folder: string,
    private readonly ext: string,
    private readonly pollMs: number,
  ) {
    const parse = createStderrParser((event) => {
      switch (event.type) {
        case 'page-started':
          this.currentPage = event.page;
          // After one SIGINT scanimage only cancels the page in hand; some backends (sane-airscan)
          // finish it and the batch loop starts the next. A second signal makes scanimage exit.
          if (this.stopping && !this.secondSignal) {
            this.secondSignal = true;
            this.child.kill('SIGINT');
          }
          this.onProgress(event.page - 1, 0);
          break;
        case 'progress':
          if (this.currentPage > 0) this.onProgress(this.currentPage - 1, event.percent);
          break;
        case 'page-ended':
          this.ended.set(event.page, event.status);
          if (event.status !== saneStatus.eof) this.failedPageStatus = event.status;
          break;
        case 'batch-ended':
          break;
        case 'message':
          this.messages.push(event.text);
          break;
      }
      this.wake();
    });
    child.stderr?.setEncoding('utf8').on('data', parse);
    this.exitPromise = new Promise((resolve) => {
      child.once('error', (error) => {
        this.spawnError = error;
        this.exited = true;
        this.wake();
        resolve();
      });
      child.once('close', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        this.exited = true;
        this.wake();
        resolve();
      });
    });
    try {
      // inotify tells us about the rename at once; the poll below covers file systems without it.
      this.watcher = fs.watch(folder, () => this.wake());
      this.watcher.on('error', () => undefined);
    } catch {
      this.watcher = undefined;
    }
  }

  private finalFile(page: number): string {
    return path.join(this.folder, `p${page}.${this.ext}`);
  }

  /** The file of `page` once it is complete, or undefined when scanimage ended without it. */
  async nextPage(page: number): Promise<PageFile | undefined> {
    let incompleteSince: number | undefined;
    for (;;) {
      if (this.spawnError !== undefined) {
        const missing = (this.spawnError as NodeJS.ErrnoException).code === 'ENOENT';
        throw new StationError(
          'scan/offline',
          missing ? 'scanimage is not installed (apt install sane-utils)' : this.spawnError.message,
        );
      }
      const file = this.finalFile(page);
      if (fs.existsSync(file) && !fs.existsSync(`${file}.part`)) {
        const confirmed =
          this.ended.get(page) === saneStatus.eof ||
          fs.existsSync(this.finalFile(page + 1)) ||
          fs.existsSync(`${this.finalFile(page + 1)}.part`) ||
          this.exited;
        if (confirmed) {
          const data = await fsp.readFile(file);
          if (hasImageEnding(data, this.ext === 'png' ? 'image/png' : 'image/jpeg')) return { page, file, data };
          // Written in place by an old scanimage and not flushed yet: give it a moment.
          incompleteSince ??= Date.now();
          if (this.exited && Date.now() - incompleteSince > 2000) {
            throw new StationError('scan/io', `Page ${page} from the scanner is incomplete`);
          }
        }
      } else if (this.exited) {
        return undefined;
      }
      await this.waitForChange();
    }
  }

  private waitForChange(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.pollMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = () => undefined;
        done();
      };
    });
  }

  /** SIGINT first (scanimage cancels the scanner cleanly), then SIGTERM, then SIGKILL. */
  stop(timeoutMs: number): void {
    if (this.exited || this.stopping) return;
    this.stopping = true;
    this.child.kill('SIGINT');
    const term = setTimeout(() => {
      if (!this.exited) this.child.kill('SIGTERM');
    }, timeoutMs);
    const kill = setTimeout(() => {
      if (!this.exited) this.child.kill('SIGKILL');
    }, timeoutMs * 2);
    void this.exitPromise.then(() => {
      clearTimeout(term);
      clearTimeout(kill);
    });
  }

  async outcome(): Promise<Omit<SaneRunOutcome, 'cancelled' | 'pagesDone'>> {
    await this.exitPromise;
    this.watcher?.close();
    return {
      exitCode: this.exitCode,
      signal: this.exitSignal,
      failedPageStatus: this.failedPageStatus,
      messages: this.messages,
    };
  }
}
