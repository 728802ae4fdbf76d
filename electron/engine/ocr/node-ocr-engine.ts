import os from 'node:os';
import type { Worker as ThreadWorker } from 'node:worker_threads';
import Tesseract from 'tesseract.js';
import type { OcrVariant } from '../../../shared/ocr.js';
import { ocrEngineLabel, ocrPoolSize } from '../../../shared/ocr.js';
import type { OcrPool, TesseractWorkerLike } from '../../../shared/ocr-queue.js';
import { createOcrPool, createTesseractSlot } from '../../../shared/ocr-queue.js';
import type { Logger } from '../logging/logger.js';
import type { OcrAssets } from './ocr-assets.js';

type LooseRecognize = (
  image: Uint8Array,
  parameters: Record<string, string>,
  output: Record<string, boolean>,
) => ReturnType<TesseractWorkerLike['recognize']>;

/** tesseract.js's worker as the shared slot sees it, with its worker thread (to watch for a crash). */
function adapt(worker: Tesseract.Worker): TesseractWorkerLike & { thread?: ThreadWorker } {
  return {
    reinitialize: (langs, oem) => worker.reinitialize(langs, oem),
    // tesseract.js takes a Uint8Array of file bytes and any tesseract parameter; its types list neither.
    recognize: (image, parameters, output) =>
      (worker.recognize as unknown as LooseRecognize)(image, parameters, output),
    terminate: () => worker.terminate(),
    thread: (worker as unknown as { worker?: ThreadWorker }).worker,
  };
}

export interface NodeOcrEngineOptions {
  assets: OcrAssets;
  /** The `ocr.workers` setting: 0 = from the core count. */
  workers: number;
  variant: OcrVariant;
  /** Languages each worker loads first (others are loaded when a request asks for them). */
  languages: string;
  logger: Logger;
}

/**
 * The OcrEngine in Node worker threads (CLI, batch import, headless engine): tesseract.js workers
 * running our worker script, with the same core file, data and parameters as the renderer's pool.
 */
export function createNodeOcrEngine(options: NodeOcrEngineOptions): OcrPool & { readonly size: number } {
  const { assets, variant } = options;
  const log = options.logger.child('ocr');
  const size = ocrPoolSize(options.workers, os.availableParallelism());
  const engineLabel = ocrEngineLabel({ manifest: assets.manifest, simd: assets.simd, variant });
  const pool = createOcrPool({
    size,
    createSlot: async (index) => {
      const started = Date.now();
      const slot = await createTesseractSlot({
        languages: options.languages,
        engineLabel,
        createWorker: async (langs, oem, onError) =>
          adapt(
            await Tesseract.createWorker(langs, oem, {
              workerPath: assets.workerPath,
              corePath: assets.corePath,
              langPath: assets.langPath(variant),
              // Data is read from the installation every time: no cache file in the working folder.
              cacheMethod: 'none',
              gzip: true,
              legacyCore: true,
              legacyLang: true,
              workerBlobURL: false,
              errorHandler: onError,
            }),
          ),
        watch: (worker, onDeath) => {
          const thread = (worker as TesseractWorkerLike & { thread?: ThreadWorker }).thread;
          thread?.once('exit', (code) => onDeath(new Error(`worker thread exited with code ${code}`)));
          thread?.once('error', onDeath);
        },
      });
      log.info('OCR worker started', { index, ms: Date.now() - started, variant });
      return slot;
    },
    onError: (error) => log.warn('OCR worker problem', { error }),
  });
  return Object.assign(pool, { size });
}
