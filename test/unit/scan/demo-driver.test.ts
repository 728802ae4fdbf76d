import { describe, expect, it } from 'vitest';
import { isStationError, type ErrorCode } from '../../../shared/errors.js';
import { DemoScanDriver, demoDevice, type DemoScanDriverOptions } from '../../../electron/engine/scan/demo-driver.js';
import { a4PixelSize, type DemoPageSource } from '../../../electron/engine/scan/demo-pages.js';
import type { ScannedPage, ScanRequest } from '../../../electron/engine/scan/scan-driver.js';

/** Hands out tiny fake JPEG bodies that name the sheet they stand for. */
class FakeDemoPageSource implements DemoPageSource {
  page(request: { index: number; dpi: number; colourMode: 'color' | 'gray' }) {
    const { widthPx, heightPx } = a4PixelSize(request.dpi);
    return Promise.resolve({
      data: Buffer.from(`sheet ${request.index} ${request.colourMode}`),
      mimeType: 'image/jpeg' as const,
      widthPx,
      heightPx,
      text: `text ${request.index}`,
    });
  }
}

function driver(options: Partial<DemoScanDriverOptions> = {}): DemoScanDriver {
  return new DemoScanDriver({
    cacheDir: '/nonexistent',
    pageDelayMs: 0,
    pageSource: new FakeDemoPageSource(),
    ...options,
  });
}

function request(overrides: Partial<ScanRequest> = {}): ScanRequest {
  return {
    deviceId: 'demo',
    source: 'adf',
    dpi: 300,
    colourMode: 'color',
    maxPages: 3,
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** Drains a scan, keeping the pages delivered before any error. */
async function collect(pages: AsyncIterable<ScannedPage>): Promise<{ pages: ScannedPage[]; error: unknown }> {
  const delivered: ScannedPage[] = [];
  try {
    for await (const page of pages) delivered.push(page);
  } catch (error) {
    return { pages: delivered, error };
  }
  return { pages: delivered, error: undefined };
}

function codeOf(error: unknown): ErrorCode | undefined {
  return isStationError(error) ? error.code : undefined;
}

const names = (pages: ScannedPage[]) => pages.map((page) => page.data.toString());

describe('DemoScanDriver', () => {
  it('lists the one demo device', async () => {
    const devices = await driver().listDevices();
    expect(devices).toEqual([
      {
        id: 'demo',
        kind: 'demo',
        name: 'Máy quét thử (Demo)',
        sources: ['flatbed', 'adf'],
        resolutions: [200, 300],
        colourModes: ['color', 'gray'],
      },
    ]);
    devices[0]!.resolutions.push(600);
    expect(demoDevice.resolutions).toEqual([200, 300]);
    expect(driver().kind).toBe('demo');
  });

  it('yields maxPages sheets in feeder order with the size of A4 at the requested dpi', async () => {
    const { pages, error } = await collect(driver().scan(request({ maxPages: 4, dpi: 200, colourMode: 'gray' })));
    expect(error).toBeUndefined();
    expect(names(pages)).toEqual(['sheet 0 gray', 'sheet 1 gray', 'sheet 2 gray', 'sheet 3 gray']);
    for (const page of pages) {
      expect(page).toMatchObject({
        mimeType: 'image/jpeg',
        widthPx: 1654,
        heightPx: 2339,
        dpi: 200,
        colourMode: 'gray',
      });
    }
    const at300 = await collect(driver().scan(request({ maxPages: 1 })));
    expect(at300.pages[0]).toMatchObject({ widthPx: 2480, heightPx: 3508, dpi: 300 });
  });

  it('feeds ten sheets when no limit is set and none when the limit is 0', async () => {
    expect((await collect(driver().scan(request({ maxPages: undefined })))).pages).toHaveLength(10);
    const none = await collect(driver().scan(request({ maxPages: 0 })));
    expect(none).toEqual({ pages: [], error: undefined });
  });

  it('keeps the pages already delivered and throws scan/cancelled when aborted between pages', async () => {
    const controller = new AbortController();
    const delivered: ScannedPage[] = [];
    let caught: unknown;
    try {
      for await (const page of driver().scan(request({ maxPages: 5, signal: controller.signal }))) {
        delivered.push(page);
        if (delivered.length === 2) controller.abort();
      }
    } catch (error) {
      caught = error;
    }
    expect(names(delivered)).toEqual(['sheet 0 color', 'sheet 1 color']);
    expect(codeOf(caught)).toBe('scan/cancelled');
  });

  it('stops during the pause before a page when aborted', async () => {
    const controller = new AbortController();
    const scanning = collect(driver({ pageDelayMs: 10_000 }).scan(request({ signal: controller.signal })));
    setTimeout(() => controller.abort(), 20);
    const { pages, error } = await scanning;
    expect(pages).toEqual([]);
    expect(codeOf(error)).toBe('scan/cancelled');
  });

  it('simulates a paper jam after the configured number of pages', async () => {
    const jammed = driver({ failAfter: { pages: 2, code: 'scan/paper-jam' } });
    const { pages, error } = await collect(jammed.scan(request({ maxPages: 5 })));
    expect(names(pages)).toEqual(['sheet 0 color', 'sheet 1 color']);
    expect(codeOf(error)).toBe('scan/paper-jam');
    // A batch that ends before the jam point completes normally.
    expect((await collect(jammed.scan(request({ maxPages: 2 })))).error).toBeUndefined();
  });

  it('simulates an empty feeder', async () => {
    const empty = driver({ failAfter: { pages: 0, code: 'scan/no-paper' } });
    const { pages, error } = await collect(empty.scan(request()));
    expect(pages).toEqual([]);
    expect(codeOf(error)).toBe('scan/no-paper');
  });

  it('asks for the simulated failure at each scan, so a trainer can switch it in the settings', async () => {
    let failure: DemoScanDriverOptions['failAfter'] = undefined;
    const trainer = driver({ failAfter: () => (typeof failure === 'function' ? undefined : failure) });
    expect((await collect(trainer.scan(request()))).error).toBeUndefined();
    failure = { pages: 1, code: 'scan/paper-jam' };
    const jammed = await collect(trainer.scan(request()));
    expect(names(jammed.pages)).toEqual(['sheet 0 color']);
    expect(codeOf(jammed.error)).toBe('scan/paper-jam');
    failure = undefined;
    expect((await collect(trainer.scan(request()))).pages).toHaveLength(3);
  });

  it('refuses other devices and settings it cannot scan', async () => {
    expect(codeOf((await collect(driver().scan(request({ deviceId: 'sane:x' })))).error)).toBe('scan/device-not-found');
    for (const bad of [
      { source: 'adf-duplex' as const },
      { colourMode: 'lineart' as const },
      { dpi: 10 },
      { maxPages: -1 },
    ]) {
      expect(codeOf((await collect(driver().scan(request(bad)))).error)).toBe('settings/invalid');
    }
  });

  it('computes A4 at 300 dpi as 2480 × 3508', () => {
    expect(a4PixelSize(300)).toEqual({ widthPx: 2480, heightPx: 3508 });
    expect(a4PixelSize(200)).toEqual({ widthPx: 1654, heightPx: 2339 });
  });
});
