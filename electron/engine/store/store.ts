import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { DocumentSummary, OutboxItem, QueueItem, WorkflowState } from '../../../shared/domain.js';
import { WorkflowState as WorkflowStateSchema } from '../../../shared/domain.js';
import type { Settings } from '../../../shared/settings.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logging/logger.js';
import type { Workflow } from '../workflow/workflow-service.js';
import { createWorkflow } from '../workflow/workflow-service.js';
import { blockReason } from '../workflow/transitions.js';
import { appendAudit, localActor } from './audit-log.js';
import type { BackupKind, BackupResult } from './backup.js';
import { backupStore } from './backup.js';
import type { CaptureRepository } from './capture-repository.js';
import { createCaptureRepository } from './capture-repository.js';
import type { CheckOptions, StoreProblem } from './consistency.js';
import { checkStore } from './consistency.js';
import { openDatabase } from './database.js';
import type { DiskGuard } from './disk-guard.js';
import { createDiskGuard } from './disk-guard.js';
import type { FileStore } from './file-store.js';
import { createFileStore } from './file-store.js';
import type { GcReport } from './garbage-collector.js';
import { collectGarbage } from './garbage-collector.js';
import type { OcrRepository } from './ocr-repository.js';
import { createOcrRepository } from './ocr-repository.js';
import { mergeSearchIndex } from './search-index.js';
import type { SearchService } from './search-service.js';
import { createSearchService } from './search-service.js';

/** Where the pieces of a store live in a data folder. */
export function storePaths(dataDir: string): { database: string; files: string } {
  return { database: path.join(dataDir, 'station.db'), files: path.join(dataDir, 'store') };
}

/** The delivery state of queued documents, from the outbox (wired by the delivery module). */
export type DeliveryLookup = (documentIds: readonly string[]) => ReadonlyMap<string, OutboxItem>;

export interface StoreOptions {
  dataDir: string;
  clock: Clock;
  settings: () => Settings;
  logger?: Logger | undefined;
  onDocumentChange?: ((document: DocumentSummary) => void) | undefined;
}

/** The offline store: the database, the file store, and the modules over them. */
export interface Store {
  readonly dataDir: string;
  readonly db: Database;
  readonly files: FileStore;
  readonly captures: CaptureRepository;
  readonly ocr: OcrRepository;
  readonly workflow: Workflow;
  readonly search: SearchService;
  readonly diskGuard: DiskGuard;
  /** Documents with their workflow state and, once queued, their delivery state; oldest in their state first. */
  queue(
    options: { states?: readonly WorkflowState[] | undefined; limit: number; newest?: boolean | undefined },
    delivery?: DeliveryLookup,
  ): QueueItem[];
  /** Closes batches and documents a crash left half-done; returns what it repaired. */
  recover(actor?: string): { batchesClosed: number; documentsCreated: number; ocrReset: number };
  collectGarbage(graceMs: number): GcReport;
  /** Merges search index segments for at most `budgetMs`; true while work is left. */
  maintainSearch(budgetMs: number): boolean;
  check(options?: Omit<CheckOptions, 'files'> & { files?: boolean }): StoreProblem[];
  backup(target: string, kind?: BackupKind | 'auto', actor?: string): Promise<BackupResult>;
  close(): void;
}

/** Opens (creating and migrating when needed) the store of a data folder. */
export function openStore(options: StoreOptions): Store {
  const dataDir = path.resolve(options.dataDir);
  const paths = storePaths(dataDir);
  const db = openDatabase(paths.database);
  const files = createFileStore(paths.files);
  const captures = createCaptureRepository(db);
  const ocr = createOcrRepository(db);
  const workflow = createWorkflow({
    db,
    clock: options.clock,
    settings: options.settings,
    files,
    onChange: options.onDocumentChange,
  });
  const search = createSearchService(db, workflow.documents);
  const diskGuard = createDiskGuard({ dir: dataDir, reserveMb: () => options.settings().storage.reserveMb });
  const now = (): string => options.clock.now().toISOString();

  return {
    dataDir,
    db,
    files,
    captures,
    ocr,
    workflow,
    search,
    diskGuard,
    queue({ states, limit, newest }, delivery) {
      const documents = workflow.documents.listByState(states ?? WorkflowStateSchema.options, limit, newest);
      const outbox = delivery?.(documents.map((document) => document.id)) ?? new Map<string, OutboxItem>();
      return documents.map((document) => ({
        ...document,
        blocked: blockReason(document),
        delivery: outbox.get(document.id) ?? null,
      }));
    },
    recover(actor = 'system:recovery') {
      const batchesClosed = captures.closeInterruptedBatches(now());
      const documentsCreated = workflow.adoptLoosePages(actor);
      const ocrReset = ocr.resetRunning();
      return { batchesClosed, documentsCreated, ocrReset };
    },
    collectGarbage(graceMs) {
      // File times come from the file system's clock, not the station's (which tests may fake).
      const report = collectGarbage(db, files, { graceMs });
      if (report.removed > 0) {
        db.transaction(() =>
          appendAudit(db, now(), {
            actor: 'system:gc',
            action: 'store.gc',
            objectType: 'store',
            objectId: 'files',
            details: { removed: report.removed, bytesFreed: report.bytesFreed },
          }),
        ).immediate();
      }
      return report;
    },
    maintainSearch: (budgetMs) => mergeSearchIndex(db, budgetMs),
    check(checkOptions = {}) {
      return checkStore(db, {
        files: checkOptions.files === false ? undefined : files,
        hashFiles: checkOptions.hashFiles,
      });
    },
    async backup(target, kind = 'auto', actor = localActor()) {
      const settings = options.settings();
      const result = await backupStore({
        db,
        files,
        dataDir,
        target,
        kind,
        stationId: settings.station.id,
        clock: options.clock,
        logger: options.logger,
      });
      db.transaction(() =>
        appendAudit(db, now(), {
          actor,
          action: 'store.backup',
          objectType: 'store',
          objectId: 'backup',
          details: {
            target: result.target,
            set: path.basename(result.set),
            kind: result.kind,
            files: result.files,
            copied: result.copiedFiles,
          },
        }),
      ).immediate();
      return result;
    },
    close() {
      if (db.open) db.close();
    },
  };
}
