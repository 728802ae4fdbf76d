import { z } from 'zod';

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
}

/**
 * Recognises the text of page images (port; implementations by technology, e.g. a tesseract.js
 * pool in Node worker threads or in renderer web workers).
 */
export interface OcrEngine {
  recognize(request: OcrRequest): Promise<OcrResult>;
  terminate(): Promise<void>;
}
