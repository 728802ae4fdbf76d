import { z } from 'zod';
import { Id, OcrState } from './domain.js';
import type { TesseractBlock, TesseractBox, TesseractLine } from './tesseract-blocks.js';
import { repairVietnameseText } from './vietnamese-text.js';

/** A box in image pixels, origin top-left. */
export const PixelBox = z.object({
  x0: z.number(),
  y0: z.number(),
  x1: z.number(),
  y1: z.number(),
});
export type PixelBox = z.infer<typeof PixelBox>;

export const OcrWord = z.object({
  /** NFC. */
  text: z.string(),
  /** 0–100, as tesseract reports it. */
  confidence: z.number().min(0).max(100),
  bbox: PixelBox,
});
export type OcrWord = z.infer<typeof OcrWord>;

export const OcrLine = z.object({
  /** The line's words joined by single spaces, NFC. */
  text: z.string(),
  bbox: PixelBox,
  words: z.array(OcrWord),
  /** Lines of one block (paragraph) share an index; the page text puts a blank line between blocks. */
  blockIndex: z.number().int().nonnegative(),
});
export type OcrLine = z.infer<typeof OcrLine>;

export const Orientation = z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]);
export type Orientation = z.infer<typeof Orientation>;

/**
 * What OCR gives back for one page image, the same from every host (Node worker threads or
 * renderer web workers) for the same image.
 *
 * `text` is derived from `lines`: lines joined by `\n`, blocks separated by a blank line. The PDF
 * text layer is built from the same lines, so extracting the PDF's text gives `text` back.
 *
 * Boxes are in the pixels of the page **as read upright**: the image turned clockwise by
 * `orientation`, which is `widthPx` × `heightPx` (width and height swap for 90 and 270). For an
 * upright page that is simply the image. `rotateBox` maps a box back onto the image as stored.
 */
export const OcrResult = z.object({
  text: z.string(),
  lines: z.array(OcrLine),
  /** Clockwise rotation the page needs to read upright. */
  orientation: Orientation,
  /** Mean word confidence, 0–100. */
  confidence: z.number().min(0).max(100),
  languages: z.string(),
  /** Engine and data that produced it, e.g. `tesseract.js 7.0.0 vie+eng best_int`. */
  engine: z.string(),
  widthPx: z.number().int().positive(),
  heightPx: z.number().int().positive(),
});
export type OcrResult = z.infer<typeof OcrResult>;

/** The part of AbortSignal that shared/ may name (it compiles without DOM or Node types). */
export interface CancelSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface OcrRequest {
  image: Uint8Array;
  /** `vie+eng` by default. */
  languages?: string;
  /** Higher runs first (the page on screen). */
  priority?: number;
  /** De-duplication key, normally the image's SHA-256: equal keys share one recognition. */
  key?: string;
  signal?: CancelSignal;
  /**
   * Find the page's orientation and read it upright (tesseract's automatic segmentation with
   * orientation detection). False when the caller has already turned the image upright, e.g.
   * after the clerk rotated the page. Default true.
   */
  detectOrientation?: boolean;
  /** The image's resolution when known; tesseract otherwise reads it from the file or guesses. */
  dpi?: number;
}

/**
 * Recognises the text of page images (port; implementations by technology, e.g. a tesseract.js
 * pool in Node worker threads or in renderer web workers).
 */
