import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type { ColourMode } from '../../../shared/domain.js';
import { writeQrPng } from '../workflow/qr-codes.js';
import {
  samplePage,
  samplePageIndex,
  samplePageText,
  type DocumentBlock,
  type SamplePage,
  type SignatureColumn,
  type TextLine,
  type TextStyle,
} from './sample-documents.js';

/** Colour modes the demo scanner produces; line art is left to real scanners. */
export type DemoColourMode = Exclude<ColourMode, 'lineart'>;

/** Which sheet to render and how. */
export interface DemoPageRequest {
  /** Sheet number in the feeder; the sample pages repeat in a cycle. */
  index: number;
  dpi: number;
  colourMode: DemoColourMode;
  /** Folder holding the Noto Serif TTF files; the installed font package when absent. */
  fontDir?: string;
}

/** A rendered demo sheet: the JPEG a scanner would deliver and the text printed on it. */
export interface RenderedDemoPage {
  data: Buffer;
  mimeType: 'image/jpeg';
  widthPx: number;
  heightPx: number;
  /** Exact printed text (NFC), for checking OCR against. */
  text: string;
}

/** Something that hands out rendered demo sheets (the cache in production, a fake in tests). */
export interface DemoPageSource {
  page(request: Omit<DemoPageRequest, 'fontDir'>): Promise<RenderedDemoPage>;
}

/**
 * Bump when the look of rendered pages changes, so stale cache files are not served. 2: the
 * provincial QR code on the permit's first page.
 */
const renderVersion = 2;

const a4WidthMm = 210;
const a4HeightMm = 297;
const mmPerInch = 25.4;
const jpegQuality = 85;

/** Size in pixels of an A4 sheet scanned at `dpi` (2480 × 3508 at 300 dpi). */
export function a4PixelSize(dpi: number): { widthPx: number; heightPx: number } {
  return {
    widthPx: Math.round((a4WidthMm / mmPerInch) * dpi),
    heightPx: Math.round((a4HeightMm / mmPerInch) * dpi),
  };
}

const fontFileNames: Record<TextStyle, { folder: string; file: string; pango: string }> = {
  regular: { folder: '400Regular', file: 'NotoSerif_400Regular.ttf', pango: 'Noto Serif' },
  bold: { folder: '700Bold', file: 'NotoSerif_700Bold.ttf', pango: 'Noto Serif Bold' },
  italic: {
    folder: '400Regular_Italic',
    file: 'NotoSerif_400Regular_Italic.ttf',
    pango: 'Noto Serif Italic',
  },
  'bold-italic': {
    folder: '700Bold_Italic',
    file: 'NotoSerif_700Bold_Italic.ttf',
    pango: 'Noto Serif Bold Italic',
  },
};

const fontStyles = Object.keys(fontFileNames) as TextStyle[];

/**
 * Paths of the Noto Serif TTF files, one per style.
 *
 * Rendering always names a font file explicitly: a fresh machine may have no
 * system fonts at all, and a fallback font would silently print tofu for
 * Vietnamese diacritics. `fontDir` may hold the files flat (as a packaged app
 * ships them) or in the weight folders of `@expo-google-fonts/noto-serif`.
 */
export function resolveFontFiles(fontDir?: string): Record<TextStyle, string> {
  const dir = fontDir ?? defaultFontDir();
  const files = {} as Record<TextStyle, string>;
  for (const style of fontStyles) {
    const { folder, file } = fontFileNames[style];
    const candidates = [join(dir, file), join(dir, folder, file)];
    const found = candidates.find((candidate) => existsSync(candidate));
    if (found === undefined) {
      throw new Error(`Noto Serif font file ${file} not found under ${dir}`);
    }
    files[style] = found;
  }
  return files;
}

function defaultFontDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@expo-google-fonts/noto-serif/package.json'));
}

/** Render context of one page: resolution and fonts. */
interface Context {
  dpi: number;
  fonts: Record<TextStyle, string>;
}

function mm(context: Context, millimetres: number): number {
  return Math.round((millimetres / mmPerInch) * context.dpi);
}

/** A rendered piece of text and where its lines sit inside the image. */
interface TextBox {
  data: Buffer;
  width: number;
  height: number;
  /** Image y of the top of the first text line; the strut line above it is invisible. */
  contentTop: number;
  contentHeight: number;
}

/** Glyphs taller and deeper than any Vietnamese text, so every line box has the same height. */
const strut = 'Ẫgỵ(|)';

