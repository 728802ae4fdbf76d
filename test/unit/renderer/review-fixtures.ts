import type { DocumentDetail, DocumentPage, DocumentSummary } from '../../../shared/domain.js';
import type { StationErrorShape } from '../../../shared/errors.js';
import type { OcrResult } from '../../../shared/ocr.js';
import { createHealthyFake, makePage } from './fake-station-client.js';
import type { FakeStationClient } from './fake-station-client.js';

/** A page of document `documentId` at `position`, with OCR done unless told otherwise. */
export function makeDocumentPage(
  documentId: string,
  batchId: string,
  position: number,
  overrides: Partial<DocumentPage> = {},
): DocumentPage {
  return {
    ...makePage(batchId, position),
    documentId,
    position,
    source: 'adf',
    bytes: 1000,
    transforms: [],
    blank: false,
    ocrState: 'done',
    purgedAt: null,
    ...overrides,
  };
}

/** A document in the `captured` state with `pages`. */
export function makeDocument(id: string, batchId: string, pages: DocumentPage[], updatedAt = 't0'): DocumentDetail {
  return {
    id,
    batchId,
    state: 'captured',
    validity: 'valid',
    classified: false,
    outOfScope: null,
    pageCount: pages.length,
    documentNumber: null,
    summary: null,
    pdfSha256: null,
    createdAt: '2025-01-01T08:00:00.000Z',
    updatedAt,
    stateChangedAt: '2025-01-01T08:00:00.000Z',
    purgedAt: null,
    pages,
    metadata: {
      digitizationCode: null,
      resultTypeCode: null,
      ownerId: null,
      ownerName: null,
      documentNumber: null,
      issuedDate: null,
      validUntil: null,
      permanent: false,
      validityScope: null,
      summary: null,
      issuingAgency: null,
      signer: null,
      dossierCode: null,
      procedureCode: null,
      sectorCode: null,
      digitizedBy: null,
      digitizedAt: null,
      kind: null,
      extras: {},
    },
    blocked: null,
    next: ['reviewed'],
    history: [],
  };
}

export function summaryOf(document: DocumentDetail): DocumentSummary {
  const { pages: _p, metadata: _m, blocked: _b, next: _n, history: _h, ...summary } = document;
  return summary;
}

/** An OCR result with one word per given confidence. */
export function makeOcrResult(confidence: number): OcrResult {
  return {
    text: 'Quyết định',
    lines: [
      {
        text: 'Quyết định',
        bbox: { x0: 10, y0: 10, x1: 200, y1: 40 },
        words: [
          { text: 'Quyết', confidence, bbox: { x0: 10, y0: 10, x1: 90, y1: 40 } },
          { text: 'định', confidence, bbox: { x0: 100, y0: 10, x1: 200, y1: 40 } },
        ],
        blockIndex: 0,
      },
    ],
    orientation: 0,
    confidence,
    languages: 'vie+eng',
    engine: 'test',
    widthPx: 2480,
    heightPx: 3508,
  };
}

/**
 * An engine that keeps documents in memory and edits them as the contract says (split, merge,
 * reorder, remove, transforms, blank), on top of the healthy capture fake.
 */
/** `ocr:get` calls the fake answers before it stops answering (see `ReviewEngine`). */
const ocrGetLimit = 500;

export class ReviewEngine {
  readonly documents = new Map<string, DocumentDetail>();
  /** Mean OCR confidence by page id; pages not listed have none. */
  readonly confidence = new Map<string, number>();
  /** `ocr:get` calls answered; past `ocrGetLimit` the fake stops answering. */
  private ocrGets = 0;
  /** When set, every edit fails with this error (e.g. `workflow/locked` after signing). */
  failWith: StationErrorShape | null = null;
  private version = 0;
  private nextId = 1;
  readonly client: FakeStationClient;

  constructor(documents: DocumentDetail[]) {
    for (const document of documents) this.documents.set(document.id, document);
    this.client = createHealthyFake();
    this.install();
  }

  /** The pages of a document in order. */
  pageIds(documentId: string): string[] {
    return this.get(documentId).pages.map((page) => page.id);
  }

  get(documentId: string): DocumentDetail {
    const document = this.documents.get(documentId);
    if (document === undefined) throw new Error(`no document ${documentId}`);
    return document;
  }

  /** Stores new pages for a document (renumbered), bumps its version, and returns it. */
  put(documentId: string, pages: DocumentPage[]): DocumentDetail {
    this.version += 1;
    const document = this.get(documentId);
    const next: DocumentDetail = {
      ...document,
      pages: pages.map((page, position) => ({ ...page, documentId, position })),
      pageCount: pages.length,
      updatedAt: `t${this.version}`,
    };
    this.documents.set(documentId, next);
    return next;
  }

  private findPage(pageId: string): { document: DocumentDetail; page: DocumentPage } {
    for (const document of this.documents.values()) {
      const page = document.pages.find((candidate) => candidate.id === pageId);
      if (page !== undefined) return { document, page };
    }
    throw new Error(`no page ${pageId}`);
  }

  private edit<T>(action: () => T): { ok: true; value: T } | { ok: false; error: StationErrorShape } {
    if (this.failWith !== null) return { ok: false, error: this.failWith };
    return { ok: true, value: action() };
  }

