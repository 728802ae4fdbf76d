import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DocumentLayout, PageTransform } from '../../../shared/transforms.js';
import {
  colourClass,
  connectedComponents,
  detectBorder,
  estimateSkew,
  inkMask,
  lineAsymmetry,
  markComponents,
  rotatePoints,
} from '../../../electron/engine/imaging/page-analysis.js';
import { applyTransforms, outputMode, packBilevel } from '../../../electron/engine/imaging/page-cleaner.js';
import type { RawImage } from '../../../electron/engine/imaging/page-cleaner.js';

/** Points along horizontal lines, rotated clockwise by `degrees` about the origin. */
function skewedLines(degrees: number): { xs: Float64Array; ys: Float64Array } {
  const xs: number[] = [];
  const ys: number[] = [];
  const radians = (degrees * Math.PI) / 180;
  for (let line = 0; line < 20; line += 1) {
    for (let x = 0; x < 600; x += 2) {
      const y = 100 + line * 30;
      xs.push(x * Math.cos(radians) - y * Math.sin(radians) + 200);
      ys.push(x * Math.sin(radians) + y * Math.cos(radians));
    }
  }
  return { xs: Float64Array.from(xs), ys: Float64Array.from(ys) };
}

function grey(width: number, height: number, paint: (x: number, y: number) => number) {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) data[y * width + x] = paint(x, y);
  return { data, width, height };
}

describe('page measurements', () => {
  it('finds the skew of text lines to a twentieth of a degree', () => {
    for (const degrees of [-4.6, -1.25, 0, 0.35, 3.9]) {
      const { xs, ys } = skewedLines(degrees);
      expect(Math.abs(estimateSkew(xs, ys, 1400).degrees - degrees)).toBeLessThanOrEqual(0.05);
    }
  });

  it('tells upright lines (more ink above the x-height band) from upside-down ones', () => {
    // A line profile: 3 rows of marks above, 8 rows of core, 1 row below.
    const profile = new Float64Array(40);
    [2, 3, 4].forEach((row) => (profile[row] = 5));
    for (let row = 5; row < 13; row += 1) profile[row] = 40;
    profile[13] = 4;
    expect(lineAsymmetry(profile).asymmetry).toBeGreaterThan(0.5);
    expect(lineAsymmetry(profile.slice().reverse()).asymmetry).toBeLessThan(-0.5);
  });

  it('turns points by quarter turns inside their frame', () => {
    const turned = rotatePoints(Float64Array.from([0, 9]), Float64Array.from([0, 4]), 10, 5, 90);
    expect([...turned.xs, ...turned.ys, turned.width, turned.height]).toEqual([4, 0, 0, 9, 5, 10]);
  });

  it('keeps marks and drops speckles, edge bands and page-sized blobs', () => {
    const image = grey(200, 200, (x, y) => {
      if (x < 4) return 20; // scanner edge
      if (x >= 50 && x < 60 && y >= 50 && y < 64) return 30; // a letter
      if (x === 120 && y === 120) return 10; // a speck
      return 235;
    });
    const mask = inkMask(image, { radius: 10 });
    expect(connectedComponents(mask).length).toBeGreaterThanOrEqual(3);
    const marks = markComponents(mask, 150);
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({ x0: 50, y0: 50, x1: 59, y1: 63 });
  });

  it('does not take faint show-through for ink', () => {
    const image = grey(200, 200, (x, y) => (x >= 50 && x < 80 && y >= 50 && y < 60 ? 190 : 240));
    expect(markComponents(inkMask(image), 150)).toHaveLength(0);
  });

  it('finds dark bands along the edges', () => {
    const image = grey(400, 300, (x, y) => (y < 12 || x >= 390 ? 25 : 240));
    const border = detectBorder(image);
    expect(border.top).toBeGreaterThanOrEqual(12);
    expect(border.right).toBeLessThanOrEqual(390);
    expect(border.left).toBe(0);
    expect(border.bottom).toBe(300);
  });

  it('calls a page colour for a small stamp, grey for grey tones, bi-level without mid-tones', () => {
    const pixels = 100 * 100;
    const rgb = new Uint8Array(pixels * 3).fill(240);
    for (let i = 0; i < 40; i += 1) rgb.set([200, 30, 30], i * 3);
    const tones = new Uint8Array(pixels).fill(240);
    expect(colourClass(rgb, 3, tones).mode).toBe('color');
    for (let i = 0; i < 2000; i += 1) tones[i] = 120;
    expect(colourClass(new Uint8Array(pixels * 3).fill(240), 3, tones).mode).toBe('gray');
    const bilevel = new Uint8Array(pixels).map((_, i) => (i % 7 === 0 ? 0 : 255));
    expect(colourClass(new Uint8Array(0), 3, bilevel).mode).toBe('lineart');
  });

  it('keeps the capture class by default and the measured one when asked', () => {
    expect(outputMode({ captureMode: 'color', colourMode: 'gray' }, 'keep')).toBe('color');
    expect(outputMode({ captureMode: 'color', colourMode: 'gray' }, 'measured')).toBe('gray');
  });
});

describe('page transforms', () => {
  it('validates the transform list and the document layout', () => {
    expect(PageTransform.safeParse({ kind: 'rotate', degrees: 90 }).success).toBe(true);
    expect(PageTransform.safeParse({ kind: 'rotate', degrees: 45 }).success).toBe(false);
    expect(PageTransform.safeParse({ kind: 'crop', left: 0.5, top: 0, width: 0.6, height: 1 }).success).toBe(false);
    expect(
      DocumentLayout.safeParse({
        pages: [
          { pageId: 'a', transforms: [] },
          { pageId: 'a', transforms: [] },
        ],
      }).success,
    ).toBe(false);
    expect(
      DocumentLayout.safeParse({ pages: [{ pageId: 'b', transforms: [{ kind: 'deskew', degrees: -1.5 }] }] }).success,
    ).toBe(true);
  });

  it('applies rotate, crop and deskew in order, leaving the original untouched', async () => {
    const { data, info } = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#ffffff' } })
      .composite([
        {
          input: Buffer.from(
            '<svg width="300" height="200"><rect x="0" y="0" width="30" height="200" fill="black"/></svg>',
          ),
        },
      ])
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const original: RawImage = { data, width: info.width, height: info.height, channels: 1 };
    const copy = Buffer.from(data);
    const turned = await applyTransforms(original, [{ kind: 'rotate', degrees: 90 }]);
    expect([turned.width, turned.height]).toEqual([200, 300]);
    // Turned clockwise, the black band on the left is now along the top.
    expect(turned.data[5 * 200 + 100]).toBeLessThan(50);
    const cropped = await applyTransforms(original, [
      { kind: 'rotate', degrees: 90 },
      { kind: 'crop', left: 0, top: 0.2, width: 1, height: 0.8 },
      { kind: 'deskew', degrees: 2 },
    ]);
    expect([cropped.width, cropped.height]).toEqual([200, 240]);
    expect(Math.min(...cropped.data)).toBeGreaterThan(200);
    expect(Buffer.from(data).equals(copy)).toBe(true);
  });

  it('packs bi-level rows to whole bytes, 1 = white', () => {
    const image: RawImage = {
      data: Buffer.from([0, 255, 255, 0, 255, 255, 255, 255, 0, 0]),
      width: 10,
      height: 1,
      channels: 1,
    };
    expect([...packBilevel(image)]).toEqual([0b01101111, 0b00000000]);
  });
});
