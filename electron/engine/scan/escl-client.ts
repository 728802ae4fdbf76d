import { setTimeout as delay } from 'node:timers/promises';
import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import { StationError } from '../../../shared/errors.js';
import type { EsclCapabilities, EsclScanSettings, EsclStatus } from './escl-xml.js';
import { parseCapabilities, parseStatus, scanSettingsXml } from './escl-xml.js';

/** How the client talks to one scanner. */
export interface EsclClientOptions {
  /** Accept a self-signed or otherwise untrusted certificate (many scanners have one); per device, off by default. */
  allowInsecureTls?: boolean;
  /** Per request: connecting and waiting for the answer's headers. A page may take longer to arrive in full. */
  timeoutMs?: number;
  /** Waits between attempts while the scanner answers 503 (busy) to a new job; then `scan/busy`. */
  busyRetryDelaysMs?: readonly number[];
}

/** The answer to `GET {job}/NextDocument`. */
export type NextDocument =
  | { kind: 'page'; data: Buffer; contentType: string }
  /** 404: no more documents in this job (the feeder is empty, or the platen page was taken). */
  | { kind: 'done' }
  /** 503: not ready yet; ask again. */
  | { kind: 'not-ready'; retryAfterMs: number | undefined }
  | { kind: 'failed'; status: number };

const tlsCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Maps a network failure to what the clerk can act on: an untrusted certificate, or a scanner that does not answer. */
export function networkError(error: unknown, url: string): StationError {
  if (error instanceof StationError) return error;
  const err = error as { code?: string; cause?: { code?: string; message?: string }; message?: string; name?: string };
  if (err.name === 'AbortError') return new StationError('scan/cancelled', 'Scan cancelled');
  const code = err.code ?? err.cause?.code ?? '';
  if (tlsCodes.has(code) || tlsCodes.has(err.cause?.code ?? '')) {
    return new StationError(
      'scan/untrusted-certificate',
      `${url}: the scanner's certificate is not trusted (${code}); allow its self-signed certificate in scan.esclDevices if it is the right scanner`,
    );
  }
  return new StationError(
    'scan/offline',
    `${url}: the scanner does not answer (${code || err.message || 'network error'})`,
  );
}

