import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import type { CallResult, ErrorCode } from '../../../shared/errors.js';
import type { Dispatcher } from '../dispatcher.js';
import type { EventBus } from '../event-bus.js';
import type { Logger } from '../logging/logger.js';

export interface BridgeOptions {
  dispatcher: Dispatcher;
  events: EventBus;
  logger: Logger;
  /** The built renderer (`dist/renderer`); without it only the API is served. */
  rendererDir: string | undefined;
  /** 0 picks a free port. */
  port: number;
  /** Fixed token for tests; a random 256-bit one otherwise. */
  token?: string;
}

export interface Bridge {
  /** The address to open, token included. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const loopback = '127.0.0.1';
const maxBodyBytes = 1_000_000;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.traineddata': 'application/octet-stream',
  '.gz': 'application/gzip',
  '.woff2': 'font/woff2',
};

function contentSecurityPolicy(origin: string): string {
  const wsOrigin = origin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "img-src 'self' data: blob:",
    "worker-src 'self' blob:",
    "style-src 'self'",
    `connect-src 'self' ${wsOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

function tokensEqual(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/**
 * Serves the renderer and the contract over HTTP + WebSocket on 127.0.0.1 only.
 *
 * Guarded by a random per-run token and Host/Origin checks, so neither another
 * web page in the user's browser (CSRF, DNS rebinding) nor another machine can
 * drive the station. See docs/bridge-protocol.md.
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = options.token ?? crypto.randomBytes(32).toString('base64url');
  const log = options.logger.child('bridge');
  let origin = '';
  let allowedHosts = new Set<string>();

  const send = (response: http.ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': contentSecurityPolicy(origin),
      'X-Content-Type-Options': 'nosniff',
    });
    response.end(text);
  };
  const refuse = (
    response: http.ServerResponse,
    status: 401 | 403 | 404 | 405 | 413,
    code: ErrorCode,
    message: string,
  ): void => send(response, status, { ok: false, error: { code, message } } satisfies CallResult<never>);

  /** Host must name this bridge, and Origin, when a browser sends one, must be this bridge. */
  const placeIsOurs = (request: http.IncomingMessage, originRequired: boolean): boolean => {
    if (!allowedHosts.has(request.headers.host ?? '')) return false;
    const requestOrigin = request.headers.origin;
    if (requestOrigin === undefined) return !originRequired;
    return requestOrigin === origin || requestOrigin === origin.replace(loopback, 'localhost');
  };

  const server = http.createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      log.error('request failed', { error });
      if (!response.headersSent)
        send(response, 500, { ok: false, error: { code: 'internal', message: 'Internal error' } });
      else response.destroy();
    });
  });

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (!placeIsOurs(request, false)) {
      refuse(response, 403, 'bridge/forbidden-origin', 'Foreign Host or Origin');
      return;
    }
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname.startsWith('/api/')) {
      if (request.method !== 'POST') {
        refuse(response, 405, 'ipc/unknown-call', 'Calls are POST requests');
        return;
      }
      const header = request.headers.authorization;
      const given = header?.startsWith('Bearer ') === true ? header.slice('Bearer '.length) : undefined;
      if (!tokensEqual(given, token)) {
        refuse(response, 401, 'bridge/unauthorized', 'Missing or wrong token');
        return;
      }
      const body = await readBody(request);
      if (body === undefined) {
        refuse(response, 413, 'ipc/invalid-args', 'Request body too large');
        return;
      }
      let args: unknown;
      try {
        args = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch {
        send(response, 200, {
          ok: false,
          error: {
            code: 'ipc/invalid-args',
            message: 'Body is not JSON',
            fields: [{ path: '(root)', message: 'not JSON' }],
          },
        });
        return;
      }
      const name = decodeURIComponent(url.pathname.slice('/api/'.length));
      send(response, 200, await options.dispatcher.dispatch(name, args));
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      refuse(response, 405, 'ipc/unknown-call', 'Method not allowed');
      return;
    }
    await serveStatic(url.pathname, response);
  }

  async function serveStatic(pathname: string, response: http.ServerResponse): Promise<void> {
    const root = options.rendererDir;
    if (root === undefined) {
      refuse(response, 404, 'store/not-found', 'No renderer is built');
      return;
    }
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = path.resolve(root, relative);
    if (!file.startsWith(path.resolve(root) + path.sep)) {
      refuse(response, 404, 'store/not-found', 'Not found');
      return;
    }
    let data: Buffer;
    try {
      data = await fsp.readFile(file);
    } catch {
      refuse(response, 404, 'store/not-found', 'Not found');
      return;
    }
    response.writeHead(200, {
      'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': contentSecurityPolicy(origin),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': relative === 'index.html' ? 'no-store' : 'max-age=3600',
    });
    response.end(data);
  }

  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', origin);
    const ok =
      url.pathname === '/events' &&
      placeIsOurs(request, true) &&
      tokensEqual(url.searchParams.get('token') ?? undefined, token);
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => sockets.emit('connection', client));
  });
  const unsubscribe = options.events.onAny((event, payload) => {
    const message = JSON.stringify({ event, payload });
    for (const client of sockets.clients) {
      if (client.readyState === client.OPEN) client.send(message);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, loopback, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${loopback}:${port}`;
  allowedHosts = new Set([`${loopback}:${port}`, `localhost:${port}`]);
  if (options.rendererDir !== undefined && !fs.existsSync(path.join(options.rendererDir, 'index.html'))) {
    log.warn('renderer not built; only the API is served', { rendererDir: options.rendererDir });
  }
  log.info('bridge listening', { port });

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    async close() {
      unsubscribe();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(request: http.IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