const inkColour = '#1a1a1a';

const linePitchCache = new Map<string, Promise<number>>();

function fontDescription(style: TextStyle, sizePt: number): string {
  return `${fontFileNames[style].pango} ${sizePt}`;
}

async function renderRawText(
  context: Context,
  markup: string,
  style: TextStyle,
  sizePt: number,
  layout: { width?: number; align?: 'left' | 'centre'; justify?: boolean } = {},
): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp({
    text: {
      text: markup,
      font: fontDescription(style, sizePt),
      fontfile: context.fonts[style],
      dpi: context.dpi,
      rgba: true,
      wrap: 'word',
      ...(layout.width === undefined ? {} : { width: Math.floor(layout.width) }),
      align: layout.align ?? 'left',
      justify: layout.justify ?? false,
    },
  })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * Distance between the tops of two consecutive lines.
 *
 * libvips crops rendered text to its ink, so line positions are measured with
 * the strut: two strut lines minus one strut line.
 */
function linePitch(context: Context, style: TextStyle, sizePt: number): Promise<number> {
  const key = `${context.fonts[style]}|${sizePt}|${context.dpi}`;
  let pitch = linePitchCache.get(key);
  if (pitch === undefined) {
    pitch = Promise.all([
      renderRawText(context, escapeMarkup(strut), style, sizePt),
      renderRawText(context, escapeMarkup(`${strut}\n${strut}`), style, sizePt),
    ]).then(([one, two]) => two.height - one.height);
    linePitchCache.set(key, pitch);
  }
  return pitch;
}

function escapeMarkup(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll("'", '&apos;')
    .replaceAll('"', '&quot;');
}

/**
 * Renders text between two invisible strut lines.
 *
 * The struts make the image start one strut-height above the first line and
 * end likewise below the last, whatever glyphs the text has, so paragraphs
 * stack at a steady rhythm instead of jumping with accents and descenders.
 */
async function renderTextBox(
  context: Context,
  text: string,
  style: TextStyle,
  sizePt: number,
  layout: { width: number; align: 'left' | 'centre'; justify: boolean },
): Promise<TextBox> {
  const hidden = `<span alpha="1">${escapeMarkup(strut)}</span>`;
  const markup = `${hidden}\n<span foreground="${inkColour}">${escapeMarkup(text)}</span>\n${hidden}`;
  const [raw, pitch] = await Promise.all([
    renderRawText(context, markup, style, sizePt, layout),
    linePitch(context, style, sizePt),
  ]);
  return { ...raw, contentTop: pitch, contentHeight: raw.height - 2 * pitch };
}

/** Everything stacked onto the blank sheet before the scanner look is applied. */
interface Overlay {
  input: Buffer;
  raw: { width: number; height: number; channels: 4 };
  left: number;
  top: number;
  blend?: 'multiply';
}

function textOverlay(box: TextBox, left: number, contentTop: number): Overlay {
  return {
    input: box.data,
    raw: { width: box.width, height: box.height, channels: 4 },
    left: Math.max(0, Math.round(left)),
    top: Math.max(0, Math.round(contentTop - box.contentTop)),
  };
}

function ruleOverlay(width: number, thickness: number, left: number, top: number): Overlay {
  const data = Buffer.alloc(width * thickness * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = 0x1a;
    data[i + 1] = 0x1a;
    data[i + 2] = 0x1a;
    data[i + 3] = 255;
  }
  return {
    input: data,
    raw: { width, height: thickness, channels: 4 },
    left: Math.round(left),
    top: Math.round(top),
  };
}

