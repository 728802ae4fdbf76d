import sharp from 'sharp';
import type { Metadata } from 'sharp';
import { StationError } from '../../../shared/errors.js';
import type { ScannedPage } from './scan-driver.js';

/** Format and size of a page image, read from its header. */
export interface ImageInfo {
  mimeType: ScannedPage['mimeType'];
  widthPx: number;
  heightPx: number;
  /** Resolution the file declares, when it does (JFIF, pHYs, TIFF tags). */
  dpi: number | undefined;
}

const pngEnd = Buffer.from([0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/** The format a file's first bytes name, or undefined for anything else. */
export function sniffImageType(data: Uint8Array): ScannedPage['mimeType'] | 'application/pdf' | undefined {
  const head = Buffer.from(data.buffer, data.byteOffset, Math.min(8, data.byteLength));
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  const tiff = head.subarray(0, 4).toString('latin1');
  if (tiff === 'II*\u0000' || tiff === 'MM\u0000*') return 'image/tiff';
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return undefined;
}

/**
 * Whether a JPEG or PNG file is whole: JPEG ends with the EOI marker, PNG with the IEND chunk.
 *
 * A file still being written (by a scanner's share, or an old scanimage that
 * writes in place) lacks its ending; TIFF has no ending mark and is checked by
 * decoding instead.
 */
export function hasImageEnding(data: Uint8Array, mimeType: ScannedPage['mimeType']): boolean {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (mimeType === 'image/jpeg') {
    // 0xFFD9 appears nowhere else near the end (entropy-coded 0xFF bytes are stuffed); some devices pad after it.
    const tail = buffer.subarray(Math.max(0, buffer.length - 64));
    const at = tail.lastIndexOf(Buffer.from([0xff, 0xd9]));
    return at >= 0 && tail.subarray(at + 2).every((byte) => byte === 0x00 || byte === 0xff);
  }
  if (mimeType === 'image/png') return buffer.length >= 8 && buffer.subarray(buffer.length - 8).equals(pngEnd);
  return true;
}

/**
 * Size and JFIF density of a JPEG from its markers, without decoding (the SOF segment comes before
 * any image data); undefined when the markers cannot be followed.
 */
export function jpegHeader(data: Buffer): { width: number; height: number; dpi: number | undefined } | undefined {
  let dpi: number | undefined;
  let at = 2;
  while (at + 4 <= data.length) {
    if (data[at] !== 0xff) return undefined;
    const marker = data[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    const length = data.readUInt16BE(at + 2);
    // APP0 "JFIF": units 1 = dots per inch, 2 = dots per centimetre.
    if (marker === 0xe0 && data.toString('latin1', at + 4, at + 9) === 'JFIF\u0000' && at + 16 <= data.length) {
      const units = data[at + 11];
      const density = data.readUInt16BE(at + 12);
      if (units === 1 && density > 1) dpi = density;
      if (units === 2 && density > 1) dpi = Math.round(density * 2.54);
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame && at + 9 <= data.length) {
      return { height: data.readUInt16BE(at + 5), width: data.readUInt16BE(at + 7), dpi };
    }
    at += 2 + length;
  }
  return undefined;
}

/** Size of a PNG from its IHDR chunk. */
function pngHeader(data: Buffer): { width: number; height: number } | undefined {
  if (data.length < 24 || data.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** Reads format, size and declared resolution; a file that cannot be read is `scan/io`. */
export async function readImageInfo(data: Buffer): Promise<ImageInfo> {
  const mimeType = sniffImageType(data);
  if (mimeType === undefined || mimeType === 'application/pdf') {
    throw new StationError('scan/io', 'The scanner sent something that is not a JPEG, PNG or TIFF image');
  }
  // The headers say enough for JPEG and PNG; sharp's thread pool is busy with thumbnails meanwhile.
  const quick: { width: number; height: number; dpi?: number | undefined } | undefined =
    mimeType === 'image/jpeg' ? jpegHeader(data) : mimeType === 'image/png' ? pngHeader(data) : undefined;
  if (quick !== undefined && quick.width > 0 && quick.height > 0) {
    return { mimeType, widthPx: quick.width, heightPx: quick.height, dpi: quick.dpi };
  }
  let metadata: Metadata;
  try {
    metadata = await sharp(data).metadata();
  } catch (error) {
    throw new StationError('scan/io', `The scanner sent an image that cannot be read: ${(error as Error).message}`);
  }
  if (metadata.width === undefined || metadata.height === undefined) {
    throw new StationError('scan/io', 'The scanner sent an image without a size');
  }
  return {
    mimeType,
    widthPx: metadata.width,
    heightPx: metadata.height,
    dpi: metadata.density !== undefined && metadata.density > 1 ? Math.round(metadata.density) : undefined,
  };
}
