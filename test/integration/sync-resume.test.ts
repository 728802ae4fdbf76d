import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../shared/domain.js';
import type { Engine } from '../../electron/engine/engine.js';
import { createThrottle } from '../../electron/engine/sync/throttle.js';
import type { UploadJournal } from '../../electron/engine/sync/tus-client.js';
import { TusWarehouseConnector } from '../../electron/engine/sync/tus-warehouse-connector.js';
import { useTempDirs } from '../support/temp-dir.js';
import { startReferenceWarehouse } from '../support/warehouse/reference-warehouse.js';
import type { ReferenceWarehouse } from '../support/warehouse/reference-warehouse.js';
import { openStation, seedResults, writeStationConfig } from '../support/warehouse/station-fixture.js';

const chunk = 256 * 1024;

/** A journal kept in memory, as the outbox row keeps it, that records what happened. */
function memoryJournal(): UploadJournal & { events: string[]; url: string | null; inflight: number | null } {
  const journal = {
    events: [] as string[],
    url: null as string | null,
    inflight: null as number | null,
    get uploadUrl() {
      return journal.url;
    },
    get inflightEnd() {
      return journal.inflight;
    },
    created(url: string) {
      journal.url = url;
      journal.events.push('created');
    },
    sending(_offset: number, end: number) {
      journal.inflight = end;
    },
    sent() {
      journal.inflight = null;
    },
    interrupted(reached: number) {
      journal.inflight = reached;
      journal.events.push(`interrupted at ${reached}`);
    },
    resumed(serverOffset: number, reached: number) {
      journal.inflight = null;
      journal.events.push(`resumed at ${serverOffset}, ${reached - serverOffset} bytes again`);
    },
    lost() {
      journal.url = null;
      journal.events.push('lost');
    },
  };
  return journal;
}

describe('tus upload: abort mid-file, resume, pause', () => {
  const tempDir = useTempDirs();
  let warehouse: ReferenceWarehouse | undefined;
  let engine: Engine | undefined;

  afterEach(async () => {
    await engine?.close();
    await warehouse?.close();
    engine = undefined;
    warehouse = undefined;
  });

  it('aborts in the middle of a chunk and resumes from the stored URL, sending again less than a chunk', async () => {
    const receiver = await startReferenceWarehouse({ dataDir: tempDir('sohoa-warehouse-') });
    warehouse = receiver;
    const data = crypto.randomBytes(2_000_000);
    const file = path.join(tempDir(), 'result.pdf');
    fs.writeFileSync(file, data);
    const sha256 = crypto.createHash('sha256').update(data).digest('hex');
    let sent = 0;
    const controller = new AbortController();
    const connector = new TusWarehouseConnector({
      url: receiver.url,
      issuer: '',
      clientId: receiver.client.id,
      secret: () => Promise.resolve(receiver.client.secret),
      scope: 'records',
      resource: '',
      caBundleFile: '',
      allowInsecureLoopback: true,
      timeoutMs: 5000,
      chunkBytes: () => chunk,
      // 1 MB/s: slow enough that the abort lands in the middle of the third chunk.
      throttle: createThrottle(() => 1_000_000),
      clock: { now: () => new Date() },
      onBytes: (bytes) => {
        sent += bytes;
        if (sent > 2.5 * chunk) controller.abort(new Error('clerk switched the machine off'));
      },
    });
    const journal = memoryJournal();
    const target = { path: file, bytes: data.length, sha256, fileName: 'result.pdf' };
    await expect(connector.upload('doc-r', target, journal, controller.signal)).rejects.toThrow(
      /switched the machine off/,
    );
    expect(journal.url).not.toBeNull();
    const reached = journal.inflight ?? 0;
    expect(reached).toBeGreaterThan(2 * chunk);
    expect(reached).toBeLessThan(3 * chunk);

    const sentBefore = sent;
    const url = await connector.upload('doc-r', target, journal);
    expect(url).toBe(journal.url);
    const resumed = journal.events.find((event) => event.startsWith('resumed'));
    const again = Number(/, (\d+) bytes again/.exec(resumed ?? '')?.[1]);
    expect(again).toBeLessThanOrEqual(chunk);
    // The second run sent the rest of the file plus what was lost in flight, not the whole file.
    expect(sent - sentBefore).toBeLessThan(data.length - 2 * chunk + chunk);
    const registration = await connector.register({
      documentId: 'doc-r',
      stationId: 'st',
      agencyId: '000.00.17.H48',
      documentNumber: '1/GCN',
      issuedDate: '2024-01-02',
      kind: 1,
      status: 'valid',
      pages: 1,
      bytes: data.length,
      sha256,
      fileName: 'result.pdf',
      mimeType: 'application/pdf',
      upload: url,
    });
    expect(registration).toMatchObject({ created: true, record: { sha256, bytes: data.length } });
    await connector.close();
  });

  it('pauses a document mid-file and finishes the same upload on resume', async () => {
    const receiver = await startReferenceWarehouse({ dataDir: tempDir('sohoa-warehouse-') });
    warehouse = receiver;
    const dir = tempDir('sohoa-station-');
    const station = await openStation(
      dir,
      writeStationConfig(dir, {
        url: receiver.url,
        clientId: receiver.client.id,
        chunkBytes: chunk,
        bandwidthKbps: 8000,
        retryBaseSeconds: 0.05,
      }),
    );
    engine = station;
    await station.sync.setSecret(receiver.client.secret);
    await seedResults(station, 1, { minBytes: 1_500_000, maxBytes: 1_500_001 });
    const seen: OutboxItem[] = [];
    station.events.onAny((name, payload) => {
      if (name === 'sync:item-changed') seen.push(payload as OutboxItem);
    });
    const until = async (condition: () => boolean): Promise<void> => {
      for (let tries = 0; tries < 400 && !condition(); tries += 1)
        await new Promise((resolve) => setTimeout(resolve, 25));
      expect(condition()).toBe(true);
    };

    station.sync.start();
    await until(() => seen.some((item) => item.state === 'uploading' && item.uploadedBytes >= chunk));
    station.sync.pause();
    await until(() => station.sync.list()[0]?.state === 'waiting');
    const paused = station.sync.list()[0];
    expect(paused?.uploadedBytes).toBeGreaterThan(0);
    expect(paused?.uploadedBytes).toBeLessThan(1_500_000);
    expect(station.sync.status().paused).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(station.sync.list()[0]?.state).toBe('waiting');
    expect(receiver.records()).toHaveLength(0);

    station.sync.resume();
    await until(() => station.sync.list()[0]?.state === 'verified');
    await station.sync.stop();
    const figures = station.sync.resendFigures();
    expect(figures.interruptions).toBe(1);
    expect(figures.maxResentBytes).toBeLessThanOrEqual(chunk);
    expect(receiver.records()).toHaveLength(1);
    // One tus upload on the warehouse: the resume continued it, it did not start another.
    const uploads = fs.readdirSync(path.join(receiver.dataDir, 'uploads')).filter((name) => !name.endsWith('.json'));
    expect(uploads).toHaveLength(1);
  });
});
