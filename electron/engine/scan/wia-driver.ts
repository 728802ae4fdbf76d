import { spawn as nodeSpawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { ErrorCode } from '../../../shared/errors.js';
import { StationError } from '../../../shared/errors.js';
import type { ColourMode, ScanSource } from '../../../shared/domain.js';
import type { Logger } from '../logging/logger.js';
import { createSilentLogger } from '../logging/logger.js';
import { readImageInfo } from './image-info.js';
import type { DriverDevice, ScanDriver, ScannedPage, ScanRequest } from './scan-driver.js';
import { pageSizesFitting, scanAreaMm } from './scan-driver.js';

/** One line the WIA script prints. */
export type WiaMessage =
  | {
      type: 'device';
      id: string;
      name: string;
      sources: ScanSource[];
      resolutions: number[];
      colourModes: ColourMode[];
      maxWidthMm?: number;
      maxHeightMm?: number;
    }
  | { type: 'page'; index: number; path: string; width: number; height: number; dpi: number }
  | { type: 'error'; code: string; hresult: string; message: string }
  | { type: 'warning'; id?: string; message: string }
  | { type: 'done'; pages: number };

const sources = new Set<string>(['flatbed', 'adf', 'adf-duplex']);
const modes = new Set<string>(['color', 'gray', 'lineart']);

/** Reads one line of the script's output; anything that is not one of its messages is undefined. */
export function parseWiaLine(line: string): WiaMessage | undefined {
  const text = line.trim();
  if (!text.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const message = value as Record<string, unknown>;
  const number = (key: string): number | undefined => (typeof message[key] === 'number' ? message[key] : undefined);
  const string = (key: string): string | undefined => (typeof message[key] === 'string' ? message[key] : undefined);
  // ConvertTo-Json writes a one-element array as the element itself.
  const list = (key: string): unknown[] => {
    const entry = message[key];
    return entry === undefined || entry === null ? [] : Array.isArray(entry) ? entry : [entry];
  };
  switch (message.type) {
    case 'device': {
      const id = string('id');
      if (id === undefined) return undefined;
      return {
        type: 'device',
        id,
        name: string('name') ?? id,
        sources: list('sources').filter(
          (entry): entry is ScanSource => typeof entry === 'string' && sources.has(entry),
        ),
        resolutions: list('resolutions').filter((entry): entry is number => typeof entry === 'number' && entry > 0),
        colourModes: list('colourModes').filter(
          (entry): entry is ColourMode => typeof entry === 'string' && modes.has(entry),
        ),
        ...(number('maxWidthMm') === undefined ? {} : { maxWidthMm: number('maxWidthMm') }),
        ...(number('maxHeightMm') === undefined ? {} : { maxHeightMm: number('maxHeightMm') }),
      };
    }
    case 'page': {
      const file = string('path');
      const index = number('index');
      if (file === undefined || index === undefined) return undefined;
      return {
        type: 'page',
        index,
        path: file,
        width: number('width') ?? 0,
        height: number('height') ?? 0,
        dpi: number('dpi') ?? 0,
      };
    }
    case 'error':
      return {
        type: 'error',
        code: string('code') ?? 'io',
        hresult: string('hresult') ?? '',
        message: string('message') ?? '',
      };
    case 'warning':
      return {
        type: 'warning',
        ...(string('id') === undefined ? {} : { id: string('id') }),
        message: string('message') ?? '',
      };
    case 'done':
      return { type: 'done', pages: number('pages') ?? 0 };
    default:
      return undefined;
  }
}

const knownCodes = new Set([
  'paper-jam',
  'no-paper',
  'cover-open',
  'busy',
  'offline',
  'io',
  'device-not-found',
  'unsupported-setting',
]);

/** The station's code for a code the script reports (its names are the `scan/*` codes without the prefix). */
export function wiaErrorCode(code: string): ErrorCode {
  return knownCodes.has(code) ? (`scan/${code}` as ErrorCode) : 'scan/io';
}

/** The PowerShell command line for a scan. */
export function wiaScanArgs(
  script: string,
  request: ScanRequest,
  deviceId: string,
  folder: string,
  area: { width: number; height: number } | undefined,
): string[] {
  const source = request.source === 'flatbed' ? 'flatbed' : request.source === 'adf-duplex' ? 'duplex' : 'feeder';
  return [
    '-NoProfile',
    '-NonInteractive',
    '-ExecutionPolicy',
    'Bypass',
    '-File',
    script,
    '-Action',
    'scan',
    '-DeviceId',
    deviceId,
    '-Source',
    source,
    '-Dpi',
    String(request.dpi),
    '-Colour',
    request.colourMode,
    '-WidthMm',
    String(area?.width ?? 0),
    '-HeightMm',
    String(area?.height ?? 0),
    '-MaxPages',
    String(request.maxPages ?? 0),
    '-OutDir',
    folder,
  ];
}

/** How the WIA driver starts its script; `spawn` is replaceable so tests can play the script's part. */
export interface WiaScanDriverOptions {
  /** resources/wia/wia-scan.ps1 */
  script: string;
  /** Folder for the per-batch temporary folders the script writes pages into. */
  workDir: string;
  /** `powershell.exe` (Windows PowerShell 5.1, present on every supported Windows) when absent. */
  powershell?: string;
  spawn?: (command: string, args: string[]) => ChildProcess;
  listTimeoutMs?: number;
  logger?: Logger;
}

const idPrefix = 'wia:';

/** Reads a child's stdout line by line as it arrives. */
function onLines(child: ChildProcess, listener: (line: string) => void): void {
  let pending = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? '';
    for (const line of lines) listener(line);
  });
  child.stdout?.on('end', () => {
    if (pending !== '') listener(pending);
    pending = '';
  });
}

