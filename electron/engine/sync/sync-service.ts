import fs from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { DeliveryState, OutboxItem, SyncStatus } from '../../../shared/domain.js';
import type { StationErrorShape } from '../../../shared/errors.js';
import { StationError, fieldIssuesFromZod } from '../../../shared/errors.js';
import type { Settings } from '../../../shared/settings.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logging/logger.js';
import type { FileStore } from '../store/file-store.js';
import { findBags, readBag, writeBag } from './bagit.js';
import { DeliveryError, asStationError } from './delivery-error.js';
import type { ResendFigures } from './outbox-repository.js';
import { createOutboxRepository, toOutboxItem } from './outbox-repository.js';
import type { DeliveryHooks, SyncSummary } from './outbox-worker.js';
import { createOutboxWorker } from './outbox-worker.js';
import { ResultRecord, toNfc } from './result-record.js';
import type { SecretStore } from './secret-store.js';
import { warehouseSecretName } from './secret-store.js';
import { createThrottle } from './throttle.js';
import { TusWarehouseConnector } from './tus-warehouse-connector.js';
import type { WarehouseConnector } from './warehouse-connector.js';

/** The metadata a caller gives; the service fills the station, agency, file facts and defaults. */
export type RecordInput = Omit<
  ResultRecord,
  'documentId' | 'stationId' | 'agencyId' | 'sha256' | 'bytes' | 'mimeType' | 'fileName'
> &
  Partial<Pick<ResultRecord, 'stationId' | 'agencyId' | 'fileName'>>;

export interface EnqueueInput {
  documentId: string;
  /** The PDF, already in the file store. */
  fileSha256: string;
  record: RecordInput;
  /** "mật": refused (never queued). */
  classified?: boolean | undefined;
  /** `station` (default) or `bag:<station id>` for an imported bag. */
  source?: string | undefined;
}

export interface BagExportSummary {
  outDir: string;
  bags: { documentId: string; dir: string }[];
  skipped: { documentId: string; error: StationErrorShape }[];
}

export interface BagImportSummary {
  imported: { documentId: string; dir: string }[];
  alreadyQueued: { documentId: string; dir: string }[];
  refused: { dir: string; error: StationErrorShape }[];
}

/** Delivery to the warehouse as the rest of the engine sees it. */
export interface SyncService {
  /** Queues a result (idempotent for the same document and file); refuses "mật" and an invalid record. */
  enqueue(input: EnqueueInput): OutboxItem;
  /** Marks a queued document "mật" (blocked, never sent) or clears the mark (queued again). */
  setClassified(documentId: string, classified: boolean): OutboxItem;
  get(documentId: string): OutboxItem | undefined;
  list(options?: { states?: readonly DeliveryState[] | undefined; limit?: number | undefined }): OutboxItem[];
  /** The delivery state of these documents (the store's queue view joins it). */
  lookup(documentIds: readonly string[]): ReadonlyMap<string, OutboxItem>;
  status(): SyncStatus;
  /** Something changed (settings): the worker looks again now. */
  wake(): void;
  start(): void;
  stop(): Promise<void>;
  runOnce(signal?: AbortSignal): Promise<SyncSummary>;
  /** Starts a delivery round now, inside or outside the send window; returns the status at once. */
  sendNow(): SyncStatus;
  pause(): SyncStatus;
  resume(): SyncStatus;
  /** A failed document goes back to the queue (after a person fixed its cause). */
  retry(documentId: string): OutboxItem;
  setSecret(secret: string): Promise<void>;
  exportBags(outDir: string): BagExportSummary;
  importBags(dir: string): Promise<BagImportSummary>;
  purgeVerified(): number;
  resendFigures(): ResendFigures;
  close(): Promise<void>;
}

export interface SyncServiceOptions {
  db: Database;
  files: FileStore;
  settings: () => Settings;
  clock: Clock;
  logger: Logger;
  secrets: SecretStore;
  /** A fixed connector (tests); by default a TusWarehouseConnector built from the settings in force. */
  connector?: WarehouseConnector | undefined;
  hooks?: DeliveryHooks | undefined;
  softwareAgent: string;
  onItem?: (item: OutboxItem) => void;
  onStatus?: (status: SyncStatus) => void;
}

