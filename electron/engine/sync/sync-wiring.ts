import path from 'node:path';
import type { OutboxItem } from '../../../shared/domain.js';
import type { Settings } from '../../../shared/settings.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../event-bus.js';
import type { Logger } from '../logging/logger.js';
import type { Store } from '../store/store.js';
import { stationVersion } from '../version.js';
import { createFileSecretStore } from './file-secret-store.js';
import type { SecretStore } from './secret-store.js';
import type { SyncService } from './sync-service.js';
import { createSyncService } from './sync-service.js';
import type { WarehouseConnector } from './warehouse-connector.js';
import { createWorkflowDeliveryHooks, queueDocument } from './workflow-delivery.js';

/** Delivery as the engine holds it: the sync service plus the workflow's entry into the outbox. */
export interface EngineSync extends SyncService {
  /** Queues a sealed document: workflow `queued` and its outbox row in one transaction. */
  queueDocument(documentId: string, actor: string): OutboxItem;
}

export interface EngineSyncOptions {
  dataDir: string;
  store: Store;
  events: EventBus;
  settings: () => Settings;
  clock: Clock;
  logger: Logger;
  /** The OS key store in Electron; a 0600 file under `<dataDir>/secrets` otherwise. */
  secretStore?: SecretStore | undefined;
  connector?: WarehouseConnector | undefined;
  /** Runs the worker in the background (the app and browser mode; the CLI runs it through `sohoa sync`). */
  autoStart: boolean;
}

/** Builds delivery for the engine: secrets, workflow hooks, events, and the background worker when asked. */
export function createEngineSync(options: EngineSyncOptions): EngineSync {
  const { store, events, logger } = options;
  const sync = createSyncService({
    db: store.db,
    files: store.files,
    settings: options.settings,
    clock: options.clock,
    logger,
    secrets: options.secretStore ?? createFileSecretStore(path.join(options.dataDir, 'secrets')),
    connector: options.connector,
    hooks: createWorkflowDeliveryHooks(store.workflow, logger.child('sync')),
    softwareAgent: `SoHoa Station ${stationVersion}`,
    onItem: (item) => events.emit('sync:item-changed', item),
    onStatus: (status) => events.emit('sync:status-changed', status),
  });
  const unsubscribe = events.onAny((name) => {
    if (name === 'settings:changed') sync.wake();
  });
  if (options.autoStart) sync.start();
  return {
    ...sync,
    queueDocument: (documentId, actor) =>
      queueDocument({ db: store.db, workflow: store.workflow, ocr: store.ocr, sync }, documentId, actor),
    async close() {
      unsubscribe();
      await sync.close();
    },
  };
}
