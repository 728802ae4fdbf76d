import path from 'node:path';
import { BrowserWindow, app, dialog, protocol, safeStorage, session } from 'electron';
import { createEngine } from '../engine/engine.js';
import type { Engine } from '../engine/engine.js';
import { createConsoleSink, createLogger, createRotatingFileSink } from '../engine/logging/logger.js';
import type { Logger } from '../engine/logging/logger.js';
import { resolveAppPaths } from './app-paths.js';
import { appIndexUrl, appScheme, appSchemePrivileges, createAppProtocolHandler } from './app-protocol.js';
import { createSafeStorageSecretStore } from './safe-storage-secret-store.js';
import type { AppPaths } from './app-paths.js';
import { forwardEvents, registerContract } from './ipc-adaptor.js';
import { hardenContents, hardenSession, secureWebPreferences } from './security.js';
import { closeBeforeQuit } from './shutdown.js';
import { createTrustedSenderCheck } from './trusted-sender.js';

// The composition root of the Electron shell; the logic lives in the small modules it wires.

const windowTitle = 'Trạm Số hóa';
const logFileBytes = 5 * 1024 * 1024;
const logFileCount = 5;

const paths = resolveAppPaths({
  isPackaged: app.isPackaged,
  appPath: app.getAppPath(),
  resourcesPath: process.resourcesPath,
  mainDir: __dirname,
  userDataDir: app.getPath('userData'),
  argv: process.argv,
});
// Chromium's profile and the single-instance lock follow the data folder, so
// two stations with different --data-dir (IT, tests) do not collide.
app.setPath('userData', paths.dataDir);
app.enableSandbox();
// Before `ready`: the renderer's own origin (see app-protocol.ts for why not file://).
protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: appSchemePrivileges }]);

let mainWindow: BrowserWindow | undefined;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow === undefined) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  const logger = createLogger({
    level: app.isPackaged ? 'info' : 'debug',
    sinks: app.isPackaged
      ? [createRotatingFileSink(paths.logsDir, logFileBytes, logFileCount)]
      : [createRotatingFileSink(paths.logsDir, logFileBytes, logFileCount), createConsoleSink()],
  }).child('main');
  process.on('uncaughtException', (error) => logger.error('uncaught exception', { error }));
  process.on('unhandledRejection', (error) => logger.error('unhandled rejection', { error }));
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, logger));
  app.on('window-all-closed', () => app.quit());
  app
    .whenReady()
    .then(() => start(paths, logger))
    .catch((error: unknown) => {
      logger.error('station failed to start', { error });
      // Shown to the clerk, so in Vietnamese; the cause is in the log for IT.
      dialog.showErrorBox(windowTitle, `Trạm Số hóa không khởi động được. Nhật ký lỗi ở: ${paths.logsDir}`);
      app.exit(1);
    });
}

async function start(appPaths: AppPaths, logger: Logger): Promise<void> {
  logger.info('starting', { version: app.getVersion(), dataDir: appPaths.dataDir, packaged: app.isPackaged });
  hardenSession(session.defaultSession, logger);
  protocol.handle(appScheme, createAppProtocolHandler({ rootDir: path.dirname(appPaths.rendererIndexPath) }));
  const engine: Engine = await createEngine({
    dataDir: appPaths.dataDir,
    resourcesDir: appPaths.resourcesDir,
    transport: 'electron',
    logger,
    // The warehouse client secret lives in the OS key store, not in a file anyone can copy.
    secretStore: createSafeStorageSecretStore({ safeStorage, dir: path.join(appPaths.dataDir, 'secrets') }),
  });
  closeBeforeQuit(app, () => engine.close(), logger);
  registerContract({
    dispatcher: engine.dispatcher,
    isTrustedSender: createTrustedSenderCheck({ rendererUrl: appIndexUrl }),
    logger: logger.child('ipc'),
  });
  mainWindow = new BrowserWindow({
    title: windowTitle,
    width: 1400,
    height: 900,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    webPreferences: secureWebPreferences(appPaths.preloadPath),
  });
  const window = mainWindow;
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    mainWindow = undefined;
  });
  forwardEvents(engine.events, window.webContents);
  await window.loadURL(appIndexUrl);
}
