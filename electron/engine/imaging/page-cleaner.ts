import sharp from 'sharp';
import type { Sharp } from 'sharp';
import type { ColourMode } from '../../../shared/domain.js';
import type { PageTransform } from '../../../shared/transforms.js';
import type { GreyImage } from './page-analysis.js';
import { colourClass, detectBorder, estimateOrientation, inkMask, inkPoints, markComponents } from './page-analysis.js';

/** Resolution the measurements run at: enough for a 0.05° skew step, small enough for ~100 ms a page. */
const analysisDpi = 150;
/** Fewer marks than this (letters, digits, strokes) and the page is blank. */
const blankMarkLimit = 12;
/** Below this much of the page turned, a deskew is not worth a resampling. */
const minimumSkew = 0.05;

/** What the imaging workers measured on a page, and the edits they suggest. */
export interface PageAnalysis {
  widthPx: number;
  heightPx: number;
  dpi: number;
  /** The capture's own class (from the file): what the output keeps unless told to reduce. */
  captureMode: ColourMode;
  /** The measured class: `color` when anything is really coloured, `lineart` when there are no mid-tones. */
  colourMode: ColourMode;
  blank: boolean;
  /** Printed or written marks found (connected ink components above speckle size). */
  marks: number;
  /** Clockwise quarter turns that make the page upright. */
  orientation: 0 | 90 | 180 | 270;
  /** Clockwise skew of the upright page's text lines, degrees. */
  skewDeg: number;
  /** How sure the orientation is: the axis contrast (0–1) and the ascender/descender asymmetry. */
  orientationConfidence: {
    axis: number;
    asymmetry: number;
    lines: number;
    ink: number;
    marks: number;
    marksCounted: number;
  };
  /** The page inside scanner-background bands, as fractions of the quarter-turned image; null when none. */
  crop: { left: number; top: number; width: number; height: number } | null;
  /** The suggested edits: orientation, border crop, deskew, in that order. */
  transforms: PageTransform[];
  /** Fraction of strongly coloured pixels and of mid-tones, the evidence for `colourMode`. */
  colourFraction: number;
  midToneFraction: number;
}

/** A raw image between transform steps. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 3;
}

const white = { r: 255, g: 255, b: 255 };

async function toRaw(pipeline: Sharp, channels: 1 | 3): Promise<RawImage> {
  const shaped = channels === 1 ? pipeline.greyscale() : pipeline.toColourspace('srgb');
  const { data, info } = await shaped.raw().toBuffer({ resolveWithObject: true });
  if (info.channels === channels) return { data, width: info.width, height: info.height, channels };
  // Some operations (rotate with a background) add channels; bring the buffer back to the count wanted.
  const again = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).removeAlpha();
  const fixed = await (channels === 1 ? again.greyscale() : again.toColourspace('srgb'))
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: fixed.data, width: fixed.info.width, height: fixed.info.height, channels };
}

function rawPipeline(image: RawImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });
}

/** Applies one transform to a raw image (see shared/transforms.ts for their meaning). */
export async function applyTransform(image: RawImage, transform: PageTransform): Promise<RawImage> {
  switch (transform.kind) {
    case 'rotate':
      return toRaw(rawPipeline(image).rotate(transform.degrees), image.channels);
    case 'deskew': {
      if (transform.degrees === 0) return image;
      const rotated = await toRaw(rawPipeline(image).rotate(-transform.degrees, { background: white }), image.channels);
      // Keep the canvas: cut the centre of the enlarged result back to the original size.
      const left = Math.max(0, Math.round((rotated.width - image.width) / 2));
      const top = Math.max(0, Math.round((rotated.height - image.height) / 2));
      return toRaw(
        rawPipeline(rotated).extract({
          left,
          top,
          width: Math.min(image.width, rotated.width - left),
          height: Math.min(image.height, rotated.height - top),
        }),
        image.channels,
      );
    }
    case 'crop': {
      const left = Math.min(image.width - 1, Math.round(transform.left * image.width));
      const top = Math.min(image.height - 1, Math.round(transform.top * image.height));
      const width = Math.max(1, Math.min(image.width - left, Math.round(transform.width * image.width)));
      const height = Math.max(1, Math.min(image.height - top, Math.round(transform.height * image.height)));
      return toRaw(rawPipeline(image).extract({ left, top, width, height }), image.channels);
    }
  }
}

