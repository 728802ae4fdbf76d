// REFERENCE WAREHOUSE — development and test infrastructure only, never shipped in the station.
//
// It stands in for a province's data warehouse, built from real servers and speaking the
// protocol of docs/warehouse-protocol.md: an OpenID provider (oidc-provider, client credentials,
// JWT access tokens), tus 1.0 uploads (@tus/server + @tus/file-store), and the record endpoints
// with their own SQLite database. It checks every file's SHA-256 itself, since the tus server
// has no checksum extension.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { FileStore } from '@tus/file-store';
import { Server as TusServer } from '@tus/server';
import Provider, { errors as oidcErrors } from 'oidc-provider';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { Agent, request } from 'undici';
import { RecordRegistration, isNfc } from '../../../electron/engine/sync/result-record.js';
import type { ResultRecord, WarehouseRecord } from '../../../electron/engine/sync/result-record.js';
import type { JsonWebKeySet } from './jwt.js';
import { verifyAccessToken } from './jwt.js';

export interface ReferenceWarehouseOptions {
  /** Keeps uploads, records, signing keys and the test client's credentials across restarts. */
  dataDir: string;
  /** 0 = any free port. Always 127.0.0.1 unless `host` says otherwise (the benchmark's namespace). */
  port?: number;
  host?: string;
  /** The address stations use when it is not the listening one (a proxy in front); the OpenID issuer. */
  publicUrl?: string;
  /** Serve https with this key and certificate (a private CA's, as in a province). */
  tls?: { key: string | Buffer; cert: string | Buffer; ca: string | Buffer };
  accessTokenTtlSeconds?: number;
  maxUploadBytes?: number;
}

/** A record as the warehouse holds it (`GET /api/v1/records`). */
export interface HeldRecord {
  id: string;
  documentId: string;
  sha256: string;
  bytes: number;
  receivedAt: string;
}

export interface ReferenceWarehouseStats {
  tokensIssued: number;
  created: number;
  duplicates: number;
  refused: number;
  /** Requests refused for a missing, expired or revoked token (401). */
  unauthorized: number;
}

export interface ReferenceWarehouse {
  /** Where it listens. */
  url: string;
  /** What stations use (the issuer); equals `url` unless a proxy stands in front. */
  publicUrl: string;
  client: { id: string; secret: string };
  /** Its data folder: `uploads/` (tus), `records.db`, `warehouse-identity.json`. */
  dataDir: string;
  stats: ReferenceWarehouseStats;
  records(): HeldRecord[];
  /** Every access token issued before now is refused from here on (a key rotation, an expiry). */
  revokeTokens(): void;
  close(): Promise<void>;
}

interface Persistent {
  client: { id: string; secret: string };
  signingKey: crypto.JsonWebKey & { kid: string };
  cookieKey: string;
}

/** oidc-provider's storage for its short-lived artefacts; client-credentials JWTs need none of it. */
class MemoryAdapter implements Adapter {
  private static readonly stores = new Map<string, Map<string, AdapterPayload>>();
  private readonly store: Map<string, AdapterPayload>;

  constructor(name: string) {
    let store = MemoryAdapter.stores.get(name);
    if (store === undefined) {
      store = new Map();
      MemoryAdapter.stores.set(name, store);
    }
    this.store = store;
  }

  upsert(id: string, payload: AdapterPayload): Promise<void> {
    this.store.set(id, payload);
    return Promise.resolve();
  }
  find(id: string): Promise<AdapterPayload | undefined> {
    return Promise.resolve(this.store.get(id));
  }
  findByUserCode(): Promise<AdapterPayload | undefined> {
    return Promise.resolve(undefined);
  }
  findByUid(): Promise<AdapterPayload | undefined> {
    return Promise.resolve(undefined);
  }
  consume(id: string): Promise<void> {
    const found = this.store.get(id);
    if (found !== undefined) found.consumed = Math.floor(Date.now() / 1000);
    return Promise.resolve();
  }
  destroy(id: string): Promise<void> {
    this.store.delete(id);
    return Promise.resolve();
  }
  revokeByGrantId(): Promise<void> {
    return Promise.resolve();
  }
}

