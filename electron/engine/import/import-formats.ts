import path from 'node:path';
import sharp from 'sharp';
import type { Metadata, Sharp } from 'sharp';
import type { ColourMode } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import { hasImageEnding, sniffImageType } from '../scan/image-info.js';
import type { ScannedPage } from '../scan/scan-driver.js';
import { hasPdfEnding, openPdf } from './pdf-pages.js';

/** The file formats import takes. */
export type ImportFormat = 'pdf' | 'tiff' | 'jpeg' | 'png';

/** A file opened for import: what it is and its pages, decoded one at a time. */
export interface ImportSource {
  format: ImportFormat;
  pageCount: number;
  /** A PDF with a digital signature: its original bytes are kept as they are. */
  signed: boolean;
  pages(): AsyncGenerator<ScannedPage, void, undefined>;
  close(): Promise<void>;
}

/** How pages that must be drawn (PDF) are drawn: the profile's resolution and colour mode. */
export interface RenderSettings {
  dpi: number;
  colourMode: ColourMode;
}

/** The format of a file from its first bytes; the name only helps the message when it is none of them. */
export function importFormatOf(data: Uint8Array, name: string): ImportFormat {
  switch (sniffImageType(data)) {
    case 'application/pdf':
      return 'pdf';
    case 'image/tiff':
      return 'tiff';
    case 'image/jpeg':
      return 'jpeg';
    case 'image/png':
      return 'png';
    case undefined:
      break;
  }
  const extension = path.extname(name).toLowerCase();
  const looksLike = ['.pdf', '.tif', '.tiff', '.jpg', '.jpeg', '.png'].includes(extension);
  throw new StationError(
    looksLike ? 'import/corrupt-file' : 'import/unsupported-format',
    looksLike
      ? `${name}: the content is not a ${extension.slice(1).toUpperCase()} file (damaged or renamed)`
      : `${name}: only PDF, TIFF, JPEG and PNG files can be imported`,
  );
}

/**
 * Whether a file looks completely written: JPEG and PNG end with their end
 * marker, PDF with `%%EOF`; TIFF has no end marker and is checked by decoding.
 *
 * The hot folder asks this before taking a file a scanner is still writing.
 */
export function looksComplete(data: Uint8Array, format: ImportFormat): boolean {
  if (format === 'pdf') return hasPdfEnding(data);
  if (format === 'jpeg') return hasImageEnding(data, 'image/jpeg');
  if (format === 'png') return hasImageEnding(data, 'image/png');
  return true;
}

function corrupt(name: string, error: unknown, page?: number): StationError {
  if (error instanceof StationError) return error;
  const where = page === undefined ? '' : ` (page ${page})`;
  return new StationError('import/corrupt-file', `${name}${where}: ${(error as Error).message}`);
}

/** sharp fails on truncated data instead of filling it in: a cut file must not become a page with a grey band. */
const strict = { failOn: 'truncated' as const };

function colourOf(metadata: Metadata): ColourMode {
  if (metadata.bitsPerSample === 1) return 'lineart';
  return metadata.channels !== undefined && metadata.channels <= 2 ? 'gray' : 'color';
}

function dpiOf(metadata: Metadata, fallback: number): number {
  // sharp reports 72 when a file declares nothing; no scan is 72 dpi, so that means "unknown".
  const density = metadata.density;
  return density !== undefined && density > 72 && density <= 2400 ? Math.round(density) : fallback;
}

/** A JPEG or PNG is one page, stored as it is (never re-encoded), once it decodes in full. */
async function singleImage(
  data: Buffer,
  name: string,
  format: 'jpeg' | 'png',
  fallbackDpi: number,
): Promise<ImportSource> {
  if (!hasImageEnding(data, format === 'jpeg' ? 'image/jpeg' : 'image/png')) {
    throw new StationError('import/corrupt-file', `${name}: the image is cut short (no end marker)`);
  }
  let metadata: Metadata;
  try {
    metadata = await sharp(data, strict).metadata();
    // Decoding every pixel is the only proof the compressed data is whole.
    await sharp(data, strict).raw().toBuffer();
  } catch (error) {
    throw corrupt(name, error);
  }
  const page: ScannedPage = {
    data,
    mimeType: format === 'jpeg' ? 'image/jpeg' : 'image/png',
    widthPx: metadata.width ?? 1,
    heightPx: metadata.height ?? 1,
    dpi: dpiOf(metadata, fallbackDpi),
    colourMode: colourOf(metadata),
  };
  return {
    format,
    pageCount: 1,
    signed: false,
    async *pages() {
      yield await Promise.resolve(page);
    },
    close: () => Promise.resolve(),
  };
}

