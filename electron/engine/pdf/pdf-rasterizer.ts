import sharp from 'sharp';
import { StationError } from '../../../shared/errors.js';
import { openPdf } from '../import/pdf-pages.js';

/** One PDF page rendered to an image. */
export interface RasterPage {
  /** PNG bytes. */
  png: Buffer;
  widthPx: number;
  heightPx: number;
  dpi: number;
}

/**
 * Renders every page of a PDF at `dpi`, white background, through the import's pdf.js reader.
 *
 * Scanned PDFs are images already; rendering at the resolution they were scanned at keeps their
 * detail, and the same path serves PDFs with vector text. A damaged file is `import/corrupt-file`,
 * a password-protected one `import/encrypted`, both naming `label`.
 */
export async function rasterizePdf(
  data: Uint8Array,
  dpi: number,
  label: string,
  signal?: AbortSignal,
): Promise<RasterPage[]> {
  const document = await openPdf(data, label);
  try {
    const pages: RasterPage[] = [];
    for (let number = 1; number <= document.pageCount; number += 1) {
      if (signal?.aborted === true) throw new StationError('scan/cancelled', `${label}: cancelled`);
      const { rgba, widthPx, heightPx } = await document.render(number, dpi);
      const png = await sharp(rgba, { raw: { width: widthPx, height: heightPx, channels: 4 } })
        .removeAlpha()
        .png()
        .toBuffer();
      pages.push({ png, widthPx, heightPx, dpi });
    }
    return pages;
  } finally {
    await document.close();
  }
}
