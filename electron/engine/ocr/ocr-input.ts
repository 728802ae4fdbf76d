import crypto from 'node:crypto';
import sharp from 'sharp';
import type { Orientation } from '../../../shared/ocr.js';

/** The bytes OCR reads for a page, and their SHA-256 (the de-duplication key). */
export interface OcrInput {
  image: Buffer;
  sha256: string;
}

/**
 * The image to recognise: the stored bytes as they are, or, when the clerk turned the page, the
 * image turned clockwise by `rotation` as a lossless PNG.
 *
 * The engine prepares it once and hands the same bytes to whichever host recognises the page, so
 * the renderer and the Node pool read identical pixels.
 */
export async function prepareOcrInput(stored: Buffer, rotation: Orientation, dpi: number | null): Promise<OcrInput> {
  let image = stored;
  if (rotation !== 0) {
    let turned = sharp(stored).rotate(rotation).png({ compressionLevel: 6 });
    if (dpi !== null) turned = turned.withMetadata({ density: dpi });
    image = await turned.toBuffer();
  }
  return { image, sha256: crypto.createHash('sha256').update(image).digest('hex') };
}
