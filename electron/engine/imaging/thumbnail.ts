import sharp from 'sharp';

/** Width of preview thumbnails: enough for a grid of pages, small enough to send as JSON. */
export const thumbnailWidth = 240;

/** Makes the JPEG thumbnail the renderer shows while a page is being captured. */
export async function makeThumbnail(image: Uint8Array): Promise<Buffer> {
  return sharp(image).resize({ width: thumbnailWidth, withoutEnlargement: true }).jpeg({ quality: 70 }).toBuffer();
}