/** Applies a transform list in order. */
export async function applyTransforms(image: RawImage, transforms: readonly PageTransform[]): Promise<RawImage> {
  let current = image;
  for (const transform of transforms) current = await applyTransform(current, transform);
  return current;
}

/** A decoded page: its pixels (1 channel for grey and bi-level captures, 3 for colour), resolution and capture class. */
export interface DecodedPage {
  raw: RawImage;
  dpi: number;
  /** What the capture is: a 1-bit file is `lineart`, a one-channel file `gray`, anything else `color`. */
  captureMode: ColourMode;
}

/** Decodes a page image once, alpha flattened on white; `dpi` overrides the file's own density (else 300). */
export async function decodePage(image: Uint8Array, options: { dpi?: number | undefined } = {}): Promise<DecodedPage> {
  const input = sharp(image, { limitInputPixels: 20_000 * 20_000 });
  const metadata = await input.metadata();
  const oneChannel = (metadata.channels ?? 3) <= 2 || metadata.space === 'b-w';
  const captureMode: ColourMode = oneChannel ? (metadata.bitsPerSample === 1 ? 'lineart' : 'gray') : 'color';
  const density = metadata.density !== undefined && metadata.density >= 50 ? Math.round(metadata.density) : undefined;
  const raw = await toRaw(input.flatten({ background: '#ffffff' }), oneChannel ? 1 : 3);
  return { raw, dpi: options.dpi ?? density ?? 300, captureMode };
}

function greyOf(image: RawImage): GreyImage {
  if (image.channels !== 1) throw new Error('expected a grey image');
  return { data: image.data, width: image.width, height: image.height };
}

/**
 * Measures a decoded page: colour class, blank, orientation, skew, scanner border; suggests the
 * transforms. Runs on a copy scaled to about 150 dpi.
 */
export async function analyseDecoded(page: DecodedPage): Promise<PageAnalysis> {
  const { raw, dpi } = page;
  const scale = Math.min(1, analysisDpi / dpi);
  const width = Math.max(1, Math.round(raw.width * scale));
  const height = Math.max(1, Math.round(raw.height * scale));
  const at = dpi * scale;

  const grey = await toRaw(rawPipeline(raw).resize(width, height, { fit: 'fill', kernel: 'linear' }), 1);
  // Colour and tone need the pixels as they are: a small colour copy at about 50 dpi, and a
  // nearest-neighbour grey copy so a bi-level page does not gain grey edges from resampling.
  const colour =
    raw.channels === 3
      ? await toRaw(
          rawPipeline(raw).resize({
            width: Math.max(1, Math.round(raw.width / Math.max(1, dpi / 50))),
            kernel: 'linear',
          }),
          3,
        )
      : undefined;
  const tones = await toRaw(rawPipeline(raw).resize(width, height, { fit: 'fill', kernel: 'nearest' }), 1);
  const { mode, colourFraction, midToneFraction } = colourClass(colour?.data ?? new Uint8Array(0), 3, tones.data);

  const mask = inkMask(greyOf(grey));
  const marks = markComponents(mask, at);
  const blank = marks.length < blankMarkLimit;
  let orientation: 0 | 90 | 180 | 270 = 0;
  let skewDeg = 0;
  let confidence = { axis: 0, asymmetry: 0, lines: 0, ink: 0, marks: 0, marksCounted: 0 };
  if (!blank) {
    const points = inkPoints(mask, marks);
    const estimate = estimateOrientation(points.xs, points.ys, mask.width, mask.height, marks);
    orientation = estimate.orientation;
    skewDeg = Math.abs(estimate.skewDeg) < minimumSkew ? 0 : estimate.skewDeg;
    confidence = {
      axis: estimate.axisConfidence,
      asymmetry: estimate.asymmetry,
      lines: estimate.lines,
      ink: estimate.inkAsymmetry,
      marks: estimate.markAsymmetry,
      marksCounted: estimate.marksCounted,
    };
  }
  // Scanner-background bands run along the image axes, so they are found after the quarter turn and
  // cut before the deskew, which then fills the corners it uncovers with white.
  const transforms: PageTransform[] = [];
  if (orientation !== 0) transforms.push({ kind: 'rotate', degrees: orientation });
  const upright = await applyTransforms(grey, transforms);
  const border = detectBorder(greyOf(upright));
  let crop: PageAnalysis['crop'] = null;
  if (border.left > 0 || border.top > 0 || border.right < upright.width || border.bottom < upright.height) {
    crop = {
      left: border.left / upright.width,
      top: border.top / upright.height,
      width: (border.right - border.left) / upright.width,
      height: (border.bottom - border.top) / upright.height,
    };
    transforms.push({ kind: 'crop', ...crop });
  }
  if (skewDeg !== 0) transforms.push({ kind: 'deskew', degrees: skewDeg });
  return {
    widthPx: raw.width,
    heightPx: raw.height,
    dpi,
    captureMode: page.captureMode,
    colourMode: mode,
    blank,
    marks: marks.length,
    orientation,
    skewDeg,
    orientationConfidence: confidence,
    crop,
    transforms,
    colourFraction,
    midToneFraction,
  };
}

