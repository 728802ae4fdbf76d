import type { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as electron from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callNames } from '../../../shared/contract.js';
import { contentSecurityPolicy } from '../../../electron/main/security.js';
import type { SessionLike } from '../../../electron/main/security.js';
import type { FakeIpcMain, FakeWebContents } from './fake-electron.js';
import { isPrevented, senderEvent } from './fake-electron.js';

// Boots the real main module (and the real engine) against a fake `electron`, so the wiring
// of main.ts is tested where no Electron binary exists.

vi.mock('electron', async () => {
  const fakes = await import('./fake-electron.js');
  const { EventEmitter: Emitter } = await import('node:events');

  class FakeApp extends Emitter {
    isPackaged = false;
    paths = new Map<string, string>([['userData', '/nonexistent/user-data']]);
    quits = 0;
    sandboxed = false;
    getAppPath = (): string => '/nonexistent/app';
    getPath = (name: string): string => this.paths.get(name) ?? `/nonexistent/${name}`;
    setPath = (name: string, value: string): void => void this.paths.set(name, value);
    getVersion = (): string => '0.0.0-test';
    enableSandbox = (): void => {
      this.sandboxed = true;
    };
    requestSingleInstanceLock = (): boolean => true;
    whenReady = (): Promise<void> => Promise.resolve();
    quit = (): void => {
      this.quits += 1;
    };
    exit = (code: number): void => {
      throw new Error(`app.exit(${code})`);
    };
  }

  class FakeBrowserWindow extends Emitter {
    static created: FakeBrowserWindow[] = [];
    readonly webContents = fakes.createFakeWebContents();
    loaded: string | undefined;
    focused = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      FakeBrowserWindow.created.push(this);
    }
    loadURL(url: string): Promise<void> {
      this.loaded = url;
      return Promise.resolve();
    }
    show(): void {}
    isMinimized(): boolean {
      return false;
    }
    restore(): void {}
    focus(): void {
      this.focused = true;
    }
  }

  const defaultSession = {
    headersListener: undefined as unknown,
    permissionHandler: undefined as unknown,
    webRequest: {
      onHeadersReceived(listener: unknown) {
        defaultSession.headersListener = listener;
      },
    },
    setPermissionRequestHandler(handler: unknown) {
      defaultSession.permissionHandler = handler;
    },
    setPermissionCheckHandler() {},
  };

  const protocol = {
    privileged: [] as unknown[],
    handlers: new Map<string, (request: Request) => Promise<Response>>(),
    registerSchemesAsPrivileged(schemes: unknown[]) {
      protocol.privileged.push(...schemes);
    },
    handle(scheme: string, handler: (request: Request) => Promise<Response>) {
      protocol.handlers.set(scheme, handler);
    },
  };

  return {
    app: new FakeApp(),
    protocol,
    BrowserWindow: FakeBrowserWindow,
    session: { defaultSession },
    dialog: { showErrorBox: vi.fn() },
    ipcMain: fakes.createFakeIpcMain(),
    safeStorage: fakes.createFakeSafeStorage(),
  };
});

type FakeWindow = {
  options: { title: string; webPreferences: Record<string, unknown> };
  loaded: string | undefined;
  focused: boolean;
  webContents: FakeWebContents;
};
type FakeApp = EventEmitter & { quits: number; sandboxed: boolean; paths: Map<string, string> };

const app = electron.app as unknown as FakeApp;
const ipcMain = electron.ipcMain as unknown as FakeIpcMain;
const windows = (electron.BrowserWindow as unknown as { created: FakeWindow[] }).created;
const protocol = electron.protocol as unknown as {
  privileged: { scheme: string; privileges: Record<string, boolean> }[];
  handlers: Map<string, (request: Request) => Promise<Response>>;
};
const defaultSession = electron.session.defaultSession as unknown as SessionLike & { headersListener: unknown };

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const rendererIndexPath = path.join(repoRoot, 'dist', 'renderer', 'index.html');
let dataDir: string;
let savedArgv: string[];
let processListeners: { uncaught: unknown[]; rejection: unknown[] };

