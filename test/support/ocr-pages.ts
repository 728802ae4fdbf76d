import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { StationError } from '../../shared/errors.js';
import { resolveFontFiles } from '../../electron/engine/scan/demo-pages.js';
import type { ScanDriver } from '../../electron/engine/scan/scan-driver.js';
import { repoRoot } from './built-cli.js';

/**
 * Vietnamese administrative text for OCR fixtures (NFC): every vowel with its marks and tones,
 * đ/Đ, numbers and the punctuation of real documents.
 */
export const ocrSampleTexts: readonly string[] = [
  'Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư. Xét đề nghị của Chánh Văn phòng Ủy ban nhân dân tỉnh.',
  'Sở Khoa học và Công nghệ chịu trách nhiệm hướng dẫn, kiểm tra việc số hóa kết quả giải quyết thủ tục hành chính; bảo đảm dữ liệu được cập nhật đầy đủ, chính xác và kịp thời vào Kho quản lý dữ liệu điện tử.',
  'Giấy chứng nhận này có hiệu lực kể từ ngày ký. Ông Nguyễn Văn Hưởng, sinh ngày 12/08/1978, thường trú tại thôn Phú Lộc, xã Tịnh Ấn Tây, được cấp chứng chỉ hành nghề dịch vụ đo đạc và bản đồ hạng II.',
  'Trường hợp hồ sơ chưa đầy đủ, cán bộ tiếp nhận hướng dẫn tổ chức, cá nhân bổ sung một lần; thời hạn giải quyết không quá mười lăm ngày làm việc, kể từ ngày nhận đủ hồ sơ hợp lệ theo quy định.',
  'Kế hoạch triển khai gồm ba giai đoạn: rà soát, phân loại hồ sơ; quét, nhận dạng ký tự và kiểm tra chất lượng; ký số, lưu trữ và chia sẻ dữ liệu. Kinh phí thực hiện từ nguồn ngân sách nhà nước năm 2025.',
];

/**
 * The CER ceiling for pages rendered by the project.
 *
 * The pages are clean Noto Serif at 150–200 dpi, what a scanner delivers of a good original. The
 * engine reads them with 0–1 % CER (a character or two per page, e.g. `II` read as `IL`), and
 * native tesseract reads the corpus's clean pages with ~0.1 %. 2 % leaves room for four misread
 * characters on a 200-character page, while the failures this test exists for land far above
 * it: lost tone marks (a third of Vietnamese syllables carry one) give > 10 %, an unread
 * upside-down page ~90 %.
 */
export const maxCer = 0.02;

/** How to render a fixture page. */
export interface OcrPageOptions {
  /** The printed text (NFC); the first sample by default. */
  text?: string;
  /** 150–300; 200 by default. */
  dpi?: number;
  /** Width of the text column in millimetres (the page is a crop around it); 120 by default. */
  columnMm?: number;
  /** Small counter-clockwise skew of the scan, in degrees. */
  skewDeg?: number;
  /** How far the page is turned clockwise in the image (the scan lies sideways or upside down). */
  turnedDeg?: 0 | 90 | 180 | 270;
  /** Scanner grain (0 = none); deterministic per `seed`. */
  noise?: number;
  seed?: string;
  /** A line printed under the text, e.g. a page number, so pages of the same text differ. */
  footer?: string;
  format?: 'png' | 'jpeg';
}

/** A rendered fixture page and what is printed on it. */
export interface OcrPage {
  data: Buffer;
  mimeType: 'image/png' | 'image/jpeg';
  widthPx: number;
  heightPx: number;
  dpi: number;
  /** Exactly the printed text (NFC), blocks separated by a blank line. */
  text: string;
}

function fontDir(): string | undefined {
  const bundled = path.join(repoRoot, 'resources', 'fonts');
  return fs.existsSync(bundled) ? bundled : undefined;
}