  private install(): void {
    const client = this.client;
    client
      .handle('documents:get', ({ documentId }) =>
        this.documents.has(documentId)
          ? { ok: true, value: this.get(documentId) }
          : { ok: false, error: { code: 'store/not-found', message: 'no such document' } },
      )
      .handle('documents:list', ({ batchId }) => ({
        ok: true,
        // Newest first, as the engine lists them.
        value: [...this.documents.values()]
          .filter((document) => batchId === undefined || document.batchId === batchId)
          .map(summaryOf)
          .reverse(),
      }))
      .handle('pages:set-transforms', ({ pageId, transforms }) =>
        this.edit(() => {
          const { document } = this.findPage(pageId);
          return this.put(
            document.id,
            document.pages.map((page) => (page.id === pageId ? { ...page, transforms } : page)),
          );
        }),
      )
      .handle('pages:set-blank', ({ pageId, blank }) =>
        this.edit(() => {
          const { document } = this.findPage(pageId);
          return this.put(
            document.id,
            document.pages.map((page) => (page.id === pageId ? { ...page, blank } : page)),
          );
        }),
      )
      .handle('pages:remove', ({ pageId }) =>
        this.edit(() => {
          const { document } = this.findPage(pageId);
          return this.put(
            document.id,
            document.pages.filter((page) => page.id !== pageId),
          );
        }),
      )
      .handle('documents:reorder-pages', ({ documentId, pageIds }) =>
        this.edit(() => {
          const document = this.get(documentId);
          const byId = new Map(document.pages.map((page) => [page.id, page]));
          if (pageIds.length !== byId.size || pageIds.some((id) => !byId.has(id)))
            throw new Error('not the same pages');
          return this.put(
            documentId,
            pageIds.map((id) => byId.get(id) as DocumentPage),
          );
        }),
      )
      .handle('documents:split', ({ documentId, firstPageId }) =>
        this.edit(() => {
          const document = this.get(documentId);
          const at = document.pages.findIndex((page) => page.id === firstPageId);
          const id = `${documentId}-split${this.nextId++}`;
          this.documents.set(id, makeDocument(id, document.batchId ?? 'b1', []));
          this.put(id, document.pages.slice(at));
          this.put(documentId, document.pages.slice(0, at));
          return { documentId: id };
        }),
      )
      .handle('documents:split-at-blanks', ({ documentId }) =>
        this.edit(() => {
          const document = this.get(documentId);
          const runs: DocumentPage[][] = [];
          let run: DocumentPage[] = [];
          for (const page of document.pages) {
            if (page.blank) {
              if (run.length > 0) runs.push(run);
              run = [];
            } else run.push(page);
          }
          if (run.length > 0) runs.push(run);
          const ids = runs.map((pages, index) => {
            const id = index === 0 ? documentId : `${documentId}-part${index + 1}`;
            if (index > 0) this.documents.set(id, makeDocument(id, document.batchId ?? 'b1', []));
            this.put(id, pages);
            return id;
          });
          return { documentIds: ids };
        }),
      )
      .handle('documents:merge', ({ targetId, sourceId }) =>
        this.edit(() => {
          const target = this.get(targetId);
          const source = this.get(sourceId);
          this.documents.delete(sourceId);
          return this.put(targetId, [...target.pages, ...source.pages]);
        }),
      )
      .handle('ocr:get', ({ pageId }) => {
        // A screen that asks again and again stops here (its test then fails on the count)
        // instead of spinning jsdom forever.
        this.ocrGets += 1;
        if (this.ocrGets > ocrGetLimit) return new Promise(() => undefined);
        const confidence = this.confidence.get(pageId);
        return {
          ok: true,
          value:
            confidence === undefined
              ? { state: 'pending', result: null, errorCode: null }
              : { state: 'done', result: makeOcrResult(confidence), errorCode: null },
        };
      })
      .handle('ocr:prioritize', () => ({ ok: true, value: {} }))
      .handle('ocr:rerun', ({ pageId }) => {
        // The old text is dropped while the page waits to be read again.
        this.confidence.delete(pageId);
        const { document } = this.findPage(pageId);
        this.put(
          document.id,
          document.pages.map((page) => (page.id === pageId ? { ...page, ocrState: 'pending' as const } : page)),
        );
        return { ok: true, value: { queued: true } };
      })
      .handle('pages:image', ({ pageId, variant }) => ({
        ok: true,
        value: { mimeType: 'image/jpeg', dataBase64: btoa(`${pageId}-${variant}`), widthPx: 800, heightPx: 1131 },
      }))
      .handle('scan:insert', () => ({ ok: true, value: { batchId: 'insert-1' } }));
  }
}

/** A batch `b1` with one document `d1` of `count` pages, OCR confidence 95 on every page. */
export function oneDocument(count: number, overrides: (position: number) => Partial<DocumentPage> = () => ({})) {
  const pages = Array.from({ length: count }, (_, position) =>
    makeDocumentPage('d1', 'b1', position, overrides(position)),
  );
  const engine = new ReviewEngine([makeDocument('d1', 'b1', pages)]);
  for (const page of pages) engine.confidence.set(page.id, 95);
  return engine;
}