/**
 * Writes one page of a TIFF in a format the rest of the station reads (PDF/A embeds JPEG and PNG):
 * bi-level (CCITT G3/G4 and other 1-bit pages) and grey pages become lossless PNG, colour pages
 * that were JPEG-compressed stay JPEG, other colour pages become lossless PNG.
 */
async function tiffPage(
  image: Sharp,
  jpegCompressed: boolean,
  colourMode: ColourMode,
  dpi: number,
): Promise<{ data: Buffer; mimeType: 'image/png' | 'image/jpeg' }> {
  const withDpi = image.withDensity(dpi);
  if (colourMode === 'lineart') {
    return {
      data: await withDpi.toColourspace('b-w').png({ palette: true, colours: 2 }).toBuffer(),
      mimeType: 'image/png',
    };
  }
  if (colourMode === 'gray')
    return { data: await withDpi.toColourspace('b-w').png().toBuffer(), mimeType: 'image/png' };
  if (jpegCompressed) return { data: await withDpi.jpeg({ quality: 92 }).toBuffer(), mimeType: 'image/jpeg' };
  return { data: await withDpi.png().toBuffer(), mimeType: 'image/png' };
}

/** What the IFD chain of a TIFF says: each page's Compression tag, and whether the file is cut short. */
export interface TiffStructure {
  /** Compression (tag 259) per page; 1 (none) where unreadable. */
  compressions: number[];
  /** An IFD, or a page's image data, lies beyond the end of the file. */
  truncated: boolean;
}

/**
 * Walks the IFD chain of a TIFF.
 *
 * sharp reports neither the compression (which decides how a page is kept:
 * re-encoding a JPEG-compressed page as PNG only makes it larger) nor a cut
 * file: libtiff stops at the last IFD it can read, so a multi-page TIFF cut in
 * the middle opens as a shorter, valid-looking one. Here a next-IFD offset or
 * a strip/tile past the end of the file says the file is cut.
 */
export function tiffStructure(data: Buffer): TiffStructure {
  const little = data.toString('latin1', 0, 2) === 'II';
  const u16 = (at: number): number => (little ? data.readUInt16LE(at) : data.readUInt16BE(at));
  const u32 = (at: number): number => (little ? data.readUInt32LE(at) : data.readUInt32BE(at));
  const compressions: number[] = [];
  const seen = new Set<number>();
  try {
    /** The values of a SHORT or LONG entry (inline when they fit in four bytes). */
    const values = (entry: number): number[] => {
      const type = u16(entry + 2);
      const count = u32(entry + 4);
      const size = type === 3 ? 2 : type === 4 ? 4 : 0;
      if (size === 0 || count > 1_000_000) return [];
      const at = size * count <= 4 ? entry + 8 : u32(entry + 8);
      if (at + size * count > data.length) return [Number.POSITIVE_INFINITY];
      return Array.from({ length: count }, (_, index) => (size === 2 ? u16(at + index * 2) : u32(at + index * 4)));
    };
    let offset = u32(4);
    while (offset !== 0 && !seen.has(offset) && compressions.length < 10_000) {
      if (offset + 2 > data.length) return { compressions, truncated: true };
      seen.add(offset);
      const count = u16(offset);
      if (offset + 2 + count * 12 + 4 > data.length) return { compressions, truncated: true };
      let compression = 1;
      const tags = new Map<number, number>();
      for (let entry = 0; entry < count; entry += 1) {
        const at = offset + 2 + entry * 12;
        tags.set(u16(at), at);
        if (u16(at) === 259) compression = u16(at + 8);
      }
      compressions.push(compression);
      // Strips (273 offsets, 279 byte counts) or tiles (324, 325) must lie inside the file.
      for (const [offsetsTag, countsTag] of [
        [273, 279],
        [324, 325],
      ] as const) {
        const offsetsEntry = tags.get(offsetsTag);
        const countsEntry = tags.get(countsTag);
        if (offsetsEntry === undefined || countsEntry === undefined) continue;
        const starts = values(offsetsEntry);
        const lengths = values(countsEntry);
        if (starts.some((start, index) => start + (lengths[index] ?? 0) > data.length)) {
          return { compressions, truncated: true };
        }
      }
      offset = u32(offset + 2 + count * 12);
    }
  } catch {
    return { compressions, truncated: true };
  }
  return { compressions, truncated: false };
}

