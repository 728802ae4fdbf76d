import crypto from 'node:crypto';
import type { OcrLine, OcrResult } from '../../shared/ocr.js';
import type { Settings } from '../../shared/settings.js';
import { defaultSettings } from '../../shared/settings.js';
import type { Clock } from '../../electron/engine/clock.js';
import type { Store } from '../../electron/engine/store/store.js';
import { openStore } from '../../electron/engine/store/store.js';

/** A clock that moves one second per reading, so every row has its own time. */
export function steppingClock(start = Date.parse('2026-03-02T02:15:30Z')): Clock {
  let now = start;
  return {
    now: () => {
      now += 1000;
      return new Date(now);
    },
  };
}

/** Settings with overrides, as the settings service would give them. */
export function settingsWith(
  patch: { signing?: Partial<Settings['signing']>; storage?: Partial<Settings['storage']> } = {},
): Settings {
  const base = defaultSettings();
  return {
    ...base,
    signing: { ...base.signing, ...patch.signing },
    storage: { ...base.storage, ...patch.storage },
  };
}

/** A store in `dataDir` with a stepping clock and mutable settings. */
export function openTestStore(dataDir: string, settings: () => Settings = () => defaultSettings()): Store {
  return openStore({ dataDir, clock: steppingClock(), settings });
}

/** Bytes that stand for a page image: small, unique unless `seed` repeats. */
export function pageBytes(seed?: string): Buffer {
  return seed === undefined ? crypto.randomBytes(600 + crypto.randomInt(1400)) : Buffer.from(`page:${seed}`.repeat(40));
}

/** Captures a batch of pages (files first, then rows, as capture does) and ends it; returns the page ids. */
export async function captureBatch(
  store: Store,
  pages: number,
  options: { batchId?: string; seeds?: string[]; end?: boolean } = {},
): Promise<{ batchId: string; pageIds: string[] }> {
  const batchId = options.batchId ?? crypto.randomUUID();
  store.captures.createBatch({ id: batchId, deviceId: 'demo', startedAt: new Date().toISOString() });
  const pageIds: string[] = [];
  for (let index = 0; index < pages; index += 1) {
    const data = pageBytes(options.seeds?.[index]);
    const sha256 = await store.files.put(data);
    const thumbSha256 = await store.files.put(Buffer.concat([Buffer.from('thumb:'), data.subarray(0, 64)]));
    const id = crypto.randomUUID();
    store.captures.addPage({
      id,
      batchId,
      index,
      sha256,
      thumbSha256,
      mimeType: 'image/jpeg',
      widthPx: 2480,
      heightPx: 3508,
      dpi: 300,
      colourMode: 'color',
      deviceId: 'demo',
      capturedAt: new Date().toISOString(),
      source: 'adf',
      bytes: data.length,
    });
    pageIds.push(id);
  }
  if (options.end !== false) store.captures.endBatch(batchId, 'finished', new Date().toISOString(), null);
  return { batchId, pageIds };
}

/** An OCR result for a text, one line per text line, as the OCR engine would give it. */
export function ocrResultOf(text: string): OcrResult {
  const lines: OcrLine[] = text.split('\n').map((lineText, row) => ({
    text: lineText,
    blockIndex: 0,
    bbox: { x0: 100, y0: 100 + row * 60, x1: 2300, y1: 150 + row * 60 },
    words: lineText
      .split(' ')
      .filter(Boolean)
      .map((word, column) => ({
        text: word,
        confidence: 91,
        bbox: { x0: 100 + column * 200, y0: 100 + row * 60, x1: 280 + column * 200, y1: 150 + row * 60 },
      })),
  }));
  return {
    text,
    lines,
    orientation: 0,
    confidence: 91,
    languages: 'vie+eng',
    engine: 'test',
    widthPx: 2480,
    heightPx: 3508,
  };
}

/** A document of one batch, OCR done, with the given text and metadata; returns its id. */
export async function documentWithText(
  store: Store,
  texts: string[],
  metadata: Parameters<Store['workflow']['updateMetadata']>[1] = {},
): Promise<string> {
  const { batchId, pageIds } = await captureBatch(store, texts.length);
  const documentId = store.workflow.createFromBatch(batchId, 'test');
  if (documentId === null) throw new Error('no document made');
  pageIds.forEach((pageId, index) => store.ocr.save(pageId, ocrResultOf(texts[index] ?? ''), new Date().toISOString()));
  if (Object.keys(metadata).length > 0) store.workflow.updateMetadata(documentId, metadata, 'test');
  return documentId;
}

/** Walks a document from captured to sealed with a stored PDF (signing off). */
export async function sealDocument(store: Store, documentId: string, actor = 'test'): Promise<string> {
  const { workflow } = store;
  const state = workflow.documents.summary(documentId).state;
  if (state === 'captured') workflow.review(documentId, actor);
  workflow.signByOperator(documentId, actor);
  const metadata = workflow.documents.metadata(documentId);
  if (metadata.documentNumber === null || metadata.issuedDate === null) {
    workflow.updateMetadata(
      documentId,
      { documentNumber: metadata.documentNumber ?? '1/GCN', issuedDate: metadata.issuedDate ?? '2021-05-04' },
      actor,
    );
  }
  workflow.extract(documentId, actor);
  workflow.assignCode(documentId, actor, `051234567890.KQ.${documentId.slice(0, 6)}.01`);
  const pdf = await store.files.put(Buffer.from(`%PDF-1.7 ${documentId} ${crypto.randomUUID()}`));
  workflow.seal(documentId, actor, { pdfSha256: pdf });
  return pdf;
}
