/**
 * Generated page images for the imaging and PDF tests: Vietnamese text whose every word box is
 * known (so an OcrResult can be built for the image without running OCR), and the scanner-like
 * degradations the imaging must undo (skew, quarter turns, borders, speckles, show-through).
 */
import path from 'node:path';
import sharp from 'sharp';
import type { OverlayOptions } from 'sharp';
import type { OcrLine, OcrResult, OcrWord } from '../../../shared/ocr.js';
import { repoRoot } from '../../support/built-cli.js';

const fontFile = path.join(repoRoot, 'node_modules/@expo-google-fonts/noto-serif/400Regular/NotoSerif_400Regular.ttf');
const strut = 'Ẫgỵ(|)';

function escapeMarkup(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

interface WordImage {
  data: Buffer;
  width: number;
  height: number;
  /** Rows of the invisible strut line above the word. */
  contentTop: number;
  contentHeight: number;
}

const wordCache = new Map<string, Promise<WordImage>>();

async function renderText(
  markup: string,
  dpi: number,
  sizePt: number,
): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp({
    text: { text: markup, font: `Noto Serif ${sizePt}`, fontfile: fontFile, dpi, rgba: true },
  })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** One word between invisible strut lines, so every word of a size has the same height and baseline. */
function renderWord(word: string, dpi: number, sizePt: number): Promise<WordImage> {
  const key = `${word}|${dpi}|${sizePt}`;
  let cached = wordCache.get(key);
  if (cached === undefined) {
    cached = (async () => {
      const hidden = `<span alpha="1">${escapeMarkup(strut)}</span>`;
      const [box, one, two] = await Promise.all([
        renderText(`${hidden}\n<span foreground="#1a1a1a">${escapeMarkup(word)}</span>\n${hidden}`, dpi, sizePt),
        renderText(escapeMarkup(strut), dpi, sizePt),
        renderText(escapeMarkup(`${strut}\n${strut}`), dpi, sizePt),
      ]);
      const pitch = two.height - one.height;
      const contentHeight = box.height - 2 * pitch;
      // The invisible strut lines are wider than short words: keep only the columns the word inks.
      let left = box.width;
      let right = -1;
      for (let y = pitch; y < pitch + contentHeight; y += 1) {
        for (let x = 0; x < box.width; x += 1) {
          if ((box.data[(y * box.width + x) * 4 + 3] ?? 0) > 0) {
            if (x < left) left = x;
            if (x > right) right = x;
          }
        }
      }
      if (right < left) return { ...box, contentTop: pitch, contentHeight };
      const width = right - left + 1;
      const data = Buffer.alloc(width * box.height * 4);
      for (let y = 0; y < box.height; y += 1)
        box.data.copy(data, y * width * 4, (y * box.width + left) * 4, (y * box.width + right + 1) * 4);
      return { data, width, height: box.height, contentTop: pitch, contentHeight };
    })();
    wordCache.set(key, cached);
  }
  return cached;
}

/** A generated page: the image, the OCR result that exactly describes it, and its text. */
export interface FixturePage {
  png: Buffer;
  widthPx: number;
  heightPx: number;
  dpi: number;
  ocr: OcrResult;
}

export interface TextPageOptions {
  /** Blocks (paragraphs) of text; each block is wrapped to the page width. */
  blocks: string[];
  dpi?: number;
  sizePt?: number;
  /** Page size in millimetres (A5 by default, to keep tests fast). */
  widthMm?: number;
  heightMm?: number;
  /** A red round stamp, so the page is measured as colour. */
  stamp?: boolean;
}

/** Renders text blocks onto a white page, word by word, and returns the page with its exact word boxes. */
export async function renderTextPage(options: TextPageOptions): Promise<FixturePage> {
  const dpi = options.dpi ?? 200;
  const sizePt = options.sizePt ?? 12;
  const px = (mm: number): number => Math.round((mm / 25.4) * dpi);
  const widthPx = px(options.widthMm ?? 148);
  const heightPx = px(options.heightMm ?? 210);
  const margin = px(15);
  const space = Math.round((sizePt / 72) * dpi * 0.3);
  const overlays: OverlayOptions[] = [];
  const lines: OcrLine[] = [];
  let y = margin;
  let blockIndex = 0;
  for (const block of options.blocks) {
    const words = block
      .normalize('NFC')
      .split(/\s+/)
      .filter((word) => word !== '');
    let line: OcrWord[] = [];
    let x = margin;
    let lineHeight = 0;
    const flush = (): void => {
      if (line.length === 0) return;
      const first = line[0]!;
      const last = line[line.length - 1]!;
      lines.push({
        text: line.map((word) => word.text).join(' '),
        bbox: { x0: first.bbox.x0, y0: first.bbox.y0, x1: last.bbox.x1, y1: first.bbox.y1 },
        words: line,
        blockIndex,
      });
      y += Math.round(lineHeight * 1.35);
      line = [];
      x = margin;
    };
    for (const text of words) {
      const image = await renderWord(text, dpi, sizePt);
      if (x + image.width > widthPx - margin && line.length > 0) flush();
      if (y + image.contentHeight > heightPx - margin) break;
      overlays.push({
        input: image.data,
        raw: { width: image.width, height: image.height, channels: 4 },
        left: x,
        top: y - image.contentTop,
      });
      line.push({ text, confidence: 95, bbox: { x0: x, y0: y, x1: x + image.width, y1: y + image.contentHeight } });
      lineHeight = image.contentHeight;
      x += image.width + space;
    }
    flush();
    y += Math.round(lineHeight * 0.6);
    blockIndex += 1;
  }
  if (options.stamp === true) {
    const radius = px(14);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${radius * 2 + 8}" height="${radius * 2 + 8}"><circle cx="${radius + 4}" cy="${radius + 4}" r="${radius}" fill="none" stroke="#d42020" stroke-width="${px(1.2)}"/><circle cx="${radius + 4}" cy="${radius + 4}" r="${radius * 0.3}" fill="#d42020"/></svg>`;
    overlays.push({
      input: Buffer.from(svg),
      left: widthPx - margin - radius * 2,
      top: heightPx - margin - radius * 2,
    });
  }
  const composed = await sharp({ create: { width: widthPx, height: heightPx, channels: 3, background: '#ffffff' } })
    .composite(overlays)
    .png({ compressionLevel: 1 })
    .toBuffer();
  const png = await sharp(composed)
    .removeAlpha()
    .withMetadata({ density: dpi })
    .png({ compressionLevel: 1 })
    .toBuffer();
  const text = lines
    .map(
      (line, index) =>
        (index === 0 ? '' : line.blockIndex === lines[index - 1]!.blockIndex ? '\n' : '\n\n') + line.text,
    )
    .join('');
  return {
    png,
    widthPx,
    heightPx,
    dpi,
    ocr: { text, lines, orientation: 0, confidence: 95, languages: 'vie', engine: 'fixture', widthPx, heightPx },
  };
}

/** Small deterministic PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Degradation {
  /** Clockwise skew of the content, degrees. */
  skewDeg?: number;
  /** Clockwise quarter turn of the whole sheet (the page was fed sideways or upside down). */
  turnDeg?: 0 | 90 | 180 | 270;
  /** Dark scanner-lid bands around the sheet, pixels. */
  border?: number;
  /** Random dark specks per page. */
  speckles?: number;
  /** Gaussian-ish noise amplitude in grey levels. */
  noise?: number;
  seed?: number;
  /** Output: grey or colour JPEG (quality 85), or PNG. */
  format?: 'png' | 'jpeg';
  grey?: boolean;
}

