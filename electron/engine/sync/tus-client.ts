import fsp from 'node:fs/promises';
import { Readable } from 'node:stream';
import { DeliveryError } from './delivery-error.js';
import type { HttpRequest, HttpResponse } from './http-client.js';
import type { Throttle } from './throttle.js';

/**
 * What an upload remembers across attempts and restarts (kept in the outbox row).
 *
 * The upload writes here before and after every PATCH, so a process killed at any byte
 * resumes from the URL it stored and knows an upper bound of what it had sent.
 */
export interface UploadJournal {
  /** The upload URL from an earlier attempt, or null before the creation. */
  readonly uploadUrl: string | null;
  /** The end of a PATCH that never finished (exact when it failed in this process, the chunk end after a kill). */
  readonly inflightEnd: number | null;
  created(url: string): void;
  /** Before a PATCH of [offset, end). */
  sending(offset: number, end: number): void;
  /** The server confirmed `offset`. */
  sent(offset: number): void;
  /** A PATCH failed after `reached` bytes had gone out. */
  interrupted(reached: number): void;
  /** After an interruption, HEAD found the server at `serverOffset`; `reached - serverOffset` bytes go out again. */
  resumed(serverOffset: number, reached: number): void;
  /** The server no longer knows the upload; the next creation starts at 0. */
  lost(): void;
}

export interface TusUploadRequest {
  /** The creation endpoint (`<warehouse>/files/`). */
  endpoint: string;
  file: string;
  size: number;
  metadata: Record<string, string>;
  chunkBytes: number;
  journal: UploadJournal;
  signal?: AbortSignal | undefined;
}

export interface TusClientOptions {
  /** Sends a request with the station's credentials (the connector refreshes the token on 401). */
  send(url: string, init: HttpRequest): Promise<HttpResponse>;
  throttle: Throttle;
  /** A PATCH whose body makes no progress for this long is cut (undici has no write timeout). */
  idleTimeoutMs: number;
  /** Called with every slice handed to the socket; progress display and the benchmark use it. */
  onBytes?: (bytes: number) => void;
  /** Maps an unexpected answer to a DeliveryError (the connector's mapping, with Retry-After). */
  failure?: (response: HttpResponse, what: string) => DeliveryError;
}

/** A tus 1.0 client (core + creation): chunked PATCH, resumable from a stored URL, throttled, abortable. */
export interface TusClient {
  /** Uploads the whole file and returns its upload URL. */
  upload(request: TusUploadRequest): Promise<string>;
}

const tusVersion = '1.0.0';
/** Slices handed to the socket: small under a bandwidth cap (a smooth rate), large without (fewer reads and writes). */
const cappedSliceBytes = 32 * 1024;
const freeSliceBytes = 512 * 1024;

function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function encodeMetadata(metadata: Record<string, string>): string {
  return Object.entries(metadata)
    .map(([key, value]) => `${key} ${Buffer.from(value, 'utf8').toString('base64')}`)
    .join(',');
}

function offsetOf(response: HttpResponse, what: string): number {
  const raw = header(response, 'upload-offset');
  const offset = raw === undefined ? Number.NaN : Number(raw);
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new DeliveryError('sync/protocol', `${what}: no valid Upload-Offset (${String(raw)})`, {
      status: response.status,
    });
  }
  return offset;
}

/** The mapping of a tus answer that is not the expected one, when the connector gives none. */
function defaultFailure(response: HttpResponse, what: string): DeliveryError {
  if (response.status === 413) {
    return new DeliveryError('sync/too-large', `${what}: the warehouse refuses a file this large`, { status: 413 });
  }
  if (response.status >= 500) {
    return new DeliveryError('sync/server-error', `${what}: HTTP ${response.status}`, { status: response.status });
  }
  return new DeliveryError('sync/protocol', `${what}: unexpected HTTP ${response.status}`, {
    status: response.status,
  });
}