/**
 * Scanners on Windows through WIA 2.0, driven by a PowerShell script.
 *
 * The script uses the WIA Automation Library, writes each page to a
 * temporary folder (renamed into place once written) and prints one JSON line
 * per page or error, so pages are handed on as they land. Cancelling stops
 * the script; pages it already reported are kept. It has not run on Windows
 * hardware on the development machines: its invocation and output parsing are
 * tested with a fake process.
 */
export class WiaScanDriver implements ScanDriver {
  readonly kind = 'wia' as const;
  private readonly logger: Logger;
  private readonly spawn: (command: string, args: string[]) => ChildProcess;
  /** Scan areas from the last listing, so a page size is clamped to what the device reaches. */
  private readonly areas = new Map<string, { width: number; height: number }>();

  constructor(private readonly options: WiaScanDriverOptions) {
    this.logger = (options.logger ?? createSilentLogger()).child('wia');
    this.spawn =
      options.spawn ??
      ((command, args) => nodeSpawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true }));
  }

  private get powershell(): string {
    return this.options.powershell ?? 'powershell.exe';
  }

  async listDevices(): Promise<DriverDevice[]> {
    const child = this.spawn(this.powershell, [
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-File',
      this.options.script,
      '-Action',
      'list',
    ]);
    const devices: DriverDevice[] = [];
    onLines(child, (line) => {
      const message = parseWiaLine(line);
      if (message?.type === 'device') {
        const area =
          message.maxWidthMm !== undefined && message.maxHeightMm !== undefined
            ? { width: message.maxWidthMm, height: message.maxHeightMm }
            : undefined;
        if (area !== undefined) this.areas.set(`${idPrefix}${message.id}`, area);
        devices.push({
          id: `${idPrefix}${message.id}`,
          kind: 'wia',
          name: message.name,
          sources: message.sources,
          resolutions: message.resolutions,
          colourModes: message.colourModes,
          ...(area === undefined ? {} : { maxAreaMm: area, pageSizes: pageSizesFitting(area) }),
        });
      } else if (message?.type === 'warning' || message?.type === 'error') {
        this.logger.warn('WIA listing problem', { message: message.message });
      }
    });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill(), this.options.listTimeoutMs ?? 30_000);
      child.once('error', (error) => {
        this.logger.warn('cannot start PowerShell for WIA', { error });
        clearTimeout(timer);
        resolve();
      });
      child.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return devices;
  }

  async *scan(request: ScanRequest): AsyncGenerator<ScannedPage, void, undefined> {
    if (!request.deviceId.startsWith(idPrefix)) {
      throw new StationError('scan/device-not-found', `Not a WIA device: ${request.deviceId}`);
    }
    if (request.signal.aborted) throw new StationError('scan/cancelled', 'Scan cancelled');
    await fsp.mkdir(this.options.workDir, { recursive: true });
    const folder = await fsp.mkdtemp(path.join(this.options.workDir, 'batch-'));
    const area = scanAreaMm(request.pageSize, this.areas.get(request.deviceId));
    const child = this.spawn(
      this.powershell,
      wiaScanArgs(this.options.script, request, request.deviceId.slice(idPrefix.length), folder, area),
    );
    const queue: WiaMessage[] = [];
    let exited = false;
    let exitCode: number | null = null;
    let spawnError: Error | undefined;
    let wake: () => void = () => undefined;
    const stderr: string[] = [];
    onLines(child, (line) => {
      const message = parseWiaLine(line);
      if (message !== undefined) queue.push(message);
      wake();
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    child.once('error', (error) => {
      spawnError = error;
      exited = true;
      wake();
    });
    child.once('close', (code) => {
      exitCode = code;
      exited = true;
      wake();
    });
    // WIA's Transfer blocks inside the driver: stopping the script is the only way to stop it.
    const stop = (): void => {
      if (!exited) child.kill();
    };
    request.signal.addEventListener('abort', stop, { once: true });
    let failure: StationError | undefined;
    let delivered = 0;
    try {
      for (;;) {
        const message = queue.shift();
        if (message === undefined) {
          if (exited) break;
          await new Promise<void>((resolve) => {
            wake = () => {
              wake = () => undefined;
              resolve();
            };
          });
          continue;
        }
        if (message.type === 'error') {
          failure = new StationError(wiaErrorCode(message.code), `WIA ${message.hresult}: ${message.message}`);
        } else if (message.type === 'page') {
          request.onProgress?.({ pageIndex: delivered, percent: 100 });
          const data = await fsp.readFile(message.path);
          const info = await readImageInfo(data);
          delivered += 1;
          yield {
            data,
            mimeType: info.mimeType,
            widthPx: info.widthPx,
            heightPx: info.heightPx,
            dpi: message.dpi > 0 ? message.dpi : request.dpi,
            colourMode: request.colourMode,
            completedAt: Date.now(),
          };
          await fsp.rm(message.path, { force: true });
        }
      }
      if (request.signal.aborted) throw new StationError('scan/cancelled', 'Scan cancelled');
      if (spawnError !== undefined) {
        throw new StationError('scan/offline', `Cannot start PowerShell for WIA: ${spawnError.message}`);
      }
      if (failure !== undefined) {
        // An empty feeder is only an error when nothing was scanned.
        if (failure.code === 'scan/no-paper' && delivered > 0) return;
        throw failure;
      }
      if (exitCode !== 0) {
        throw new StationError(
          'scan/io',
          `The WIA script failed (exit code ${String(exitCode)}): ${stderr.join('').trim().slice(0, 300)}`,
        );
      }
    } finally {
      request.signal.removeEventListener('abort', stop);
      stop();
      await fsp.rm(folder, { recursive: true, force: true });
    }
  }
}