/** Makes a clean page look scanned: skewed, turned, bordered, speckled, noisy. */
export async function degrade(image: Buffer, options: Degradation): Promise<Buffer> {
  const meta = await sharp(image).metadata();
  const width = meta.width;
  const height = meta.height;
  let { data, info } = await sharp(image)
    .flatten({ background: '#ffffff' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  let pipeline = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  if (options.skewDeg !== undefined && options.skewDeg !== 0) {
    const rotated = await pipeline
      .rotate(options.skewDeg, { background: '#ffffff' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const left = Math.round((rotated.info.width - width) / 2);
    const top = Math.round((rotated.info.height - height) / 2);
    pipeline = sharp(rotated.data, {
      raw: { width: rotated.info.width, height: rotated.info.height, channels: rotated.info.channels },
    }).extract({
      left,
      top,
      width,
      height,
    });
  }
  if (options.turnDeg !== undefined && options.turnDeg !== 0) {
    const turned = await pipeline.raw().toBuffer({ resolveWithObject: true });
    pipeline = sharp(turned.data, {
      raw: { width: turned.info.width, height: turned.info.height, channels: turned.info.channels },
    }).rotate(options.turnDeg);
  }
  ({ data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true }));
  const random = seededRandom(options.seed ?? 1);
  const channels = info.channels;
  const set = (x: number, y: number, value: number): void => {
    if (x < 0 || y < 0 || x >= info.width || y >= info.height) return;
    for (let c = 0; c < channels; c += 1) data[(y * info.width + x) * channels + c] = value;
  };
  for (let i = 0; i < (options.speckles ?? 0); i += 1) {
    const x = Math.floor(random() * info.width);
    const y = Math.floor(random() * info.height);
    const size = 1 + Math.floor(random() * 2);
    for (let dy = 0; dy < size; dy += 1) for (let dx = 0; dx < size; dx += 1) set(x + dx, y + dy, 40);
  }
  if ((options.noise ?? 0) > 0) {
    for (let i = 0; i < data.length; i += 1) {
      const n = (random() + random() + random() - 1.5) * (options.noise ?? 0);
      data[i] = Math.max(0, Math.min(255, Math.round((data[i] ?? 0) + n)));
    }
  }
  const border = options.border ?? 0;
  for (let y = 0; y < info.height; y += 1) {
    for (let x = 0; x < info.width; x += 1) {
      if (x < border || y < border || x >= info.width - border || y >= info.height - border) set(x, y, 25);
    }
  }
  let out = sharp(data, { raw: { width: info.width, height: info.height, channels } });
  if (options.grey === true) out = out.greyscale();
  const density = meta.density ?? 200;
  return options.format === 'jpeg'
    ? out.withMetadata({ density }).jpeg({ quality: 85 }).toBuffer()
    : out.withMetadata({ density }).png({ compressionLevel: 1 }).toBuffer();
}

/** A blank sheet as a scanner sees one: paper tone, noise, speckles, and optionally show-through of another page. */
export async function blankPage(options: {
  widthPx: number;
  heightPx: number;
  dpi: number;
  speckles?: number;
  /** A page whose text shows through faintly, mirrored, as from the back of thin paper. */
  showThrough?: Buffer;
  seed?: number;
}): Promise<Buffer> {
  let base = sharp({
    create: { width: options.widthPx, height: options.heightPx, channels: 3, background: '#f4f2ec' },
  });
  if (options.showThrough !== undefined) {
    const ghost = await sharp(options.showThrough)
      .resize(options.widthPx, options.heightPx, { fit: 'fill' })
      .flop()
      .blur(2)
      .greyscale()
      // Ink at 26 % of its darkness: the paper still dominates.
      .linear(0.26, 255 * 0.74)
      .toColourspace('srgb')
      .png()
      .toBuffer();
    base = sharp(await base.png().toBuffer()).composite([{ input: ghost, blend: 'multiply' }]);
  }
  const png = await base.withMetadata({ density: options.dpi }).png({ compressionLevel: 1 }).toBuffer();
  return degrade(png, { speckles: options.speckles ?? 0, noise: 6, seed: options.seed ?? 7 });
}