async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !condition(); tries += 1) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!condition()) throw new Error('timed out waiting for main to start');
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-main-'));
  savedArgv = process.argv;
  process.argv = [...process.argv, `--data-dir=${dataDir}`];
  processListeners = {
    uncaught: process.listeners('uncaughtException'),
    rejection: process.listeners('unhandledRejection'),
  };
  await import('../../../electron/main/main.js');
  await until(() => windows[0]?.loaded !== undefined);
}, 30_000);

afterAll(async () => {
  process.argv = savedArgv;
  // main.ts installs process handlers meant for the app's lifetime; take them out of the test worker.
  for (const listener of process.listeners('uncaughtException')) {
    if (!processListeners.uncaught.includes(listener)) process.removeListener('uncaughtException', listener);
  }
  for (const listener of process.listeners('unhandledRejection')) {
    if (!processListeners.rejection.includes(listener)) process.removeListener('unhandledRejection', listener);
  }
  app.emit('will-quit', { preventDefault() {} });
  await until(() => app.quits > 0);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('main', () => {
  it('keeps data and logs under --data-dir and moves userData there', () => {
    expect(app.paths.get('userData')).toBe(dataDir);
    expect(fs.readdirSync(path.join(dataDir, 'logs'))).toContain('station.log');
    expect(app.sandboxed).toBe(true);
  });

  it('opens one secure window on the renderer', () => {
    expect(windows).toHaveLength(1);
    const [window] = windows;
    expect(window?.options.title).toContain('Trạm Số hóa');
    expect(window?.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: path.join(repoRoot, 'dist', 'preload', 'preload.cjs'),
    });
    expect(window?.loaded).toBe('app://station/index.html');
  });

  it('serves the renderer from its own secure scheme, so fetch of OCR data works', async () => {
    expect(protocol.privileged).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) },
    ]);
    expect(protocol.privileged[0]?.privileges).not.toHaveProperty('bypassCSP');
    const handler = protocol.handlers.get('app');
    if (handler === undefined) throw new Error('app: is not handled');
    fs.mkdirSync(path.dirname(rendererIndexPath), { recursive: true });
    const existed = fs.existsSync(rendererIndexPath);
    if (!existed) fs.writeFileSync(rendererIndexPath, '<!doctype html>');
    try {
      const response = await handler(new Request('app://station/index.html'));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    } finally {
      if (!existed) fs.rmSync(rendererIndexPath);
    }
    expect((await handler(new Request('app://station/../../package.json'))).status).toBe(404);
  });

  it('registers the contract and answers app.info from the renderer through the real engine', async () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...callNames].sort());
    const reply = await ipcMain.invoke('app:info', senderEvent('app://station/index.html'), {});
    expect(reply).toMatchObject({ ok: true, value: { transport: 'electron', dataDir } });
  });

  it('refuses the same call from another page, or from the renderer opened as a local file', async () => {
    const reply = await ipcMain.invoke('app:info', senderEvent('https://evil.example/'), {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'ipc/untrusted-sender' } });
    const local = await ipcMain.invoke('app:info', senderEvent(pathToFileURL(rendererIndexPath).href), {});
    expect(local).toMatchObject({ ok: false, error: { code: 'ipc/untrusted-sender' } });
  });

  it('forwards engine events to the window', async () => {
    const window = windows[0];
    if (window === undefined) throw new Error('no window');
    await ipcMain.invoke('settings:update', senderEvent('app://station/index.html'), { patch: {} });
    expect(window.webContents.sent.map((message) => message.channel)).toContain('settings:changed');
  });

  it('sets the CSP on the default session', () => {
    let headers: Record<string, unknown> | undefined;
    (defaultSession.headersListener as Parameters<SessionLike['webRequest']['onHeadersReceived']>[0])(
      { responseHeaders: {} },
      (response) => {
        headers = response.responseHeaders;
      },
    );
    expect(headers).toEqual({ 'Content-Security-Policy': [contentSecurityPolicy] });
  });

  it('hardens every web contents created later', () => {
    const window = windows[0];
    if (window === undefined) throw new Error('no window');
    app.emit('web-contents-created', {}, window.webContents);
    expect(isPrevented((event) => window.webContents.emit('will-navigate', event, 'https://evil.example/'))).toBe(true);
    expect(window.webContents.openWindow('https://evil.example/')).toEqual({ action: 'deny' });
  });

  it('focuses the first window when a second instance starts', () => {
    app.emit('second-instance');
    expect(windows[0]?.focused).toBe(true);
  });
});