export interface OcrEngine {
  recognize(request: OcrRequest): Promise<OcrResult>;
  terminate(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// What both hosts share so that the same image gives the same result: languages, data variant,
// tesseract parameters and the conversion of tesseract's output.

/** Languages the station bundles, in tesseract's names. */
export const ocrLanguageCodes = ['vie', 'eng'] as const;

/** A `+`-joined list of bundled languages, e.g. `vie+eng`. */
export const OcrLanguages = z
  .string()
  .regex(/^(vie|eng)(\+(vie|eng))*$/, 'languages joined by +, from: vie, eng')
  .refine((value) => new Set(value.split('+')).size === value.split('+').length, 'a language appears twice');

/** The bundled traineddata variants (folders of `@tesseract.js-data/*`); see README "OCR" for the choice. */
export const OcrVariant = z.enum(['4.0.0_best_int', '4.0.0']);
export type OcrVariant = z.infer<typeof OcrVariant>;

export const defaultOcrLanguages = 'vie+eng';
export const defaultOcrVariant: OcrVariant = '4.0.0_best_int';

/** tesseract.js OEM.LSTM_ONLY: the neural recogniser reads the text. */
export const tesseractOem = 1;
/** tesseract.js OEM.TESSERACT_ONLY: the legacy engine, used only to load the orientation model. */
export const tesseractLegacyOem = 0;

/** A minimal WebAssembly module using SIMD: `WebAssembly.validate` accepts it only where SIMD runs. */
export const wasmSimdProbe = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/**
 * Tesseract parameters of every recognition, on both hosts.
 *
 * - PSM 3 (automatic segmentation) reads upright pages and pages turned 90°; PSM 1 adds
 *   orientation and script detection, which reads pages turned 180° or 270° too but costs about a
 *   sixth more. Never PSM 6, which invents thousands of characters on a blank back side.
 * - Sauvola thresholding (method 2) copes with uneven lighting and show-through.
 * - `tessedit_do_invert=0` skips the second pass over every line as white-on-black text, which
 *   administrative documents do not have; it costs a quarter of the time.
 */
export function tesseractParameters(request: { psm: 1 | 3; dpi?: number | undefined }): Record<string, string> {
  const parameters: Record<string, string> = {
    tessedit_pageseg_mode: String(request.psm),
    thresholding_method: '2',
    tessedit_do_invert: '0',
  };
  if (request.dpi !== undefined && Number.isInteger(request.dpi) && request.dpi >= 70 && request.dpi <= 2400) {
    parameters.user_defined_dpi = String(request.dpi);
  }
  return parameters;
}

/**
 * Below this mean word confidence a page read without orientation detection is read again with
 * it. Upright text reads at 93–96 on the corpus; text upside down or turned 270° reads at 50–60.
 */
export const orientationRetryBelow = 80;

/** The files of the bundled OCR assets, relative to the `ocr/` asset folder (see scripts/build.mjs). */
export const ocrAssetPaths = {
  manifest: 'manifest.json',
  /** The browser worker script of tesseract.js (its `dist/worker.min.js`). */
  browserWorker: 'worker.min.js',
  /** The Node worker-thread script (electron/engine/ocr/tesseract-worker.cjs, bundled). */
  nodeWorker: 'tesseract-worker.cjs',
  /** The core with the legacy engine (needed for orientation detection), WebAssembly SIMD build. */
  coreSimd: 'core/tesseract-core-simd.wasm.js',
  /** The same core without SIMD, for machines that lack it. */
  coreFallback: 'core/tesseract-core.wasm.js',
  /** Folder of `<lang>.traineddata.gz` for one variant; `osd` is in every variant folder. */
  languages: (variant: OcrVariant): string => `lang/${variant}`,
} as const;

/** What the build wrote beside the assets: versions and hashes, so both hosts can name what they run. */
export const OcrAssetManifest = z.object({
  tesseractJs: z.string(),
  tesseractCore: z.string(),
  /** SHA-256 of every asset file, by path relative to the asset folder. */
  files: z.record(z.string(), z.string()),
});
export type OcrAssetManifest = z.infer<typeof OcrAssetManifest>;

/** Names what produced a result; equal labels mean equal core, data and parameters. */
export function ocrEngineLabel(options: { manifest: OcrAssetManifest; simd: boolean; variant: OcrVariant }): string {
  const core = options.simd ? ocrAssetPaths.coreSimd : ocrAssetPaths.coreFallback;
  const coreHash = options.manifest.files[core]?.slice(0, 8) ?? 'unknown';
  return `tesseract.js ${options.manifest.tesseractJs} core ${options.manifest.tesseractCore}${options.simd ? ' simd' : ''} #${coreHash} ${options.variant}`;
}

export type {
  TesseractBlock,
  TesseractBox,
  TesseractLine,
  TesseractParagraph,
  TesseractWord,
} from './tesseract-blocks.js';

/** Turns a box of a `width` × `height` image into the same box on the image turned `degrees` clockwise. */
export function rotateBox(box: PixelBox, degrees: Orientation, width: number, height: number): PixelBox {
  switch (degrees) {
    case 0:
      return { ...box };
    case 90:
      return { x0: height - box.y1, y0: box.x0, x1: height - box.y0, y1: box.x1 };
    case 180:
      return { x0: width - box.x1, y0: height - box.y1, x1: width - box.x0, y1: height - box.y0 };
    case 270:
      return { x0: box.y0, y0: width - box.x1, x1: box.y1, y1: width - box.x0 };
  }
}

/** The clockwise rotation that makes the page read left to right, from the direction of its baselines. */
export function orientationFromBaselines(lines: readonly { baseline: TesseractBox }[]): Orientation {
  let dx = 0;
  let dy = 0;
  for (const { baseline } of lines) {
    dx += baseline.x1 - baseline.x0;
    dy += baseline.y1 - baseline.y0;
  }
  if (dx === 0 && dy === 0) return 0;
  if (Math.abs(dx) >= Math.abs(dy)) return dx > 0 ? 0 : 180;
  // Text running down the image was turned 90° clockwise; turning it 270° more makes it upright.
  return dy > 0 ? 270 : 90;
}

/** Adds two rotations. */
export function addOrientations(a: Orientation, b: Orientation): Orientation {
  return ((a + b) % 360) as Orientation;
}

/** The page text from its lines: lines joined by a newline, a blank line between blocks. */
export function ocrTextOf(lines: readonly Pick<OcrLine, 'text' | 'blockIndex'>[]): string {
  let text = '';
  lines.forEach((line, index) => {
    if (index > 0) text += line.blockIndex === lines[index - 1]?.blockIndex ? '\n' : '\n\n';
    text += line.text;
  });
  return text;
}

const roundConfidence = (value: number): number => Math.min(100, Math.max(0, Math.round(value * 10) / 10));

/**
 * Converts tesseract.js `blocks` into an OcrResult: text repaired as NFC Vietnamese, boxes in the
 * upright page, orientation from the baselines plus any rotation the caller applied first.
 *
 * Pure and the same code on both hosts, so the same tesseract output gives the same result.
 */
export function toOcrResult(
  blocks: readonly TesseractBlock[] | null,
  page: {
    widthPx: number;
    heightPx: number;
    languages: string;
    engine: string;
    /** Clockwise rotation already applied to the image before recognition. */
    rotatedBy?: Orientation;
  },
): OcrResult {
  const rawLines: { line: TesseractLine; blockIndex: number }[] = [];
  let blockIndex = 0;
  for (const block of blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      const lines = paragraph.lines.filter((line) => line.words.some((word) => word.text.trim() !== ''));
      if (lines.length === 0) continue;
      for (const line of lines) rawLines.push({ line, blockIndex });
      blockIndex += 1;
    }
  }
  const detected = orientationFromBaselines(rawLines.map(({ line }) => line));
  const upright = (box: TesseractBox): PixelBox => {
    const turned = rotateBox(box, detected, page.widthPx, page.heightPx);
    return { x0: turned.x0, y0: turned.y0, x1: turned.x1, y1: turned.y1 };
  };
  const lines: OcrLine[] = rawLines.map(({ line, blockIndex: index }) => {
    const words = line.words
      .map((word) => ({
        text: repairVietnameseText(word.text.trim()),
        confidence: roundConfidence(word.confidence),
        bbox: upright(word.bbox),
      }))
      .filter((word) => word.text !== '');
    return { text: words.map((word) => word.text).join(' '), bbox: upright(line.bbox), words, blockIndex: index };
  });
  const words = lines.flatMap((line) => line.words);
  const confidence =
    words.length === 0 ? 0 : roundConfidence(words.reduce((sum, word) => sum + word.confidence, 0) / words.length);
  const sideways = detected === 90 || detected === 270;
  return {
    text: ocrTextOf(lines),
    lines,
    orientation: addOrientations(page.rotatedBy ?? 0, detected),
    confidence,
    languages: page.languages,
    engine: page.engine,
    widthPx: sideways ? page.heightPx : page.widthPx,
    heightPx: sideways ? page.widthPx : page.heightPx,
  };
}

/** Words below the threshold: where the clerk should look twice. */
export function lowConfidenceWords(result: Pick<OcrResult, 'lines'>, threshold: number): OcrWord[] {
  return result.lines.flatMap((line) => line.words.filter((word) => word.confidence < threshold));
}

/** An image format tesseract's Leptonica reads, with its size in pixels, read from the file header. */
export interface ImageHeader {
  format: 'png' | 'jpeg' | 'tiff' | 'bmp';
  widthPx: number;
  heightPx: number;
}

const u16be = (bytes: Uint8Array, at: number): number => ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
const u32be = (bytes: Uint8Array, at: number): number => u16be(bytes, at) * 65536 + u16be(bytes, at + 2);

function jpegSize(bytes: Uint8Array): ImageHeader | undefined {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return { format: 'jpeg', heightPx: u16be(bytes, at + 5), widthPx: u16be(bytes, at + 7) };
    if (marker === 0xd9 || marker === 0xda) return undefined;
    at += 2 + u16be(bytes, at + 2);
  }
  return undefined;
}

