import fs from 'node:fs';
import type { Readable } from 'node:stream';
import tls from 'node:tls';
import { Agent, request } from 'undici';
import type { IncomingHttpHeaders } from 'undici/types/header.js';
import { StationError } from '../../../shared/errors.js';
import { DeliveryError } from './delivery-error.js';

export interface HttpClientOptions {
  /** PEM file with the CA certificates of a provincial network, trusted besides the system roots. */
  caBundleFile: string;
  /** Plain `http` is refused unless this is set and the host is a loopback address. */
  allowInsecureLoopback: boolean;
  /** Connect, response-header and body-idle timeout. */
  timeoutMs: number;
}

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'DELETE' | 'OPTIONS';
  headers?: Record<string, string>;
  body?: string | Buffer | Readable;
  signal?: AbortSignal | undefined;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body, read whole (API answers are small; upload bodies go out, never in). */
  text: string;
}

/** HTTP for the connector: one keep-alive agent with the configured trust, and the URL policy. */
export interface HttpClient {
  send(url: string, init: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether a host name is a loopback address (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(hostname: string): boolean {
  return loopbackHosts.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Refuses a URL the station must not send to: anything but `https`, except `http` to a
 * loopback host when the setting allows it (development and the reference warehouse).
 */
export function checkWarehouseUrl(raw: string, allowInsecureLoopback: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DeliveryError('sync/not-configured', `Not a valid warehouse address: ${JSON.stringify(raw)}`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) {
      throw new DeliveryError('sync/insecure-url', `Plain http is refused for ${url.origin}: use https`);
    }
    if (!allowInsecureLoopback) {
      throw new DeliveryError(
        'sync/insecure-url',
        `Plain http to ${url.origin} needs the setting warehouse.allowInsecureLoopback`,
      );
    }
    return url;
  }
  throw new DeliveryError('sync/insecure-url', `Unsupported protocol ${url.protocol} in ${url.origin}`);
}

/** Reads the CA bundle, or says clearly what is wrong with the file. */
function loadCaBundle(file: string): string[] | undefined {
  if (file === '') return undefined;
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new DeliveryError('sync/tls', `Cannot read the CA bundle ${file}: ${(error as Error).message}`);
  }
  const certificates = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (certificates.length === 0) throw new DeliveryError('sync/tls', `No PEM certificate in the CA bundle ${file}`);
  return [...tls.rootCertificates, ...certificates];
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
]);

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Maps a transport failure to `sync/offline` or `sync/tls`; an abort by our own signal stays an abort. */
export function classifyTransportError(error: unknown, url: string, signal?: AbortSignal): Error {
  if (signal?.aborted === true) return signal.reason instanceof Error ? signal.reason : new Error('aborted');
  if (error instanceof StationError) return error;
  const code = errorCode(error) ?? '';
  const origin = new URL(url).origin;
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)) {
    return new DeliveryError('sync/tls', `TLS failure with ${origin}: ${code}`, { cause: error });
  }
  if (networkCodes.has(code) || (error as Error).name === 'SocketError') {
    return new DeliveryError('sync/offline', `Network failure with ${origin}: ${code || (error as Error).message}`, {
      cause: error,
    });
  }
  return new DeliveryError('sync/offline', `Request to ${origin} failed: ${(error as Error).message}`, {
    cause: error,
  });
}

/** An HTTP client for the warehouse (undici 7: keep-alive, custom CA, timeouts). */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const ca = loadCaBundle(options.caBundleFile);
  const agent = new Agent({
    connect: { timeout: options.timeoutMs, ...(ca === undefined ? {} : { ca }) },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    keepAliveTimeout: 10_000,
  });
  return {
    async send(url, init) {
      checkWarehouseUrl(url, options.allowInsecureLoopback);
      try {
        const response = await request(url, {
          method: init.method,
          headers: init.headers ?? {},
          body: init.body ?? null,
          signal: init.signal ?? null,
          dispatcher: agent,
        });
        const text = init.method === 'HEAD' ? (await response.body.dump(), '') : await response.body.text();
        return { status: response.statusCode, headers: response.headers, text };
      } catch (error) {
        throw classifyTransportError(error, url, init.signal);
      }
    },
    close: () => agent.close(),
  };
}
