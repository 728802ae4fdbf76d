import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppInfo } from '../../shared/domain.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { Dispatcher } from './dispatcher.js';
import { createDispatcher } from './dispatcher.js';
import type { EventBus } from './event-bus.js';
import { createEventBus } from './event-bus.js';
import type { Logger } from './logging/logger.js';
import { createLogger, createRotatingFileSink } from './logging/logger.js';
import { createCaptureService } from './scan/capture-service.js';
import type { CaptureService } from './scan/capture-service.js';
import { DemoScanDriver } from './scan/demo-driver.js';
import type { ScanDriver } from './scan/scan-driver.js';
import type { SettingsService } from './settings/settings-service.js';
import { createSettingsService, defaultPolicyFile } from './settings/settings-service.js';
import { createCaptureRepository } from './store/capture-repository.js';
import { openDatabase } from './store/database.js';
import { createFileStore } from './store/file-store.js';
import { stationVersion } from './version.js';

export interface EngineOptions {
  /** Everything the station stores lives below this folder. */
  dataDir: string;
  /** Bundled resources (fonts, OCR data, ICC profile); `<repo>/resources` in development. */
  resourcesDir: string;
  transport: AppInfo['transport'];
  /** The user's settings file; defaults to `<dataDir>/settings.json`. The CLI's `--config`. */
  configFile?: string | undefined;
  /** The machine policy file; defaults to the OS place (see docs/settings.md). `null` disables it. */
  policyFile?: string | null | undefined;
  /** Scan drivers; defaults to the drivers of this OS plus the demo scanner. */
  drivers?: ScanDriver[] | undefined;
  clock?: Clock | undefined;
  /** Defaults to rotating files under `<dataDir>/logs`. */
  logger?: Logger | undefined;
}

/** The station: one object the Electron shell, the CLI, the bridge and the tests all build the same way. */
export interface Engine {
  readonly dataDir: string;
  readonly dispatcher: Dispatcher;
  readonly events: EventBus;
  readonly settings: SettingsService;
  readonly capture: CaptureService;
  close(): Promise<void>;
}

/** The one composition root of the station. */
// eslint-disable-next-line @typescript-eslint/require-await -- async on purpose: later parts (OCR pool, connectors) start asynchronously
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const clock = options.clock ?? systemClock;

  const settings = createSettingsService({
    userFile: options.configFile ?? path.join(dataDir, 'settings.json'),
    policyFile: options.policyFile === null ? undefined : (options.policyFile ?? defaultPolicyFile()),
    lastGoodFile: path.join(dataDir, 'settings.last-good.json'),
  });
  const logging = settings.current().values.logging;
  const logger =
    options.logger ??
    createLogger({
      level: logging.level,
      sinks: [createRotatingFileSink(path.join(dataDir, 'logs'), logging.maxFileBytes, logging.maxFiles)],
    });
  for (const problem of settings.current().problems) {
    logger.warn('settings problem', { ...problem });
  }

  const db = openDatabase(path.join(dataDir, 'station.db'));
  const files = createFileStore(path.join(dataDir, 'store'));
  const repository = createCaptureRepository(db);
  const interrupted = repository.closeInterruptedBatches(clock.now().toISOString());
  if (interrupted > 0) logger.warn('closed batches interrupted by a previous stop', { count: interrupted });

  const events = createEventBus((error) => logger.error('event listener failed', { error }));
  const fontDir = path.join(options.resourcesDir, 'fonts');
  const drivers = options.drivers ?? [
    new DemoScanDriver({
      cacheDir: path.join(dataDir, 'cache', 'demo'),
      fontDir: fs.existsSync(fontDir) ? fontDir : undefined,
    }),
  ];
  const capture = createCaptureService({
    drivers,
    repository,
    files,
    events,
    clock,
    logger,
    settings: () => settings.current().values,
  });

  const dispatcher = createDispatcher(
    {
      'app:info': () => ({
        name: 'SoHoa Station',
        version: stationVersion,
        transport: options.transport,
        dataDir,
        platform: `${os.platform()}-${os.arch()}`,
      }),
      'settings:get': () => settings.current(),
      'settings:update': ({ patch }) => {
        const next = settings.update(patch);
        events.emit('settings:changed', next);
        return next;
      },
      'devices:list': () => capture.listDevices(),
      'scan:start': ({ deviceId, count }) =>
        capture.start({
          deviceId,
          count: count ?? (deviceId === 'demo' ? settings.current().values.scan.demoPageCount : undefined),
        }),
      'scan:cancel': ({ batchId }) => ({ cancelled: capture.cancel(batchId) }),
      'batches:list': ({ limit }) => repository.listBatches(limit ?? 50),
      'pages:list': ({ batchId }) => repository.listPages(batchId),
      'pages:thumbnail': async ({ pageId }) => ({
        mimeType: 'image/jpeg' as const,
        dataBase64: (await files.read(repository.thumbnailOf(pageId))).toString('base64'),
      }),
    },
    logger.child('dispatch'),
  );

  logger.info('engine started', { transport: options.transport, version: stationVersion });
  let closed = false;
  return {
    dataDir,
    dispatcher,
    events,
    settings,
    capture,
    async close() {
      if (closed) return;
      closed = true;
      for (const batch of repository.listBatches(50)) {
        if (batch.state === 'scanning') capture.cancel(batch.id);
      }
      await capture.idle();
      db.close();
      logger.info('engine stopped');
    },
  };
}
