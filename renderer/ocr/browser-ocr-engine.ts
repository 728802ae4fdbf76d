import Tesseract from 'tesseract.js';
import type { OcrAssetManifest, OcrVariant } from '../../shared/ocr.js';
import {
  OcrAssetManifest as ManifestSchema,
  ocrAssetPaths,
  ocrEngineLabel,
  ocrPoolSize,
  wasmSimdProbe,
} from '../../shared/ocr.js';
import type { OcrPool, TesseractWorkerLike } from '../../shared/ocr-queue.js';
import { createOcrPool, createTesseractSlot } from '../../shared/ocr-queue.js';
import { StationError } from '../../shared/errors.js';
import workerEntryUrl from './tesseract-worker-entry.ts?worker&url';

export interface BrowserOcrEngineOptions {
  /** The folder the build copied the OCR assets to (`<app>/ocr/`), on the app's own origin. */
  assetBase: URL;
  manifest: OcrAssetManifest;
  /** The `ocr.workers` setting: 0 = from `navigator.hardwareConcurrency`. */
  workers: number;
  variant: OcrVariant;
  /** Languages each worker loads first. */
  languages: string;
}

/** The renderer's OcrEngine: tesseract.js workers in web workers, the same core, data and parameters as the engine's pool. */
export type BrowserOcrEngine = OcrPool & { readonly size: number };

type LooseRecognize = (
  image: Uint8Array,
  parameters: Record<string, string>,
  output: Record<string, boolean>,
) => ReturnType<TesseractWorkerLike['recognize']>;

/** tesseract.js's worker as the shared slot sees it, with its web worker (to watch for a crash). */
function adapt(worker: Tesseract.Worker): TesseractWorkerLike & { thread?: Worker } {
  return {
    reinitialize: (langs, oem) => worker.reinitialize(langs, oem),
    // tesseract.js takes a Uint8Array of file bytes and any tesseract parameter; its types list neither.
    recognize: (image, parameters, output) =>
      (worker.recognize as unknown as LooseRecognize)(image, parameters, output),
    terminate: () => worker.terminate(),
    thread: (worker as unknown as { worker?: Worker }).worker,
  };
}

/** Reads the asset manifest the build wrote; `ocr/assets-missing` when the assets are not served. */
export async function loadOcrManifest(assetBase: URL): Promise<OcrAssetManifest> {
  try {
    const response = await fetch(new URL(ocrAssetPaths.manifest, assetBase), { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return ManifestSchema.parse(await response.json());
  } catch (error) {
    throw new StationError('ocr/assets-missing', `OCR assets are not served at ${assetBase.href}: ${String(error)}`);
  }
}

/** Whether WebAssembly SIMD runs here; the core file is chosen by the same probe on both hosts. */
export function supportsWasmSimd(): boolean {
  return WebAssembly.validate(wasmSimdProbe);
}

/** Creates the pool; workers start on the first page (or `warm`). */
export function createBrowserOcrEngine(options: BrowserOcrEngineOptions): BrowserOcrEngine {
  const { assetBase, variant } = options;
  const simd = supportsWasmSimd();
  const size = ocrPoolSize(options.workers, navigator.hardwareConcurrency || 2);
  const engineLabel = ocrEngineLabel({ manifest: options.manifest, simd, variant });
  const entry = new URL(workerEntryUrl, document.baseURI);
  entry.searchParams.set('script', new URL(ocrAssetPaths.browserWorker, assetBase).href);
  const paths = {
    workerPath: entry.href,
    // A file, not a folder: tesseract.js would otherwise pick relaxed SIMD where it can, which
    // Node 20 cannot run, and the two hosts would no longer give the same text.
    corePath: new URL(simd ? ocrAssetPaths.coreSimd : ocrAssetPaths.coreFallback, assetBase).href,
    langPath: new URL(ocrAssetPaths.languages(variant), assetBase).href,
  };
  const pool = createOcrPool({
    size,
    createSlot: () =>
      createTesseractSlot({
        languages: options.languages,
        engineLabel,
        createWorker: async (langs, oem, onError) =>
          adapt(
            await Tesseract.createWorker(langs, oem, {
              ...paths,
              workerBlobURL: false,
              // The data is served locally; a browser cache (IndexedDB) would outlive a variant change.
              cacheMethod: 'none',
              gzip: true,
              legacyCore: true,
              legacyLang: true,
              errorHandler: onError,
            }),
          ),
        watch: (worker, onDeath) => {
          const thread = (worker as TesseractWorkerLike & { thread?: Worker }).thread;
          thread?.addEventListener('error', (event) => onDeath(new Error(event.message || 'web worker failed')));
        },
      }),
  });
  return Object.assign(pool, { size });
}
