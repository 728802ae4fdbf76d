import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract.js';
import type { DocumentDetail } from '../../shared/domain.js';
import type { Engine } from '../../electron/engine/engine.js';
import { pageText, samplePages, separatedFeeder } from '../../electron/engine/scan/sample-documents.js';
import { callEngine } from '../support/call.js';
import type { OcrResult } from '../../shared/ocr.js';
import { startReferenceWarehouse } from '../support/warehouse/reference-warehouse.js';
import type { ReferenceWarehouse } from '../support/warehouse/reference-warehouse.js';
import { openStation, writeStationConfig } from '../support/warehouse/station-fixture.js';

/** Folders that live as long as the suite (the engine keeps its store there across the tests). */
const suiteDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  suiteDirs.push(dir);
  return dir;
}

/** Whitespace runs to one space: pdftotext lays words out, the characters must match exactly. */
function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

async function ok<T>(result: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new Error(`call failed: ${JSON.stringify(settled.error)}`);
  return settled.value;
}

/**
 * An OCR result of a printed page as the OCR module stores it: lines of at most ten words, laid
 * out inside the A4 page at 300 dpi (2480 × 3508 pixels).
 */
function ocrOf(text: string): OcrResult {
  const rows = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      const words = line.split(' ').filter(Boolean);
      const chunks: string[][] = [];
      for (let at = 0; at < words.length; at += 10) chunks.push(words.slice(at, at + 10));
      return chunks;
    });
  const pitch = rows.length > 0 ? Math.min(60, 3300 / rows.length) : 60;
  const lines = rows.map((words, row) => {
    const y0 = Math.round(100 + row * pitch);
    const y1 = Math.round(y0 + pitch * 0.8);
    return {
      text: words.join(' '),
      blockIndex: 0,
      bbox: { x0: 100, y0, x1: 100 + words.length * 220, y1 },
      words: words.map((word, column) => ({
        text: word,
        confidence: 91,
        bbox: { x0: 100 + column * 220, y0, x1: 300 + column * 220, y1 },
      })),
    };
  });
  return {
    text: lines.map((line) => line.text).join('\n'),
    lines,
    orientation: 0,
    confidence: 91,
    languages: 'vie+eng',
    engine: 'test',
    widthPx: 2480,
    heightPx: 3508,
  };
}

/** The sample page the demo feeder delivered as its `index`-th sheet (separators on, the default). */
function sheet(index: number): (typeof samplePages)[number] {
  return samplePages[separatedFeeder[index % separatedFeeder.length]!]!;
}

