import os from 'node:os';
import type { Database } from 'better-sqlite3';
import { ocrPoolSize } from '../../../shared/ocr.js';
import type { OcrPool } from '../../../shared/ocr-queue.js';
import type { Settings } from '../../../shared/settings.js';
import type { Clock } from '../clock.js';
import type { CallHandlers } from '../dispatcher.js';
import type { EventBus } from '../event-bus.js';
import type { Logger } from '../logging/logger.js';
import type { FileStore } from '../store/file-store.js';
import { createNodeOcrEngine } from './node-ocr-engine.js';
import { resolveOcrAssets } from './ocr-assets.js';
import { createOcrPageLookup } from './ocr-pages.js';
import type { OcrResultStore, OcrScheduler } from './ocr-scheduler.js';
import { createOcrScheduler } from './ocr-scheduler.js';

/** OCR inside the engine: the scheduler and the Node pool it falls back to. */
export interface EngineOcr {
  readonly scheduler: OcrScheduler;
  /** The Node worker-thread pool with the settings in force, started on first use (CLI, import). */
  engine(): OcrPool & { readonly size: number };
  close(): Promise<void>;
}

export interface EngineOcrOptions {
  db: Database;
  files: FileStore;
  results: OcrResultStore;
  events: EventBus;
  settings: () => Settings;
  clock: Clock;
  logger: Logger;
  resourcesDir: string;
  /** The Node pool takes pages no renderer claimed; the engine turns it off for one-shot CLI commands. */
  nodeFallback: boolean;
  graceMs?: number | undefined;
  /** A renderer silent for this long is gone; its pages go back to the queue. */
  attachWindowMs?: number | undefined;
}

/** What a caller of createEngine may tune (tests shorten the waits). */
export type EngineOcrTuning = Partial<Pick<EngineOcrOptions, 'nodeFallback' | 'graceMs' | 'attachWindowMs'>>;

/** Builds the engine's OCR (engine.ts calls this once). */
export function createEngineOcr(options: EngineOcrOptions): EngineOcr {
  let pool: (OcrPool & { readonly size: number }) | undefined;
  let poolSettings = '';
  const log = options.logger.child('ocr');

  function engine(): OcrPool & { readonly size: number } {
    const { workers, variant, languages } = options.settings().ocr;
    const key = JSON.stringify([workers, variant]);
    if (pool !== undefined && key !== poolSettings) {
      // New settings take effect for the next page; the old pool finishes nothing more.
      void pool.terminate().catch((error: unknown) => log.warn('could not stop the old OCR pool', { error }));
      pool = undefined;
    }
    if (pool === undefined) {
      pool = createNodeOcrEngine({
        assets: resolveOcrAssets(options.resourcesDir),
        workers,
        variant,
        languages,
        logger: options.logger,
      });
      poolSettings = key;
    }
    return pool;
  }

  const scheduler = createOcrScheduler({
    events: options.events,
    results: options.results,
    pages: createOcrPageLookup(options.db),
    files: options.files,
    settings: options.settings,
    clock: options.clock,
    logger: options.logger,
    nodeFallback: options.nodeFallback,
    graceMs: options.graceMs,
    attachWindowMs: options.attachWindowMs,
    nodeConcurrency: () => ocrPoolSize(options.settings().ocr.workers, os.availableParallelism()),
    nodeRecognizer: () => ({
      recognize: (request) => engine().recognize(request),
      prioritize: (key, priority) => pool?.prioritize(key, priority),
      terminate: async () => {
        await pool?.terminate();
        pool = undefined;
      },
    }),
  });

  return {
    scheduler,
    engine,
    async close() {
      await scheduler.close();
      await pool?.terminate();
      pool = undefined;
    },
  };
}

type OcrCalls =
  'ocr:claim' | 'ocr:save-result' | 'ocr:release' | 'ocr:get' | 'ocr:rerun' | 'ocr:prioritize' | 'ocr:status';

/** The contract calls OCR answers (engine.ts spreads them into its table). */
export function ocrCallHandlers(ocr: EngineOcr): Pick<CallHandlers, OcrCalls> {
  const { scheduler } = ocr;
  return {
    'ocr:claim': async ({ max, holding }) => ({ jobs: await scheduler.claim(max, holding ?? []) }),
    'ocr:save-result': ({ jobId, result, durationMs }) => scheduler.saveResult(jobId, result, durationMs),
    'ocr:release': ({ jobIds, error }) => ({ released: scheduler.release(jobIds, error) }),
    'ocr:get': ({ pageId }) => scheduler.get(pageId),
    'ocr:rerun': ({ pageId, rotation }) => scheduler.rerun(pageId, rotation),
    'ocr:prioritize': ({ pageIds }) => {
      scheduler.prioritize(pageIds);
      return {};
    },
    'ocr:status': () => scheduler.status(),
  };
}
