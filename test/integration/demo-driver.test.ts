import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DemoScanDriver } from '../../electron/engine/scan/demo-driver.js';
import { a4PixelSize, renderDemoPage, resolveFontFiles } from '../../electron/engine/scan/demo-pages.js';
import { samplePages, samplePageText } from '../../electron/engine/scan/sample-documents.js';
import type { ScannedPage, ScanRequest } from '../../electron/engine/scan/scan-driver.js';
import { readQrCodes } from '../../electron/engine/workflow/qr-codes.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const blankIndex = samplePages.findIndex((page) => page.blank);

function request(overrides: Partial<ScanRequest> = {}): ScanRequest {
  return {
    deviceId: 'demo',
    source: 'adf',
    dpi: 300,
    colourMode: 'color',
    maxPages: 20,
    signal: new AbortController().signal,
    ...overrides,
  };
}

async function scanAll(driver: DemoScanDriver, scanRequest: ScanRequest): Promise<ScannedPage[]> {
  const pages: ScannedPage[] = [];
  for await (const page of driver.scan(scanRequest)) pages.push(page);
  return pages;
}

/** Mean and standard deviation of the page as a greyscale image. */
async function greyStats(jpeg: Buffer): Promise<{ mean: number; stdev: number }> {
  const stats = await sharp(jpeg).greyscale().stats();
  const channel = stats.channels[0]!;
  return { mean: channel.mean, stdev: channel.stdev };
}

describe('demo pages rendered with sharp and Noto Serif', () => {
  it.each([200, 300])('are decodable A4 JPEGs at %i dpi', async (dpi) => {
    const expected = a4PixelSize(dpi);
    for (const colourMode of ['color', 'gray'] as const) {
      const page = await renderDemoPage({ index: 0, dpi, colourMode });
      expect(page.mimeType).toBe('image/jpeg');
      expect(Math.abs(page.widthPx - (210 / 25.4) * dpi)).toBeLessThanOrEqual(2);
      expect(Math.abs(page.heightPx - (297 / 25.4) * dpi)).toBeLessThanOrEqual(2);
      const metadata = await sharp(page.data).metadata();
      expect(metadata).toMatchObject({ format: 'jpeg', width: expected.widthPx, height: expected.heightPx });
      expect(metadata.channels).toBe(colourMode === 'gray' ? 1 : 3);
      // Decoding the whole image, not only its header, proves the JPEG is complete.
      const decoded = await sharp(page.data).raw().toBuffer({ resolveWithObject: true });
      expect(decoded.info).toMatchObject({ width: expected.widthPx, height: expected.heightPx });
      expect(decoded.data.length).toBe(expected.widthPx * expected.heightPx * decoded.info.channels);
      expect(page.text).toBe(samplePageText(0));
    }
  });

  it('leave the separator sheet nearly white and print on the others', async () => {
    for (let index = 0; index < samplePages.length; index += 1) {
      const page = await renderDemoPage({ index, dpi: 200, colourMode: 'gray' });
      const { mean, stdev } = await greyStats(page.data);
      if (index === blankIndex) {
        expect(mean, 'blank mean').toBeGreaterThan(240);
        expect(stdev, 'blank stdev').toBeLessThan(8);
        expect(page.text).toBe('');
      } else {
        expect(stdev, `page ${index} stdev`).toBeGreaterThan(20);
        expect(page.text.length).toBeGreaterThan(0);
      }
    }
  });

  it('gives the same bytes for the same sheet, and a red stamp on signed documents', async () => {
    const first = await renderDemoPage({ index: 0, dpi: 200, colourMode: 'color' });
    const again = await renderDemoPage({ index: samplePages.length, dpi: 200, colourMode: 'color' });
    expect(again.data.equals(first.data)).toBe(true);
    const { data, info } = await sharp(first.data).raw().toBuffer({ resolveWithObject: true });
    let red = 0;
    for (let i = 0; i < data.length; i += info.channels) {
      if (data[i]! > 150 && data[i + 1]! < 110 && data[i + 2]! < 110) red += 1;
    }
    expect(red).toBeGreaterThan(2000);
  });

  it('print the provincial QR code at the top-left of the permit, readable at 200 and 300 dpi in colour and grey', async () => {
    const index = samplePages.findIndex((page) => page.qrCode !== undefined);
    expect(index).toBeGreaterThanOrEqual(0);
    const expected = samplePages[index]!.qrCode!;
    for (const dpi of [200, 300]) {
      for (const colourMode of ['color', 'gray'] as const) {
        const page = await renderDemoPage({ index, dpi, colourMode });
        expect(await readQrCodes(page.data), `${dpi} dpi ${colourMode}`).toEqual([expected]);
        // Top-left: the code is dark ink in the corner above the header, and the rest of the top margin is paper.
        const { widthPx } = a4PixelSize(dpi);
        const mmPx = (mm: number): number => Math.round((mm / 25.4) * dpi);
        const corner = await greyStats(
          await sharp(page.data)
            .extract({ left: mmPx(22), top: mmPx(6), width: mmPx(20), height: mmPx(20) })
            .toBuffer(),
        );
        expect(corner.mean, 'QR corner').toBeLessThan(200);
        const topRight = await greyStats(
          await sharp(page.data)
            .extract({ left: widthPx - mmPx(110), top: mmPx(4), width: mmPx(90), height: mmPx(14) })
            .toBuffer(),
        );
        expect(topRight.mean, 'top margin right of the code').toBeGreaterThan(235);
      }
    }
    // No other sheet carries a code.
    const certificate = await renderDemoPage({ index: 0, dpi: 200, colourMode: 'gray' });
    expect(await readQrCodes(certificate.data)).toEqual([]);
  }, 60_000);

  it('reads fonts from a flat font folder and refuses a folder without them', async () => {
    const flat = tempDir();
    for (const file of Object.values(resolveFontFiles())) fs.copyFileSync(file, path.join(flat, path.basename(file)));
    const fromFlat = await renderDemoPage({ index: 1, dpi: 100, colourMode: 'gray', fontDir: flat });
    const fromPackage = await renderDemoPage({ index: 1, dpi: 100, colourMode: 'gray' });
    expect(fromFlat.data.equals(fromPackage.data)).toBe(true);
    await expect(renderDemoPage({ index: 1, dpi: 100, colourMode: 'gray', fontDir: tempDir() })).rejects.toThrow(
      /Noto Serif font file/,
    );
  });
});