/**
 * Whether a page is blank, by the measure analyseDecoded uses (marks on a grey copy at about
 * 150 dpi), decoding the image at that size directly (JPEG shrink-on-load): a twentieth of the
 * memory and time of a full decode, for flagging every captured page as it arrives.
 */
export async function isBlankPage(image: Uint8Array, options: { dpi?: number | undefined } = {}): Promise<boolean> {
  const input = sharp(image, { limitInputPixels: 20_000 * 20_000 });
  const metadata = await input.metadata();
  const density = metadata.density !== undefined && metadata.density >= 50 ? Math.round(metadata.density) : undefined;
  const dpi = options.dpi ?? density ?? 300;
  const width = metadata.width ?? 1;
  const target = Math.max(1, Math.round(width * Math.min(1, analysisDpi / dpi)));
  const grey = await toRaw(input.flatten({ background: '#ffffff' }).resize({ width: target, kernel: 'linear' }), 1);
  return markComponents(inkMask(greyOf(grey)), (dpi * target) / width).length < blankMarkLimit;
}

/** Decodes and measures a page image (see analyseDecoded). */
export async function analysePage(
  image: Uint8Array,
  options: { dpi?: number | undefined } = {},
): Promise<PageAnalysis> {
  return analyseDecoded(await decodePage(image, options));
}

/** How to encode the cleaned page for the PDF. */
export interface RenderOptions {
  /** `color` → sRGB JPEG, `gray` → grey JPEG, `lineart` → 1 bit per pixel, lossless. */
  mode: ColourMode;
  /** JPEG quality for colour and grey pages. */
  jpegQuality: number;
  /** Also return a lossless grey PNG of the cleaned page for OCR. */
  ocrImage?: boolean;
  /** Also return a preview thumbnail this wide (JPEG). */
  thumbnailWidth?: number;
}

/** The cleaned page, encoded. */
export interface RenderedPage {
  encoding: 'jpeg' | 'bilevel';
  data: Buffer;
  /** 1 or 3 for JPEG; 1 for bi-level. */
  components: 1 | 3;
  width: number;
  height: number;
  ocrImage?: Buffer;
  thumbnail?: Buffer;
}

/** Packs a grey image into 1-bit rows (1 = white), thresholded at mid-grey. */
export function packBilevel(image: RawImage, threshold = 128): Buffer {
  const rowBytes = Math.ceil(image.width / 8);
  const packed = Buffer.alloc(rowBytes * image.height);
  for (let y = 0; y < image.height; y += 1) {
    for (let x = 0; x < image.width; x += 1) {
      const value = image.data[(y * image.width + x) * image.channels] ?? 255;
      if (value >= threshold) {
        const index = y * rowBytes + (x >> 3);
        packed[index] = (packed[index] ?? 0) | (0x80 >> (x & 7));
      }
    }
  }
  return packed;
}

