import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../shared/contract.js';
import type { SettingsFile } from '../../shared/settings.js';
import { createEngine } from '../../electron/engine/engine.js';
import type { Engine } from '../../electron/engine/engine.js';
import { createSilentLogger } from '../../electron/engine/logging/logger.js';
import { EsclScanDriver, esclDeviceId } from '../../electron/engine/scan/escl-driver.js';
import { callEngine } from '../support/call.js';
import type { EsclScannerOptions, EsclTestScanner } from '../support/escl-scanner/escl-scanner.js';
import { startEsclScanner } from '../support/escl-scanner/escl-scanner.js';
import { selfSignedCertificate } from '../support/escl-scanner/self-signed.js';
import { useTempDirs } from '../support/temp-dir.js';

// The station's eSCL client against the test scanner that escl-sane-airscan.test.ts proves faithful.

const tempDir = useTempDirs();
const open: { scanner?: EsclTestScanner; engine?: Engine } = {};

afterEach(async () => {
  await open.engine?.close();
  await open.scanner?.close();
  delete open.engine;
  delete open.scanner;
});

interface Recorded {
  name: EventName;
  payload: unknown;
}

async function setUp(
  scannerOptions: EsclScannerOptions,
  settings: SettingsFile = {},
  entry: { allowInsecureTls?: boolean } = {},
): Promise<{ engine: Engine; scanner: EsclTestScanner; deviceId: string; events: Recorded[]; dataDir: string }> {
  const scanner = await startEsclScanner(scannerOptions);
  open.scanner = scanner;
  const dataDir = tempDir('sohoa-escl-');
  const user: SettingsFile = {
    ...settings,
    scan: {
      esclDiscovery: false,
      esclDevices: [
        { name: 'Máy quét mạng tầng 2', url: scanner.url, allowInsecureTls: entry.allowInsecureTls ?? false },
      ],
      ...settings.scan,
    },
  };
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify(user));
  const holder: { engine?: Engine } = {};
  const driver = new EsclScanDriver({
    devices: () => holder.engine?.settings.current().values.scan.esclDevices ?? [],
    discovery: () => false,
    client: { busyRetryDelaysMs: [50, 50, 50], timeoutMs: 5000 },
  });
  const engine = await createEngine({
    dataDir,
    resourcesDir: 'resources',
    transport: 'direct',
    policyFile: null,
    logger: createSilentLogger(),
    drivers: [driver],
  });
  holder.engine = engine;
  open.engine = engine;
  const events: Recorded[] = [];
  engine.events.onAny((name, payload) => events.push({ name, payload }));
  return { engine, scanner, deviceId: esclDeviceId(scanner.url), events, dataDir };
}

function posts(scanner: EsclTestScanner): string[] {
  return scanner.requests.filter((request) => request.method === 'POST').map((request) => request.body);
}

function scanEvents(events: Recorded[]): Recorded[] {
  return events.filter((event) => event.name.startsWith('scan:') && event.name !== 'scan:progressed');
}

function pages(events: Recorded[]): EventPayload<'scan:page-captured'>['page'][] {
  return events
    .filter((event) => event.name === 'scan:page-captured')
    .map((event) => (event.payload as EventPayload<'scan:page-captured'>).page);
}