function retryAfterMs(headers: Dispatcher.ResponseData['headers']): number | undefined {
  const value = headers['retry-after'];
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const seconds = Number(text);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/**
 * An eSCL (AirScan) client for one scanner, over HTTP or HTTPS (undici).
 *
 * Follows the Mopria eSCL flow: `ScannerCapabilities`, `ScannerStatus`,
 * `POST ScanJobs` → 201 with the job's `Location`, `GET {job}/NextDocument`
 * until 404, `DELETE {job}` to cancel. A 503 to a new job means busy and is
 * retried a few times.
 */
export class EsclClient {
  readonly baseUrl: string;
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly busyRetryDelaysMs: readonly number[];

  constructor(baseUrl: string, options: EsclClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.busyRetryDelaysMs = options.busyRetryDelaysMs ?? [500, 1000, 2000, 4000, 8000];
    this.agent = new Agent({
      connect: { rejectUnauthorized: options.allowInsecureTls !== true, timeout: this.timeoutMs },
      headersTimeout: this.timeoutMs,
      // A page of a slow scanner at 600 dpi can take a minute to stream.
      bodyTimeout: Math.max(this.timeoutMs, 120_000),
      keepAliveTimeout: 4_000,
    });
  }

  private url(endpoint: string): string {
    return `${this.baseUrl}/${endpoint}`;
  }

  private async send(
    url: string,
    init: { method: 'GET' | 'POST' | 'DELETE'; body?: string; signal?: AbortSignal | undefined },
  ): Promise<Dispatcher.ResponseData> {
    try {
      return await request(url, {
        method: init.method,
        dispatcher: this.agent,
        headers: init.body === undefined ? {} : { 'content-type': 'text/xml; charset=utf-8' },
        ...(init.body === undefined ? {} : { body: init.body }),
        ...(init.signal === undefined ? {} : { signal: init.signal }),
      });
    } catch (error) {
      throw networkError(error, url);
    }
  }

  private async getXml(endpoint: string, signal?: AbortSignal): Promise<string> {
    const url = this.url(endpoint);
    const response = await this.send(url, { method: 'GET', signal });
    const body = await response.body.text().catch((error: unknown) => {
      throw networkError(error, url);
    });
    if (response.statusCode !== 200) {
      throw new StationError('scan/offline', `${url}: HTTP ${response.statusCode}`);
    }
    return body;
  }

  async capabilities(signal?: AbortSignal): Promise<EsclCapabilities> {
    const xml = await this.getXml('ScannerCapabilities', signal);
    try {
      return parseCapabilities(xml);
    } catch (error) {
      throw new StationError('scan/io', `${this.baseUrl}: ${(error as Error).message}`);
    }
  }

  async status(signal?: AbortSignal): Promise<EsclStatus> {
    const xml = await this.getXml('ScannerStatus', signal);
    try {
      return parseStatus(xml);
    } catch (error) {
      throw new StationError('scan/io', `${this.baseUrl}: ${(error as Error).message}`);
    }
  }

  /**
   * Creates a job and returns its URL.
   *
   * 503 (busy: someone at the panel, another computer's job) is retried after
   * the scanner's `Retry-After` or a growing pause; 409 (the scanner cannot do
   * it now, typically an empty feeder) is returned to the caller as `conflict`
   * to be explained from the scanner's status.
   */
  async createJob(settings: EsclScanSettings, signal: AbortSignal): Promise<{ jobUrl: string } | { conflict: true }> {
    const url = this.url('ScanJobs');
    const body = scanSettingsXml(settings);
    for (let attempt = 0; ; attempt += 1) {
      const response = await this.send(url, { method: 'POST', body, signal });
      await response.body.dump();
      if (response.statusCode === 201) {
        const location = response.headers.location;
        const value = Array.isArray(location) ? location[0] : location;
        if (value === undefined || value === '')
          throw new StationError('scan/io', `${url}: no Location for the new job`);
        return { jobUrl: new URL(value, `${this.baseUrl}/`).toString().replace(/\/+$/, '') };
      }
      if (response.statusCode === 409) return { conflict: true };
      if (response.statusCode !== 503) {
        throw new StationError(
          'scan/unsupported-setting',
          `${url}: the scanner refused the job (HTTP ${response.statusCode})`,
        );
      }
      const wait = this.busyRetryDelaysMs[attempt];
      if (wait === undefined) throw new StationError('scan/busy', `${this.baseUrl}: the scanner stays busy`);
      // The scanner's Retry-After wins, within reason: a clerk should not wait minutes to be told.
      await pause(Math.min(retryAfterMs(response.headers) ?? wait, 10_000), signal);
    }
  }

  async nextDocument(jobUrl: string, signal: AbortSignal): Promise<NextDocument> {
    const url = `${jobUrl}/NextDocument`;
    const response = await this.send(url, { method: 'GET', signal });
    if (response.statusCode === 200) {
      const data = Buffer.from(
        await response.body.arrayBuffer().catch((error: unknown) => {
          throw networkError(error, url);
        }),
      );
      const type = response.headers['content-type'];
      return { kind: 'page', data, contentType: (Array.isArray(type) ? type[0] : type) ?? '' };
    }
    await response.body.dump();
    if (response.statusCode === 404) return { kind: 'done' };
    if (response.statusCode === 503) return { kind: 'not-ready', retryAfterMs: retryAfterMs(response.headers) };
    return { kind: 'failed', status: response.statusCode };
  }

  /** Cancels a job; a scanner that already forgot it is fine. */
  async cancelJob(jobUrl: string): Promise<void> {
    try {
      const response = await this.send(jobUrl, { method: 'DELETE', signal: AbortSignal.timeout(this.timeoutMs) });
      await response.body.dump();
    } catch {
      // Cancelling is best effort: the scanner may be gone, and the job ends on its own.
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** Waits, or throws `scan/cancelled` when the signal aborts first. */
export async function pause(milliseconds: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(milliseconds, undefined, { signal });
  } catch (error) {
    if (signal.aborted) throw new StationError('scan/cancelled', 'Scan cancelled');
    throw error;
  }
}