/** Applies the transforms to a decoded page and encodes the result for the PDF (and OCR and preview). */
export async function renderDecoded(
  page: DecodedPage,
  transforms: readonly PageTransform[],
  options: RenderOptions,
): Promise<RenderedPage> {
  const channels = options.mode === 'color' ? 3 : 1;
  const source = page.raw.channels === channels ? page.raw : await toRaw(rawPipeline(page.raw), channels);
  const cleaned = await applyTransforms(source, transforms);
  let encoded: Pick<RenderedPage, 'encoding' | 'data' | 'components'>;
  if (options.mode === 'lineart') {
    encoded = { encoding: 'bilevel', data: packBilevel(cleaned), components: 1 };
  } else {
    // A one-channel raw input still leaves sharp as sRGB unless told: say which JPEG is wanted.
    const data = await rawPipeline(cleaned)
      .toColourspace(channels === 1 ? 'b-w' : 'srgb')
      .jpeg({ quality: options.jpegQuality, mozjpeg: true, chromaSubsampling: '4:2:0' })
      .toBuffer();
    encoded = { encoding: 'jpeg', data, components: channels };
  }
  const result: RenderedPage = { ...encoded, width: cleaned.width, height: cleaned.height };
  if (options.ocrImage === true) {
    result.ocrImage = await rawPipeline(cleaned)
      .greyscale()
      .png({ compressionLevel: 1, adaptiveFiltering: false })
      .toBuffer();
  }
  if (options.thumbnailWidth !== undefined) {
    result.thumbnail = await rawPipeline(cleaned)
      .resize({ width: options.thumbnailWidth, withoutEnlargement: true })
      .jpeg({ quality: 70 })
      .toBuffer();
  }
  return result;
}

/** Decodes a page image, applies the transforms and encodes the result (see renderDecoded). */
export async function renderPage(
  image: Uint8Array,
  transforms: readonly PageTransform[],
  options: RenderOptions & { dpi?: number | undefined },
): Promise<RenderedPage> {
  return renderDecoded(await decodePage(image, { dpi: options.dpi }), transforms, options);
}

/** How the output's colour class is chosen. */
export type ColourPolicy =
  /** Keep the capture's class (colour stays colour, as REQUIREMENTS.md section 2 asks); the default. */
  | 'keep'
  /** Use the measured class: colour captures without colour become grey, grey pages without mid-tones 1-bit. */
  | 'measured';

/** The colour class a page is written in. */
export function outputMode(
  analysis: Pick<PageAnalysis, 'captureMode' | 'colourMode'>,
  policy: ColourPolicy,
): ColourMode {
  if (policy === 'keep') return analysis.captureMode;
  return analysis.colourMode;
}

/** One page through the imaging step: decode once, measure, apply the (suggested or given) transforms, encode. */
export async function cleanPage(
  image: Uint8Array,
  options: {
    dpi?: number | undefined;
    /** The review's transforms; the measured suggestion when absent. */
    transforms?: readonly PageTransform[] | undefined;
    colourPolicy: ColourPolicy;
    jpegQuality: number;
    ocrImage?: boolean;
    thumbnailWidth?: number;
  },
): Promise<{ analysis: PageAnalysis; page: RenderedPage }> {
  const decoded = await decodePage(image, { dpi: options.dpi });
  const analysis = await analyseDecoded(decoded);
  const page = await renderDecoded(decoded, options.transforms ?? analysis.transforms, {
    mode: outputMode(analysis, options.colourPolicy),
    jpegQuality: options.jpegQuality,
    ...(options.ocrImage === undefined ? {} : { ocrImage: options.ocrImage }),
    ...(options.thumbnailWidth === undefined ? {} : { thumbnailWidth: options.thumbnailWidth }),
  });
  return { analysis, page };
}