/** Small deterministic PRNG (mulberry32): the same sheet must come out byte-identical. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(...parts: (string | number)[]): number {
  return createHash('sha256').update(parts.join('|')).digest().readUInt32LE(0);
}

/** Page geometry: Nghị định 30/2020 margins (top/bottom 20 mm, left 30 mm, right 20 mm). */
interface Frame {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

interface Placed {
  overlays: Overlay[];
  height: number;
}

const defaultSizePt = 13;

async function layoutColumnLines(
  context: Context,
  lines: TextLine[],
  columnLeft: number,
  columnWidth: number,
  align: 'left' | 'centre',
  top: number,
): Promise<Placed> {
  const boxes = await Promise.all(
    lines.map((line) =>
      renderTextBox(context, line.text, line.style, line.sizePt ?? defaultSizePt, {
        width: columnWidth,
        align,
        justify: false,
      }),
    ),
  );
  const overlays: Overlay[] = [];
  let y = top;
  const ruleThickness = Math.max(1, mm(context, 0.25));
  boxes.forEach((box, i) => {
    const line = lines[i];
    const left = align === 'centre' ? columnLeft + (columnWidth - box.width) / 2 : columnLeft;
    overlays.push(textOverlay(box, left, y));
    y += box.contentHeight;
    if (line?.rule !== undefined) {
      const ruleWidth =
        line.rule === 'full' ? box.width : Math.min(box.width, Math.max(box.width * 0.4, mm(context, 18)));
      const ruleTop = y + mm(context, 0.6);
      overlays.push(
        ruleOverlay(Math.round(ruleWidth), ruleThickness, columnLeft + (columnWidth - ruleWidth) / 2, ruleTop),
      );
      y = ruleTop + ruleThickness + mm(context, 1.2);
    }
  });
  return { overlays, height: y - top };
}

async function layoutParagraph(
  context: Context,
  block: Extract<DocumentBlock, { kind: 'paragraph' }>,
  frame: Frame,
  top: number,
): Promise<Placed> {
  const width = frame.right - frame.left;
  // Two em spaces give the ~1 cm first-line indent of administrative body text.
  const text = block.indent ? `\u2003\u2003${block.text}` : block.text;
  const box = await renderTextBox(context, text, block.style, block.sizePt ?? defaultSizePt, {
    width,
    align: block.align === 'centre' ? 'centre' : 'left',
    justify: block.align === 'justify',
  });
  const left = block.align === 'centre' ? frame.left + (width - box.width) / 2 : frame.left;
  return { overlays: [textOverlay(box, left, top)], height: box.contentHeight };
}

async function layoutSignatures(
  context: Context,
  block: Extract<DocumentBlock, { kind: 'signatures' }>,
  frame: Frame,
  top: number,
  seed: number,
): Promise<Placed> {
  // The signer column is the wider one: it carries the place-and-date line.
  const leftWidth = (frame.right - frame.left) * 0.42;
  const columns: { column: SignatureColumn; left: number; width: number }[] = [
    { column: block.right, left: frame.left + leftWidth, width: frame.right - frame.left - leftWidth },
  ];
  if (block.left !== undefined) columns.unshift({ column: block.left, left: frame.left, width: leftWidth });
  const placed = await Promise.all(
    // Each column draws from its own PRNG: the columns render concurrently, and a
    // shared one would be consumed in whatever order the renders finish.
    columns.map(({ column, left, width }, i) =>
      layoutSignatureColumn(context, column, left, width, top, seedOf(seed, 'signature', i)),
    ),
  );
  return {
    overlays: placed.flatMap((p) => p.overlays),
    height: Math.max(...placed.map((p) => p.height)),
  };
}

async function layoutSignatureColumn(
  context: Context,
  column: SignatureColumn,
  left: number,
  width: number,
  top: number,
  seed: number,
): Promise<Placed> {
  const lines = await layoutColumnLines(context, column.lines, left, width, column.align, top);
  if (column.signer === undefined) return lines;
  const signer = column.signer;
  const centreX = left + width / 2;
  const signatureTop = top + lines.height + mm(context, 2);
  const signatureHeight = mm(context, 20);
  const [nameBox, scribble, stamp] = await Promise.all([
    renderTextBox(context, signer.name, 'bold', defaultSizePt, { width, align: 'centre', justify: false }),
    renderScribble(context, createRandom(seedOf(seed, 'scribble'))),
    signer.stamp === undefined
      ? Promise.resolve(undefined)
      : renderStamp(context, signer.stamp, createRandom(seedOf(seed, 'stamp'))),
  ]);
  const overlays = [...lines.overlays];
  overlays.push({
    ...scribble,
    left: Math.round(centreX - scribble.raw.width / 2 + mm(context, 4)),
    top: Math.round(signatureTop + (signatureHeight - scribble.raw.height) / 2),
  });
  const nameTop = signatureTop + signatureHeight + mm(context, 2);
  overlays.push(textOverlay(nameBox, centreX - nameBox.width / 2, nameTop));
  if (stamp !== undefined) {
    // Clerks stamp over the left third of the signature and the signer's title.
    overlays.push({
      ...stamp,
      left: Math.round(centreX - stamp.raw.width / 2 - mm(context, 17)),
      top: Math.round(signatureTop + signatureHeight / 2 - stamp.raw.height / 2 - mm(context, 6)),
      blend: 'multiply',
    });
  }
  return { overlays, height: nameTop + nameBox.contentHeight - top };
}

/** A hand signature in blue ink: a few random loops and a closing stroke. */
async function renderScribble(context: Context, random: () => number): Promise<Omit<Overlay, 'left' | 'top'>> {
  const width = mm(context, 42);
  const height = mm(context, 16);
  const mid = height * 0.55;
  let x = width * 0.08;
  let path = `M ${x.toFixed(1)} ${(mid + height * 0.1).toFixed(1)}`;
  const loops = 4 + Math.floor(random() * 3);
  const step = (width * 0.7) / loops;
  for (let i = 0; i < loops; i += 1) {
    const up = mid - height * (0.25 + random() * 0.25);
    const down = mid + height * (0.05 + random() * 0.15);
    path += ` C ${(x + step * 0.2).toFixed(1)} ${up.toFixed(1)}, ${(x + step * 0.9).toFixed(1)} ${up.toFixed(1)}, ${(x + step * 0.5).toFixed(1)} ${mid.toFixed(1)}`;
    path += ` S ${(x + step * 0.9).toFixed(1)} ${down.toFixed(1)}, ${(x + step).toFixed(1)} ${(mid - height * 0.05).toFixed(1)}`;
    x += step;
  }
  const flourishY = height * (0.78 + random() * 0.08);
  path += ` M ${(width * 0.15).toFixed(1)} ${flourishY.toFixed(1)} Q ${(width * 0.5).toFixed(1)} ${(flourishY + height * 0.12).toFixed(1)}, ${(width * 0.95).toFixed(1)} ${(flourishY - height * 0.15).toFixed(1)}`;
  const stroke = Math.max(1, mm(context, 0.4));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><path d="${path}" fill="none" stroke="#1f3288" stroke-width="${stroke}" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { input: data, raw: { width: info.width, height: info.height, channels: 4 } };
}

const stampColour = { r: 206, g: 32, b: 44 };

/**
 * A round red agency stamp: double ring, text around the ring, star in the middle.
 *
 * Drawn pixel by pixel (the ring text is rendered straight with the TTF and
 * bent into the ring here) so it needs no font lookup by SVG and has the uneven
 * inking of a real stamp.
 */
async function renderStamp(
  context: Context,
  ringText: string,
  random: () => number,
): Promise<Omit<Overlay, 'left' | 'top'>> {
  const size = mm(context, 38);
  const centre = size / 2;
  const outerRadius = size / 2 - 2;
  const outerWidth = mm(context, 0.9);
  const innerRadius = outerRadius - mm(context, 7.2);
  const innerWidth = mm(context, 0.4);
  const textOuter = outerRadius - outerWidth - mm(context, 0.7);
  const textInner = innerRadius + innerWidth + mm(context, 0.7);
  const starRadius = mm(context, 6);

  // Render once to measure, then again letter-spaced so the text runs round
  // most of the ring as on a real stamp, whatever its length.
  const textMid = (textOuter + textInner) / 2;
  const targetSpan = 2 * Math.PI * 0.9;
  const natural = await renderRawText(context, escapeMarkup(ringText), 'bold', 11);
  const naturalScale = (textOuter - textInner) / natural.height;
  const extraPx = ((targetSpan * textMid) / naturalScale - natural.width) / [...ringText].length;
  const spacing = Math.max(0, Math.round(((extraPx * 72) / context.dpi) * 1024));
  const text = await renderRawText(
    context,
    `<span letter_spacing="${spacing}">${escapeMarkup(ringText)}</span>`,
    'bold',
    11,
  );
  const scale = (textOuter - textInner) / text.height;
  const span = Math.min(targetSpan, (text.width * scale) / textMid);
  const rotation = (random() - 0.5) * 0.6;

  const star: [number, number][] = [];
  for (let i = 0; i < 10; i += 1) {
    const angle = (i * Math.PI) / 5 - Math.PI / 2;
    const radius = i % 2 === 0 ? starRadius : starRadius * 0.4;
    star.push([centre + radius * Math.cos(angle), centre + radius * Math.sin(angle)]);
  }

  const inkLight = random() * 2 * Math.PI;
  const data = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const dx = x + 0.5 - centre;
      const dy = y + 0.5 - centre;
      const r = Math.hypot(dx, dy);
      let coverage = 0;
      coverage = Math.max(coverage, band(r, outerRadius - outerWidth, outerRadius));
      coverage = Math.max(coverage, band(r, innerRadius, innerRadius + innerWidth));
      if (r >= textInner && r <= textOuter) {
        let theta = Math.atan2(dx, -dy) - rotation;
        if (theta > Math.PI) theta -= 2 * Math.PI;
        if (theta < -Math.PI) theta += 2 * Math.PI;
        if (Math.abs(theta) <= span / 2) {
          const u = ((theta + span / 2) / span) * (text.width - 1);
          const v = ((textOuter - r) / (textOuter - textInner)) * (text.height - 1);
          coverage = Math.max(coverage, sampleAlpha(text, u, v) / 255);
        }
      }
      if (r < starRadius && insidePolygon(star, x + 0.5, y + 0.5)) coverage = 1;
      if (coverage === 0) continue;
      // Uneven inking: one side of the stamp pressed lighter, plus grain.
      const light = 0.78 + 0.12 * Math.cos(Math.atan2(dy, dx) - inkLight) + 0.1 * random();
      const offset = (y * size + x) * 4;
      data[offset] = stampColour.r;
      data[offset + 1] = stampColour.g;
      data[offset + 2] = stampColour.b;
      data[offset + 3] = Math.round(255 * Math.min(1, coverage * light));
    }
  }
  return { input: data, raw: { width: size, height: size, channels: 4 } };
}