function tiffSize(bytes: Uint8Array): ImageHeader | undefined {
  const little = bytes[0] === 0x49;
  const u16 = (at: number): number => (little ? (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) : u16be(bytes, at));
  const u32 = (at: number): number => (little ? u16(at) + u16(at + 2) * 65536 : u32be(bytes, at));
  const ifd = u32(4);
  const count = u16(ifd);
  let widthPx = 0;
  let heightPx = 0;
  for (let i = 0; i < count; i += 1) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > bytes.length) return undefined;
    const tag = u16(entry);
    const value = u16(entry + 2) === 3 ? u16(entry + 8) : u32(entry + 8);
    if (tag === 256) widthPx = value;
    if (tag === 257) heightPx = value;
  }
  return widthPx > 0 && heightPx > 0 ? { format: 'tiff', widthPx, heightPx } : undefined;
}

/** Reads the format and pixel size from an image's first bytes; undefined when it is not an image OCR reads. */
export function readImageHeader(bytes: Uint8Array): ImageHeader | undefined {
  let header: ImageHeader | undefined;
  if (bytes.length >= 24 && u32be(bytes, 0) === 0x89504e47 && u32be(bytes, 12) === 0x49484452) {
    header = { format: 'png', widthPx: u32be(bytes, 16), heightPx: u32be(bytes, 20) };
  } else if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    header = jpegSize(bytes);
  } else if (
    bytes.length >= 8 &&
    ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 42) ||
      (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[3] === 42))
  ) {
    header = tiffSize(bytes);
  } else if (bytes.length >= 26 && bytes[0] === 0x42 && bytes[1] === 0x4d) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    header = { format: 'bmp', widthPx: view.getInt32(18, true), heightPx: Math.abs(view.getInt32(22, true)) };
  }
  return header !== undefined && header.widthPx > 0 && header.heightPx > 0 ? header : undefined;
}

