import type { ColourMode, ScanSource } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import type { EsclDeviceEntry } from '../../../shared/settings.js';
import type { Logger } from '../logging/logger.js';
import { createSilentLogger } from '../logging/logger.js';
import type { EsclClientOptions } from './escl-client.js';
import { EsclClient, pause } from './escl-client.js';
import type { DiscoveredScanner } from './escl-discovery.js';
import { discoverEsclScanners } from './escl-discovery.js';
import type { EsclCapabilities, EsclScanSettings, EsclSourceCaps } from './escl-xml.js';
import { statusError } from './escl-xml.js';
import { readImageInfo } from './image-info.js';
import type { DriverDevice, ScanDriver, ScannedPage, ScanRequest } from './scan-driver.js';
import { pageSizesFitting, scanAreaMm } from './scan-driver.js';

/** Where the eSCL driver finds scanners, and how patient it is. */
export interface EsclScanDriverOptions {
  /** Scanners entered by address (`scan.esclDevices`), read at each listing. */
  devices: () => readonly EsclDeviceEntry[];
  /** Whether to look for scanners with mDNS (`scan.esclDiscovery`), read at each listing. */
  discovery: () => boolean;
  /** How long a listing listens for mDNS answers. */
  discoveryTimeoutMs?: number;
  /** Replaces mDNS discovery (tests). */
  discover?: (timeoutMs: number, signal?: AbortSignal) => Promise<DiscoveredScanner[]>;
  /** Client timeouts and busy retries (tests shorten them). */
  client?: Omit<EsclClientOptions, 'allowInsecureTls'>;
  /** Longest wait for one page while the scanner answers "not ready" (503). */
  pageTimeoutMs?: number;
  logger?: Logger;
}

interface KnownDevice {
  id: string;
  name: string;
  url: string;
  allowInsecureTls: boolean;
  caps: EsclCapabilities;
}

const idPrefix = 'escl:';

/** The device id of an eSCL scanner: its host and port, so one found by mDNS and entered by hand are the same device. */
export function esclDeviceId(url: string): string {
  const parsed = new URL(url);
  const port = parsed.port === '' ? (parsed.protocol === 'https:' ? '443' : '80') : parsed.port;
  return `${idPrefix}${parsed.hostname}:${port}`;
}

const colourToEscl: Record<ColourMode, EsclScanSettings['colorMode']> = {
  color: 'RGB24',
  gray: 'Grayscale8',
  lineart: 'BlackAndWhite1',
};

function sourceCaps(caps: EsclCapabilities, source: ScanSource): EsclSourceCaps | undefined {
  if (source === 'flatbed') return caps.platen;
  return source === 'adf-duplex' ? caps.adfDuplex : caps.adf;
}

/** The image format to ask for: JPEG for colour and grey; lossless PNG (or TIFF) for black and white. */
function documentFormat(caps: EsclSourceCaps, mode: ColourMode): string | undefined {
  const offered = (type: string): boolean => caps.documentFormats.includes(type);
  if (mode === 'lineart') return ['image/png', 'image/tiff'].find(offered);
  return ['image/jpeg', 'image/png'].find(offered);
}

function coloursOf(caps: EsclSourceCaps): ColourMode[] {
  const modes: ColourMode[] = [];
  if (caps.colorModes.includes('RGB24') && documentFormat(caps, 'color') !== undefined) modes.push('color');
  if (caps.colorModes.includes('Grayscale8') && documentFormat(caps, 'gray') !== undefined) modes.push('gray');
  if (caps.colorModes.includes('BlackAndWhite1') && documentFormat(caps, 'lineart') !== undefined)
    modes.push('lineart');
  return modes;
}

const threeHundredthsToMm = 25.4 / 300;

