import { describe, expect, it } from 'vitest';
import type { SessionLike } from '../../../electron/main/security.js';
import {
  contentSecurityPolicy,
  hardenContents,
  hardenSession,
  secureWebPreferences,
} from '../../../electron/main/security.js';
import { createFakeWebContents, isPrevented } from './fake-electron.js';

type HeadersListener = Parameters<SessionLike['webRequest']['onHeadersReceived']>[0];
type PermissionHandler = Parameters<SessionLike['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<SessionLike['setPermissionCheckHandler']>[0];

function createFakeSession() {
  const recorded: { headers?: HeadersListener; permission?: PermissionHandler; check?: CheckHandler } = {};
  const session: SessionLike = {
    webRequest: {
      onHeadersReceived(listener) {
        recorded.headers = listener;
      },
    },
    setPermissionRequestHandler(handler) {
      recorded.permission = handler;
    },
    setPermissionCheckHandler(handler) {
      recorded.check = handler;
    },
  };
  return { session, recorded };
}

function responseHeadersFor(listener: HeadersListener | undefined, headers: Record<string, string[]>) {
  if (listener === undefined) throw new Error('no onHeadersReceived listener');
  let result: Record<string, string | string[]> | undefined;
  listener({ responseHeaders: headers }, (response) => {
    result = response.responseHeaders;
  });
  return result;
}

describe('window options', () => {
  it('isolate, sandbox and keep Node out of the page', () => {
    expect(secureWebPreferences('/app/dist/preload/preload.cjs')).toMatchObject({
      preload: '/app/dist/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
  });
});

describe('hardenContents', () => {
  it('prevents every navigation', () => {
    const contents = createFakeWebContents();
    hardenContents(contents);
    expect(isPrevented((event) => contents.emit('will-navigate', event, 'https://evil.example/'))).toBe(true);
    expect(isPrevented((event) => contents.emit('will-navigate', event, 'file:///etc/passwd'))).toBe(true);
  });

  it('denies window.open', () => {
    const contents = createFakeWebContents();
    hardenContents(contents);
    expect(contents.openWindow('https://evil.example/')).toEqual({ action: 'deny' });
  });

  it('refuses to attach a webview', () => {
    const contents = createFakeWebContents();
    hardenContents(contents);
    expect(isPrevented((event) => contents.emit('will-attach-webview', event))).toBe(true);
  });
});

describe('hardenSession', () => {
  it('sets the strict CSP on responses and replaces a looser one', () => {
    const { session, recorded } = createFakeSession();
    hardenSession(session);
    const headers = responseHeadersFor(recorded.headers, {
      'content-security-policy': ["default-src *; script-src 'unsafe-inline'"],
      'Content-Type': ['text/html'],
    });
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [contentSecurityPolicy],
    });
  });

  it('sets the CSP on a response that had no headers', () => {
    const { session, recorded } = createFakeSession();
    hardenSession(session);
    expect(responseHeadersFor(recorded.headers, {})).toEqual({ 'Content-Security-Policy': [contentSecurityPolicy] });
  });

  it('denies permission requests and checks', () => {
    const { session, recorded } = createFakeSession();
    hardenSession(session);
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'hid', 'clipboard-read']) {
      recorded.permission?.({}, permission, (granted) => answers.push(granted));
    }
    expect(answers).toEqual([false, false, false, false, false]);
    expect(recorded.check?.({}, 'media')).toBe(false);
  });
});

describe('contentSecurityPolicy', () => {
  const directives = new Map(
    contentSecurityPolicy.split(';').map((directive) => {
      const [name = '', ...values] = directive.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('holds exactly the directives the station needs', () => {
    expect(Object.fromEntries(directives)).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'", "'wasm-unsafe-eval'"],
      'img-src': ["'self'", 'data:', 'blob:'],
      'worker-src': ["'self'", 'blob:'],
      'style-src': ["'self'"],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
  });

  it('never allows inline or eval script', () => {
    expect(contentSecurityPolicy).not.toContain("'unsafe-inline'");
    expect(contentSecurityPolicy).not.toContain("'unsafe-eval'");
  });
});
