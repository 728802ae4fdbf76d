import { describe, expect, it } from 'vitest';
import type { RawImage } from '../../../electron/engine/imaging/page-cleaner.js';
import { applyTransforms } from '../../../electron/engine/imaging/page-cleaner.js';
import { placeOcrOnPage } from '../../../electron/engine/pdf/ocr-placement.js';
import type { OcrResult, Orientation, PixelBox } from '../../../shared/ocr.js';
import { rotateBox } from '../../../shared/ocr.js';
import type { PageTransform } from '../../../shared/transforms.js';

// A white 400 × 300 capture with one black 40 × 20 "word" at (300, 60) and a grey one at (40, 220).
const capture = { width: 400, height: 300 };
const word: PixelBox = { x0: 300, y0: 60, x1: 340, y1: 80 };
const corner: PixelBox = { x0: 40, y0: 220, x1: 80, y1: 240 };

function captureImage(): RawImage {
  const data = Buffer.alloc(capture.width * capture.height, 255);
  const paint = (box: PixelBox, value: number) => {
    for (let y = box.y0; y < box.y1; y += 1) data.fill(value, y * capture.width + box.x0, y * capture.width + box.x1);
  };
  paint(word, 0);
  paint(corner, 128);
  return { data, width: capture.width, height: capture.height, channels: 1 };
}

/** What OCR stores for the capture read turned `orientation`: its boxes in that frame, at `scale`. */
function ocrOf(orientation: Orientation, scale = 1): OcrResult {
  const sideways = orientation % 180 !== 0;
  const box = (b: PixelBox): PixelBox => {
    const turned = rotateBox(b, orientation, capture.width, capture.height);
    return { x0: turned.x0 * scale, y0: turned.y0 * scale, x1: turned.x1 * scale, y1: turned.y1 * scale };
  };
  const line = (text: string, b: PixelBox, blockIndex: number) => ({
    text,
    confidence: 90,
    bbox: box(b),
    blockIndex,
    words: [{ text, confidence: 90, bbox: box(b) }],
  });
  return {
    text: 'Quyết\n\nđịnh',
    lines: [line('Quyết', word, 0), line('định', corner, 1)],
    orientation,
    confidence: 90,
    languages: 'vie+eng',
    engine: 'test',
    widthPx: (sideways ? capture.height : capture.width) * scale,
    heightPx: (sideways ? capture.width : capture.height) * scale,
  };
}

/** The mean grey value of the rendered page inside a box (0 = all black). */
function meanInside(image: RawImage, box: PixelBox): number {
  let sum = 0;
  let count = 0;
  for (let y = Math.round(box.y0) + 2; y < Math.round(box.y1) - 2; y += 1) {
    for (let x = Math.round(box.x0) + 2; x < Math.round(box.x1) - 2; x += 1) {
      sum += image.data[y * image.width + x] ?? 255;
      count += 1;
    }
  }
  return count === 0 ? Number.NaN : sum / count;
}

describe('OCR words laid on the output page', () => {
  const cases: {
    name: string;
    orientation: Orientation;
    scale?: number;
    transforms: PageTransform[];
    expectedTurn?: Orientation;
  }[] = [
    { name: 'read as captured, no edits', orientation: 0, transforms: [] },
    { name: 'read at half the resolution', orientation: 0, scale: 0.5, transforms: [] },
    { name: 'read turned 90°, page turned 90°', orientation: 90, transforms: [{ kind: 'rotate', degrees: 90 }] },
    {
      name: 'read upright, the clerk turned the page 270°',
      orientation: 0,
      transforms: [{ kind: 'rotate', degrees: 270 }],
      expectedTurn: 270,
    },
    { name: 'read turned 180°, page left as captured', orientation: 180, transforms: [], expectedTurn: 180 },
    {
      name: 'read turned 270°, page turned, cropped and deskewed',
      orientation: 270,
      transforms: [
        { kind: 'rotate', degrees: 270 },
        { kind: 'crop', left: 0.05, top: 0.1, width: 0.9, height: 0.85 },
        { kind: 'deskew', degrees: 3 },
      ],
    },
    {
      name: 'cropped and deskewed the other way',
      orientation: 0,
      transforms: [
        { kind: 'crop', left: 0.02, top: 0.04, width: 0.95, height: 0.9 },
        { kind: 'deskew', degrees: -4 },
      ],
    },
  ];

  for (const { name, orientation, scale, transforms, expectedTurn = 0 } of cases) {
    it(`puts each word on its ink: ${name}`, async () => {
      const page = await applyTransforms(captureImage(), transforms);
      const { ocr: placed, turn } = placeOcrOnPage(ocrOf(orientation, scale), transforms, page.width, page.height);
      // Sideways text comes in the page turned back upright: turn its boxes onto the page to look.
      const sideways = turn % 180 !== 0;
      expect([placed.widthPx, placed.heightPx]).toEqual(
        sideways ? [page.height, page.width] : [page.width, page.height],
      );
      const [black, grey] = placed.lines.map((line) =>
        rotateBox(line.words[0]!.bbox, turn, placed.widthPx, placed.heightPx),
      );
      expect(meanInside(page, black!)).toBeLessThan(20);
      expect(Math.abs(meanInside(page, grey!) - 128)).toBeLessThan(20);
      expect(placed.text).toBe('Quyết\n\nđịnh');
      expect(turn).toBe(expectedTurn);
    });
  }

  it('leaves out words a crop cut off the page', async () => {
    const transforms: PageTransform[] = [{ kind: 'crop', left: 0, top: 0, width: 0.5, height: 1 }];
    const page = await applyTransforms(captureImage(), transforms);
    const { ocr: placed, turn } = placeOcrOnPage(ocrOf(0), transforms, page.width, page.height);
    expect(turn).toBe(0);
    expect(placed.lines.map((line) => line.text)).toEqual(['định']);
  });
});
