import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../shared/contract.js';
import type { SettingsFile } from '../../shared/settings.js';
import { createEngine } from '../../electron/engine/engine.js';
import type { Engine } from '../../electron/engine/engine.js';
import { createSilentLogger } from '../../electron/engine/logging/logger.js';
import { SaneScanDriver } from '../../electron/engine/scan/sane-driver.js';
import { callEngine } from '../support/call.js';
import type { SaneConfig } from '../support/sane.js';
import { hasScanimage, makeSaneTestConfig, saneTestDevice } from '../support/sane.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
let sane: SaneConfig;

beforeAll(() => {
  sane = makeSaneTestConfig();
});
afterAll(() => sane.cleanup());

interface Recorded {
  name: EventName;
  payload: unknown;
  at: number;
}

/** An engine whose only driver is SANE, pointed at the test backend, with these settings in its user file. */
async function saneEngine(
  settings: SettingsFile = {},
): Promise<{ engine: Engine; dataDir: string; events: Recorded[] }> {
  const dataDir = tempDir('sohoa-sane-');
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify(settings));
  const engine = await createEngine({
    dataDir,
    resourcesDir: 'resources',
    transport: 'direct',
    policyFile: null,
    logger: createSilentLogger(),
    drivers: [new SaneScanDriver({ workDir: path.join(dataDir, 'cache', 'sane'), env: sane.env })],
  });
  const events: Recorded[] = [];
  engine.events.onAny((name, payload) => events.push({ name, payload, at: performance.now() }));
  return { engine, dataDir, events };
}

function withOptions(options: Record<string, string>, device = saneTestDevice): SettingsFile {
  return { scan: { deviceOptions: { [device]: options } } };
}

function pageEvents(events: Recorded[]): (Recorded & { payload: EventPayload<'scan:page-captured'> })[] {
  return events.filter((event) => event.name === 'scan:page-captured') as never;
}

function waitForPages(engine: Engine, count: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    const stop = engine.events.onAny((name) => {
      if (name === 'scan:page-captured' && ++seen === count) {
        stop();
        resolve();
      }
    });
  });
}