describe('the clerk desk through the contract (demo scanner, reference warehouse)', () => {
  let engine: Engine;
  let warehouse: ReferenceWarehouse;
  const events: { name: EventName; payload: unknown }[] = [];
  let documentIds: string[] = [];
  /** The sample page each stored page was scanned from. */
  const sampleOf = new Map<string, (typeof samplePages)[number]>();

  const get = (documentId: string): Promise<DocumentDetail> => ok(callEngine(engine, 'documents:get', { documentId }));

  beforeAll(async () => {
    warehouse = await startReferenceWarehouse({ dataDir: tempDir('sohoa-desk-warehouse-') });
    const dir = tempDir('sohoa-desk-');
    engine = await openStation(dir, writeStationConfig(dir, { url: warehouse.url, clientId: warehouse.client.id }));
    await engine.sync.setSecret(warehouse.client.secret);
    engine.events.onAny((name, payload) => events.push({ name, payload }));
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    await warehouse?.close();
    for (const dir of suiteDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('scans 20 demo pages with blank separator sheets, flags them blank and splits the stack at them', async () => {
    const { batchId } = await engine.capture.start({ deviceId: 'demo', count: 20 });
    await engine.capture.idle();
    await engine.desk.idle();
    const listed = await ok(callEngine(engine, 'documents:list', { batchId }));
    expect(listed).toHaveLength(1);
    const stack = await get(listed[0]!.id);
    expect(stack.pages).toHaveLength(20);
    const expectedBlank = Array.from({ length: 20 }, (_, index) => sheet(index).blank);
    expect(stack.pages.map((page) => page.blank)).toEqual(expectedBlank);
    expect(expectedBlank.filter(Boolean).length).toBeGreaterThanOrEqual(8);
    // The flags were announced: a documents:changed for the stack after its pages were measured.
    expect(events.some((event) => event.name === 'documents:changed')).toBe(true);
    stack.pages.forEach((page, index) => sampleOf.set(page.id, sheet(index)));
    // OCR of the text pages, as the OCR module stores it.
    for (const page of stack.pages) {
      engine.store.ocr.save(page.id, ocrOf(pageText(sampleOf.get(page.id)!)), new Date().toISOString());
    }

    const split = await ok(callEngine(engine, 'documents:split-at-blanks', { documentId: stack.id }));
    documentIds = split.documentIds;
    expect(documentIds[0]).toBe(stack.id);
    const details = await Promise.all(documentIds.map(get));
    // certificate, receipt, decision (2 pages), permit, and again.
    expect(details.map((detail) => detail.pages.length)).toEqual([1, 1, 2, 1, 1, 1, 2, 1, 1]);
    for (const detail of details) {
      expect(detail.pages.every((page) => !page.blank)).toBe(true);
      expect(new Set(detail.pages.map((page) => sampleOf.get(page.id)!.documentId)).size).toBe(1);
    }
    // Each summary says where its document starts in the stack, so a screen can list them in paper order.
    const starts = details.map((detail) => detail.firstPageIndex);
    expect(starts).toEqual(details.map((detail) => Math.min(...detail.pages.map((page) => page.index))));
    expect([...starts].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(starts);
  }, 120_000);

  it('edits pages: rotate, reorder, mark blank, split, merge, remove, and serves page images', async () => {
    const decision = await get(documentIds[2]!);
    const [first, second] = decision.pages;
    const rotated = await ok(
      callEngine(engine, 'pages:set-transforms', {
        pageId: first!.id,
        transforms: [{ kind: 'rotate', degrees: 90 }],
      }),
    );
    expect(rotated.pages[0]!.transforms).toEqual([{ kind: 'rotate', degrees: 90 }]);
    // Turned another way than OCR read it: its text is read again (no OCR pool runs in this suite).
    expect(rotated.pages[0]!.ocrState).toBe('pending');
    const reordered = await ok(
      callEngine(engine, 'documents:reorder-pages', { documentId: decision.id, pageIds: [second!.id, first!.id] }),
    );
    expect(reordered.pages.map((page) => page.id)).toEqual([second!.id, first!.id]);
    const marked = await ok(callEngine(engine, 'pages:set-blank', { pageId: second!.id, blank: true }));
    expect(marked.pages[0]!.blank).toBe(true);
    await ok(callEngine(engine, 'pages:set-blank', { pageId: second!.id, blank: false }));
    // Back in reading order for the PDF check below.
    await ok(
      callEngine(engine, 'documents:reorder-pages', { documentId: decision.id, pageIds: [first!.id, second!.id] }),
    );
    expect(
      await callEngine(engine, 'documents:reorder-pages', { documentId: decision.id, pageIds: [first!.id] }),
    ).toMatchObject({ ok: false, error: { code: 'ipc/invalid-args' } });

    // Split and merge back.
    const { documentId: tail } = await ok(
      callEngine(engine, 'documents:split', { documentId: decision.id, firstPageId: second!.id }),
    );
    expect((await get(tail)).pages.map((page) => page.id)).toEqual([second!.id]);
    const merged = await ok(callEngine(engine, 'documents:merge', { targetId: decision.id, sourceId: tail }));
    expect(merged.pages.map((page) => page.id)).toEqual([first!.id, second!.id]);
    expect(await callEngine(engine, 'documents:get', { documentId: tail })).toMatchObject({
      ok: false,
      error: { code: 'store/not-found' },
    });

    // A page scanned into the wrong document leaves it: merge the receipt into the certificate, then remove it.
    const certificate = await get(documentIds[0]!);
    const receipt = await get(documentIds[1]!);
    const withReceipt = await ok(
      callEngine(engine, 'documents:merge', { targetId: certificate.id, sourceId: receipt.id }),
    );
    expect(withReceipt.pages).toHaveLength(2);
    const removed = await ok(callEngine(engine, 'pages:remove', { pageId: receipt.pages[0]!.id }));
    expect(removed.pages.map((page) => page.id)).toEqual([certificate.pages[0]!.id]);
    expect(await callEngine(engine, 'pages:remove', { pageId: certificate.pages[0]!.id })).toMatchObject({
      ok: false,
      error: { code: 'ipc/invalid-args' },
    });

    const original = await ok(callEngine(engine, 'pages:image', { pageId: first!.id, variant: 'original' }));
    expect(original).toMatchObject({ mimeType: 'image/jpeg' });
    expect(Math.max(original.widthPx, original.heightPx)).toBe(1600);
    expect(original.heightPx).toBeGreaterThan(original.widthPx);
    const cleaned = await ok(
      callEngine(engine, 'pages:image', { pageId: first!.id, variant: 'cleaned', maxSize: 800 }),
    );
    // Turned a quarter by the clerk: landscape now.
    expect(cleaned.widthPx).toBe(800);
    expect(cleaned.heightPx).toBeLessThan(cleaned.widthPx);
    const decoded = await sharp(Buffer.from(cleaned.dataBase64, 'base64')).metadata();
    expect(decoded).toMatchObject({ format: 'jpeg', width: cleaned.widthPx, height: cleaned.heightPx });
    // Undo the turn: the document goes out upright, with the text OCR reads again.
    await ok(callEngine(engine, 'pages:set-transforms', { pageId: first!.id, transforms: [] }));
    engine.store.ocr.save(first!.id, ocrOf(pageText(sampleOf.get(first!.id)!)), new Date().toISOString());
  }, 120_000);

  it('suggests the index values from the OCR text and proposes the digitization code', async () => {
    const { suggestions } = await ok(callEngine(engine, 'documents:suggest', { documentId: documentIds[2]! }));
    const value = (field: string): string | undefined => suggestions.find((entry) => entry.field === field)?.value;
    expect(value('documentNumber')).toBe('1186/QĐ-SGDĐT');
    expect(value('issuedDate')).toBe('2024-07-19');
    expect(value('issuingAgency')).toBe('SỞ GIÁO DỤC VÀ ĐÀO TẠO');
    expect(value('summary')).toMatch(/^Quyết định cho phép hoạt động giáo dục/);
    expect(value('dossierCode')).toBe('000.00.19.H48-240702-0015');
    for (const suggestion of suggestions) expect(suggestion.value).toBe(suggestion.value.normalize('NFC'));

    expect(await callEngine(engine, 'documents:propose-code', { documentId: documentIds[2]! })).toMatchObject({
      ok: false,
      error: {
        code: 'workflow/not-ready',
        fields: [{ path: 'metadata.resultTypeCode' }, { path: 'metadata.documentNumber' }],
      },
    });
  });

  it('pre-fills from the provincial QR code read off the scanned permit, ahead of the OCR values', async () => {
    const permit = await get(documentIds[3]!);
    const pageId = permit.pages[0]!.id;
    expect(sampleOf.get(pageId)?.qrCode).toBeDefined();
    const { suggestions, qr } = await ok(callEngine(engine, 'documents:suggest', { documentId: permit.id }));
    // Read from the page image itself (the stored OCR text has no QR in it).
    expect(qr).toEqual([{ pageId, text: sampleOf.get(pageId)!.qrCode }]);
    const fromQr = suggestions.filter((suggestion) => suggestion.source === 'qr');
    expect(fromQr).toEqual([
      { field: 'dossierCode', value: '000.00.17.H48-240611-0027', source: 'qr', pageId },
      { field: 'procedureCode', value: '1.009972', source: 'qr', pageId },
      { field: 'ownerId', value: '051085003127', source: 'qr', pageId },
      { field: 'summary', value: 'Giấy phép xây dựng', source: 'qr', pageId },
      { field: 'issuedDate', value: '2024-07-01', source: 'qr', pageId },
    ]);
    // QR values come first; the OCR adds only the fields the code does not hold, each field once.
    expect(suggestions.slice(0, fromQr.length)).toEqual(fromQr);
    expect(suggestions).toContainEqual({ field: 'documentNumber', value: '214/GPXD', source: 'ocr', pageId });
    expect(new Set(suggestions.map((suggestion) => suggestion.field)).size).toBe(suggestions.length);

    // The decision carries no QR code: its suggestions are the OCR's alone.
    const decision = await ok(callEngine(engine, 'documents:suggest', { documentId: documentIds[2]! }));
    expect(decision.qr).toEqual([]);
    expect(decision.suggestions.every((suggestion) => suggestion.source === 'ocr')).toBe(true);
  }, 60_000);

  it('finishes a document: review → signed (skipped) → extracted → coded → PDF/A → sealed → queued → delivered, verified', async () => {
    const documentId = documentIds[2]!;
    const metadata = {
      documentNumber: '1186/QĐ-SGDĐT',
      issuedDate: '2024-07-19',
      issuingAgency: 'Sở Giáo dục và Đào tạo tỉnh Quảng Ngãi',
      summary: 'Quyết định cho phép hoạt động giáo dục',
      dossierCode: '000.00.19.H48-240702-0015',
      resultTypeCode: 'KQ.1.004',
      ownerId: '051234567890',
    };
    expect(
      await callEngine(engine, 'documents:update', { documentId, metadata: { issuedDate: '19/07/2024' } }),
    ).toMatchObject({ ok: false, error: { code: 'ipc/invalid-args' } });
    await ok(callEngine(engine, 'documents:update', { documentId, metadata }));
    const proposed = await ok(callEngine(engine, 'documents:propose-code', { documentId }));
    expect(proposed.code).toBe('051234567890.KQ.1.004.1186/QĐ-SGDĐT.01');

    const finished = await ok(callEngine(engine, 'documents:finish', { documentId }));
    expect(finished.state).toBe('queued');
    expect(finished.metadata.digitizationCode).toBe(proposed.code);
    expect(finished.metadata.digitizedBy).not.toBeNull();
    expect(finished.metadata.digitizedAt).not.toBeNull();
    const steps = finished.history
      .filter((entry) => entry.action === 'workflow.transition')
      .map((entry) => (entry.details as { to: string }).to);
    expect(steps).toEqual(['reviewed', 'operator-signed', 'extracted', 'coded', 'sealed', 'queued']);
    const signed = finished.history.find((entry) => (entry.details as { to?: string }).to === 'operator-signed');
    expect(signed?.details).toMatchObject({ signature: 'skipped' });

    // The sealed PDF's text layer is the OCR text, page by page.
    const file = engine.store.files.pathOf(finished.pdfSha256!);
    const expected = finished.pages.map((page) => engine.store.ocr.get(page.id)!.text).join('\n');
    expect(normalise(execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }))).toBe(
      normalise(expected),
    );
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Pages:\s+2/);

    // "Gửi ngay": a round now, delivered to the warehouse and read back.
    const status = await ok(callEngine(engine, 'sync:send-now', {}));
    expect(status.configured).toBe(true);
    let detail = await get(documentId);
    for (let waited = 0; detail.state !== 'verified' && waited < 30_000; waited += 200) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      detail = await get(documentId);
    }
    expect(detail.state).toBe('verified');
    expect(warehouse.records()).toEqual([expect.objectContaining({ documentId, sha256: finished.pdfSha256 })]);
    const queue = await ok(callEngine(engine, 'queue:list', {}));
    expect(queue.find((item) => item.id === documentId)?.delivery).toMatchObject({ state: 'verified' });

    // A second result with the same prefix takes the next number.
    const again = documentIds[6]!;
    await ok(callEngine(engine, 'documents:update', { documentId: again, metadata }));
    expect(await ok(callEngine(engine, 'documents:propose-code', { documentId: again }))).toEqual({
      code: '051234567890.KQ.1.004.1186/QĐ-SGDĐT.02',
    });
  }, 120_000);

  it('refuses to finish without the required metadata, and the pages stay locked once signed', async () => {
    const documentId = documentIds[3]!;
    const refused = await callEngine(engine, 'documents:finish', { documentId });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'workflow/not-ready',
        message: expect.stringContaining('documentNumber'),
        fields: [{ path: 'metadata.documentNumber' }, { path: 'metadata.issuedDate' }],
      },
    });
    // The steps before the refusal stay.
    const detail = await get(documentId);
    expect(detail.state).toBe('operator-signed');
    expect(
      await callEngine(engine, 'pages:set-transforms', {
        pageId: detail.pages[0]!.id,
        transforms: [{ kind: 'rotate', degrees: 180 }],
      }),
    ).toMatchObject({ ok: false, error: { code: 'workflow/locked' } });
    expect(await callEngine(engine, 'documents:split-at-blanks', { documentId })).toMatchObject({
      ok: false,
      error: { code: 'workflow/locked' },
    });

    // An invalid dossier code is refused before anything is built.
    await ok(
      callEngine(engine, 'documents:update', {
        documentId,
        metadata: { documentNumber: '214/GPXD', issuedDate: '2024-07-01', dossierCode: '000.00.17.H48-241399-0027' },
      }),
    );
    expect(await callEngine(engine, 'documents:finish', { documentId })).toMatchObject({
      ok: false,
      error: { code: 'workflow/not-ready', fields: [{ path: 'metadata.dossierCode' }] },
    });
    // Without a result-type code there is no digitization code: the walk stops at "coded".
    await ok(callEngine(engine, 'documents:update', { documentId, metadata: { dossierCode: null } }));
    expect(await callEngine(engine, 'documents:finish', { documentId })).toMatchObject({
      ok: false,
      error: { code: 'workflow/not-ready', fields: [{ path: 'metadata.resultTypeCode' }] },
    });
    expect((await get(documentId)).state).toBe('extracted');
  }, 60_000);

  it('scans into an existing document at a position and replaces a page, without a document of its own', async () => {
    const documentId = documentIds[4]!;
    const before = await get(documentId);
    const { batchId } = await ok(
      callEngine(engine, 'scan:insert', { documentId, deviceId: 'demo', position: 0, count: 2 }),
    );
    await engine.capture.idle();
    const after = await get(documentId);
    expect(after.pages).toHaveLength(before.pages.length + 2);
    expect(after.pages.slice(0, 2).every((page) => page.batchId === batchId)).toBe(true);
    expect(after.pages[2]!.id).toBe(before.pages[0]!.id);
    expect(await ok(callEngine(engine, 'documents:list', { batchId }))).toEqual([]);

    const replaced = after.pages[1]!.id;
    const again = await ok(
      callEngine(engine, 'scan:insert', { documentId, deviceId: 'demo', position: 0, replacePageId: replaced }),
    );
    await engine.capture.idle();
    const final = await get(documentId);
    expect(final.pages).toHaveLength(after.pages.length);
    expect(final.pages[1]!.batchId).toBe(again.batchId);
    expect(final.pages.some((page) => page.id === replaced)).toBe(false);
    expect(await ok(callEngine(engine, 'documents:list', { batchId: again.batchId }))).toEqual([]);

    expect(await callEngine(engine, 'scan:insert', { documentId, deviceId: 'demo', position: 99 })).toMatchObject({
      ok: false,
      error: { code: 'ipc/invalid-args' },
    });
    expect(
      await callEngine(engine, 'scan:insert', { documentId: documentIds[3]!, deviceId: 'demo', position: 0 }),
    ).toMatchObject({ ok: false, error: { code: 'workflow/locked' } });
  }, 60_000);
});
