import { describe, expect, it } from 'vitest';
import { attachEvents } from '../../../renderer/store/attach-events.js';
import {
  blankSeparators,
  inBatchOrder,
  isLowConfidence,
  orderedPages,
  withRotation,
} from '../../../renderer/store/review-slice.js';
import { createStationStore } from '../../../renderer/store/station-store.js';
import { makePage, settle } from './fake-station-client.js';
import type { ReviewEngine } from './review-fixtures.js';
import { makeDocument, makeDocumentPage, oneDocument, summaryOf } from './review-fixtures.js';

/** A store wired to the in-memory review engine, with `d1` open. */
async function open(engine: ReviewEngine) {
  const store = createStationStore(engine.client);
  attachEvents(store, engine.client);
  await store.getState().loadApp();
  await store.getState().loadDevices();
  store.getState().openDocument('d1');
  await store.getState().loadReviewDocument('d1');
  return { store, client: engine.client };
}

const ids = (store: Awaited<ReturnType<typeof open>>['store']) =>
  orderedPages(store.getState().reviewDocument).map((page) => page.id);

describe('review rules', () => {
  it('turns a page by merging into a trailing rotation and drops it when upright again', () => {
    expect(withRotation([], 90)).toEqual([{ kind: 'rotate', degrees: 90 }]);
    expect(withRotation([], -90)).toEqual([{ kind: 'rotate', degrees: 270 }]);
    expect(withRotation([{ kind: 'rotate', degrees: 90 }], 90)).toEqual([{ kind: 'rotate', degrees: 180 }]);
    expect(withRotation([{ kind: 'rotate', degrees: 90 }], -90)).toEqual([]);
    // An earlier deskew stays; the clerk's turn applies to the page as it looks now.
    expect(withRotation([{ kind: 'deskew', degrees: 1.5 }], 90)).toEqual([
      { kind: 'deskew', degrees: 1.5 },
      { kind: 'rotate', degrees: 90 },
    ]);
  });

  it('counts blank separators and the documents a split would make', () => {
    const flags = (pattern: string) => [...pattern].map((c) => ({ blank: c === '_' }));
    expect(blankSeparators(flags('xx_xxx_x'))).toEqual({ blanks: 2, documents: 3 });
    expect(blankSeparators(flags('_xx__x_'))).toEqual({ blanks: 4, documents: 2 });
    expect(blankSeparators(flags('xxxx'))).toEqual({ blanks: 0, documents: 1 });
  });

  it('calls a page low confidence only once read and below the threshold', () => {
    expect(isLowConfidence({ state: 'done', confidence: 60 }, 85)).toBe(true);
    expect(isLowConfidence({ state: 'done', confidence: 85 }, 85)).toBe(false);
    expect(isLowConfidence({ state: 'pending', confidence: null }, 85)).toBe(false);
    expect(isLowConfidence(undefined, 85)).toBe(false);
  });
});

