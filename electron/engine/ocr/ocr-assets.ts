import fs from 'node:fs';
import path from 'node:path';
import { StationError } from '../../../shared/errors.js';
import type { OcrAssetManifest, OcrVariant } from '../../../shared/ocr.js';
import {
  OcrAssetManifest as ManifestSchema,
  ocrAssetPaths,
  ocrLanguageCodes,
  wasmSimdProbe,
} from '../../../shared/ocr.js';

/** Where the engine's OCR pool finds its worker script, core and language data (copied by the build). */
export interface OcrAssets {
  dir: string;
  manifest: OcrAssetManifest;
  /** Our worker-thread script (electron/engine/ocr/tesseract-worker.cjs, bundled). */
  workerPath: string;
  /** The core file both hosts load: the SIMD build where WebAssembly SIMD runs, the fallback otherwise. */
  corePath: string;
  simd: boolean;
  /** The folder of one variant's `<lang>.traineddata.gz`. */
  langPath(variant: OcrVariant): string;
}

/** The OCR asset folder of an installation: `<resources>/ocr`. */
export function ocrAssetDir(resourcesDir: string): string {
  return path.join(resourcesDir, 'ocr');
}

/**
 * Finds and checks the bundled OCR assets; throws `ocr/assets-missing` naming what is missing.
 *
 * Checked before any worker starts: a tesseract.js worker that cannot find its data never reports
 * ready, so a missing file must be caught here.
 */
export function resolveOcrAssets(resourcesDir: string): OcrAssets {
  const dir = ocrAssetDir(resourcesDir);
  const missing = (what: string): StationError =>
    new StationError(
      'ocr/assets-missing',
      `OCR assets are missing (${what} in ${dir}); run \`npm run build\` or reinstall`,
    );
  let manifest: OcrAssetManifest;
  try {
    manifest = ManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, ocrAssetPaths.manifest), 'utf8')));
  } catch {
    throw missing(ocrAssetPaths.manifest);
  }
  // @types/node does not declare WebAssembly; Node 20 has it.
  const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
  const simd = wasm.validate(wasmSimdProbe);
  const required = [
    ocrAssetPaths.nodeWorker,
    simd ? ocrAssetPaths.coreSimd : ocrAssetPaths.coreFallback,
    ...Object.keys(manifest.files).filter((file) => file.startsWith('lang/')),
  ];
  for (const file of required) {
    if (!fs.existsSync(path.join(dir, file))) throw missing(file);
  }
  for (const variant of ['4.0.0_best_int', '4.0.0'] as const) {
    for (const lang of [...ocrLanguageCodes, 'osd']) {
      const file = `${ocrAssetPaths.languages(variant)}/${lang}.traineddata.gz`;
      if (!fs.existsSync(path.join(dir, file))) throw missing(file);
    }
  }
  return {
    dir,
    manifest,
    workerPath: path.join(dir, ocrAssetPaths.nodeWorker),
    corePath: path.join(dir, simd ? ocrAssetPaths.coreSimd : ocrAssetPaths.coreFallback),
    simd,
    langPath: (variant) => path.join(dir, ocrAssetPaths.languages(variant)),
  };
}