export function createSyncService(options: SyncServiceOptions): SyncService {
  const { files, clock } = options;
  const logger = options.logger.child('sync');
  const repository = createOutboxRepository(options.db);
  const warehouse = (): Settings['warehouse'] => options.settings().warehouse;
  const throttle = createThrottle(() => (warehouse().bandwidthKbps * 1000) / 8);

  let built: { key: string; connector: WarehouseConnector } | undefined;
  const connectorFor = (): WarehouseConnector => {
    if (options.connector !== undefined) return options.connector;
    const settings = warehouse();
    const key = JSON.stringify([
      settings.url,
      settings.issuer,
      settings.clientId,
      settings.scope,
      settings.resource,
      settings.caBundleFile,
      settings.allowInsecureLoopback,
      settings.requestTimeoutSeconds,
    ]);
    if (built?.key === key) return built.connector;
    const previous = built?.connector;
    built = undefined;
    if (previous !== undefined) void previous.close().catch(() => undefined);
    const connector = new TusWarehouseConnector({
      url: settings.url,
      issuer: settings.issuer,
      clientId: settings.clientId,
      secret: async () => {
        try {
          return await options.secrets.get(warehouseSecretName);
        } catch (error) {
          if (error instanceof StationError) throw error;
          throw new DeliveryError('sync/secret-unavailable', `The client secret cannot be read: ${String(error)}`);
        }
      },
      scope: settings.scope,
      resource: settings.resource,
      caBundleFile: settings.caBundleFile,
      allowInsecureLoopback: settings.allowInsecureLoopback,
      timeoutMs: settings.requestTimeoutSeconds * 1000,
      chunkBytes: () => warehouse().chunkBytes,
      throttle,
      clock,
    });
    built = { key, connector };
    return connector;
  };

  const worker = createOutboxWorker({
    repository,
    fileOf: (sha256) => files.pathOf(sha256),
    connector: connectorFor,
    settings: warehouse,
    clock,
    logger,
    hooks: options.hooks,
    ...(options.onItem === undefined ? {} : { onItem: options.onItem }),
    ...(options.onStatus === undefined ? {} : { onStatus: options.onStatus }),
  });

  function enqueue(input: EnqueueInput): OutboxItem {
    if (input.classified === true) {
      throw new StationError('sync/classified', `Document ${input.documentId} is marked "mật" and is never sent`);
    }
    if (!files.has(input.fileSha256)) {
      throw new StationError('sync/file-missing', `The file ${input.fileSha256} is not in the store`);
    }
    const bytes = fs.statSync(files.pathOf(input.fileSha256)).size;
    const station = options.settings().station;
    const candidate = toNfc({
      ...input.record,
      documentId: input.documentId,
      stationId: input.record.stationId ?? station.id,
      agencyId: input.record.agencyId ?? station.agencyId,
      fileName: input.record.fileName ?? `${input.documentId}.pdf`,
      sha256: input.fileSha256,
      bytes,
      mimeType: 'application/pdf' as const,
    });
    const parsed = ResultRecord.safeParse(candidate);
    if (!parsed.success) {
      throw new StationError(
        'sync/record-rejected',
        `The record of document ${input.documentId} is incomplete or invalid`,
        fieldIssuesFromZod(parsed.error),
      );
    }
    const existing = repository.get(input.documentId);
    if (existing !== undefined) {
      if (existing.file_sha256 === input.fileSha256) return toOutboxItem(existing);
      throw new StationError(
        'sync/conflict',
        `Document ${input.documentId} is already queued with another file (${existing.file_sha256})`,
      );
    }
    const row = repository.insert({
      documentId: input.documentId,
      sha256: input.fileSha256,
      bytes,
      record: parsed.data,
      classified: false,
      source: input.source ?? 'station',
      at: clock.now().toISOString(),
    });
    const item = toOutboxItem(row);
    options.onItem?.(item);
    worker.wake();
    return item;
  }

  return {
    enqueue,
    setClassified(documentId, classified) {
      const row = repository.require(documentId);
      if (classified && ['verified', 'token', 'uploading', 'registering', 'verifying'].includes(row.state)) {
        if (row.state === 'verified') {
          throw new StationError('sync/classified', `Document ${documentId} is already in the warehouse`);
        }
        worker.cancel(documentId);
      }
      const at = clock.now().toISOString();
      const updated = classified
        ? repository.update(documentId, {
            classified: 1,
            state: 'blocked',
            next_attempt_at: null,
            last_error_code: 'sync/classified',
            last_error_message: 'Marked classified ("mật"): never sent',
            updated_at: at,
          })
        : repository.update(documentId, {
            classified: 0,
            state: row.state === 'blocked' ? 'queued' : row.state,
            last_error_code: null,
            last_error_message: null,
            updated_at: at,
          });
      const item = toOutboxItem(updated);
      options.onItem?.(item);
      worker.wake();
      return item;
    },
    get: (documentId) => {
      const row = repository.get(documentId);
      return row === undefined ? undefined : toOutboxItem(row);
    },
    list: (filter) => repository.list(filter).map(toOutboxItem),
    lookup(documentIds) {
      const found = new Map<string, OutboxItem>();
      for (const id of documentIds) {
        const row = repository.get(id);
        if (row !== undefined) found.set(id, toOutboxItem(row));
      }
      return found;
    },
    wake: () => worker.wake(),
    status: () => worker.status(),
    start: () => worker.start(),
    stop: () => worker.stop(),
    runOnce: (signal) => worker.runOnce(signal),
    sendNow() {
      worker.sendNow();
      return worker.status();
    },
    pause() {
      worker.pause();
      return worker.status();
    },
    resume() {
      worker.resume();
      return worker.status();
    },
    retry(documentId) {
      const row = repository.require(documentId);
      if (row.state === 'verified' || row.state === 'blocked') return toOutboxItem(row);
      const updated = repository.update(documentId, {
        state: 'queued',
        next_attempt_at: null,
        updated_at: clock.now().toISOString(),
      });
      options.onItem?.(toOutboxItem(updated));
      worker.wake();
      return toOutboxItem(updated);
    },
    async setSecret(secret) {
      await options.secrets.set(warehouseSecretName, secret);
      // A new secret may heal a station held by wrong credentials: look again now.
      repository.releaseHeld(
        ['sync/auth-failed', 'sync/not-configured', 'sync/secret-unavailable'],
        clock.now().toISOString(),
      );
      if (built !== undefined) {
        const old = built.connector;
        built = undefined;
        await old.close().catch(() => undefined);
      }
      worker.wake();
    },
    exportBags(outDir) {
      fs.mkdirSync(outDir, { recursive: true });
      const settings = options.settings();
      const summary: BagExportSummary = { outDir, bags: [], skipped: [] };
      for (const row of repository.undelivered()) {
        try {
          if (!files.has(row.file_sha256)) {
            throw new StationError('sync/file-missing', `The file of document ${row.document_id} is not in the store`);
          }
          const dir = writeBag(outDir, {
            record: JSON.parse(row.record_json) as ResultRecord,
            file: files.pathOf(row.file_sha256),
            stationId: settings.station.id,
            agencyId: settings.station.agencyId,
            agencyName: settings.station.agencyName,
            softwareAgent: options.softwareAgent,
            baggingDate: clock.now(),
          });
          repository.update(row.document_id, { exported_at: clock.now().toISOString() });
          summary.bags.push({ documentId: row.document_id, dir });
        } catch (error) {
          summary.skipped.push({ documentId: row.document_id, error: asStationError(error).toShape() });
        }
      }
      logger.info('bags exported', { outDir, bags: summary.bags.length, skipped: summary.skipped.length });
      return summary;
    },
    async importBags(dir) {
      const summary: BagImportSummary = { imported: [], alreadyQueued: [], refused: [] };
      const bags = findBags(dir);
      if (bags.length === 0) throw new StationError('sync/bag-invalid', `No BagIt bag in ${dir}`);
      for (const bagDir of bags) {
        try {
          const bag = readBag(bagDir);
          const existing = repository.get(bag.record.documentId);
          if (existing !== undefined && existing.file_sha256 === bag.record.sha256) {
            summary.alreadyQueued.push({ documentId: bag.record.documentId, dir: bagDir });
            continue;
          }
          const sha256 = await files.put(fs.readFileSync(bag.file));
          if (sha256 !== bag.record.sha256) {
            throw new StationError('sync/bag-invalid', `${bag.file} changed while it was imported`);
          }
          const { documentId, sha256: _sha, bytes: _bytes, mimeType: _mime, ...record } = bag.record;
          const sender = bag.info.get('Internal-Sender-Identifier') ?? record.stationId;
          enqueue({ documentId, fileSha256: sha256, record, source: `bag:${sender}` });
          summary.imported.push({ documentId, dir: bagDir });
        } catch (error) {
          const shape = asStationError(error).toShape();
          logger.warn('bag refused', { dir: bagDir, code: shape.code, message: shape.message });
          summary.refused.push({ dir: bagDir, error: shape });
        }
      }
      return summary;
    },
    purgeVerified: () => worker.purgeVerified(),
    resendFigures: () => repository.resendFigures(),
    async close() {
      await worker.stop();
      await built?.connector.close().catch(() => undefined);
      built = undefined;
    },
  };
}
