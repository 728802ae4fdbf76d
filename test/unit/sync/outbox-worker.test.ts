import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryState, OutboxItem } from '../../../shared/domain.js';
import { defaultSettings } from '../../../shared/settings.js';
import type { Settings } from '../../../shared/settings.js';
import { createSilentLogger } from '../../../electron/engine/logging/logger.js';
import { openDatabase } from '../../../electron/engine/store/database.js';
import { createFileStore } from '../../../electron/engine/store/file-store.js';
import type { FileStore } from '../../../electron/engine/store/file-store.js';
import { DeliveryError } from '../../../electron/engine/sync/delivery-error.js';
import { createOutboxRepository } from '../../../electron/engine/sync/outbox-repository.js';
import type { OutboxRepository } from '../../../electron/engine/sync/outbox-repository.js';
import { createOutboxWorker } from '../../../electron/engine/sync/outbox-worker.js';
import type { DeliveryHooks, OutboxWorker } from '../../../electron/engine/sync/outbox-worker.js';
import type { ResultRecord } from '../../../electron/engine/sync/result-record.js';
import { useTempDirs } from '../../support/temp-dir.js';
import { FakeWarehouseConnector } from './fake-warehouse-connector.js';

const t0 = new Date('2026-03-02T02:00:00.000Z');