describe('DemoScanDriver with its page cache', () => {
  it('renders each sheet once and then feeds at least 4 pages per second', async () => {
    const cacheDir = path.join(tempDir(), 'demo-cache');
    const driver = new DemoScanDriver({ cacheDir, pageDelayMs: 0 });

    const firstBatch = await scanAll(driver, request());
    expect(firstBatch).toHaveLength(20);
    const files = fs.readdirSync(cacheDir);
    expect(files.filter((file) => file.endsWith('.jpg'))).toHaveLength(samplePages.length);
    expect(files.filter((file) => file.endsWith('.tmp'))).toEqual([]);

    // A correctness guard of the cache, not a benchmark: rendering every page
    // again would take several seconds for 20 sheets at 300 dpi.
    const started = performance.now();
    const secondBatch = await scanAll(new DemoScanDriver({ cacheDir, pageDelayMs: 0 }), request());
    const seconds = (performance.now() - started) / 1000;
    expect(secondBatch).toHaveLength(20);
    expect(20 / seconds).toBeGreaterThanOrEqual(4);
    secondBatch.forEach((page, i) => {
      expect(page.data.equals(firstBatch[i]!.data)).toBe(true);
      expect(page).toMatchObject({ widthPx: 2480, heightPx: 3508, dpi: 300, colourMode: 'color' });
    });
  });

  it('renders a sheet asked for twice at once only once', async () => {
    const cacheDir = tempDir();
    const driver = new DemoScanDriver({ cacheDir, pageDelayMs: 0 });
    const [a, b] = await Promise.all([
      scanAll(driver, request({ maxPages: 1, dpi: 100 })),
      scanAll(driver, request({ maxPages: 1, dpi: 100 })),
    ]);
    expect(a[0]!.data.equals(b[0]!.data)).toBe(true);
    expect(fs.readdirSync(cacheDir)).toHaveLength(1);
  });
});
