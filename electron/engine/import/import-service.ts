import type { Database } from 'better-sqlite3';
import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { StationError } from '../../../shared/errors.js';
import type { Settings } from '../../../shared/settings.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../event-bus.js';
import type { Logger } from '../logging/logger.js';
import type { PageWriter } from '../scan/page-writer.js';
import { resolveProfile } from '../scan/profiles.js';
import type { CaptureRepository, NewPage } from '../store/capture-repository.js';
import type { FileStore } from '../store/file-store.js';
import { sha256Hex } from '../store/file-store.js';
import type { ImportFormat } from './import-formats.js';
import { openImportSource } from './import-formats.js';
import type { ImportOrigin } from './import-ledger.js';
import { createImportLedger } from './import-ledger.js';

/** What became of one file. */
export interface ImportResult {
  file: string;
  /** `already-imported`: the same content was imported before (by hash); nothing was added. */
  status: 'imported' | 'already-imported';
  batchId: string;
  pages: number;
  format: ImportFormat;
  signed: boolean;
  /** The signed PDF kept byte for byte in the file store. */
  originalSha256: string | null;
}

export interface ImportOptions {
  origin?: ImportOrigin;
  /** Scan profile whose resolution and colour mode PDF pages are drawn at; `import.profile`, then the default. */
  profile?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** Imports files as batches: each file is one batch, stored whole or not at all. */
export interface ImportService {
  /** Reads and imports a file; throws `import/*` for a file that cannot be imported. */
  importFile(file: string, options?: ImportOptions): Promise<ImportResult>;
  /** Imports bytes already read (the hot folder reads once to check and import). */
  importData(data: Buffer, name: string, options?: ImportOptions): Promise<ImportResult>;
  /** Whether content with this hash was imported, and into which batch. */
  imported(sha256: string): { batchId: string; fileName: string } | undefined;
}

export interface ImportServiceOptions {
  db: Database;
  repository: CaptureRepository;
  pages: PageWriter;
  files: FileStore;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  settings: () => Settings;
  /** The store's disk-space guard: throws before anything is written. */
  beforeCapture?: () => void;
}

/**
 * File import (PDF, TIFF, JPEG, PNG), shared by `sohoa import`, the hot folder and the UI.
 *
 * A file is one batch, with the device id `import` or `hot-folder`. Its
 * pages are written to the file store first; then one transaction adds the
 * batch, its pages and the file's row in `imported_files`; then the pages are
 * announced with the same `scan:*` events as a scanner's. A file that fails
 * part-way leaves no batch and no rows (the files it put in the store are
 * unreferenced and go at the next garbage collection), and the same content
 * is never imported twice: its hash is recorded with the batch.
 */
export function createImportService(options: ImportServiceOptions): ImportService {
  const { db, repository, pages, files, events, clock } = options;
  const ledger = createImportLedger(db);
  const log = options.logger.child('import');

  async function importData(data: Buffer, name: string, importOptions: ImportOptions = {}): Promise<ImportResult> {
    const origin = importOptions.origin ?? 'import';
    const fileName = path.basename(name);
    const sha256 = sha256Hex(data);
    const known = ledger.find(sha256);
    if (known !== undefined) {
      log.info('file already imported', { file: fileName, batchId: known.batchId });
      return {
        file: name,
        status: 'already-imported',
        batchId: known.batchId,
        pages: known.pageCount,
        format: known.format,
        signed: known.signed,
        originalSha256: known.originalSha256,
      };
    }
    options.beforeCapture?.();
    const settings = options.settings();
    const profile = resolveProfile(settings, importOptions.profile ?? (settings.import.profile || undefined));
    const source = await openImportSource(data, fileName, { dpi: profile.dpi, colourMode: profile.colourMode });
    const batchId = crypto.randomUUID();
    const startedAt = clock.now().toISOString();
    const prepared: NewPage[] = [];
    try {
      let index = 0;
      for await (const page of source.pages()) {
        if (importOptions.signal?.aborted === true) throw new StationError('scan/cancelled', 'Import cancelled');
        prepared.push(await pages.prepare(page, { batchId, index, deviceId: origin, source: 'import' }));
        index += 1;
      }
    } finally {
      await source.close();
    }
    // A signed PDF is also kept as it came: its signature covers those exact bytes.
    const originalSha256 = source.signed ? await files.put(data) : null;

    const commit = db.transaction(() => {
      // Checked again inside the transaction: another process watching the same data may have won.
      if (ledger.find(sha256) !== undefined) return false;
      repository.createBatch({ id: batchId, deviceId: origin, startedAt });
      for (const page of prepared) pages.commit(page);
      repository.endBatch(batchId, 'finished', clock.now().toISOString(), null);
      ledger.record({
        source: origin,
        fileName,
        sha256,
        bytes: data.length,
        format: source.format,
        batchId,
        pageCount: prepared.length,
        signed: source.signed,
        originalSha256,
        importedAt: clock.now().toISOString(),
      });
      return true;
    });
    if (!commit.immediate()) return importData(data, name, importOptions);

    log.info('file imported', {
      file: fileName,
      batchId,
      pages: prepared.length,
      format: source.format,
      signed: source.signed,
    });
    events.emit('scan:started', { batchId, deviceId: origin, expectedPages: prepared.length });
    for (const page of prepared) await pages.announce(page, { profile: profile.name, blankPages: profile.blankPages });
    events.emit('scan:finished', { batchId, pageCount: prepared.length, cancelled: false });
    return {
      file: name,
      status: 'imported',
      batchId,
      pages: prepared.length,
      format: source.format,
      signed: source.signed,
      originalSha256,
    };
  }

  return {
    importData,
    async importFile(file, importOptions) {
      let data: Buffer;
      try {
        data = await fsp.readFile(file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw new StationError('import/file-not-found', `${file}: no such file`);
        if (code === 'EISDIR') throw new StationError('import/unsupported-format', `${file} is a folder`);
        throw new StationError('import/file-not-found', `${file}: cannot be read (${code ?? String(error)})`);
      }
      return importData(data, file, importOptions);
    },
    imported(sha256) {
      const known = ledger.find(sha256);
      return known === undefined ? undefined : { batchId: known.batchId, fileName: known.fileName };
    },
  };
}
