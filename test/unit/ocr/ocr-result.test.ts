import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Orientation, TesseractBlock, TesseractBox } from '../../../shared/ocr.js';
import {
  OcrResult,
  lowConfidenceWords,
  ocrPoolSize,
  orientationFromBaselines,
  readImageHeader,
  rotateBox,
  tesseractParameters,
  toOcrResult,
} from '../../../shared/ocr.js';

const page = { widthPx: 1000, heightPx: 600, languages: 'vie+eng', engine: 'test' };

/** Tesseract output for two upright paragraphs, the first word decomposed (NFD) as OCR may emit it. */
function uprightBlocks(): TesseractBlock[] {
  const word = (text: string, x0: number, y0: number, confidence = 95) => ({
    text,
    confidence,
    bbox: { x0, y0, x1: x0 + 80, y1: y0 + 30 },
  });
  const line = (y: number, words: ReturnType<typeof word>[]) => ({
    words,
    bbox: { x0: 100, y0: y, x1: 500, y1: y + 30 },
    baseline: { x0: 100, y0: y + 25, x1: 500, y1: y + 26 },
  });
  return [
    {
      paragraphs: [
        { lines: [line(50, [word('Quye\u0302\u0301t', 100, 50), word('\u0111\u1ecbnh', 200, 50, 41.26)])] },
        { lines: [line(120, [word('  ', 100, 120)])] },
        { lines: [line(200, [word('S\u043e', 100, 200, 60)]), line(240, [word('12/2024', 100, 240)])] },
      ],
    },
  ];
}

/** Turns every box and baseline of tesseract output by `degrees` clockwise, as a rotated scan would give them. */
function turned(blocks: TesseractBlock[], degrees: Orientation): TesseractBlock[] {
  const box = (b: TesseractBox): TesseractBox => rotateBox(b, degrees, page.widthPx, page.heightPx);
  const point = (x: number, y: number) => {
    const r = rotateBox({ x0: x, y0: y, x1: x, y1: y }, degrees, page.widthPx, page.heightPx);
    return { x: r.x0, y: r.y0 };
  };
  return blocks.map((block) => ({
    paragraphs: block.paragraphs.map((paragraph) => ({
      lines: paragraph.lines.map((line) => {
        const start = point(line.baseline.x0, line.baseline.y0);
        const end = point(line.baseline.x1, line.baseline.y1);
        return {
          bbox: box(line.bbox),
          baseline: { x0: start.x, y0: start.y, x1: end.x, y1: end.y },
          words: line.words.map((word) => ({ ...word, bbox: box(word.bbox) })),
        };
      }),
    })),
  }));
}

describe('toOcrResult', () => {
  it('builds NFC lines, blocks and text from tesseract blocks, dropping empty words and lines', () => {
    const result = toOcrResult(uprightBlocks(), page);
    expect(OcrResult.parse(result)).toEqual(result);
    expect(result.text).toBe('Quyết định\n\nSo\n12/2024');
    expect(result.lines.map((line) => line.blockIndex)).toEqual([0, 1, 1]);
    expect(result.lines[0]!.words.map((word) => word.text)).toEqual(['Quyết', 'định']);
    expect(result.lines[0]!.words[1]!.confidence).toBe(41.3);
    expect(result.confidence).toBe(Math.round(((95 + 41.26 + 60 + 95) / 4) * 10) / 10);
    expect(result).toMatchObject({ orientation: 0, widthPx: 1000, heightPx: 600, languages: 'vie+eng' });
    expect(lowConfidenceWords(result, 70).map((word) => word.text)).toEqual(['định', 'So']);
  });

  it.each([90, 180, 270] as const)('reads a page turned by %i° back upright, boxes and all', (degrees) => {
    const upright = toOcrResult(uprightBlocks(), page);
    // The scan shows the page turned `degrees` clockwise; it needs the opposite turn to be read.
    const scanned = turned(uprightBlocks(), degrees);
    const sideways = degrees % 180 !== 0;
    const result = toOcrResult(scanned, {
      ...page,
      widthPx: sideways ? page.heightPx : page.widthPx,
      heightPx: sideways ? page.widthPx : page.heightPx,
    });
    expect(result.orientation).toBe((360 - degrees) % 360);
    expect(result.text).toBe(upright.text);
    expect(result.widthPx).toBe(page.widthPx);
    expect(result.heightPx).toBe(page.heightPx);
    expect(result.lines.map((line) => line.bbox)).toEqual(upright.lines.map((line) => line.bbox));
    expect(result.lines.flatMap((line) => line.words.map((word) => word.bbox))).toEqual(
      upright.lines.flatMap((line) => line.words.map((word) => word.bbox)),
    );
  });

  it('adds a rotation the caller applied before recognition', () => {
    expect(toOcrResult(uprightBlocks(), { ...page, rotatedBy: 90 }).orientation).toBe(90);
    expect(toOcrResult(turned(uprightBlocks(), 180), { ...page, rotatedBy: 270 }).orientation).toBe(90);
  });

  it('gives an empty result for a blank page', () => {
    expect(toOcrResult(null, page)).toMatchObject({ text: '', lines: [], confidence: 0, orientation: 0 });
    expect(orientationFromBaselines([])).toBe(0);
  });
});