/** What a scanner's capabilities mean for the station's device list. */
export function deviceFromCapabilities(id: string, name: string, caps: EsclCapabilities): DriverDevice {
  const sources: ScanSource[] = [];
  if (caps.platen !== undefined) sources.push('flatbed');
  if (caps.adf !== undefined) sources.push('adf');
  if (caps.adfDuplex !== undefined) sources.push('adf-duplex');
  const all = [caps.platen, caps.adf, caps.adfDuplex].filter((entry): entry is EsclSourceCaps => entry !== undefined);
  const resolutions = [...new Set(all.flatMap((entry) => entry.resolutions))].sort((a, b) => a - b);
  const colourModes = (['color', 'gray', 'lineart'] as const).filter((mode) =>
    all.some((entry) => coloursOf(entry).includes(mode)),
  );
  const widest = all.reduce<EsclSourceCaps | undefined>(
    (best, entry) =>
      best === undefined || entry.maxWidth * entry.maxHeight > best.maxWidth * best.maxHeight ? entry : best,
    undefined,
  );
  const maxAreaMm =
    widest !== undefined && widest.maxWidth > 0 && widest.maxHeight > 0
      ? { width: round1(widest.maxWidth * threeHundredthsToMm), height: round1(widest.maxHeight * threeHundredthsToMm) }
      : undefined;
  return {
    id,
    kind: 'escl',
    name,
    sources,
    resolutions,
    colourModes: [...colourModes],
    ...(maxAreaMm === undefined ? {} : { maxAreaMm, pageSizes: pageSizesFitting(maxAreaMm) }),
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * Network and IPP-over-USB scanners through eSCL (AirScan), on every OS.
 *
 * Devices come from the addresses in the settings and, when enabled, from
 * mDNS (`_uscan._tcp`, `_uscans._tcp`); a device that does not answer its
 * capabilities is left out of the list. A scan checks the scanner's status,
 * creates a job, and fetches `NextDocument` until the scanner says there are no
 * more (404); each page is handed on as it arrives. A jam, an open door or an
 * empty feeder is read from `ScannerStatus`.
 */
export class EsclScanDriver implements ScanDriver {
  readonly kind = 'escl' as const;
  private readonly known = new Map<string, KnownDevice>();
  /** Why a scanner entered by address did not answer at the last listing. */
  private readonly failures = new Map<string, StationError>();
  private readonly logger: Logger;

  constructor(private readonly options: EsclScanDriverOptions) {
    this.logger = (options.logger ?? createSilentLogger()).child('escl');
  }

  private client(device: { url: string; allowInsecureTls: boolean }): EsclClient {
    return new EsclClient(device.url, { ...this.options.client, allowInsecureTls: device.allowInsecureTls });
  }

  async listDevices(signal?: AbortSignal): Promise<DriverDevice[]> {
    const entries: { name: string; url: string; allowInsecureTls: boolean }[] = this.options
      .devices()
      .map((entry) => ({ name: entry.name, url: entry.url, allowInsecureTls: entry.allowInsecureTls }));
    if (this.options.discovery()) {
      const timeoutMs = this.options.discoveryTimeoutMs ?? 1500;
      const discover =
        this.options.discover ??
        ((timeout: number, abort?: AbortSignal) =>
          discoverEsclScanners({ timeoutMs: timeout, signal: abort }, (error) =>
            this.logger.warn('mDNS discovery failed', { error }),
          ));
      const found = await discover(timeoutMs, signal).catch((error: unknown) => {
        this.logger.warn('mDNS discovery failed', { error });
        return [];
      });
      const manual = new Set(entries.map((entry) => esclDeviceId(entry.url)));
      // A scanner entered by address keeps its name and TLS choice when mDNS also finds it.
      for (const scanner of found) {
        if (!manual.has(esclDeviceId(scanner.url))) entries.push({ ...scanner, allowInsecureTls: false });
      }
    }
    const devices = await Promise.all(
      entries.map(async (entry): Promise<DriverDevice | undefined> => {
        const id = esclDeviceId(entry.url);
        const client = this.client(entry);
        try {
          const caps = await client.capabilities(signal);
          this.known.set(id, { id, name: entry.name, url: entry.url, allowInsecureTls: entry.allowInsecureTls, caps });
          this.failures.delete(id);
          return deviceFromCapabilities(id, entry.name, caps);
        } catch (error) {
          this.logger.warn('eSCL scanner does not answer', { url: entry.url, error });
          this.failures.set(
            id,
            error instanceof StationError ? error : new StationError('scan/offline', `${entry.url}: ${String(error)}`),
          );
          return undefined;
        } finally {
          await client.close();
        }
      }),
    );
    return devices.filter((device): device is DriverDevice => device !== undefined);
  }

  unavailable(deviceId: string): StationError | undefined {
    return this.failures.get(deviceId);
  }

  async *scan(request: ScanRequest): AsyncGenerator<ScannedPage, void, undefined> {
    if (!request.deviceId.startsWith(idPrefix)) {
      throw new StationError('scan/device-not-found', `Not an eSCL device: ${request.deviceId}`);
    }
    let device = this.known.get(request.deviceId);
    if (device === undefined) {
      await this.listDevices(request.signal);
      device = this.known.get(request.deviceId);
    }
    if (device === undefined) {
      throw (
        this.failures.get(request.deviceId) ??
        new StationError('scan/device-not-found', `No eSCL scanner ${request.deviceId}`)
      );
    }
    const { signal } = request;
    const client = this.client(device);
    const log = this.logger;
    let jobUrl: string | undefined;
    let cancelling: Promise<void> | undefined;
    let jobEnded = false;
    // At most one DELETE per job, awaited before the connection pool closes.
    const cancelJob = (): Promise<void> => {
      if (jobUrl !== undefined) cancelling ??= client.cancelJob(jobUrl);
      return cancelling ?? Promise.resolve();
    };
    const onAbort = (): void => void cancelJob();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const caps = sourceCaps(device.caps, request.source);
      if (caps === undefined) {
        throw new StationError('scan/unsupported-setting', `${device.name} has no ${request.source} source`);
      }
      const format = documentFormat(caps, request.colourMode);
      if (!caps.colorModes.includes(colourToEscl[request.colourMode]) || format === undefined) {
        throw new StationError(
          'scan/unsupported-setting',
          `${device.name} cannot scan ${request.colourMode} from ${request.source}`,
        );
      }
      const resolution = caps.resolutions.find((dpi) => dpi >= request.dpi) ?? caps.resolutions.at(-1) ?? request.dpi;
      const maxMm = { width: caps.maxWidth * threeHundredthsToMm, height: caps.maxHeight * threeHundredthsToMm };
      const area = scanAreaMm(request.pageSize, caps.maxWidth > 0 ? maxMm : undefined) ?? maxMm;
      const feeder = request.source !== 'flatbed';

      const before = await client.status(signal).catch((error: unknown) => {
        if (error instanceof StationError && error.code !== 'scan/io') throw error;
        return undefined;
      });
      const blocked = before === undefined ? undefined : statusError(before, feeder);
      if (blocked !== undefined) {
        throw new StationError(blocked, `${device.name}: ${before?.adfState ?? before?.state ?? 'not ready'}`);
      }

      const created = await client.createJob(
        {
          version: device.caps.version,
          inputSource: feeder ? 'Feeder' : 'Platen',
          duplex: request.source === 'adf-duplex',
          colorMode: colourToEscl[request.colourMode],
          resolution,
          documentFormat: format,
          region: { width: (area.width / 25.4) * 300, height: (area.height / 25.4) * 300 },
        },
        signal,
      );
      if ('conflict' in created) {
        const status = await client.status(signal).catch(() => undefined);
        const code =
          (status === undefined ? undefined : statusError(status, feeder)) ?? (feeder ? 'scan/no-paper' : 'scan/busy');
        throw new StationError(
          code,
          `${device.name} cannot start a job now (HTTP 409, ${status?.adfState ?? status?.state ?? '?'})`,
        );
      }
      jobUrl = created.jobUrl;
      if (signal.aborted) throw new StationError('scan/cancelled', 'Scan cancelled');
      log.info('eSCL job created', { device: device.id, source: request.source, resolution });

      let delivered = 0;
      while (request.maxPages === undefined || delivered < request.maxPages) {
        request.onProgress?.({ pageIndex: delivered, percent: null });
        const next = await this.waitForPage(client, jobUrl, device.name, feeder, signal);
        if (next === undefined) {
          jobEnded = true;
          if (delivered === 0 && feeder) throw new StationError('scan/no-paper', `${device.name}: the feeder is empty`);
          break;
        }
        const info = await readImageInfo(next);
        delivered += 1;
        yield {
          data: next,
          mimeType: info.mimeType,
          widthPx: info.widthPx,
          heightPx: info.heightPx,
          dpi: info.dpi ?? resolution,
          colourMode: request.colourMode,
          completedAt: Date.now(),
        };
        // The platen holds one sheet; asking again would only wait for the scanner to say so.
        if (!feeder) break;
      }
      if (signal.aborted) throw new StationError('scan/cancelled', 'Scan cancelled');
    } catch (error) {
      throw error instanceof StationError
        ? error
        : new StationError('scan/io', `${device.name}: ${(error as Error).message}`);
    } finally {
      signal.removeEventListener('abort', onAbort);
      // A job the scanner did not end itself (page count reached, error, cancel, consumer gone) is
      // deleted, or a feeder would keep pulling paper.
      if (!jobEnded) await cancelJob();
      await client.close().catch(() => undefined);
    }
  }

  /** The next page's bytes, or undefined when the job has no more; reads the scanner's status when it stalls or stops. */
  private async waitForPage(
    client: EsclClient,
    jobUrl: string,
    name: string,
    feeder: boolean,
    signal: AbortSignal,
  ): Promise<Buffer | undefined> {
    const started = Date.now();
    const pageTimeoutMs = this.options.pageTimeoutMs ?? 120_000;
    let wait = 200;
    for (;;) {
      if (signal.aborted) throw new StationError('scan/cancelled', 'Scan cancelled');
      const next = await client.nextDocument(jobUrl, signal);
      if (next.kind === 'page') return next.data;
      // Whatever the answer, the scanner's status says whether it jammed or the door opened.
      const status = await client.status(signal).catch(() => undefined);
      const problem = status === undefined ? undefined : statusError(status, feeder);
      if (next.kind === 'done') {
        // An empty feeder is the normal end of a batch; a jam or an open door is not.
        if (problem !== undefined && problem !== 'scan/no-paper') {
          throw new StationError(problem, `${name}: ${status?.adfState ?? status?.state ?? ''}`);
        }
        return undefined;
      }
      if (problem !== undefined && !(problem === 'scan/no-paper' && next.kind === 'not-ready')) {
        throw new StationError(problem, `${name}: ${status?.adfState ?? status?.state ?? ''}`);
      }
      if (next.kind === 'failed')
        throw new StationError('scan/io', `${name}: NextDocument answered HTTP ${next.status}`);
      if (Date.now() - started > pageTimeoutMs) {
        throw new StationError('scan/offline', `${name}: no page after ${Math.round(pageTimeoutMs / 1000)} s`);
      }
      await pause(next.retryAfterMs ?? wait, signal);
      wait = Math.min(wait * 2, 2000);
    }
  }
}