export function createTusClient(options: TusClientOptions): TusClient {
  const base = { 'Tus-Resumable': tusVersion };
  const unexpected = options.failure ?? defaultFailure;

  async function create(request: TusUploadRequest): Promise<string> {
    const response = await options.send(request.endpoint, {
      method: 'POST',
      headers: {
        ...base,
        'Upload-Length': String(request.size),
        'Upload-Metadata': encodeMetadata(request.metadata),
        'Content-Length': '0',
      },
      signal: request.signal,
    });
    if (response.status !== 201) throw unexpected(response, 'tus creation');
    const location = header(response, 'location');
    if (location === undefined) {
      throw new DeliveryError('sync/protocol', 'tus creation: no Location header', { status: 201 });
    }
    return new URL(location, request.endpoint).toString();
  }

  /** The server's offset, or null when the upload is gone (404/410) or no longer matches the file. */
  async function head(url: string, request: TusUploadRequest): Promise<number | null> {
    const response = await options.send(url, { method: 'HEAD', headers: base, signal: request.signal });
    if (response.status === 404 || response.status === 410) return null;
    if (response.status !== 200 && response.status !== 204) throw unexpected(response, 'tus HEAD');
    const length = header(response, 'upload-length');
    if (length !== undefined && Number(length) !== request.size) return null;
    return offsetOf(response, 'tus HEAD');
  }

  type PatchResult = { kind: 'ok'; offset: number } | { kind: 'conflict'; reached: number } | { kind: 'gone' };

  async function patch(url: string, request: TusUploadRequest, offset: number, end: number): Promise<PatchResult> {
    const length = end - offset;
    const local = new AbortController();
    const signal = request.signal === undefined ? local.signal : AbortSignal.any([request.signal, local.signal]);
    let yielded = 0;
    let lastProgress = performance.now();
    const watchdog = setInterval(
      () => {
        if (yielded < length && performance.now() - lastProgress > options.idleTimeoutMs) {
          local.abort(new DeliveryError('sync/offline', `tus PATCH: no progress for ${options.idleTimeoutMs} ms`));
        }
      },
      Math.min(1000, options.idleTimeoutMs),
    );
    const handle = await fsp.open(request.file, 'r');
    async function* body(): AsyncGenerator<Buffer> {
      while (yielded < length) {
        const size = Math.min(options.throttle.isCapped() ? cappedSliceBytes : freeSliceBytes, length - yielded);
        await options.throttle.take(size, signal);
        const buffer = Buffer.allocUnsafe(size);
        const { bytesRead } = await handle.read(buffer, 0, size, offset + yielded);
        if (bytesRead !== size)
          throw new DeliveryError('sync/file-missing', `${request.file} is shorter than recorded`);
        lastProgress = performance.now();
        yielded += size;
        options.onBytes?.(size);
        yield buffer;
      }
    }
    let response: HttpResponse;
    try {
      response = await options.send(url, {
        method: 'PATCH',
        headers: {
          ...base,
          'Upload-Offset': String(offset),
          'Content-Type': 'application/offset+octet-stream',
          'Content-Length': String(length),
        },
        body: Readable.from(body(), { objectMode: false }),
        signal,
      });
    } catch (error) {
      request.journal.interrupted(offset + yielded);
      if (local.signal.aborted && request.signal?.aborted !== true) throw local.signal.reason as Error;
      throw error;
    } finally {
      clearInterval(watchdog);
      await handle.close();
    }
    if (response.status === 204 || response.status === 200)
      return { kind: 'ok', offset: offsetOf(response, 'tus PATCH') };
    // 409: the server holds another offset; 401: the token expired (the connector already dropped it).
    if (response.status === 409 || response.status === 401) return { kind: 'conflict', reached: offset + yielded };
    if (response.status === 404 || response.status === 410) return { kind: 'gone' };
    request.journal.interrupted(offset + yielded);
    throw unexpected(response, 'tus PATCH');
  }

  return {
    async upload(request) {
      const { journal } = request;
      let url = journal.uploadUrl;
      let reached = journal.inflightEnd;
      let conflicts = 0;
      for (;;) {
        let offset: number;
        if (url === null) {
          url = await create(request);
          journal.created(url);
          offset = 0;
        } else {
          const found = await head(url, request);
          if (found === null) {
            journal.lost();
            url = null;
            reached = null;
            continue;
          }
          offset = found;
          if (reached !== null) {
            journal.resumed(offset, reached);
            reached = null;
          }
        }
        let result: PatchResult = { kind: 'ok', offset };
        while (offset < request.size) {
          const end = Math.min(offset + request.chunkBytes, request.size);
          journal.sending(offset, end);
          result = await patch(url, request, offset, end);
          if (result.kind !== 'ok') break;
          journal.sent(result.offset);
          offset = result.offset;
        }
        if (result.kind === 'ok') return url;
        if (result.kind === 'gone') {
          journal.lost();
          url = null;
          reached = null;
          continue;
        }
        // 409: the server holds another offset than we sent from; ask it again, a few times at most.
        conflicts += 1;
        if (conflicts > 5) throw new DeliveryError('sync/protocol', 'tus PATCH: the offset conflict repeats');
        journal.interrupted(result.reached);
        reached = result.reached;
      }
    },
  };
}
