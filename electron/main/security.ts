import type { WebPreferences } from 'electron';
import type { Logger } from '../engine/logging/logger.js';

/**
 * The Content-Security-Policy of every response the station's session receives.
 *
 * `wasm-unsafe-eval` lets tesseract.js and zxing compile their WebAssembly;
 * `blob:` workers and images carry OCR workers and page previews. Nothing is
 * fetched from outside the app.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "style-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Window options of Electron's security checklist: isolated, sandboxed, no Node in the page. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

type ResponseHeaders = Record<string, string | string[]>;

/** The part of an Electron `Session` the hardening uses; a test passes a fake. */
export interface SessionLike {
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders?: ResponseHeaders }) => void,
      ) => void,
    ): void;
  };
  setPermissionRequestHandler(
    handler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null,
  ): void;
  setPermissionCheckHandler(handler: ((contents: unknown, permission: string) => boolean) | null): void;
}

/** The part of an Electron `WebContents` the hardening uses; a test passes a fake. */
export interface HardenableContents {
  on(event: 'will-navigate', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Sets the CSP header on every response and refuses every permission request.
 *
 * The station needs no camera, microphone, notifications or geolocation; the
 * scanner and barcode gun are reached by the engine, not the page.
 */
export function hardenSession(session: SessionLike, logger?: Logger): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders ?? {}) });
  });
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    logger?.warn('denied permission request', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}

/** Returns the headers with our CSP in place of any the response carried. */
export function withContentSecurityPolicy(headers: Record<string, string[]>): ResponseHeaders {
  const result: ResponseHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    // Header names arrive in any case; a second, looser CSP must not survive beside ours.
    if (name.toLowerCase() !== 'content-security-policy') result[name] = value;
  }
  result['Content-Security-Policy'] = [contentSecurityPolicy];
  return result;
}

/**
 * Keeps a window on the station's own page: no navigation, no new windows, no webviews.
 *
 * The renderer is a single page, so any navigation is a link or an injected
 * script trying to leave; it is refused and logged.
 */
export function hardenContents(contents: HardenableContents, logger?: Logger): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    logger?.warn('blocked navigation', { url });
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler((details) => {
    logger?.warn('blocked window.open', { url: details.url });
    return { action: 'deny' };
  });
}
