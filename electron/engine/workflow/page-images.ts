import sharp from 'sharp';
import type { Sharp } from 'sharp';
import type { DocumentPage } from '../../../shared/domain.js';
import type { Settings } from '../../../shared/settings.js';
import type { ImagingPool } from '../imaging/imaging-pool.js';
import type { RenderedPage } from '../imaging/page-cleaner.js';

/** The longer side of a page image for the large viewer when the caller gives none. */
export const defaultViewerSize = 1600;

export interface PageImage {
  mimeType: 'image/jpeg';
  dataBase64: string;
  widthPx: number;
  heightPx: number;
}

/** The clerk's transforms of a page, or the measured suggestion (orientation, crop, deskew) when there are none. */
export function outputTransforms(page: Pick<DocumentPage, 'transforms'>): DocumentPage['transforms'] | undefined {
  return page.transforms.length > 0 ? page.transforms : undefined;
}

/** A 1-bit page (rows packed, 1 = white) as 8-bit grey pixels. */
function unpackBilevel(page: RenderedPage): Buffer {
  const rowBytes = Math.ceil(page.width / 8);
  const grey = Buffer.alloc(page.width * page.height);
  for (let y = 0; y < page.height; y += 1) {
    for (let x = 0; x < page.width; x += 1) {
      const bit = ((page.data[y * rowBytes + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1;
      grey[y * page.width + x] = bit === 1 ? 255 : 0;
    }
  }
  return grey;
}

/** The image at most `maxSize` on its longer side (JPEG q92) and the resolution that makes it. */
async function shrunkForPreview(
  image: Uint8Array,
  dpi: number,
  maxSize: number,
): Promise<{ image: Uint8Array; dpi: number }> {
  const metadata = await sharp(image).metadata();
  const longer = Math.max(metadata.width ?? 0, metadata.height ?? 0);
  if (longer <= maxSize) return { image, dpi };
  const shrunk = await sharp(image)
    .resize({ width: maxSize, height: maxSize, fit: 'inside' })
    .jpeg({ quality: 92 })
    .toBuffer();
  return { image: shrunk, dpi: Math.max(1, Math.round((dpi * maxSize) / longer)) };
}

/**
 * A page for the large viewer: `original` as captured, `cleaned` as the PDF will show it (the
 * page's transforms and the output's colour clean-up), at most `maxSize` pixels on its longer side.
 */
export async function pageImage(input: {
  image: Uint8Array;
  page: Pick<DocumentPage, 'dpi' | 'transforms'>;
  variant: 'original' | 'cleaned';
  maxSize: number;
  imaging: ImagingPool;
  output: Settings['output'];
}): Promise<PageImage> {
  let source: Sharp;
  if (input.variant === 'original') {
    source = sharp(input.image).rotate();
  } else {
    // The clean-up runs on the page already shrunk to the viewer's size (transforms are fractions
    // and degrees, so they fit any size): a preview in a fraction of a second instead of seconds.
    const { image, dpi } = await shrunkForPreview(input.image, input.page.dpi, input.maxSize);
    const { page } = await input.imaging.clean(image, {
      dpi,
      transforms: outputTransforms(input.page),
      colourPolicy: input.output.colourPolicy,
      jpegQuality: input.output.jpegQuality,
    });
    source =
      page.encoding === 'bilevel'
        ? sharp(unpackBilevel(page), { raw: { width: page.width, height: page.height, channels: 1 } })
        : sharp(page.data);
  }
  const { data, info } = await source
    .resize({ width: input.maxSize, height: input.maxSize, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 85 })
    .toBuffer({ resolveWithObject: true });
  return { mimeType: 'image/jpeg', dataBase64: data.toString('base64'), widthPx: info.width, heightPx: info.height };
}
