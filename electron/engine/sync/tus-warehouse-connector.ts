import { Readable } from 'node:stream';
import type { Clock } from '../clock.js';
import { DeliveryError, parseRetryAfter } from './delivery-error.js';
import type { HttpClient, HttpRequest, HttpResponse } from './http-client.js';
import { checkWarehouseUrl, createHttpClient } from './http-client.js';
import type { RecordRegistration } from './result-record.js';
import { WarehouseErrorBody, WarehouseRecord } from './result-record.js';
import type { Throttle } from './throttle.js';
import type { TusClient } from './tus-client.js';
import { createTusClient } from './tus-client.js';
import type { DeliveryFile, Registration, WarehouseConnector } from './warehouse-connector.js';

export interface TusWarehouseConnectorOptions {
  /** The warehouse's base address; the API is under `/api/v1/`, tus under `/files/`. */
  url: string;
  /** The OpenID issuer; empty = `url`. Discovery reads `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  /** The client secret, read from the secret store when a token is needed (never kept in settings). */
  secret: () => Promise<string | undefined>;
  scope: string;
  /** RFC 8707 resource indicator sent with the token request; empty = none. */
  resource: string;
  caBundleFile: string;
  allowInsecureLoopback: boolean;
  timeoutMs: number;
  chunkBytes: () => number;
  throttle: Throttle;
  clock: Clock;
  /** Bytes handed to the socket by uploads (progress, benchmark). */
  onBytes?: (bytes: number) => void;
}

