import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract.js';
import { createEngine } from '../../electron/engine/engine.js';
import type { Engine } from '../../electron/engine/engine.js';
import { createSilentLogger } from '../../electron/engine/logging/logger.js';
import { DemoScanDriver } from '../../electron/engine/scan/demo-driver.js';
import type { DemoScanDriverOptions } from '../../electron/engine/scan/demo-driver.js';
import type { ScanDriver } from '../../electron/engine/scan/scan-driver.js';
import { callEngine } from '../support/call.js';
import { openDemoEngine } from '../support/demo-engine.js';

let cacheDir: string;
const dirs: string[] = [];
const made = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

beforeAll(() => {
  // One page cache for the file: rendering is the demo scanner's job, not what these tests look at.
  cacheDir = made('sohoa-demo-cache-');
});
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function engineWith(options: Partial<DemoScanDriverOptions>, dataDir = made('sohoa-capture-')): Promise<Engine> {
  return openDemoEngine(dataDir, { cacheDir, ...options });
}

function record(engine: Engine): { name: EventName; payload: unknown }[] {
  const events: { name: EventName; payload: unknown }[] = [];
  engine.events.onAny((name, payload) => events.push({ name, payload }));
  return events;
}

describe('capture', () => {
  it('keeps the pages captured before a paper jam and ends the batch failed with the jam code', async () => {
    const engine = await engineWith({ failAfter: { pages: 2, code: 'scan/paper-jam' } });
    const events = record(engine);
    const { batchId } = await engine.capture.start({ deviceId: 'demo', count: 5 });
    await engine.capture.idle();
    // The batch's own events; progress, OCR and document events interleave with them.
    const batchEvents = events.filter((event) => event.name.startsWith('scan:') && event.name !== 'scan:progressed');
    expect(batchEvents.map((event) => event.name)).toEqual([
      'scan:started',
      'scan:page-captured',
      'scan:page-captured',
      'scan:failed',
    ]);
    expect(batchEvents.at(-1)?.payload).toMatchObject({ batchId, pageCount: 2, error: { code: 'scan/paper-jam' } });
    const batches = await callEngine(engine, 'batches:list', {});
    expect(batches).toMatchObject({
      ok: true,
      value: [{ id: batchId, state: 'failed', pageCount: 2, errorCode: 'scan/paper-jam' }],
    });
    const pages = await callEngine(engine, 'pages:list', { batchId });
    expect(pages.ok && pages.value.map((page) => page.index)).toEqual([0, 1]);
    await engine.close();
  });

  it('stops on cancel, keeping the pages already delivered', async () => {
    const engine = await engineWith({ pageDelayMs: 150 });
    const events = record(engine);
    const { batchId } = await engine.capture.start({ deviceId: 'demo', count: 20 });
    await new Promise<void>((resolve) => {
      const stop = engine.events.onAny((name) => {
        if (name === 'scan:page-captured') {
          stop();
          resolve();
        }
      });
    });
    expect(await callEngine(engine, 'scan:cancel', { batchId })).toEqual({ ok: true, value: { cancelled: true } });
    await engine.capture.idle();
    const finished = events.find((event) => event.name === 'scan:finished')?.payload as {
      pageCount: number;
      cancelled: boolean;
    };
    expect(finished.cancelled).toBe(true);
    expect(finished.pageCount).toBeGreaterThanOrEqual(1);
    expect(finished.pageCount).toBeLessThan(20);
    const pages = await callEngine(engine, 'pages:list', { batchId });
    expect(pages.ok && pages.value).toHaveLength(finished.pageCount);
    await engine.close();
  });

  it('refuses a second scan while one is running, and serves thumbnails of stored pages', async () => {
    const engine = await engineWith({ pageDelayMs: 100 });
    const { batchId } = await engine.capture.start({ deviceId: 'demo', count: 2 });
    const second = await callEngine(engine, 'scan:start', { deviceId: 'demo', count: 1 });
    expect(second).toMatchObject({ ok: false, error: { code: 'scan/busy' } });
    await engine.capture.idle();
    const pages = await callEngine(engine, 'pages:list', { batchId });
    const first = pages.ok ? pages.value[0] : undefined;
    const thumb = await callEngine(engine, 'pages:thumbnail', { pageId: first!.id });
    expect(thumb.ok).toBe(true);
    if (thumb.ok)
      expect(Buffer.from(thumb.value.dataBase64, 'base64').subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(await callEngine(engine, 'pages:thumbnail', { pageId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'store/not-found' },
    });
    await engine.close();
  });

  it('closes a batch left scanning by a killed process as failed when the station starts again', async () => {
    const dataDir = made('sohoa-capture-');
    const engine = await engineWith({ pageDelayMs: 100 }, dataDir);
    const { batchId } = await engine.capture.start({ deviceId: 'demo', count: 50 });
    // Simulate the process dying: reopen the same folder without closing the first engine's batch.
    const again = await engineWith({}, dataDir);
    const batches = await callEngine(again, 'batches:list', {});
    expect(batches).toMatchObject({
      ok: true,
      value: [{ id: batchId, state: 'failed', errorCode: 'scan/interrupted' }],
    });
    engine.capture.cancel(batchId);
    await engine.capture.idle();
    await again.close();
    await engine.close();
  });

  it('answers the device list early with the scanners found so far, then announces the whole list', async () => {
    const office = {
      id: 'escl:office',
      kind: 'escl' as const,
      name: 'Máy quét tầng 2',
      sources: ['adf' as const],
      resolutions: [300],
      colourModes: ['color' as const],
    };
    let finishDiscovery: () => void = () => undefined;
    let discovered = false;
    const slowNetwork: ScanDriver = {
      kind: 'escl',
      // Network discovery that takes its time the first time, as mDNS and USB probing do.
      listDevices: () =>
        discovered
          ? Promise.resolve([office])
          : new Promise((resolve) => {
              finishDiscovery = () => {
                discovered = true;
                resolve([office]);
              };
            }),
      scan: () => {
        throw new Error('not scanned here');
      },
    };
    const engine = await createEngine({
      dataDir: made('sohoa-capture-devices-'),
      resourcesDir: 'resources',
      transport: 'direct',
      policyFile: null,
      logger: createSilentLogger(),
      drivers: [new DemoScanDriver({ cacheDir, pageDelayMs: 0 }), slowNetwork],
    });
    const events = record(engine);
    const started = Date.now();
    const early = await callEngine(engine, 'devices:list', { waitMs: 100 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(early).toMatchObject({ ok: true, value: [{ id: 'demo' }] });
    expect(early.ok && early.value).toHaveLength(1);
    expect(events.some((event) => event.name === 'devices:changed')).toBe(false);

    finishDiscovery();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const changed = events.find((event) => event.name === 'devices:changed')?.payload as
      { devices: { id: string }[] } | undefined;
    expect(changed?.devices.map((device) => device.id)).toEqual(['demo', 'escl:office']);
    // Without waitMs the answer is the whole list.
    const whole = await callEngine(engine, 'devices:list', {});
    expect(whole.ok && whole.value.map((device) => device.id)).toEqual(['demo', 'escl:office']);
    await engine.close();
  });
});