describe('eSCL capture from the test scanner', () => {
  it('lists a scanner entered by address with what its capabilities say', async () => {
    const { engine, deviceId, scanner } = await setUp({});
    expect(deviceId).toBe(`escl:127.0.0.1:${scanner.port}`);
    const devices = await callEngine(engine, 'devices:list', {});
    expect(devices).toMatchObject({
      ok: true,
      value: [
        {
          id: deviceId,
          kind: 'escl',
          name: 'Máy quét mạng tầng 2',
          sources: ['flatbed', 'adf', 'adf-duplex'],
          resolutions: [75, 100, 150, 200, 300, 600],
          colourModes: ['color', 'gray', 'lineart'],
          maxAreaMm: { width: 215.9, height: 355.6 },
          allowed: true,
        },
      ],
    });
  });

  it('scans the feeder until it is empty, asking for feeder, colour, 300 dpi and A4', async () => {
    const { engine, scanner, deviceId, events, dataDir } = await setUp({ feeder: 4 });
    const started = await callEngine(engine, 'scan:start', { deviceId });
    if (!started.ok) throw new Error(started.error.message);
    await engine.capture.idle();
    expect(scanEvents(events).map((event) => event.name)).toEqual([
      'scan:started',
      'scan:page-captured',
      'scan:page-captured',
      'scan:page-captured',
      'scan:page-captured',
      'scan:finished',
    ]);
    const body = posts(scanner)[0] ?? '';
    expect(body).toContain('<pwg:InputSource>Feeder</pwg:InputSource>');
    expect(body).toContain('<scan:ColorMode>RGB24</scan:ColorMode>');
    expect(body).toContain('<scan:XResolution>300</scan:XResolution>');
    expect(body).toContain('<scan:Duplex>false</scan:Duplex>');
    // A4 in three-hundredths of an inch: 210 mm × 297 mm.
    expect(body).toContain('<pwg:Width>2480</pwg:Width>');
    expect(body).toContain('<pwg:Height>3508</pwg:Height>');
    const stored = pages(events);
    expect(stored.map((page) => page.index)).toEqual([0, 1, 2, 3]);
    for (const page of stored) {
      expect(page).toMatchObject({
        mimeType: 'image/jpeg',
        widthPx: 2480,
        heightPx: 3508,
        dpi: 300,
        colourMode: 'color',
      });
    }
    const file = path.join(
      dataDir,
      'store',
      'files',
      stored[0]!.sha256.slice(0, 2),
      stored[0]!.sha256.slice(2, 4),
      stored[0]!.sha256,
    );
    expect(await sharp(fs.readFileSync(file)).metadata()).toMatchObject({ width: 2480, height: 3508, density: 300 });
    expect(scanner.jobs.size).toBe(1);
    expect([...scanner.jobs.values()][0]?.state).toBe('Completed');
  });

  it('scans both sides with a duplex profile, and one grey page from the platen', async () => {
    const { engine, scanner, deviceId, events } = await setUp(
      { feeder: 2 },
      {
        profiles: {
          items: { both: { duplex: true, dpi: 200 }, glass: { source: 'flatbed', colourMode: 'gray', dpi: 200 } },
        },
      },
    );
    await callEngine(engine, 'scan:start', { deviceId, profile: 'both' });
    await engine.capture.idle();
    expect(pages(events)).toHaveLength(4);
    expect(posts(scanner)[0]).toContain('<scan:Duplex>true</scan:Duplex>');

    await callEngine(engine, 'scan:start', { deviceId, profile: 'glass' });
    await engine.capture.idle();
    const all = pages(events);
    expect(all).toHaveLength(5);
    expect(all[4]).toMatchObject({ colourMode: 'gray', dpi: 200, widthPx: 1653, heightPx: 2338 });
    expect(posts(scanner)[1]).toContain('<pwg:InputSource>Platen</pwg:InputSource>');
    expect(posts(scanner)[1]).toContain('<scan:ColorMode>Grayscale8</scan:ColorMode>');
  });

  it('stops after the requested count and releases the job', async () => {
    const { engine, scanner, deviceId, events } = await setUp({ feeder: 10 });
    await callEngine(engine, 'scan:start', { deviceId, count: 3 });
    await engine.capture.idle();
    expect(pages(events)).toHaveLength(3);
    expect(scanner.requests.some((request) => request.method === 'DELETE')).toBe(true);
    expect(scanner.feeder).toBe(7);
  });

  it('cancels the job with DELETE and keeps the pages already delivered', async () => {
    const { engine, scanner, deviceId, events } = await setUp({ feeder: 20, pageDelayMs: 250 });
    const firstPage = new Promise<void>((resolve) => {
      const stop = engine.events.onAny((name) => {
        if (name === 'scan:page-captured') {
          stop();
          resolve();
        }
      });
    });
    const started = await callEngine(engine, 'scan:start', { deviceId });
    if (!started.ok) throw new Error(started.error.message);
    await firstPage;
    await callEngine(engine, 'scan:cancel', { batchId: started.value.batchId });
    await engine.capture.idle();
    const finished = events.find((event) => event.name === 'scan:finished')?.payload as EventPayload<'scan:finished'>;
    expect(finished).toMatchObject({ cancelled: true });
    expect(finished.pageCount).toBeGreaterThanOrEqual(1);
    expect(finished.pageCount).toBeLessThan(20);
    expect([...scanner.jobs.values()][0]?.state).toBe('Canceled');
    const pagesListed = await callEngine(engine, 'pages:list', { batchId: started.value.batchId });
    expect(pagesListed.ok && pagesListed.value).toHaveLength(finished.pageCount);
  });

  it('retries while the scanner answers 503 (busy), then scans', async () => {
    const { engine, scanner, deviceId, events } = await setUp({ feeder: 1, busyJobs: 2 });
    await callEngine(engine, 'scan:start', { deviceId });
    await engine.capture.idle();
    expect(posts(scanner)).toHaveLength(3);
    expect(pages(events)).toHaveLength(1);
    expect(events.find((event) => event.name === 'scan:finished')).toBeDefined();
  });

  it('gives up with scan/busy when the scanner stays busy', async () => {
    const { engine, deviceId, events } = await setUp({ feeder: 1, busyJobs: 100 });
    await callEngine(engine, 'scan:start', { deviceId });
    await engine.capture.idle();
    expect(events.find((event) => event.name === 'scan:failed')).toMatchObject({
      payload: { pageCount: 0, error: { code: 'scan/busy' } },
    });
  });

  it('reports a paper jam read from the scanner status, keeping the pages fed before it', async () => {
    const { engine, deviceId, events } = await setUp({ feeder: 5, jamAfter: 2 });
    const started = await callEngine(engine, 'scan:start', { deviceId });
    if (!started.ok) throw new Error(started.error.message);
    await engine.capture.idle();
    expect(pages(events)).toHaveLength(2);
    expect(events.find((event) => event.name === 'scan:failed')).toMatchObject({
      payload: { pageCount: 2, error: { code: 'scan/paper-jam' } },
    });
    expect(await callEngine(engine, 'batches:list', {})).toMatchObject({
      ok: true,
      value: [{ state: 'failed', pageCount: 2, errorCode: 'scan/paper-jam' }],
    });
  });

  it('says the feeder is empty without creating a job', async () => {
    const { engine, scanner, deviceId, events } = await setUp({ feeder: 0 });
    await callEngine(engine, 'scan:start', { deviceId });
    await engine.capture.idle();
    expect(events.find((event) => event.name === 'scan:failed')).toMatchObject({
      payload: { error: { code: 'scan/no-paper' } },
    });
    expect(posts(scanner)).toEqual([]);
  });

  it('scans over HTTPS from a self-signed scanner only when that device allows it', async () => {
    const tls = selfSignedCertificate();
    const refused = await setUp({ feeder: 1, tls });
    expect(await callEngine(refused.engine, 'devices:list', {})).toEqual({ ok: true, value: [] });
    const driver = new EsclScanDriver({
      devices: () => [{ name: 'TLS', url: refused.scanner.url, allowInsecureTls: false }],
      discovery: () => false,
    });
    const attempt = async (): Promise<void> => {
      for await (const page of driver.scan({
        deviceId: refused.deviceId,
        source: 'adf',
        dpi: 300,
        colourMode: 'color',
        maxPages: undefined,
        signal: new AbortController().signal,
      })) {
        void page;
      }
    };
    await expect(attempt()).rejects.toMatchObject({ code: 'scan/untrusted-certificate' });
    // Through the engine, the clerk is told why rather than "no such scanner".
    expect(await callEngine(refused.engine, 'scan:start', { deviceId: refused.deviceId })).toMatchObject({
      ok: false,
      error: { code: 'scan/untrusted-certificate' },
    });
    await refused.engine.close();
    await refused.scanner.close();
    delete open.engine;

    const allowed = await setUp({ feeder: 2, tls }, {}, { allowInsecureTls: true });
    await callEngine(allowed.engine, 'scan:start', { deviceId: allowed.deviceId });
    await allowed.engine.capture.idle();
    expect(pages(allowed.events)).toHaveLength(2);
  });

  it('says a scanner that does not answer is offline', async () => {
    const { engine, scanner, deviceId, events } = await setUp({ feeder: 3, pageDelayMs: 200 });
    await callEngine(engine, 'devices:list', {});
    await scanner.close();
    await callEngine(engine, 'scan:start', { deviceId });
    await engine.capture.idle();
    expect(events.find((event) => event.name === 'scan:failed')).toMatchObject({
      payload: { error: { code: 'scan/offline' } },
    });
  });
});