describe('outbox worker', () => {
  const tempDir = useTempDirs();
  let now: Date;
  let settings: Settings['warehouse'];
  let repository: OutboxRepository;
  let files: FileStore;
  let connector: FakeWarehouseConnector;
  let seen: OutboxItem[];
  let close: () => void;

  function worker(hooks?: DeliveryHooks): OutboxWorker {
    return createOutboxWorker({
      repository,
      fileOf: (sha256) => files.pathOf(sha256),
      connector: () => connector,
      settings: () => settings,
      clock: { now: () => now },
      logger: createSilentLogger(),
      hooks,
      onItem: (item) => seen.push(item),
      random: () => 0.5,
    });
  }

  async function queue(documentId: string, content = `%PDF ${documentId}`): Promise<string> {
    const sha256 = await files.put(Buffer.from(content));
    const record: ResultRecord = {
      documentId,
      stationId: 'st-1',
      agencyId: '000.00.17.H48',
      documentNumber: '12/GCN',
      issuedDate: '2024-01-02',
      kind: 1,
      status: 'valid',
      pages: 1,
      bytes: content.length,
      sha256,
      fileName: `${documentId}.pdf`,
      mimeType: 'application/pdf',
    };
    repository.insert({
      documentId,
      sha256,
      bytes: content.length,
      record,
      classified: false,
      source: 'station',
      at: now.toISOString(),
    });
    return sha256;
  }

  const state = (documentId: string): DeliveryState => repository.require(documentId).state;

  beforeEach(() => {
    const dir = tempDir();
    const db = openDatabase(path.join(dir, 'station.db'));
    close = () => db.close();
    repository = createOutboxRepository(db);
    files = createFileStore(path.join(dir, 'store'));
    connector = new FakeWarehouseConnector();
    now = new Date(t0);
    settings = { ...defaultSettings().warehouse, url: 'https://warehouse.test', clientId: 'st-1' };
    seen = [];
  });

  afterEach(() => close());

  it('takes a document through token, upload, registration and read-back to verified', async () => {
    await queue('doc-1');
    const summary = await worker().runOnce();
    expect(summary).toMatchObject({ attempted: 1, verified: 1, remaining: 0, failed: 0, stoppedBy: null });
    expect(seen.map((item) => item.state)).toEqual(
      expect.arrayContaining(['token', 'uploading', 'registering', 'verifying', 'verified']),
    );
    const row = repository.require('doc-1');
    expect(row).toMatchObject({ state: 'verified', step: 'done', attempts: 1, warehouse_record_id: 'rec-doc-1' });
    expect(row.verified_at).toBe(t0.toISOString());
    expect(connector.held.size).toBe(1);
  });

  it('honours Retry-After on 429 for every document, then sends when it has passed', async () => {
    await queue('doc-1');
    await queue('doc-2');
    connector.failNext('register', new DeliveryError('sync/busy', 'HTTP 429', { status: 429, retryAfterMs: 120_000 }));
    const first = await worker().runOnce();
    expect(first.stoppedBy?.code).toBe('sync/busy');
    expect(first.attempted).toBe(1);
    for (const id of ['doc-1', 'doc-2']) {
      expect(repository.require(id)).toMatchObject({
        state: 'waiting',
        next_attempt_at: new Date(t0.getTime() + 120_000).toISOString(),
        last_error_code: 'sync/busy',
      });
    }
    now = new Date(t0.getTime() + 60_000);
    expect((await worker().runOnce()).attempted).toBe(0);
    now = new Date(t0.getTime() + 121_000);
    const later = await worker().runOnce();
    expect(later).toMatchObject({ verified: 2, remaining: 0 });
    // Registered once each, though doc-1 was tried twice.
    expect(connector.held.size).toBe(2);
  });

  it('backs off exponentially on a server error and never gives up on it', async () => {
    await queue('doc-1');
    settings = { ...settings, retryBaseSeconds: 10, retryMaxSeconds: 60 };
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      connector.failNext('upload', new DeliveryError('sync/server-error', 'HTTP 500', { status: 500 }));
      await worker().runOnce();
      const row = repository.require('doc-1');
      expect(row.state).toBe('waiting');
      delays.push(Date.parse(row.next_attempt_at ?? '') - now.getTime());
      now = new Date(Date.parse(row.next_attempt_at ?? ''));
    }
    // random() = 0.5: three quarters of 10 s · 2^(n-1), capped at 60 s.
    expect(delays).toEqual([7500, 15_000, 30_000, 45_000, 45_000]);
    expect(repository.require('doc-1').attempts).toBe(5);
    expect((await worker().runOnce()).verified).toBe(1);
  });

  it('marks failed only what no retry can heal, and retries it once a person asks', async () => {
    await queue('doc-1');
    connector.failNext('register', new DeliveryError('sync/record-rejected', 'documentNumber: too long'));
    const summary = await worker().runOnce();
    expect(summary).toMatchObject({ failed: 1, remaining: 0 });
    expect(repository.require('doc-1')).toMatchObject({
      state: 'failed',
      step: 'register',
      last_error_code: 'sync/record-rejected',
      next_attempt_at: null,
    });
    repository.update('doc-1', { state: 'queued' });
    expect((await worker().runOnce()).verified).toBe(1);
  });

  it('keeps everything waiting, never failed, while the warehouse is unreachable', async () => {
    for (const id of ['doc-1', 'doc-2', 'doc-3']) await queue(id);
    const down = new DeliveryError('sync/offline', 'ECONNREFUSED');
    for (let round = 0; round < 4; round += 1) {
      connector.failNext('authenticate', down);
      const summary = await worker().runOnce();
      expect(summary.stoppedBy?.code).toBe('sync/offline');
      expect(summary.attempted).toBe(1);
      now = new Date(Date.parse(repository.nextWakeAt() ?? ''));
    }
    expect(repository.counts()).toMatchObject({ waiting: 3, failed: 0, verified: 0 });
    for (const id of ['doc-1', 'doc-2', 'doc-3']) expect(repository.require(id).last_error_code).toBe('sync/offline');
    expect(connector.journals).toHaveLength(0);
  });

  it('resumes an upload a killed process left half done, from the stored URL', async () => {
    await queue('doc-1');
    repository.update('doc-1', {
      state: 'uploading',
      upload_url: 'https://warehouse.test/files/kept',
      inflight_end: 5,
    });
    await worker().runOnce();
    expect(connector.journals).toEqual([{ documentId: 'doc-1', uploadUrl: 'https://warehouse.test/files/kept' }]);
    expect(state('doc-1')).toBe('verified');
  });

  it('registers again, never uploads again, when the process died after the upload', async () => {
    await queue('doc-1');
    await worker().runOnce();
    repository.update('doc-1', { state: 'registering', step: 'register', verified_at: null });
    await worker().runOnce();
    expect(connector.journals).toHaveLength(1);
    expect(state('doc-1')).toBe('verified');
    expect(connector.held.size).toBe(1);
  });

  it('starts the upload over when the warehouse computed another SHA-256', async () => {
    await queue('doc-1');
    connector.failNext(
      'register',
      new DeliveryError('sync/hash-mismatch', 'sha256 differs', { status: 422, reason: 'sha256_mismatch' }),
    );
    await worker().runOnce();
    expect(repository.require('doc-1')).toMatchObject({ state: 'waiting', step: 'upload', upload_url: null });
    now = new Date(Date.parse(repository.nextWakeAt() ?? ''));
    await worker().runOnce();
    expect(connector.journals.map((journal) => journal.uploadUrl)).toEqual([null, null]);
    expect(state('doc-1')).toBe('verified');
  });

  it('fails a document whose local file is damaged, once the warehouse reports another SHA-256', async () => {
    const sha256 = await queue('doc-1');
    fs.writeFileSync(files.pathOf(sha256), 'bit rot');
    connector.failNext(
      'register',
      new DeliveryError('sync/hash-mismatch', 'sha256 differs', { status: 422, reason: 'sha256_mismatch' }),
    );
    await worker().runOnce();
    expect(repository.require('doc-1')).toMatchObject({ state: 'failed', last_error_code: 'store/corrupt' });
  });

  it('fails a read-back that does not match and keeps the local copy', async () => {
    const sha256 = await queue('doc-1');
    connector.corruptReadBack = true;
    settings = { ...settings, retentionDays: 0 };
    await worker().runOnce();
    expect(repository.require('doc-1')).toMatchObject({ state: 'failed', last_error_code: 'sync/verify-failed' });
    expect(files.has(sha256)).toBe(true);
  });

  it('never sends a document marked "mật", nor one the workflow withdrew', async () => {
    await queue('doc-1');
    await queue('doc-2');
    await queue('doc-3');
    repository.update('doc-1', { classified: 1, state: 'blocked' });
    // The database itself refuses a "mật" document that could be picked up.
    expect(() => repository.update('doc-1', { state: 'queued' })).toThrow(/CHECK constraint/);
    const hooks: DeliveryHooks = { checkDeliverable: (id) => (id === 'doc-2' ? 'sync/withdrawn' : null) };
    const summary = await worker(hooks).runOnce();
    expect(summary).toMatchObject({ verified: 1, blocked: 2 });
    expect(repository.require('doc-2')).toMatchObject({ state: 'blocked', last_error_code: 'sync/withdrawn' });
    expect(connector.journals.map((journal) => journal.documentId)).toEqual(['doc-3']);
  });

  it('does nothing while paused or outside the send window', async () => {
    await queue('doc-1');
    const paused = worker();
    paused.pause();
    expect((await paused.runOnce()).stoppedBy?.code).toBe('paused');
    paused.resume();
    const local = new Date(now);
    const hour = (local.getHours() + 2) % 24;
    settings = {
      ...settings,
      sendWindow: `${String(hour).padStart(2, '0')}:00-${String((hour + 1) % 24).padStart(2, '0')}:00`,
    };
    const outside = await worker().runOnce();
    expect(outside.stoppedBy?.code).toBe('outside-window');
    expect(worker().status()).toMatchObject({ inSendWindow: false });
    expect(state('doc-1')).toBe('queued');
    settings = { ...settings, sendWindow: '' };
    expect((await worker().runOnce()).verified).toBe(1);
  });

  it('purges the local copy only after verification and the retention time', async () => {
    const sha256 = await queue('doc-1');
    settings = { ...settings, retentionDays: 2 };
    const delivering = worker();
    await delivering.runOnce();
    expect(files.has(sha256)).toBe(true);
    now = new Date(t0.getTime() + 86_400_000);
    expect(delivering.purgeVerified()).toBe(0);
    now = new Date(t0.getTime() + 2 * 86_400_000 + 1);
    expect(delivering.purgeVerified()).toBe(1);
    expect(files.has(sha256)).toBe(false);
    expect(repository.require('doc-1').purged_at).toBe(now.toISOString());
    settings = { ...settings, retentionDays: null };
    expect(fs.existsSync(files.pathOf(sha256))).toBe(false);
  });
});
