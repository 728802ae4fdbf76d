import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine.js';
import { callEngine } from '../support/call.js';
import { documentWithText, sealDocument } from '../support/store-fixtures.js';
import { useTempDirs } from '../support/temp-dir.js';
import { startReferenceWarehouse } from '../support/warehouse/reference-warehouse.js';
import type { ReferenceWarehouse } from '../support/warehouse/reference-warehouse.js';
import { openStation, writeStationConfig } from '../support/warehouse/station-fixture.js';

describe('delivery of documents the workflow sealed', () => {
  const tempDir = useTempDirs();
  let engine: Engine | undefined;
  let warehouse: ReferenceWarehouse | undefined;

  afterEach(async () => {
    await engine?.close();
    await warehouse?.close();
    engine = undefined;
    warehouse = undefined;
  });

  async function setUp(
    extra: Record<string, unknown> = {},
  ): Promise<{ engine: Engine; warehouse: ReferenceWarehouse }> {
    warehouse = await startReferenceWarehouse({ dataDir: tempDir('sohoa-warehouse-') });
    const dir = tempDir('sohoa-station-');
    engine = await openStation(
      dir,
      writeStationConfig(dir, { url: warehouse.url, clientId: warehouse.client.id, ...extra }),
    );
    await engine.sync.setSecret(warehouse.client.secret);
    return { engine, warehouse };
  }

  it('walks queued → delivered → verified, sends the metadata and OCR text in NFC, and keeps the receipt', async () => {
    const { engine, warehouse } = await setUp();
    const pages = ['Quyết định cấp giấy chứng nhận'.normalize('NFD'), 'Trang hai: Nguyễn Thị Hằng'];
    const id = await documentWithText(engine.store, pages, {
      summary: 'Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ',
      issuingAgency: 'Sở Khoa học và Công nghệ tỉnh Quảng Ngãi',
      dossierCode: '000.00.17.H48-240302-0099',
      documentNumber: '123/GCN-SKHCN',
      issuedDate: '2024-03-02',
    });
    const pdf = await sealDocument(engine.store, id);

    const queued = engine.sync.queueDocument(id, 'clerk-07');
    expect(queued).toMatchObject({ documentId: id, state: 'queued', sha256: pdf });
    expect(engine.store.workflow.detail(id).state).toBe('queued');

    const summary = await engine.sync.runOnce();
    expect(summary).toMatchObject({ verified: 1, remaining: 0, failed: 0 });
    const detail = engine.store.workflow.detail(id);
    expect(detail.state).toBe('verified');
    expect(detail.history.map((entry) => entry.actor)).toContain('system:sync');

    const held = warehouse.records();
    expect(held).toEqual([expect.objectContaining({ documentId: id, sha256: pdf })]);
    const response = await fetch(`${warehouse.url}/api/v1/records/${id}`, {
      headers: { Authorization: `Bearer ${await tokenOf(warehouse)}` },
    });
    const record = ((await response.json()) as { record: Record<string, unknown> }).record;
    expect(record).toMatchObject({
      documentNumber: '123/GCN-SKHCN',
      issuedDate: '2024-03-02',
      status: 'valid',
      stationId: 'qn-test-01',
      agencyId: '000.00.17.H48',
      ocrText: pages.map((text) => text.normalize('NFC')).join('\f'),
    });

    const queue = await callEngine(engine, 'queue:list', {});
    expect(queue.ok && queue.value.find((item) => item.id === id)?.delivery).toMatchObject({
      state: 'verified',
      warehouseRecordId: held[0]?.id,
    });
  });

  it('purges the local copy through the workflow once verified and past the retention time', async () => {
    const { engine } = await setUp({ retentionDays: 0 });
    const id = await documentWithText(engine.store, ['Giấy phép']);
    const pdf = await sealDocument(engine.store, id);
    engine.sync.queueDocument(id, 'clerk');
    await engine.sync.runOnce();
    expect(engine.store.workflow.detail(id).purgedAt).not.toBeNull();
    expect(engine.sync.get(id)?.purgedAt).not.toBeNull();
    // The workflow leaves a fresh file a minute of grace; past it, nothing references the PDF any more.
    engine.store.collectGarbage(0);
    expect(engine.store.files.has(pdf)).toBe(false);
  });

  it('never sends a document marked "mật": the workflow refuses it and the worker blocks it', async () => {
    const { engine, warehouse } = await setUp();
    const secret = await documentWithText(engine.store, ['Tài liệu mật']);
    await sealDocument(engine.store, secret);
    engine.store.workflow.setClassified(secret, true, 'clerk');
    expect(() => engine.sync.queueDocument(secret, 'clerk')).toThrow(
      expect.objectContaining({ code: 'workflow/blocked' }),
    );

    const later = await documentWithText(engine.store, ['Quyết định']);
    await sealDocument(engine.store, later);
    engine.sync.queueDocument(later, 'clerk');
    // Marked after it was queued: the workflow withdraws it, and the outbox must not send it.
    engine.store.workflow.setClassified(later, true, 'clerk');
    const summary = await engine.sync.runOnce();
    expect(summary).toMatchObject({ verified: 0, blocked: 1, remaining: 0 });
    expect(engine.sync.get(later)).toMatchObject({ state: 'blocked', lastError: { code: 'sync/classified' } });
    expect(warehouse.records()).toHaveLength(0);
  });
});

/** A token for the test itself, to read a record as the warehouse holds it. */
async function tokenOf(warehouse: ReferenceWarehouse): Promise<string> {
  const response = await fetch(`${warehouse.url}/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${warehouse.client.id}:${warehouse.client.secret}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials&scope=records',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}
