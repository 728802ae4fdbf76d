/**
 * The part of tesseract.js's `blocks` output the station reads, and the trimming of the rest.
 *
 * No imports: the web worker and the Node worker thread both bundle this file, and trim each
 * result before posting it, so the main thread (the UI, or the engine doing capture) receives a
 * few kilobytes per page instead of every symbol with its alternatives and font guesses.
 */

export interface TesseractBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
export interface TesseractWord {
  text: string;
  confidence: number;
  bbox: TesseractBox;
}
export interface TesseractLine {
  words: TesseractWord[];
  bbox: TesseractBox;
  baseline: TesseractBox;
}
export interface TesseractParagraph {
  lines: TesseractLine[];
}
export interface TesseractBlock {
  paragraphs: TesseractParagraph[];
}

const box = (value: TesseractBox): TesseractBox => ({ x0: value.x0, y0: value.y0, x1: value.x1, y1: value.y1 });

/** Keeps of tesseract.js blocks only what toOcrResult reads: boxes, baselines, words, confidences. */
export function trimTesseractBlocks(blocks: readonly TesseractBlock[] | null): TesseractBlock[] | null {
  if (blocks === null) return null;
  return blocks.map((block) => ({
    paragraphs: block.paragraphs.map((paragraph) => ({
      lines: paragraph.lines.map((line) => ({
        bbox: box(line.bbox),
        baseline: box(line.baseline),
        words: line.words.map((word) => ({ text: word.text, confidence: word.confidence, bbox: box(word.bbox) })),
      })),
    })),
  }));
}

/**
 * Trims a message a tesseract.js worker posts to its page: a finished `recognize` keeps only the
 * blocks. Every other message passes unchanged.
 */
export function trimWorkerMessage(message: unknown): unknown {
  const packet = message as { action?: unknown; status?: unknown; data?: { blocks?: TesseractBlock[] | null } };
  if (packet.action !== 'recognize' || packet.status !== 'resolve' || typeof packet.data !== 'object') return message;
  return { ...packet, data: { blocks: trimTesseractBlocks(packet.data.blocks ?? null) } };
}