describe.skipIf(!hasScanimage())('SANE capture through scanimage (test backend)', () => {
  it('lists the test backend with its sources, modes, resolutions and area', async () => {
    const { engine } = await saneEngine();
    const devices = await callEngine(engine, 'devices:list', {});
    expect(devices.ok).toBe(true);
    if (!devices.ok) return;
    const device = devices.value.find((candidate) => candidate.id === saneTestDevice);
    expect(device).toMatchObject({
      kind: 'sane',
      sources: ['flatbed', 'adf'],
      colourModes: ['color', 'gray'],
      maxAreaMm: { width: 200, height: 200 },
      allowed: true,
    });
    expect(device?.resolutions).toEqual(expect.arrayContaining([200, 300, 600]));
    expect(devices.value.map((candidate) => candidate.id)).toContain('sane:test:1');
    await engine.close();
  });

  it('streams a 10-page ADF batch into the store, each page announced once it is stored', async () => {
    const { engine, dataDir, events } = await saneEngine(withOptions({ 'test-picture': 'Color pattern' }));
    const started = await callEngine(engine, 'scan:start', { deviceId: saneTestDevice });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    await engine.capture.idle();

    const names = events
      .map((event) => event.name)
      .filter((name) => name.startsWith('scan:') && name !== 'scan:progressed');
    expect(names).toEqual(['scan:started', ...Array<EventName>(10).fill('scan:page-captured'), 'scan:finished']);
    expect(events.find((event) => event.name === 'scan:finished')?.payload).toEqual({
      batchId: started.value.batchId,
      pageCount: 10,
      cancelled: false,
    });
    expect(events.some((event) => event.name === 'scan:progressed')).toBe(true);

    const pages = pageEvents(events).map((event) => event.payload.page);
    expect(pages.map((page) => page.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // The standard profile: colour at 300 dpi; A4 is clamped to the test backend's 200 × 200 mm.
    for (const page of pages) {
      expect(page).toMatchObject({ mimeType: 'image/jpeg', dpi: 300, colourMode: 'color', deviceId: saneTestDevice });
      expect(page.widthPx).toBe(2362);
      expect(page.heightPx).toBe(2362);
    }
    const db = new Database(path.join(dataDir, 'station.db'), { readonly: true });
    const batch = db.prepare('SELECT state, page_count FROM batches WHERE id = ?').get(started.value.batchId);
    db.close();
    expect(batch).toEqual({ state: 'finished', page_count: 10 });
    const first = pages[0];
    const stored = fs.readFileSync(
      path.join(dataDir, 'store', 'files', first!.sha256.slice(0, 2), first!.sha256.slice(2, 4), first!.sha256),
    );
    const metadata = await sharp(stored).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 2362, height: 2362, channels: 3 });
    // Nothing is left in the temporary batch folder.
    expect(fs.readdirSync(path.join(dataDir, 'cache', 'sane'))).toEqual([]);
    await engine.close();
  });

  it('stops a batch cancelled after 3 pages, keeping the pages already delivered', async () => {
    // About 0.3 s a page: slow enough to cancel in the middle of the stack.
    const { engine, dataDir, events } = await saneEngine(
      withOptions({ 'read-delay': 'yes', 'read-delay-duration': '1000' }),
    );
    const threePages = waitForPages(engine, 3);
    const started = await callEngine(engine, 'scan:start', { deviceId: saneTestDevice });
    if (!started.ok) throw new Error(started.error.message);
    await threePages;
    expect(await callEngine(engine, 'scan:cancel', { batchId: started.value.batchId })).toEqual({
      ok: true,
      value: { cancelled: true },
    });
    await engine.capture.idle();

    const finished = events.find((event) => event.name === 'scan:finished')?.payload as EventPayload<'scan:finished'>;
    expect(finished.cancelled).toBe(true);
    expect(finished.pageCount).toBeGreaterThanOrEqual(3);
    expect(finished.pageCount).toBeLessThan(10);
    const pages = await callEngine(engine, 'pages:list', { batchId: started.value.batchId });
    expect(pages.ok && pages.value.map((page) => page.index)).toEqual(
      Array.from({ length: finished.pageCount }, (_, index) => index),
    );
    const batches = await callEngine(engine, 'batches:list', {});
    expect(batches).toMatchObject({ ok: true, value: [{ state: 'cancelled', pageCount: finished.pageCount }] });
    // scanimage stopped: its batch folder is gone and no page arrives later.
    expect(fs.readdirSync(path.join(dataDir, 'cache', 'sane'))).toEqual([]);
    const count = pageEvents(events).length;
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(pageEvents(events)).toHaveLength(count);
    await engine.close();
  });

  it('ends the batch failed with scan/paper-jam when the feeder jams', async () => {
    const { engine, events } = await saneEngine(withOptions({ 'read-return-value': 'SANE_STATUS_JAMMED' }));
    const started = await callEngine(engine, 'scan:start', { deviceId: saneTestDevice });
    if (!started.ok) throw new Error(started.error.message);
    await engine.capture.idle();
    expect(events.find((event) => event.name === 'scan:failed')).toMatchObject({
      name: 'scan:failed',
      payload: { batchId: started.value.batchId, pageCount: 0, error: { code: 'scan/paper-jam' } },
    });
    const batches = await callEngine(engine, 'batches:list', {});
    expect(batches).toMatchObject({ ok: true, value: [{ state: 'failed', errorCode: 'scan/paper-jam' }] });
    await engine.close();
  });

  it.each([
    ['SANE_STATUS_NO_DOCS', 'scan/no-paper'],
    ['SANE_STATUS_COVER_OPEN', 'scan/cover-open'],
    ['SANE_STATUS_DEVICE_BUSY', 'scan/busy'],
    ['SANE_STATUS_IO_ERROR', 'scan/io'],
  ])('maps %s to %s', async (status, code) => {
    const { engine, events } = await saneEngine(withOptions({ 'read-return-value': status }));
    await callEngine(engine, 'scan:start', { deviceId: saneTestDevice });
    await engine.capture.idle();
    expect(events.find((event) => event.name === 'scan:failed')).toMatchObject({ payload: { error: { code } } });
    await engine.close();
  });

  it('hands on each page of a slow scanner as soon as it is written, not at the end of the batch', async () => {
    // About 1.3 s a page at 300 dpi colour.
    const { engine, events } = await saneEngine(withOptions({ 'read-delay': 'yes', 'read-delay-duration': '5000' }));
    const started = await callEngine(engine, 'scan:start', { deviceId: saneTestDevice, count: 3 });
    if (!started.ok) throw new Error(started.error.message);
    await engine.capture.idle();
    const pages = pageEvents(events);
    expect(pages).toHaveLength(3);
    const ended = events.find((event) => event.name === 'scan:finished');
    expect(ended?.payload).toMatchObject({ pageCount: 3, cancelled: false });
    // Pages come a scanner-page apart; the first long before the batch ends.
    expect(pages[1]!.at - pages[0]!.at).toBeGreaterThan(700);
    expect(pages[2]!.at - pages[1]!.at).toBeGreaterThan(700);
    expect(ended!.at - pages[0]!.at).toBeGreaterThan(1400);
    // Progress was reported for each page while it was being scanned.
    const progressed = events
      .filter((event) => event.name === 'scan:progressed')
      .map((event) => event.payload as EventPayload<'scan:progressed'>);
    expect(new Set(progressed.map((event) => event.pageIndex))).toEqual(new Set([0, 1, 2]));
    expect(progressed.some((event) => event.percent !== null && event.percent > 0 && event.percent < 100)).toBe(true);
    await engine.close();
  });

  it('scans one sheet from the flatbed with a flatbed profile', async () => {
    const { engine, events } = await saneEngine({
      profiles: { items: { glass: { source: 'flatbed', colourMode: 'gray', dpi: 200 } } },
    });
    const started = await callEngine(engine, 'scan:start', { deviceId: saneTestDevice, profile: 'glass' });
    if (!started.ok) throw new Error(started.error.message);
    await engine.capture.idle();
    const pages = pageEvents(events).map((event) => event.payload.page);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ colourMode: 'gray', dpi: 200, widthPx: 1574, heightPx: 1574 });
    expect(events.find((event) => event.name === 'scan:finished')).toMatchObject({ payload: { pageCount: 1 } });
    await engine.close();
  });

  it('refuses a two-sided profile on a one-sided scanner before starting a batch', async () => {
    const { engine } = await saneEngine({ profiles: { items: { both: { duplex: true } } } });
    const started = await callEngine(engine, 'scan:start', { deviceId: saneTestDevice, profile: 'both' });
    expect(started).toMatchObject({ ok: false, error: { code: 'scan/unsupported-setting' } });
    expect(await callEngine(engine, 'scan:start', { deviceId: saneTestDevice, profile: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'scan/profile-not-found' },
    });
    expect(await callEngine(engine, 'batches:list', {})).toEqual({ ok: true, value: [] });
    await engine.close();
  });
});