function escapeMarkup(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Small deterministic PRNG (mulberry32), so a fixture is the same bytes on every run. */
function random(seed: string): () => number {
  let state = crypto.createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Renders Vietnamese text as a scanned page: Noto Serif 12 pt (the station's bundled font) in a
 * column on off-white paper, optionally skewed, turned and grainy, as PNG or JPEG with its dpi.
 */
export async function renderOcrPage(options: OcrPageOptions = {}): Promise<OcrPage> {
  const dpi = options.dpi ?? 200;
  const text = (options.text ?? ocrSampleTexts[0] ?? '').normalize('NFC');
  const footer = options.footer?.normalize('NFC');
  const fonts = resolveFontFiles(fontDir());
  const mm = (value: number) => Math.round((value / 25.4) * dpi);
  const column = mm(options.columnMm ?? 120);
  const body = footer === undefined ? escapeMarkup(text) : `${escapeMarkup(text)}\n\n${escapeMarkup(footer)}`;
  const { data: ink, info } = await sharp({
    text: { text: body, font: 'Noto Serif 12', fontfile: fonts.regular, dpi, width: column, wrap: 'word', rgba: true },
  })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const margin = mm(12);
  const width = info.width + 2 * margin;
  const height = info.height + 2 * margin;
  const paper = { r: 250, g: 248, b: 242 };
  let flat = await sharp({ create: { width, height, channels: 3, background: paper } })
    .composite([
      { input: ink, raw: { width: info.width, height: info.height, channels: 4 }, left: margin, top: margin },
    ])
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (options.noise !== undefined && options.noise > 0) {
    const next = random(options.seed ?? text);
    const pixels = flat.data;
    for (let i = 0; i < pixels.length; i += 3) {
      const grain = (next() + next() - 1) * options.noise;
      for (let c = 0; c < 3; c += 1) pixels[i + c] = Math.max(0, Math.min(255, (pixels[i + c] ?? 0) + grain));
    }
  }
  let image = sharp(flat.data, { raw: { width: flat.info.width, height: flat.info.height, channels: 3 } });
  if (options.skewDeg !== undefined && options.skewDeg !== 0) {
    // sharp turns clockwise for positive angles; a scan skewed counter-clockwise is a negative turn.
    flat = await image.rotate(-options.skewDeg, { background: paper }).raw().toBuffer({ resolveWithObject: true });
    image = sharp(flat.data, { raw: { width: flat.info.width, height: flat.info.height, channels: 3 } });
  }
  if (options.turnedDeg !== undefined && options.turnedDeg !== 0) {
    flat = await image.rotate(options.turnedDeg).raw().toBuffer({ resolveWithObject: true });
    image = sharp(flat.data, { raw: { width: flat.info.width, height: flat.info.height, channels: 3 } });
  }
  const format = options.format ?? 'png';
  const data = await (format === 'png' ? image.png({ compressionLevel: 6 }) : image.jpeg({ quality: 85 }))
    .withMetadata({ density: dpi })
    .toBuffer();
  return {
    data,
    mimeType: format === 'png' ? 'image/png' : 'image/jpeg',
    widthPx: flat.info.width,
    heightPx: flat.info.height,
    dpi,
    text: footer === undefined ? text : `${text}\n\n${footer}`,
  };
}

/** NFC with every whitespace run one space: how the corpus compares texts. */
export function normaliseForScoring(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** Edit distance between two sequences (characters or words). */
export function levenshtein<T>(a: readonly T[], b: readonly T[]): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Errors and reference length in characters (code points) after normalisation. */
export function characterErrors(hypothesis: string, reference: string): { errors: number; length: number } {
  const ref = [...normaliseForScoring(reference)];
  return { errors: levenshtein([...normaliseForScoring(hypothesis)], ref), length: ref.length };
}

/** Errors and reference length in words. */
export function wordErrors(hypothesis: string, reference: string): { errors: number; length: number } {
  const words = (text: string) => normaliseForScoring(text).split(' ').filter(Boolean);
  const ref = words(reference);
  return { errors: levenshtein(words(hypothesis), ref), length: ref.length };
}

/** Character error rate: edit distance over the reference length (the corpus's definition). */
export function characterErrorRate(hypothesis: string, reference: string): number {
  const { errors, length } = characterErrors(hypothesis, reference);
  return length === 0 ? errors : errors / length;
}

/**
 * A scanner that feeds the given fixture pages (test double of a ScanDriver, like the demo
 * scanner): device `demo`, one page per `delayMs`, honouring the page count and cancellation.
 */
export function createFixtureScanDriver(pages: readonly OcrPage[], delayMs = 0): ScanDriver {
  return {
    kind: 'demo',
    listDevices: () =>
      Promise.resolve([
        {
          id: 'demo',
          kind: 'demo',
          name: 'OCR fixture pages',
          sources: ['adf'],
          resolutions: [150, 200, 300],
          colourModes: ['color', 'gray'],
        },
      ]),
    async *scan(request) {
      const count = Math.min(request.maxPages ?? pages.length, pages.length);
      for (let index = 0; index < count; index += 1) {
        if (request.signal.aborted) throw new StationError('scan/cancelled', 'Scan cancelled');
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        const page = pages[index]!;
        yield {
          data: page.data,
          mimeType: page.mimeType,
          widthPx: page.widthPx,
          heightPx: page.heightPx,
          dpi: page.dpi,
          colourMode: 'color',
          completedAt: Date.now(),
        };
      }
    },
  };
}