// ---------------------------------------------------------------------------------------------
// What crosses the contract (shared/contract.ts declares the calls and events with these).

/** A page handed to a renderer to recognise: the image bytes to read and how. */
export const OcrJob = z.object({
  /** Names this attempt; a save for an attempt the engine has withdrawn is refused. */
  jobId: z.string().min(1).max(200),
  pageId: Id,
  batchId: Id,
  /** SHA-256 of `dataBase64`'s bytes: the de-duplication key of the recognition. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Clockwise rotation the engine already applied to the stored image (the clerk's choice). */
  rotation: Orientation,
  /** False when `rotation` was chosen by the clerk: the image is upright, do not look for orientation. */
  detectOrientation: z.boolean(),
  dpi: z.number().int().positive().nullable(),
  languages: OcrLanguages,
  priority: z.number(),
  dataBase64: z.string(),
});
export type OcrJob = z.infer<typeof OcrJob>;

/** Where a page's OCR stands, and its result when done. */
export const OcrPageResult = z.object({
  state: OcrState,
  result: OcrResult.nullable(),
  errorCode: z.string().nullable(),
});
export type OcrPageResult = z.infer<typeof OcrPageResult>;

/** The OCR queue as a whole. */
export const OcrStatus = z.object({
  /** Pages waiting for a recogniser. */
  queued: z.number().int().nonnegative(),
  /** Pages a renderer is recognising. */
  claimed: z.number().int().nonnegative(),
  /** Pages the engine's own (Node) pool is recognising. */
  running: z.number().int().nonnegative(),
  /** Whether a renderer has asked for work recently; if not, the engine's pool does the work. */
  rendererAttached: z.boolean(),
  /** Whether the engine's pool takes pages no renderer claims (off for one-shot CLI commands). */
  nodeFallback: z.boolean(),
});
export type OcrStatus = z.infer<typeof OcrStatus>;

/** A page's text is stored; the numbers let the UI show progress and doubt without fetching the text. */
export const OcrPageRecognized = z.object({
  pageId: Id,
  batchId: Id,
  host: z.enum(['renderer', 'node']),
  orientation: Orientation,
  confidence: z.number().min(0).max(100),
  words: z.number().int().nonnegative(),
  lowConfidenceWords: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
});
export type OcrPageRecognized = z.infer<typeof OcrPageRecognized>;

/**
 * How many recognisers a host runs: the `ocr.workers` setting, or, when it is 0, one per core but
 * one, at least 1 and at most 4.
 *
 * The core left over is for capture and the UI, which must never wait for OCR; each recogniser
 * holds ~150 MB. README "OCR" has the measurements behind this.
 */
export function ocrPoolSize(setting: number, cores: number): number {
  if (setting > 0) return setting;
  return Math.max(1, Math.min(4, Math.floor(cores) - 1));
}