function loadOrCreate(dataDir: string): Persistent {
  const file = path.join(dataDir, 'warehouse-identity.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as Persistent;
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const identity: Persistent = {
    client: { id: 'test-station', secret: crypto.randomBytes(24).toString('base64url') },
    signingKey: { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomBytes(6).toString('hex') },
    cookieKey: crypto.randomBytes(24).toString('base64url'),
  };
  fs.writeFileSync(file, JSON.stringify(identity, null, 2), { mode: 0o600 });
  return identity;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = crypto.createHash('sha256');
    fs.createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Starts the reference warehouse on 127.0.0.1 (or `host`). */
export async function startReferenceWarehouse(options: ReferenceWarehouseOptions): Promise<ReferenceWarehouse> {
  const dataDir = path.resolve(options.dataDir);
  const uploadsDir = path.join(dataDir, 'uploads');
  fs.mkdirSync(uploadsDir, { recursive: true });
  const identity = loadOrCreate(dataDir);
  const host = options.host ?? '127.0.0.1';
  const scheme = options.tls === undefined ? 'http' : 'https';
  const ttl = options.accessTokenTtlSeconds ?? 300;
  const stats: ReferenceWarehouseStats = { tokensIssued: 0, created: 0, duplicates: 0, refused: 0, unauthorized: 0 };
  /** Tokens seen so far, and those revoked: `revokeTokens()` refuses every token already used. */
  const seenTokens = new Set<string>();
  const revokedTokens = new Set<string>();

  const db = new BetterSqlite3(path.join(dataDir, 'records.db'));
  db.pragma('journal_mode = WAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS records (
      document_id TEXT PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      sha256 TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      upload_id TEXT NOT NULL,
      record_json TEXT NOT NULL,
      received_at TEXT NOT NULL
    ) STRICT;
  `);
  interface Row {
    document_id: string;
    id: string;
    sha256: string;
    bytes: number;
    upload_id: string;
    record_json: string;
    received_at: string;
  }
  const selectRecord = db.prepare(`SELECT * FROM records WHERE document_id = ?`);
  const insertRecord = db.prepare(
    `INSERT INTO records (document_id, id, sha256, bytes, upload_id, record_json, received_at)
     VALUES (@document_id, @id, @sha256, @bytes, @upload_id, @record_json, @received_at)`,
  );
  const listRecords = db.prepare(
    `SELECT id, document_id, sha256, bytes, received_at FROM records ORDER BY received_at, document_id`,
  );
  const toWarehouseRecord = (row: Row): WarehouseRecord => ({
    id: row.id,
    documentId: row.document_id,
    sha256: row.sha256,
    bytes: row.bytes,
    receivedAt: row.received_at,
    record: JSON.parse(row.record_json) as ResultRecord,
  });

  const datastore = new FileStore({ directory: uploadsDir });
  const tus = new TusServer({
    path: '/files',
    datastore,
    maxSize: options.maxUploadBytes ?? 200 * 1024 * 1024,
    // Upload URLs on the public address (https, or the proxy in front), not on what the Host header says.
    generateUrl: (_req, { path: base, id }) => `${publicUrl}${base}/${id}`,
  });

  // The listening address is known only after listen(); the provider is built then.
  let publicUrl = '';
  let issuer = '';
  let audience = '';
  let jwks: JsonWebKeySet | undefined;
  const late: { provider?: Provider; selfAgent?: Agent } = {};

  async function loadJwks(): Promise<JsonWebKeySet> {
    if (jwks !== undefined) return jwks;
    // Fetched from the provider's own jwks_uri, as a separate resource server would.
    const response = await request(`${scheme}://${host}:${port()}/jwks`, { dispatcher: late.selfAgent });
    jwks = (await response.body.json()) as JsonWebKeySet;
    return jwks;
  }

  async function authorize(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    const challenge = (error: string, description: string): void => {
      stats.unauthorized += 1;
      sendJson(
        res,
        401,
        { error, message: description },
        {
          'WWW-Authenticate': `Bearer realm="warehouse", error="${error}", error_description="${description}"`,
        },
      );
    };
    if (match === null) {
      challenge('invalid_token', 'a bearer access token is required');
      return false;
    }
    const verdict = verifyAccessToken(match[1] ?? '', await loadJwks(), {
      issuer,
      audience,
      notBefore: 0,
      now: Math.floor(Date.now() / 1000),
    });
    if (!verdict.ok) {
      challenge('invalid_token', verdict.reason);
      return false;
    }
    const tokenId = verdict.claims.jti ?? match[1] ?? '';
    if (revokedTokens.has(tokenId)) {
      challenge('invalid_token', 'revoked');
      return false;
    }
    seenTokens.add(tokenId);
    if (!(verdict.claims.scope ?? '').split(' ').includes('records')) {
      sendJson(res, 403, { error: 'insufficient_scope', message: 'the token lacks the scope "records"' });
      return false;
    }
    return true;
  }

  async function register(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, 8 * 1024 * 1024)).toString('utf8'));
    } catch {
      stats.refused += 1;
      sendJson(res, 400, { error: 'invalid_json', message: 'the body is not JSON (or larger than 8 MB)' });
      return;
    }
    if (!isNfc(body)) {
      stats.refused += 1;
      sendJson(res, 400, { error: 'invalid_record', message: 'every string must be Unicode NFC' });
      return;
    }
    const parsed = RecordRegistration.safeParse(body);
    if (!parsed.success) {
      stats.refused += 1;
      sendJson(res, 400, {
        error: 'invalid_record',
        message: 'the record does not match the schema',
        fields: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      });
      return;
    }
    const { upload, ...record } = parsed.data;
    if (req.headers['idempotency-key'] !== record.documentId) {
      stats.refused += 1;
      sendJson(res, 400, { error: 'invalid_request', message: 'Idempotency-Key must equal documentId' });
      return;
    }
    const answerExisting = (existing: Row): void => {
      if (existing.sha256 !== record.sha256) {
        stats.refused += 1;
        sendJson(res, 409, {
          error: 'conflict',
          message: `document ${record.documentId} is already held with another file (${existing.sha256})`,
        });
        return;
      }
      stats.duplicates += 1;
      sendJson(res, 200, toWarehouseRecord(existing), { Location: `/api/v1/records/${existing.document_id}` });
    };
    const existing = selectRecord.get(record.documentId) as Row | undefined;
    if (existing !== undefined) {
      answerExisting(existing);
      return;
    }
    const uploadId = new URL(upload).pathname.match(/^\/files\/([A-Za-z0-9_-]+)$/)?.[1];
    let info;
    try {
      if (uploadId === undefined) throw new Error('not an upload of this warehouse');
      info = await datastore.getUpload(uploadId);
    } catch {
      stats.refused += 1;
      sendJson(res, 422, { error: 'upload_not_found', message: `no upload at ${upload}` });
      return;
    }
    if (info.size === undefined || info.offset !== info.size) {
      sendJson(res, 409, {
        error: 'upload_incomplete',
        message: `the upload holds ${info.offset} of ${String(info.size)} bytes`,
      });
      return;
    }
    // The tus server has no checksum extension: the hash is computed here from what it stored.
    const sha256 = await sha256File(path.join(uploadsDir, uploadId ?? ''));
    if (sha256 !== record.sha256 || info.size !== record.bytes) {
      stats.refused += 1;
      sendJson(res, 422, {
        error: 'sha256_mismatch',
        message: `the upload has SHA-256 ${sha256} (${info.size} B), the record says ${record.sha256} (${record.bytes} B)`,
      });
      return;
    }
    const raced = selectRecord.get(record.documentId) as Row | undefined;
    if (raced !== undefined) {
      answerExisting(raced);
      return;
    }
    const row: Row = {
      document_id: record.documentId,
      id: crypto.randomUUID(),
      sha256,
      bytes: info.size,
      upload_id: uploadId ?? '',
      record_json: JSON.stringify(record),
      received_at: new Date().toISOString(),
    };
    insertRecord.run(row);
    stats.created += 1;
    sendJson(res, 201, toWarehouseRecord(row), { Location: `/api/v1/records/${row.document_id}` });
  }

  async function api(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
    if (pathname === '/api/v1/health' && req.method === 'GET') {
      sendJson(res, 200, { ok: true });
      return;
    }
    if (!(await authorize(req, res))) return;
    if (pathname === '/api/v1/records' && req.method === 'POST') {
      await register(req, res);
      return;
    }
    if (pathname === '/api/v1/records' && req.method === 'GET') {
      sendJson(res, 200, { records: (listRecords.all() as Row[]).map(toHeld) });
      return;
    }
    const match = /^\/api\/v1\/records\/([^/]+)$/.exec(pathname);
    if (match !== null && req.method === 'GET') {
      const row = selectRecord.get(decodeURIComponent(match[1] ?? '')) as Row | undefined;
      if (row === undefined) sendJson(res, 404, { error: 'not_found', message: 'no such record' });
      else sendJson(res, 200, toWarehouseRecord(row));
      return;
    }
    sendJson(res, 404, { error: 'not_found', message: `no endpoint ${req.method ?? ''} ${pathname}` });
  }

  const toHeld = (row: Pick<Row, 'id' | 'document_id' | 'sha256' | 'bytes' | 'received_at'>): HeldRecord => ({
    id: row.id,
    documentId: row.document_id,
    sha256: row.sha256,
    bytes: row.bytes,
    receivedAt: row.received_at,
  });

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const pathname = new URL(req.url ?? '/', 'http://warehouse').pathname;
    const fail = (error: unknown): void => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', message: String(error) });
      else res.destroy();
    };
    if (pathname.startsWith('/api/')) {
      api(req, res, pathname).catch(fail);
      return;
    }
    if (pathname === '/files' || pathname.startsWith('/files/')) {
      const serve = async (): Promise<void> => {
        if (req.method !== 'OPTIONS' && !(await authorize(req, res))) {
          req.resume();
          return;
        }
        await tus.handle(req, res);
      };
      serve().catch(fail);
      return;
    }
    if (late.provider === undefined) {
      sendJson(res, 503, { error: 'starting' });
      return;
    }
    late.provider.callback()(req, res);
  };

  const server =
    options.tls === undefined
      ? http.createServer(handler)
      : https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (): number => (server.address() as AddressInfo).port;
  const url = `${scheme}://${host}:${port()}`;
  publicUrl = (options.publicUrl ?? url).replace(/\/+$/, '');
  issuer = publicUrl;
  audience = `${publicUrl}/api/v1`;
  late.selfAgent = new Agent(options.tls === undefined ? {} : { connect: { ca: options.tls.ca.toString() } });

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: identity.client.id,
        client_secret: identity.client.secret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...identity.signingKey, use: 'sig', alg: 'ES256' }] },
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    adapter: MemoryAdapter,
    cookies: { keys: [identity.cookieKey] },
    scopes: ['records'],
    ttl: { ClientCredentials: () => ttl },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== audience) throw new oidcErrors.InvalidTarget(`unknown resource ${resource}`);
          return {
            scope: 'records',
            audience,
            accessTokenTTL: ttl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
  });
  late.provider = provider;
  provider.on('client_credentials.issued', () => {
    stats.tokensIssued += 1;
  });

  return {
    url,
    publicUrl,
    client: identity.client,
    dataDir,
    stats,
    records: () => (listRecords.all() as Row[]).map(toHeld),
    revokeTokens() {
      for (const token of seenTokens) revokedTokens.add(token);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await late.selfAgent?.close();
      db.close();
    },
  };
}
