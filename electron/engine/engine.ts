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
import { createDefaultDrivers } from './scan/default-drivers.js';
import type { EngineImports } from './import/import-wiring.js';
import { createEngineImports } from './import/import-wiring.js';
import type { ScanDriver } from './scan/scan-driver.js';
import type { SettingsService } from './settings/settings-service.js';
import { createSettingsService, defaultPolicyFile } from './settings/settings-service.js';
import type { Store } from './store/store.js';
import { openStore } from './store/store.js';
import { startStoreServices, storeCallHandlers } from './store/store-wiring.js';
import type { SecretStore } from './sync/secret-store.js';
import { syncHandlers } from './sync/sync-handlers.js';
import type { EngineSync } from './sync/sync-wiring.js';
import { createEngineSync } from './sync/sync-wiring.js';
import type { WarehouseConnector } from './sync/warehouse-connector.js';
import { stationVersion } from './version.js';
import type { EngineOcr, EngineOcrTuning } from './ocr/ocr-wiring.js';
import { createEngineOcr, ocrCallHandlers } from './ocr/ocr-wiring.js';
import type { ImagingPool } from './imaging/imaging-pool.js';
import { createImagingPool } from './imaging/imaging-pool.js';
import type { Desk } from './workflow/desk-wiring.js';
import { createDesk } from './workflow/desk-wiring.js';

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
  /** Where the warehouse client secret is kept: the OS key store in Electron, a 0600 file by default. */
  secretStore?: SecretStore | undefined;
  /** The warehouse connector; by default the tus connector built from the settings in force. */
  connector?: WarehouseConnector | undefined;
  /** OCR: whether the engine's Node pool recognises pages no renderer claims (default: not for one-shot CLI commands). */
  ocr?: EngineOcrTuning | undefined;
}

/** The station: one object the Electron shell, the CLI, the bridge and the tests all build the same way. */
export interface Engine {
  readonly dataDir: string;
  readonly dispatcher: Dispatcher;
  readonly events: EventBus;
  readonly settings: SettingsService;
  readonly capture: CaptureService;
  readonly imports: EngineImports;
  readonly store: Store;
  readonly sync: EngineSync;
  readonly ocr: EngineOcr;
  /** Page cleaning and encoding in worker threads (started on first use). */
  readonly imaging: ImagingPool;
  /** The clerk's desk: split, page edits, suggestions, finish; blank-page flags of captured pages. */
  readonly desk: Desk;
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

  const store = openStore({
    dataDir,
    clock,
    settings: () => settings.current().values,
    logger,
    // After the current event's listeners: a batch's document is announced after `scan:finished`.
    onDocumentChange: (document) => queueMicrotask(() => events.emit('documents:changed', document)),
  });
  const { db, files, captures: repository } = store;

  const events = createEventBus((error) => logger.error('event listener failed', { error }));
  const storeServices = startStoreServices({
    store,
    events,
    settings: () => settings.current().values,
    clock,
    logger,
    scheduled: options.transport !== 'direct',
  });
  const drivers =
    options.drivers ??
    createDefaultDrivers({
      dataDir,
      resourcesDir: options.resourcesDir,
      settings: () => settings.current().values,
      logger,
    });
  const sync = createEngineSync({
    dataDir,
    store,
    events,
    settings: () => settings.current().values,
    clock,
    logger,
    secretStore: options.secretStore,
    connector: options.connector,
    autoStart: options.transport !== 'direct',
  });
  const capture = createCaptureService({
    drivers,
    repository,
    files,
    events,
    clock,
    logger,
    settings: () => settings.current().values,
    lockedKeys: () => settings.current().locked,
    beforeCapture: () => store.diskGuard.check(),
  });
  const imports = createEngineImports({
    ...{ db, repository, pages: capture.pages, files, events, clock, logger },
    settings: () => settings.current().values,
    beforeCapture: () => store.diskGuard.check(),
    watchConfiguredFolder: options.transport !== 'direct',
  });
  const imaging = createImagingPool({ size: settings.current().values.output.imagingWorkers || undefined });
  const ocr = createEngineOcr({
    ...{ db, files, results: store.ocr, events, clock, logger, resourcesDir: options.resourcesDir },
    settings: () => settings.current().values,
    nodeFallback: options.ocr?.nodeFallback ?? options.transport !== 'direct',
    graceMs: options.ocr?.graceMs,
    attachWindowMs: options.ocr?.attachWindowMs,
  });

  const desk = createDesk({
    store,
    events,
    ocr: ocr.scheduler,
    imaging,
    capture,
    sync,
    settings: () => settings.current().values,
    clock,
    logger,
    demoPageCount: () => settings.current().values.scan.demoPageCount,
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
      'devices:list': ({ waitMs }) =>
        capture.listDevices({ waitMs, onComplete: (devices) => events.emit('devices:changed', { devices }) }),
      'scan:start': ({ deviceId, count, profile }) =>
        capture.start({
          deviceId,
          count: count ?? (deviceId === 'demo' ? settings.current().values.scan.demoPageCount : undefined),
          profile,
        }),
      'profiles:list': () => capture.listProfiles(),
      'scan:cancel': ({ batchId }) => ({ cancelled: capture.cancel(batchId) }),
      'batches:list': ({ limit }) => repository.listBatches(limit ?? 50),
      'pages:list': ({ batchId }) => repository.listPages(batchId),
      'pages:thumbnail': async ({ pageId }) => ({
        mimeType: 'image/jpeg' as const,
        dataBase64: (await files.read(repository.thumbnailOf(pageId))).toString('base64'),
      }),
      ...storeCallHandlers(store, {
        delivery: (ids) => sync.lookup(ids),
        enqueue: (documentId, actor) => void sync.queueDocument(documentId, actor),
      }),
      ...syncHandlers(sync),
      ...ocrCallHandlers(ocr),
      ...desk.handlers,
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
    store,
    sync,
    ocr,
    imaging,
    desk,
    imports,
    async close() {
      if (closed) return;
      closed = true;
      await imports.close();
      for (const batch of repository.listBatches(50)) {
        if (batch.state === 'scanning') capture.cancel(batch.id);
      }
      await capture.idle();
      await desk.close();
      await ocr.close();
      await imaging.close();
      await sync.close();
      storeServices.stop();
      db.close();
      logger.info('engine stopped');
    },
  };
}