interface Token {
  value: string;
  /** Renew before this instant (ms since epoch). */
  renewAt: number;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function errorBody(response: HttpResponse): WarehouseErrorBody | undefined {
  try {
    const parsed = WarehouseErrorBody.safeParse(JSON.parse(response.text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The default connector: OpenID Connect discovery and OAuth2 client credentials, the file by
 * tus 1.0, then the record by `POST /api/v1/records` and its read-back.
 */
export class TusWarehouseConnector implements WarehouseConnector {
  private readonly options: TusWarehouseConnectorOptions;
  private readonly base: string;
  private readonly issuer: string;
  private readonly http: HttpClient;
  private readonly tus: TusClient;
  private tokenEndpoint: string | undefined;
  private token: Token | undefined;
  private pendingToken: Promise<Token> | undefined;

  constructor(options: TusWarehouseConnectorOptions) {
    if (options.url === '' || options.clientId === '') {
      throw new DeliveryError('sync/not-configured', 'warehouse.url and warehouse.clientId must be set');
    }
    this.options = options;
    this.base = trimSlash(checkWarehouseUrl(options.url, options.allowInsecureLoopback).toString());
    this.issuer = trimSlash(
      checkWarehouseUrl(options.issuer === '' ? options.url : options.issuer, options.allowInsecureLoopback).toString(),
    );
    this.http = createHttpClient({
      caBundleFile: options.caBundleFile,
      allowInsecureLoopback: options.allowInsecureLoopback,
      timeoutMs: options.timeoutMs,
    });
    this.tus = createTusClient({
      send: (url, init) => this.authorizedSend(url, init),
      throttle: options.throttle,
      idleTimeoutMs: options.timeoutMs,
      failure: (response, what) => this.failure(response, what),
      ...(options.onBytes === undefined ? {} : { onBytes: options.onBytes }),
    });
  }

  async probe(signal?: AbortSignal): Promise<void> {
    const response = await this.http.send(`${this.base}/api/v1/health`, { method: 'GET', signal });
    if (response.status !== 200) throw this.failure(response, 'health probe');
  }

  async authenticate(signal?: AbortSignal): Promise<void> {
    await this.currentToken(signal);
  }

  upload(
    documentId: string,
    file: DeliveryFile,
    journal: Parameters<TusClient['upload']>[0]['journal'],
    signal?: AbortSignal,
  ): Promise<string> {
    return this.tus.upload({
      endpoint: `${this.base}/files/`,
      file: file.path,
      size: file.bytes,
      metadata: { documentId, filename: file.fileName, filetype: 'application/pdf', sha256: file.sha256 },
      chunkBytes: this.options.chunkBytes(),
      journal,
      signal,
    });
  }

  async register(registration: RecordRegistration, signal?: AbortSignal): Promise<Registration> {
    const response = await this.authorizedSend(`${this.base}/api/v1/records`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        Accept: 'application/json',
        'Idempotency-Key': registration.documentId,
      },
      body: JSON.stringify(registration),
      signal,
    });
    if (response.status !== 200 && response.status !== 201) throw this.failure(response, 'record registration');
    return { record: this.parseRecord(response, 'record registration'), created: response.status === 201 };
  }

  async fetchRecord(documentId: string, signal?: AbortSignal): Promise<WarehouseRecord | null> {
    const response = await this.authorizedSend(`${this.base}/api/v1/records/${encodeURIComponent(documentId)}`, {
      method: 'GET',
      headers: { Accept: 'application/json' },
      signal,
    });
    if (response.status === 404) return null;
    if (response.status !== 200) throw this.failure(response, 'record read-back');
    return this.parseRecord(response, 'record read-back');
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private parseRecord(response: HttpResponse, what: string): WarehouseRecord {
    let json: unknown;
    try {
      json = JSON.parse(response.text);
    } catch {
      throw new DeliveryError('sync/protocol', `${what}: the answer is not JSON`, { status: response.status });
    }
    const parsed = WarehouseRecord.safeParse(json);
    if (!parsed.success) {
      throw new DeliveryError('sync/protocol', `${what}: the answer is not a record (${parsed.error.message})`, {
        status: response.status,
      });
    }
    return parsed.data;
  }

  /** Sends with the bearer token; on 401 renews the token once and sends again (a streamed body is left to its caller). */
  private async authorizedSend(url: string, init: HttpRequest): Promise<HttpResponse> {
    const token = await this.currentToken(init.signal);
    const response = await this.http.send(url, this.withToken(init, token.value));
    if (response.status !== 401) return response;
    if (this.token === token) this.token = undefined;
    if (init.body instanceof Readable) return response;
    const fresh = await this.currentToken(init.signal);
    const again = await this.http.send(url, this.withToken(init, fresh.value));
    if (again.status === 401) {
      this.token = undefined;
      throw new DeliveryError(
        'sync/auth-failed',
        `The warehouse refuses a fresh access token at ${new URL(url).pathname}`,
        {
          status: 401,
          reason: errorBody(again)?.error,
        },
      );
    }
    return again;
  }

  private withToken(init: HttpRequest, token: string): HttpRequest {
    return { ...init, headers: { ...init.headers, Authorization: `Bearer ${token}` } };
  }

  private async currentToken(signal?: AbortSignal): Promise<Token> {
    if (this.token !== undefined && this.options.clock.now().getTime() < this.token.renewAt) return this.token;
    // One token request at a time, whoever asks.
    this.pendingToken ??= this.requestToken(signal).finally(() => {
      this.pendingToken = undefined;
    });
    this.token = await this.pendingToken;
    return this.token;
  }

  private async discover(signal?: AbortSignal): Promise<string> {
    if (this.tokenEndpoint !== undefined) return this.tokenEndpoint;
    const response = await this.http.send(`${this.issuer}/.well-known/openid-configuration`, {
      method: 'GET',
      headers: { Accept: 'application/json' },
      signal,
    });
    if (response.status !== 200) throw this.failure(response, 'OpenID discovery');
    let endpoint: unknown;
    try {
      endpoint = (JSON.parse(response.text) as { token_endpoint?: unknown }).token_endpoint;
    } catch {
      endpoint = undefined;
    }
    if (typeof endpoint !== 'string') {
      throw new DeliveryError('sync/protocol', 'OpenID discovery: no token_endpoint', { status: response.status });
    }
    checkWarehouseUrl(endpoint, this.options.allowInsecureLoopback);
    this.tokenEndpoint = endpoint;
    return endpoint;
  }

  private async requestToken(signal?: AbortSignal): Promise<Token> {
    const secret = await this.options.secret();
    if (secret === undefined || secret === '') {
      throw new DeliveryError('sync/not-configured', 'No warehouse client secret is stored on this station');
    }
    const endpoint = await this.discover(signal);
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.options.scope !== '') form.set('scope', this.options.scope);
    if (this.options.resource !== '') form.set('resource', this.options.resource);
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
    const basic = Buffer.from(
      `${encodeURIComponent(this.options.clientId)}:${encodeURIComponent(secret)}`,
      'utf8',
    ).toString('base64');
    const response = await this.http.send(endpoint, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: form.toString(),
      signal,
    });
    if (response.status !== 200) {
      const body = errorBody(response);
      if (response.status === 401 || body?.error === 'invalid_client' || body?.error === 'unauthorized_client') {
        throw new DeliveryError(
          'sync/auth-failed',
          `The token endpoint refused client ${this.options.clientId}: ${body?.error ?? `HTTP ${response.status}`}`,
          { status: response.status, reason: body?.error },
        );
      }
      if (response.status === 400) {
        throw new DeliveryError(
          'sync/forbidden',
          `The token endpoint refused the request: ${body?.error ?? 'HTTP 400'} ${body?.message ?? ''}`.trim(),
          { status: 400, reason: body?.error },
        );
      }
      throw this.failure(response, 'token request');
    }
    let parsed: { access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(response.text) as typeof parsed;
    } catch {
      parsed = {};
    }
    if (typeof parsed.access_token !== 'string') {
      throw new DeliveryError('sync/protocol', 'token request: no access_token in the answer', { status: 200 });
    }
    const lifetime = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : 300;
    const margin = Math.min(30, lifetime / 5);
    return { value: parsed.access_token, renewAt: this.options.clock.now().getTime() + (lifetime - margin) * 1000 };
  }

  /** Maps an unexpected answer to a code; the warehouse's `error` field picks between the 4xx codes. */
  private failure(response: HttpResponse, what: string): DeliveryError {
    const body = errorBody(response);
    const detail = body?.message ?? body?.error ?? `HTTP ${response.status}`;
    const fields = body?.fields?.map((field) => `${field.path}: ${field.message}`).join('; ');
    const message = `${what}: ${detail}${fields === undefined || fields === '' ? '' : ` (${fields})`}`;
    const details = { status: response.status, reason: body?.error };
    const reason = body?.error ?? '';
    if (['sha256_mismatch', 'upload_not_found', 'upload_incomplete'].includes(reason)) {
      return new DeliveryError('sync/hash-mismatch', message, details);
    }
    if (reason === 'conflict') return new DeliveryError('sync/conflict', message, details);
    const { status } = response;
    if (status === 429 || status === 503) {
      return new DeliveryError('sync/busy', message, {
        ...details,
        retryAfterMs: parseRetryAfter(response.headers['retry-after'], this.options.clock.now()),
      });
    }
    if (status === 401) return new DeliveryError('sync/auth-failed', message, details);
    if (status === 403) return new DeliveryError('sync/forbidden', message, details);
    if (status === 413) return new DeliveryError('sync/too-large', message, details);
    if (status === 409) return new DeliveryError('sync/conflict', message, details);
    if (status === 400 || status === 422) return new DeliveryError('sync/record-rejected', message, details);
    if (status >= 500) return new DeliveryError('sync/server-error', message, details);
    return new DeliveryError('sync/protocol', `${what}: unexpected HTTP ${status}`, details);
  }
}
