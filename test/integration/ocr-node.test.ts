import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStationError } from '../../shared/errors.js';
import type { OcrResult } from '../../shared/ocr.js';
import { OcrResult as OcrResultSchema } from '../../shared/ocr.js';
import { createNodeOcrEngine } from '../../electron/engine/ocr/node-ocr-engine.js';
import { resolveOcrAssets } from '../../electron/engine/ocr/ocr-assets.js';
import { createLogger } from '../../electron/engine/logging/logger.js';
import { ensureBuilt, repoRoot } from '../support/built-cli.js';
import type { OcrPage } from '../support/ocr-pages.js';
import { characterErrorRate, maxCer, ocrSampleTexts, renderOcrPage } from '../support/ocr-pages.js';

function expectSound(result: OcrResult, page: OcrPage): void {
  expect(OcrResultSchema.parse(result)).toEqual(result);
  expect(result.text).toBe(result.text.normalize('NFC'));
  expect(result.languages).toBe('vie+eng');
  expect(result.engine).toMatch(/^tesseract\.js 7\.\d+\.\d+ core 7\.\d+\.\d+ simd #[0-9a-f]{8} 4\.0\.0_best_int$/);
  const words = result.lines.flatMap((line) => line.words);
  expect(words.length).toBeGreaterThan(20);
  for (const word of words) {
    expect(word.text).toBe(word.text.normalize('NFC'));
    expect(word.confidence).toBeGreaterThanOrEqual(0);
    expect(word.confidence).toBeLessThanOrEqual(100);
    expect(word.bbox.x0).toBeGreaterThanOrEqual(0);
    expect(word.bbox.y0).toBeGreaterThanOrEqual(0);
    expect(word.bbox.x1).toBeLessThanOrEqual(result.widthPx);
    expect(word.bbox.y1).toBeLessThanOrEqual(result.heightPx);
    expect(word.bbox.x1).toBeGreaterThan(word.bbox.x0);
  }
  // Reading order: in the upright page, lines go down.
  const tops = result.lines.map((line) => line.bbox.y0);
  expect(tops).toEqual([...tops].sort((a, b) => a - b));
  expect(characterErrorRate(result.text, page.text)).toBeLessThan(maxCer);
}

describe('OCR in Node worker threads', () => {
  const engine = {} as { current: ReturnType<typeof createNodeOcrEngine> };

  beforeAll(() => {
    ensureBuilt();
    engine.current = createNodeOcrEngine({
      assets: resolveOcrAssets(path.join(repoRoot, 'resources')),
      workers: 2,
      variant: '4.0.0_best_int',
      languages: 'vie+eng',
      logger: createLogger({ level: 'warn', sinks: [] }),
    });
  });

  afterAll(async () => {
    await engine.current.terminate();
  });

  it('reads generated Vietnamese pages, straight and skewed, below the CER ceiling, the same every time', async () => {
    const pages = await Promise.all([
      renderOcrPage({ text: ocrSampleTexts[1], dpi: 200 }),
      renderOcrPage({ text: ocrSampleTexts[2], dpi: 150, skewDeg: 2, noise: 12, seed: 'skew', format: 'jpeg' }),
    ]);
    const results = await Promise.all(
      pages.map((page) => engine.current.recognize({ image: page.data, dpi: page.dpi })),
    );
    results.forEach((result, index) => {
      const page = pages[index]!;
      expectSound(result, page);
      expect(result.orientation).toBe(0);
      expect([result.widthPx, result.heightPx]).toEqual([page.widthPx, page.heightPx]);
    });
    // The same image again gives the same result, to the box.
    const again = await engine.current.recognize({ image: pages[0].data, dpi: pages[0].dpi });
    expect(again).toEqual(results[0]);
  });

  it('finds the orientation of a page scanned upside down or sideways and gives boxes on the upright page', async () => {
    const upright = await renderOcrPage({ text: ocrSampleTexts[3], dpi: 200 });
    const [down, sideways] = await Promise.all([
      renderOcrPage({ text: ocrSampleTexts[3], dpi: 200, turnedDeg: 180 }),
      renderOcrPage({ text: ocrSampleTexts[3], dpi: 200, turnedDeg: 90 }),
    ]);
    const [uprightResult, downResult, sidewaysResult] = await Promise.all(
      [upright, down, sideways].map((page) => engine.current.recognize({ image: page.data, dpi: page.dpi })),
    );
    expect(downResult!.orientation).toBe(180);
    // Turned 90° clockwise in the image: another 270° makes it upright.
    expect(sidewaysResult!.orientation).toBe(270);
    for (const result of [downResult!, sidewaysResult!]) {
      expectSound(result, upright);
      expect([result.widthPx, result.heightPx]).toEqual([upright.widthPx, upright.heightPx]);
      // Boxes land where the upright page has its words, within a few pixels of interpolation.
      const first = result.lines[0]!.bbox;
      const expected = uprightResult!.lines[0]!.bbox;
      expect(Math.abs(first.x0 - expected.x0)).toBeLessThan(8);
      expect(Math.abs(first.y0 - expected.y0)).toBeLessThan(8);
    }
  });

  it('shares one recognition between requests for the same image, and refuses what is not an image', async () => {
    const page = await renderOcrPage({ text: ocrSampleTexts[4], dpi: 150 });
    const key = 'fixture-key';
    const [a, b] = await Promise.all([
      engine.current.recognize({ image: page.data, key, dpi: 150 }),
      engine.current.recognize({ image: page.data, key, dpi: 150 }),
    ]);
    expect(a).toBe(b);
    const error = await engine.current
      .recognize({ image: new TextEncoder().encode('%PDF-1.7 this is no image') })
      .catch((caught: unknown) => caught);
    expect(isStationError(error) && error.code).toBe('ocr/unreadable-image');
    // A corrupt image with a valid header reaches tesseract, which cannot read it either.
    const truncated = page.data.subarray(0, 200);
    const unreadable = await engine.current.recognize({ image: truncated }).catch((caught: unknown) => caught);
    expect(isStationError(unreadable) && unreadable.code).toBe('ocr/unreadable-image');
    // The pool still works afterwards.
    expect((await engine.current.recognize({ image: page.data, dpi: 150 })).text).toBe(a.text);
  });

  it('sizes the pool from the cores unless the setting says otherwise', () => {
    expect(engine.current.size).toBe(2);
    const auto = createNodeOcrEngine({
      assets: resolveOcrAssets(path.join(repoRoot, 'resources')),
      workers: 0,
      variant: '4.0.0_best_int',
      languages: 'vie',
      logger: createLogger({ level: 'warn', sinks: [] }),
    });
    // One core is left to capture and the UI.
    expect(auto.size).toBe(Math.max(1, Math.min(4, os.availableParallelism() - 1)));
    void auto.terminate();
  });
});