describe('review store', () => {
  it('opens a document with the documents of its batch and selects the first page', async () => {
    const pages = [0, 1].map((position) => makeDocumentPage('d2', 'b1', position + 10));
    const engine = oneDocument(3);
    engine.documents.set('d2', makeDocument('d2', 'b1', pages));
    const { store, client } = await open(engine);

    expect(client.calls.find((call) => call.name === 'documents:list')?.args).toMatchObject({ batchId: 'b1' });
    const state = store.getState();
    expect(state.reviewDocuments.map((document) => [document.id, document.pageCount])).toEqual([
      ['d1', 3],
      ['d2', 2],
    ]);
    expect(state.reviewSelectedPageId).toBe('b1-p0');
    expect(ids(store)).toEqual(['b1-p0', 'b1-p1', 'b1-p2']);
  });

  it('rotates a page through pages:set-transforms and shows what the engine returned', async () => {
    const engine = oneDocument(3);
    const { store, client } = await open(engine);

    await store.getState().rotatePage('b1-p1', 90);
    await store.getState().rotatePage('b1-p1', 90);
    await store.getState().rotatePage('b1-p2', -90);

    const calls = client.calls.filter((call) => call.name === 'pages:set-transforms').map((call) => call.args);
    expect(calls).toEqual([
      { pageId: 'b1-p1', transforms: [{ kind: 'rotate', degrees: 90 }] },
      { pageId: 'b1-p1', transforms: [{ kind: 'rotate', degrees: 180 }] },
      { pageId: 'b1-p2', transforms: [{ kind: 'rotate', degrees: 270 }] },
    ]);
    const pages = orderedPages(store.getState().reviewDocument);
    expect(pages.map((page) => page.transforms)).toEqual([
      [],
      [{ kind: 'rotate', degrees: 180 }],
      [{ kind: 'rotate', degrees: 270 }],
    ]);
  });

  it('reorders with documents:reorder-pages and takes the returned order', async () => {
    const engine = oneDocument(4);
    const { store, client } = await open(engine);

    await store.getState().movePage('b1-p0', 2);
    expect(client.calls.find((call) => call.name === 'documents:reorder-pages')?.args).toEqual({
      documentId: 'd1',
      pageIds: ['b1-p1', 'b1-p2', 'b1-p0', 'b1-p3'],
    });
    expect(ids(store)).toEqual(['b1-p1', 'b1-p2', 'b1-p0', 'b1-p3']);
    expect(engine.pageIds('d1')).toEqual(ids(store));
    expect(store.getState().reviewSelectedPageId).toBe('b1-p0');
    expect(store.getState().reviewNotice).toEqual({ key: 'review.notice.moved', params: { from: 1, to: 3 } });
  });

  it('puts the old order back and explains the error when the engine refuses (signed document)', async () => {
    const engine = oneDocument(3);
    const { store } = await open(engine);
    engine.failWith = { code: 'workflow/locked', message: 'pages are fixed after signing' };

    await store.getState().movePage('b1-p2', 0);
    expect(ids(store)).toEqual(['b1-p0', 'b1-p1', 'b1-p2']);
    expect(store.getState().reviewError?.code).toBe('workflow/locked');

    await store.getState().removePage('b1-p1');
    expect(ids(store)).toEqual(['b1-p0', 'b1-p1', 'b1-p2']);
    expect(store.getState().reviewBusy).toBeNull();
  });

  it('removes a page, selects its neighbour and says what happened', async () => {
    const engine = oneDocument(3);
    const { store, client } = await open(engine);
    store.getState().selectReviewPage('b1-p1');

    await store.getState().removePage('b1-p1');
    expect(client.calls.find((call) => call.name === 'pages:remove')?.args).toEqual({ pageId: 'b1-p1' });
    expect(ids(store)).toEqual(['b1-p0', 'b1-p2']);
    expect(store.getState().reviewSelectedPageId).toBe('b1-p2');
    expect(store.getState().reviewNotice).toEqual({ key: 'review.notice.removed', params: { number: 2 } });
    expect(store.getState().reviewDocuments[0]?.pageCount).toBe(2);
  });

  it('splits before the selected page and lists the new document', async () => {
    const engine = oneDocument(5);
    const { store, client } = await open(engine);

    await store.getState().splitBefore('b1-p3');
    expect(client.calls.find((call) => call.name === 'documents:split')?.args).toEqual({
      documentId: 'd1',
      firstPageId: 'b1-p3',
    });
    expect(ids(store)).toEqual(['b1-p0', 'b1-p1', 'b1-p2']);
    expect(store.getState().reviewDocuments.map((document) => document.pageCount)).toEqual([3, 2]);

    // Splitting before the first page would leave an empty document: nothing is sent.
    const before = client.calls.length;
    await store.getState().splitBefore('b1-p0');
    expect(client.calls.length).toBe(before);
  });

  it('splits at blank separators and merges a document with the next one', async () => {
    const engine = oneDocument(7, (position) => ({ blank: position === 2 || position === 5 }));
    const { store, client } = await open(engine);

    await store.getState().splitAtBlanks();
    expect(client.callNames()).toContain('documents:split-at-blanks');
    expect(store.getState().reviewDocuments.map((document) => document.pageCount)).toEqual([2, 2, 1]);
    expect(ids(store)).toEqual(['b1-p0', 'b1-p1']);
    expect(store.getState().reviewNotice).toEqual({ key: 'review.notice.splitAtBlanks', params: { count: 3 } });

    await store.getState().mergeWithNext();
    expect(client.calls.find((call) => call.name === 'documents:merge')?.args).toEqual({
      targetId: 'd1',
      sourceId: 'd1-part2',
    });
    expect(ids(store)).toEqual(['b1-p0', 'b1-p1', 'b1-p3', 'b1-p4']);
    expect(store.getState().reviewDocuments.map((document) => document.id)).toEqual(['d1', 'd1-part3']);
  });

  it('marks a page blank and sends the pages on screen that still wait for OCR first', async () => {
    const engine = oneDocument(4, (position) => ({ ocrState: position < 2 ? 'done' : 'pending' }));
    const { store, client } = await open(engine);

    await store.getState().setPageBlank('b1-p1', true);
    expect(orderedPages(store.getState().reviewDocument)[1]?.blank).toBe(true);

    await store.getState().prioritizeOcr(['b1-p3', 'b1-p0', 'b1-p2']);
    expect(client.calls.find((call) => call.name === 'ocr:prioritize')?.args).toEqual({ pageIds: ['b1-p3', 'b1-p2'] });
  });

  it('follows engine events: document changes, recognised pages, pages of an inserted scan', async () => {
    const engine = oneDocument(2);
    const { store, client } = await open(engine);

    // Another window edits the document: the list shows it and the open document is read again.
    engine.put('d1', [...engine.get('d1').pages, makeDocumentPage('d1', 'b1', 7)]);
    client.emit('documents:changed', summaryOf(engine.get('d1')));
    await settle();
    expect(ids(store)).toEqual(['b1-p0', 'b1-p1', 'b1-p7']);
    expect(store.getState().reviewDocuments[0]?.pageCount).toBe(3);

    // A new document of the same batch appears in the list.
    engine.documents.set('d9', makeDocument('d9', 'b1', []));
    client.emit('documents:changed', summaryOf(engine.get('d9')));
    expect(store.getState().reviewDocuments.map((document) => document.id)).toEqual(['d1', 'd9']);

    client.emit('ocr:page-recognized', {
      pageId: 'b1-p1',
      batchId: 'b1',
      host: 'renderer',
      orientation: 0,
      confidence: 41,
      words: 120,
      lowConfidenceWords: 60,
      durationMs: 900,
    });
    expect(isLowConfidence(store.getState().reviewOcr['b1-p1'], 85)).toBe(true);

    // Capture again: a scan into the document right after the page; its pages arrive as events.
    await store.getState().captureAgain('b1-p0');
    expect(client.calls.find((call) => call.name === 'scan:insert')?.args).toEqual({
      documentId: 'd1',
      deviceId: 'demo',
      position: 1,
      count: 1,
    });
    expect(store.getState().reviewInsertScan).toMatchObject({ batchId: 'insert-1', documentId: 'd1' });
    const pages = engine.get('d1').pages;
    engine.put('d1', [pages[0]!, makeDocumentPage('d1', 'insert-1', 0), ...pages.slice(1)]);
    client.emit('scan:page-captured', { batchId: 'insert-1', page: makePage('insert-1', 0) });
    client.emit('scan:finished', { batchId: 'insert-1', pageCount: 1, cancelled: false });
    await settle();
    expect(ids(store)).toEqual(['b1-p0', 'insert-1-p0', 'b1-p1', 'b1-p7']);
    expect(store.getState().reviewInsertScan).toBeNull();
    expect(store.getState().reviewNotice).toEqual({ key: 'review.notice.inserted', params: { count: 1 } });
  });

  it('replaces a page by scanning at its place, and opens a batch from the capture screen', async () => {
    const engine = oneDocument(3);
    const { store, client } = await open(engine);
    await store.getState().replaceByScan('b1-p2');
    expect(client.calls.find((call) => call.name === 'scan:insert')?.args).toEqual({
      documentId: 'd1',
      deviceId: 'demo',
      position: 2,
      count: 1,
      replacePageId: 'b1-p2',
    });

    store.getState().showScreen('capture');
    store.setState({ openDocumentId: null });
    await store.getState().reviewBatch('b1');
    expect(store.getState()).toMatchObject({ screen: 'review', openDocumentId: 'd1' });
  });
});

describe('documents of a batch', () => {
  it('are shown in paper order although the engine lists newest first', () => {
    const summary = (id: string, createdAt: string) => ({ ...summaryOf(makeDocument(id, 'b1', [])), createdAt });
    const listed = [summary('d3', 't2'), summary('d2b', 't1'), summary('d2a', 't1'), summary('d1', 't0')];
    expect(inBatchOrder(listed).map((document) => document.id)).toEqual(['d1', 'd2a', 'd2b', 'd3']);
  });

  it('follow the capture index of their first page when the engine gives it (a later split of an early document)', () => {
    const summary = (id: string, createdAt: string, firstPageIndex: number) => ({
      ...summaryOf(makeDocument(id, 'b1', [])),
      createdAt,
      firstPageIndex,
    });
    // d1 was split at its page 3 after the batch had become d1, d2, d3: d1b is the newest, yet second on paper.
    const listed = [summary('d1b', 't9', 3), summary('d3', 't0', 8), summary('d2', 't0', 5), summary('d1', 't0', 0)];
    expect(inBatchOrder(listed).map((document) => document.id)).toEqual(['d1', 'd1b', 'd2', 'd3']);
  });
});