function band(r: number, from: number, to: number): number {
  // One pixel of anti-aliasing on both edges.
  return Math.max(0, Math.min(1, r - from + 0.5, to - r + 0.5));
}

function sampleAlpha(image: { data: Buffer; width: number; height: number }, u: number, v: number): number {
  const x0 = Math.floor(u);
  const y0 = Math.floor(v);
  const fx = u - x0;
  const fy = v - y0;
  const at = (x: number, y: number): number => {
    if (x < 0 || y < 0 || x >= image.width || y >= image.height) return 0;
    return image.data[(y * image.width + x) * 4 + 3] ?? 0;
  };
  return (
    at(x0, y0) * (1 - fx) * (1 - fy) +
    at(x0 + 1, y0) * fx * (1 - fy) +
    at(x0, y0 + 1) * (1 - fx) * fy +
    at(x0 + 1, y0 + 1) * fx * fy
  );
}

function insidePolygon(polygon: [number, number][], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i, i += 1) {
    const [xi, yi] = polygon[i] ?? [0, 0];
    const [xj, yj] = polygon[j] ?? [0, 0];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

async function layoutPage(context: Context, page: SamplePage, frame: Frame, seed: number): Promise<Overlay[]> {
  const overlays: Overlay[] = [];
  let y = frame.top;
  for (const block of page.blocks) {
    let placed: Placed;
    switch (block.kind) {
      case 'header': {
        // The motto column is wider: its first line is the longest line of the header.
        const leftWidth = (frame.right - frame.left) * 0.42;
        const headerLeft = frame.left - mm(context, 8);
        const [left, right] = await Promise.all([
          layoutColumnLines(context, block.left, headerLeft, leftWidth, 'centre', y),
          layoutColumnLines(
            context,
            block.right,
            headerLeft + leftWidth,
            frame.right + mm(context, 4) - headerLeft - leftWidth,
            'centre',
            y,
          ),
        ]);
        placed = { overlays: [...left.overlays, ...right.overlays], height: Math.max(left.height, right.height) };
        y += placed.height + mm(context, 8);
        break;
      }
      case 'title':
        placed = await layoutColumnLines(context, block.lines, frame.left, frame.right - frame.left, 'centre', y);
        y += placed.height + mm(context, 5);
        break;
      case 'paragraph':
        placed = await layoutParagraph(context, block, frame, y);
        y += placed.height + mm(context, 1.6);
        break;
      case 'signatures':
        placed = await layoutSignatures(context, block, frame, y + mm(context, 2), seed);
        y += placed.height + mm(context, 2);
        break;
    }
    overlays.push(...placed.overlays);
  }
  if (y > frame.bottom + mm(context, 5)) {
    throw new Error(`Sample page ${page.documentId} p${page.pageNumber} does not fit on A4`);
  }
  return overlays;
}

/** Side of a QR module: 0.4 mm, as the one-stop systems print it (a code of about 2 cm). */
const qrModuleMm = 0.4;

/**
 * The provincial QR code of TT 01/2023 in the top-left corner: its modules start at the left edge of
 * the agency column and 6 mm from the top, whole pixels a module so that a 200 dpi scan still
 * reads it. Multiplied onto the paper, so its white quiet zone takes the paper's tint.
 */
async function qrOverlay(context: Context, text: string, left: number): Promise<{ overlay: Overlay; bottom: number }> {
  const moduleSize = Math.max(1, mm(context, qrModuleMm));
  const png = await writeQrPng(text, moduleSize);
  const { data, info } = await sharp(png)
    .toColourspace('srgb')
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  // writeQrPng adds the standard quiet zone of four modules on every side.
  const quiet = 4 * moduleSize;
  const top = mm(context, 6);
  return {
    overlay: {
      input: data,
      raw: { width: info.width, height: info.height, channels: 4 },
      left: Math.max(0, Math.round(left - quiet)),
      top: Math.max(0, Math.round(top - quiet)),
      blend: 'multiply',
    },
    bottom: top + info.height - 2 * quiet,
  };
}

const paper = { r: 250, g: 248, b: 242 };

/**
 * Renders the `index`-th demo sheet as an A4 scan.
 *
 * Off-white paper, Noto Serif text laid out like an administrative document,
 * a red stamp on signed documents, and a scanner look (skew under 1°, slight
 * blur, grain, a shadow along the lid edge, a few dust specks). The same
 * index, dpi and colour mode always give the same bytes. Costs a few hundred
 * milliseconds at 300 dpi; use `createDemoPageSource` to serve pages fast.
 */
export async function renderDemoPage(request: DemoPageRequest): Promise<RenderedDemoPage> {
  const { dpi, colourMode } = request;
  if (!Number.isInteger(dpi) || dpi < 50 || dpi > 600) {
    throw new RangeError(`Demo pages render at 50–600 dpi, got ${dpi}`);
  }
  const templateIndex = samplePageIndex(request.index);
  const page = samplePage(templateIndex);
  const context: Context = { dpi, fonts: resolveFontFiles(request.fontDir) };
  const { widthPx, heightPx } = a4PixelSize(dpi);
  const seed = seedOf('demo-page', templateIndex, dpi);
  const random = createRandom(seedOf(seed, colourMode));
  const frame: Frame = {
    left: mm(context, 30),
    right: widthPx - mm(context, 20),
    top: mm(context, 20),
    bottom: heightPx - mm(context, 20),
  };

  const overlays: Overlay[] = [];
  if (page.qrCode !== undefined) {
    // Above the agency header, at the left edge of its column; the page's text moves down under it.
    const qr = await qrOverlay(context, page.qrCode, frame.left - mm(context, 8));
    overlays.push(qr.overlay);
    frame.top = Math.max(frame.top, qr.bottom + mm(context, 3));
  }
  overlays.push(...(await layoutPage(context, page, frame, seed)));
  const flat = await sharp({ create: { width: widthPx, height: heightPx, channels: 3, background: paper } })
    .composite(overlays)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });

  const skewDeg = (random() < 0.5 ? -1 : 1) * (0.3 + random() * 0.6);
  // No blur pass: the bilinear interpolation of the rotation already softens
  // edges like a scanner's optics, and a blur would double the render time.
  let scanned = sharp(flat.data, {
    raw: { width: flat.info.width, height: flat.info.height, channels: flat.info.channels },
  }).rotate(skewDeg, { background: paper });
  if (colourMode === 'gray') scanned = scanned.greyscale();
  const rotated = await scanned.raw().toBuffer({ resolveWithObject: true });

  const channels = rotated.info.channels;
  const pixels = addScannerNoise(
    rotated.data,
    rotated.info.width,
    rotated.info.height,
    channels,
    widthPx,
    heightPx,
    random,
  );
  let encoder = sharp(pixels, { raw: { width: widthPx, height: heightPx, channels } });
  // sharp writes sRGB unless told otherwise; a grey scan is a one-channel JPEG.
  if (colourMode === 'gray') encoder = encoder.toColourspace('b-w');
  const data = await encoder.jpeg({ quality: jpegQuality }).withDensity(dpi).toBuffer();
  return { data, mimeType: 'image/jpeg', widthPx, heightPx, text: samplePageText(request.index) };
}

