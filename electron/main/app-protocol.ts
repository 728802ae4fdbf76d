import fs from 'node:fs/promises';
import path from 'node:path';
import { contentSecurityPolicy } from './security.js';

/**
 * The renderer is served from `app://station/`, not `file://`.
 *
 * Chromium refuses `fetch()` of `file:` URLs, and tesseract.js fetches its language data and
 * WebAssembly core; a standard, secure scheme of our own gives the page a real origin
 * (`app://station`), so `'self'` in the CSP, fetch, web workers and WebAssembly streaming work as
 * they do in browser mode, and nothing outside `dist/renderer` can be read through it.
 */
export const appScheme = 'app';
export const appHost = 'station';
export const appOrigin = `${appScheme}://${appHost}`;
export const appIndexUrl = `${appOrigin}/index.html`;

/** What the scheme may do (Electron's `registerSchemesAsPrivileged`); no CSP bypass, no CORS from elsewhere. */
export const appSchemePrivileges = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
} as const;

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.gz': 'application/gzip',
  '.traineddata': 'application/octet-stream',
};

/**
 * The file below `rootDir` an `app://station/…` URL names, or null when it names none: another
 * host or scheme, a path that climbs out of the root (also percent-encoded or with backslashes),
 * a NUL byte. `/` is `index.html`.
 */
export function resolveAppFile(url: string, rootDir: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${appScheme}:` || parsed.host !== appHost) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = path.resolve(rootDir);
  const file = path.resolve(root, relative);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
}

/** The content type of a served file by its name; unknown kinds are plain bytes. */
export function contentTypeOf(file: string): string {
  return contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Builds the handler for Electron's `protocol.handle(appScheme, …)`: files of `rootDir`, read-only. */
export function createAppProtocolHandler(options: {
  rootDir: string;
  readFile?: (file: string) => Promise<Uint8Array>;
}): (request: Request) => Promise<Response> {
  const readFile = options.readFile ?? ((file: string) => fs.readFile(file));
  const headers = (type: string): Record<string, string> => ({
    'Content-Type': type,
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('method not allowed', { status: 405, headers: headers('text/plain; charset=utf-8') });
    }
    const file = resolveAppFile(request.url, options.rootDir);
    if (file === null) return new Response('not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
    try {
      const bytes = await readFile(file);
      // An ArrayBuffer of exactly the file: Response takes it under both Node's and the DOM's typings.
      const body = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: headers(contentTypeOf(file)),
      });
    } catch {
      return new Response('not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
    }
  };
}
