import crypto from 'node:crypto';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract.js';
import { createEngine } from '../../electron/engine/engine.js';
import { createSilentLogger } from '../../electron/engine/logging/logger.js';
import { DemoScanDriver } from '../../electron/engine/scan/demo-driver.js';
import type { DemoPageSource } from '../../electron/engine/scan/demo-pages.js';
import { callEngine } from '../support/call.js';
import { ocrResultOf } from '../support/store-fixtures.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

/** Small distinct JPEG sheets: what matters here is the store, not the look of the page. */
class SmallPageSource implements DemoPageSource {
  async page(request: { index: number }) {
    const data = await sharp({
      create: { width: 200, height: 280, channels: 3, background: { r: 250, g: 250 - request.index, b: 245 } },
    })
      .jpeg()
      .toBuffer();
    return { data, mimeType: 'image/jpeg' as const, widthPx: 200, heightPx: 280, text: '' };
  }
}

describe('the store through the contract', () => {
  it('makes a document of each scanned batch and walks it through the workflow by contract calls', async () => {
    const dataDir = tempDir('sohoa-store-engine-');
    const engine = await createEngine({
      dataDir,
      resourcesDir: 'resources',
      transport: 'direct',
      policyFile: null,
      logger: createSilentLogger(),
      drivers: [
        new DemoScanDriver({
          cacheDir: path.join(dataDir, 'cache'),
          pageDelayMs: 0,
          pageSource: new SmallPageSource(),
        }),
      ],
    });
    const events: { name: EventName; payload: unknown }[] = [];
    engine.events.onAny((name, payload) => events.push({ name, payload }));

    const { batchId } = await engine.capture.start({ deviceId: 'demo', count: 3 });
    await engine.capture.idle();
    const listed = await callEngine(engine, 'documents:list', { batchId });
    expect(listed).toMatchObject({ ok: true, value: [{ batchId, state: 'captured', pageCount: 3 }] });
    const documentId = listed.ok ? listed.value[0]!.id : '';
    expect(events.some((event) => event.name === 'documents:changed')).toBe(true);

    // OCR arrives through the repository the OCR module uses.
    const detail = await callEngine(engine, 'documents:get', { documentId });
    expect(detail.ok && detail.value.pages.map((page) => page.position)).toEqual([0, 1, 2]);
    for (const page of detail.ok ? detail.value.pages : []) {
      engine.store.ocr.save(page.id, ocrResultOf('GIẤY PHÉP\nXây dựng công trình'), new Date().toISOString());
    }

    expect(await callEngine(engine, 'documents:transition', { documentId, to: 'extracted' })).toMatchObject({
      ok: false,
      error: {
        code: 'workflow/illegal-transition',
        message: expect.stringContaining('is captured; it cannot become extracted'),
      },
    });
    for (const to of ['reviewed', 'operator-signed'] as const) {
      expect(await callEngine(engine, 'documents:transition', { documentId, to })).toMatchObject({
        ok: true,
        value: { state: to },
      });
    }
    expect(await callEngine(engine, 'documents:transition', { documentId, to: 'extracted' })).toMatchObject({
      ok: false,
      error: {
        code: 'workflow/not-ready',
        fields: [{ path: 'metadata.documentNumber' }, { path: 'metadata.issuedDate' }],
      },
    });
    expect(
      await callEngine(engine, 'documents:update', {
        documentId,
        metadata: { documentNumber: '7/GP', issuedDate: '07/05/2021' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'ipc/invalid-args', fields: [{ path: 'metadata.issuedDate' }] } });
    const updated = await callEngine(engine, 'documents:update', {
      documentId,
      metadata: { documentNumber: '7/GP', issuedDate: '2021-05-07', ownerName: 'Trần Văn Đức' },
      classified: true,
    });
    expect(updated).toMatchObject({
      ok: true,
      value: { classified: true, blocked: 'classified', metadata: { ownerName: 'Trần Văn Đức' } },
    });
    expect(await callEngine(engine, 'documents:transition', { documentId, to: 'extracted' })).toMatchObject({
      ok: true,
      value: { state: 'extracted', next: ['coded', 'captured'] },
    });

    const found = await callEngine(engine, 'search:query', { query: 'tran van duc' });
    expect(found).toMatchObject({ ok: true, value: { hits: [{ document: { id: documentId }, field: 'metadata' }] } });
    const byText = await callEngine(engine, 'search:query', { query: 'xay dung cong' });
    // The three pages carry the same text: each occurrence is marked, in the original spelling.
    expect(
      byText.ok && new Set(byText.value.hits[0]?.snippet.filter((part) => part.hit).map((part) => part.text)),
    ).toEqual(new Set(['Xây dựng công']));

    const queue = await callEngine(engine, 'queue:list', { states: ['extracted'] });
    expect(queue).toMatchObject({ ok: true, value: [{ id: documentId, blocked: 'classified', delivery: null }] });
    const history = await callEngine(engine, 'documents:get', { documentId });
    expect(history.ok && history.value.history.map((entry) => entry.action)).toEqual([
      'document.created',
      'workflow.transition',
      'workflow.transition',
      'document.metadata',
      'document.classified',
      'workflow.transition',
    ]);
    expect(await callEngine(engine, 'documents:get', { documentId: crypto.randomUUID() })).toMatchObject({
      ok: false,
      error: { code: 'store/not-found' },
    });
    await engine.close();
  });
});