/** Crops the rotated sheet back to A4 and adds grain, a lid shadow and dust. */
function addScannerNoise(
  source: Buffer,
  sourceWidth: number,
  sourceHeight: number,
  channels: number,
  width: number,
  height: number,
  random: () => number,
): Buffer {
  const out = Buffer.alloc(width * height * channels);
  const offsetX = Math.floor((sourceWidth - width) / 2);
  const offsetY = Math.floor((sourceHeight - height) / 2);
  const shadowWidth = Math.max(4, Math.round(width * 0.012));
  // Inline xorshift32 rather than `random()`: this loop runs for every pixel.
  let state = Math.floor(random() * 0xfffffffe) + 1;
  for (let y = 0; y < height; y += 1) {
    const sourceRow = ((y + offsetY) * sourceWidth + offsetX) * channels;
    const row = y * width * channels;
    for (let x = 0; x < width; x += 1) {
      const shade = x < shadowWidth ? 0.9 + 0.1 * (x / shadowWidth) : 1;
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      // Sum of two uniform bytes: triangular grain of ±7 levels.
      const grain = ((state & 0xff) + ((state >>> 8) & 0xff) - 255) * (7 / 255);
      for (let c = 0; c < channels; c += 1) {
        const value = (source[sourceRow + x * channels + c] ?? 0) * shade + grain;
        out[row + x * channels + c] = value < 0 ? 0 : value > 255 ? 255 : value;
      }
    }
  }
  const specks = 6 + Math.floor(random() * 10);
  for (let i = 0; i < specks; i += 1) {
    const cx = Math.floor(random() * width);
    const cy = Math.floor(random() * height);
    const radius = 1 + Math.floor(random() * 2);
    const value = 90 + Math.floor(random() * 80);
    for (let y = cy - radius; y <= cy + radius; y += 1) {
      for (let x = cx - radius; x <= cx + radius; x += 1) {
        if (x < 0 || y < 0 || x >= width || y >= height) continue;
        if ((x - cx) ** 2 + (y - cy) ** 2 > radius * radius) continue;
        for (let c = 0; c < channels; c += 1) out[(y * width + x) * channels + c] = value;
      }
    }
  }
  return out;
}