async function tiffSource(data: Buffer, name: string, fallbackDpi: number): Promise<ImportSource> {
  let pageCount: number;
  try {
    const metadata = await sharp(data, { ...strict, pages: -1 }).metadata();
    pageCount = metadata.pages ?? 1;
  } catch (error) {
    throw corrupt(name, error);
  }
  const { compressions, truncated } = tiffStructure(data);
  if (truncated)
    throw new StationError('import/corrupt-file', `${name}: the TIFF is cut short (data past the end of the file)`);
  // Compression 6 (old-style) and 7 are JPEG.
  const jpegPages = new Set(
    compressions.flatMap((compression, page) => (compression === 6 || compression === 7 ? [page] : [])),
  );
  return {
    format: 'tiff',
    pageCount,
    signed: false,
    async *pages() {
      for (let page = 0; page < pageCount; page += 1) {
        let scanned: ScannedPage;
        try {
          const image = sharp(data, { ...strict, page });
          const metadata = await image.metadata();
          const colourMode = colourOf(metadata);
          const dpi = dpiOf(metadata, fallbackDpi);
          const encoded = await tiffPage(image, jpegPages.has(page), colourMode, dpi);
          scanned = {
            data: encoded.data,
            mimeType: encoded.mimeType,
            widthPx: metadata.width ?? 1,
            heightPx: metadata.height ?? 1,
            dpi,
            colourMode,
          };
        } catch (error) {
          throw corrupt(name, error, page + 1);
        }
        yield scanned;
      }
    },
    close: () => Promise.resolve(),
  };
}

async function pdfSource(data: Buffer, name: string, render: RenderSettings): Promise<ImportSource> {
  if (!hasPdfEnding(data)) throw new StationError('import/corrupt-file', `${name}: the PDF is cut short (no %%EOF)`);
  const pdf = await openPdf(data, name);
  if (pdf.pageCount === 0) {
    await pdf.close();
    throw new StationError('import/corrupt-file', `${name}: the PDF has no pages`);
  }
  return {
    format: 'pdf',
    pageCount: pdf.pageCount,
    signed: pdf.signed,
    async *pages() {
      for (let number = 1; number <= pdf.pageCount; number += 1) {
        const drawn = await pdf.render(number, render.dpi);
        let image = sharp(drawn.rgba, { raw: { width: drawn.widthPx, height: drawn.heightPx, channels: 4 } })
          .removeAlpha()
          .withDensity(render.dpi);
        let mimeType: 'image/jpeg' | 'image/png' = 'image/jpeg';
        let encoded: Buffer;
        if (render.colourMode === 'lineart') {
          image = image.threshold(160).toColourspace('b-w');
          mimeType = 'image/png';
          encoded = await image.png({ palette: true, colours: 2 }).toBuffer();
        } else {
          if (render.colourMode === 'gray') image = image.greyscale();
          encoded = await image.jpeg({ quality: 90 }).toBuffer();
        }
        yield {
          data: encoded,
          mimeType,
          widthPx: drawn.widthPx,
          heightPx: drawn.heightPx,
          dpi: render.dpi,
          colourMode: render.colourMode,
        };
      }
    },
    close: () => pdf.close(),
  };
}

/**
 * Opens a file for import.
 *
 * JPEG and PNG are kept byte for byte as the page; TIFF pages (multi-page,
 * CCITT G4 included) are converted page by page; PDF pages are drawn at the
 * profile's resolution. A damaged or cut file is `import/corrupt-file` before
 * or while its pages are read — the caller commits nothing of a file that
 * fails part-way.
 */
export async function openImportSource(data: Buffer, name: string, render: RenderSettings): Promise<ImportSource> {
  const format = importFormatOf(data, name);
  switch (format) {
    case 'jpeg':
    case 'png':
      return singleImage(data, name, format, render.dpi);
    case 'tiff':
      return tiffSource(data, name, render.dpi);
    case 'pdf':
      return pdfSource(data, name, render);
  }
}