describe('rotateBox', () => {
  it('turns boxes by quarter turns and back', () => {
    const box = { x0: 10, y0: 20, x1: 110, y1: 60 };
    expect(rotateBox(box, 90, 1000, 600)).toEqual({ x0: 540, y0: 10, x1: 580, y1: 110 });
    expect(rotateBox(rotateBox(box, 90, 1000, 600), 270, 600, 1000)).toEqual(box);
    expect(rotateBox(rotateBox(box, 180, 1000, 600), 180, 1000, 600)).toEqual(box);
  });
});

describe('tesseractParameters', () => {
  it('sets the segmentation mode, Sauvola thresholding, no inverted pass, and a plausible dpi', () => {
    expect(tesseractParameters({ psm: 3 })).toEqual({
      tessedit_pageseg_mode: '3',
      thresholding_method: '2',
      tessedit_do_invert: '0',
    });
    expect(tesseractParameters({ psm: 1, dpi: 300 })).toMatchObject({
      tessedit_pageseg_mode: '1',
      user_defined_dpi: '300',
    });
    expect(tesseractParameters({ psm: 3, dpi: 5 })).not.toHaveProperty('user_defined_dpi');
  });
});

describe('readImageHeader', () => {
  const base = () => sharp({ create: { width: 37, height: 23, channels: 3, background: '#fff' } });

  it('reads the size of PNG, JPEG, TIFF and BMP files', async () => {
    expect(readImageHeader(await base().png().toBuffer())).toEqual({ format: 'png', widthPx: 37, heightPx: 23 });
    expect(readImageHeader(await base().jpeg().withDensity(300).toBuffer())).toEqual({
      format: 'jpeg',
      widthPx: 37,
      heightPx: 23,
    });
    expect(readImageHeader(await base().tiff({ compression: 'lzw' }).toBuffer())).toEqual({
      format: 'tiff',
      widthPx: 37,
      heightPx: 23,
    });
    const bmp = Buffer.alloc(54);
    bmp.write('BM', 0, 'latin1');
    bmp.writeInt32LE(37, 18);
    bmp.writeInt32LE(-23, 22);
    expect(readImageHeader(bmp)).toEqual({ format: 'bmp', widthPx: 37, heightPx: 23 });
  });

  it('refuses what is not an image, or is cut short', async () => {
    expect(readImageHeader(new TextEncoder().encode('%PDF-1.7 not an image'))).toBeUndefined();
    expect(readImageHeader(new Uint8Array())).toBeUndefined();
    const jpeg = await base().jpeg().toBuffer();
    expect(readImageHeader(jpeg.subarray(0, 12))).toBeUndefined();
  });
});

describe('ocrPoolSize', () => {
  it('takes the setting, or leaves one core to capture and the UI, between 1 and 4 workers', () => {
    expect(ocrPoolSize(3, 2)).toBe(3);
    expect(ocrPoolSize(0, 1)).toBe(1);
    expect(ocrPoolSize(0, 2)).toBe(1);
    expect(ocrPoolSize(0, 4)).toBe(3);
    expect(ocrPoolSize(0, 16)).toBe(4);
  });
});