/** Where and with which fonts the cache renders. */
export interface DemoPageSourceOptions {
  cacheDir: string;
  fontDir?: string;
}

/**
 * Serves demo sheets from JPEG files rendered once per (sample page, dpi, colour mode).
 *
 * Rendering at 300 dpi takes far longer than the 250 ms a page may take when
 * the demo scanner feeds 4 pages per second; the cache makes every later page
 * a file read. Files are written under a temporary name and renamed, so a
 * crash or a second station process never leaves a half-written page behind.
 */
export function createDemoPageSource(options: DemoPageSourceOptions): DemoPageSource {
  const pending = new Map<string, Promise<Buffer>>();

  async function renderToCache(path: string, request: Omit<DemoPageRequest, 'fontDir'>): Promise<Buffer> {
    const rendered = await renderDemoPage({
      ...request,
      ...(options.fontDir === undefined ? {} : { fontDir: options.fontDir }),
    });
    await mkdir(options.cacheDir, { recursive: true });
    const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await writeFile(temporary, rendered.data);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return rendered.data;
  }

  return {
    async page(request) {
      const templateIndex = samplePageIndex(request.index);
      const path = join(options.cacheDir, cacheFileName(templateIndex, request.dpi, request.colourMode));
      let data = await readIfExists(path);
      if (data === undefined) {
        let rendering = pending.get(path);
        if (rendering === undefined) {
          rendering = renderToCache(path, { ...request, index: templateIndex });
          pending.set(path, rendering);
          rendering.then(
            () => pending.delete(path),
            () => pending.delete(path),
          );
        }
        data = await rendering;
      }
      const { widthPx, heightPx } = a4PixelSize(request.dpi);
      return { data, mimeType: 'image/jpeg', widthPx, heightPx, text: samplePageText(request.index) };
    },
  };
}

/** Names a cache file after the page's content too, so editing a sample document invalidates it. */
function cacheFileName(templateIndex: number, dpi: number, colourMode: DemoColourMode): string {
  const content = createHash('sha256')
    .update(JSON.stringify(samplePage(templateIndex)))
    .update(String(renderVersion))
    .digest('hex')
    .slice(0, 12);
  return `demo-${templateIndex}-${dpi}dpi-${colourMode}-${content}.jpg`;
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
