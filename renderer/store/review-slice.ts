import type { Unsubscribe } from '../../shared/api-shape.js';
import type { DocumentDetail, DocumentPage, DocumentSummary } from '../../shared/domain.js';
import type { StationErrorShape } from '../../shared/errors.js';
import type { OcrResult } from '../../shared/ocr.js';
import type { PageTransform } from '../../shared/transforms.js';
import { totalRotation } from '../../shared/transforms.js';
import type { MessageKey, MessageParams } from '../i18n/i18n.js';
import type { StationClient } from '../station/station-client.js';
import type { SliceGet, SliceSet, StationStore } from './station-store.js';

/** What the review screen knows of a page's OCR: its state and, once read, the mean word confidence. */
export interface PageOcrSummary {
  state: 'loading' | 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  /** Mean word confidence 0–100, when recognised. */
  confidence: number | null;
  /** Words read; a page without words (a blank sheet) has no confidence to doubt. */
  words?: number;
}

/** A large page image for the viewer: being fetched, ready as a `data:` URL, or failed. */
export type ViewerImage =
  { state: 'loading' } | { state: 'ready'; src: string; widthPx: number; heightPx: number } | { state: 'failed' };

export type ImageVariant = 'original' | 'cleaned';

/** How the viewer shows the selected page: after clean-up, as captured, both side by side, or with OCR marks. */
export type ViewerMode = 'cleaned' | 'original' | 'compare' | 'ocr';

/** A line of feedback after an action, in the clerk's language. */
export interface ReviewNotice {
  key: MessageKey;
  params?: MessageParams;
}

/** A scan into the open document, whose pages arrive while the clerk waits. */
export interface InsertScan {
  batchId: string;
  documentId: string;
  pages: number;
}

/** Zoom of the large viewer: fit the frame, or a scale of the page's pixels (1 = 100 %). */
export type Zoom = 'fit' | number;

export const zoomSteps = [0.25, 0.33, 0.5, 0.67, 0.75, 1, 1.25, 1.5, 2, 3, 4] as const;

/** State of the review screen: the batch's documents, the open one, the selected page and the viewer. */
export interface ReviewSlice {
  /** The documents of the batch under review, in the engine's order. */
  reviewDocuments: DocumentSummary[];
  reviewBatchId: string | null;
  /** The document on screen, as the engine last returned it. */
  reviewDocument: DocumentDetail | null;
  reviewLoading: boolean;
  reviewSelectedPageId: string | null;
  /** OCR per page of the open document, fetched for the pages on screen and updated by events. */
  reviewOcr: Record<string, PageOcrSummary>;
  /** The full OCR result of pages shown with their marks in the viewer. */
  reviewOcrResults: Record<string, OcrResult>;
  /** Viewer images by `imageKey`. */
  reviewImages: Record<string, ViewerImage>;
  reviewZoom: Zoom;
  reviewMode: ViewerMode;
  /** The action under way (its label key), so buttons wait and the clerk sees what happens. */
  reviewBusy: MessageKey | null;
  reviewError: StationErrorShape | null;
  reviewNotice: ReviewNotice | null;
  /** The page whose removal waits for the clerk's confirmation. */
  reviewConfirmRemove: string | null;
  /** Documents whose blank-separator offer the clerk declined. */
  reviewSplitDeclined: string[];
  reviewInsertScan: InsertScan | null;
  /** Documents waiting for review, offered when none is open. */
  reviewRecent: DocumentSummary[];

  /** Lists the documents still to review (captured or reviewed), newest first as the engine lists them. */
  loadReviewRecent: () => Promise<void>;
  /** Opens the first document of a batch on the review screen ("Kiểm tra lô này"). */
  reviewBatch: (batchId: string) => Promise<void>;
  /** Opens a document: its detail, then the other documents of its batch. */
  loadReviewDocument: (documentId: string) => Promise<void>;
  /** Lists the documents of a batch (for the picker). */
  loadReviewDocuments: (batchId: string) => Promise<void>;
  /** Re-reads the open document (after an event or an inserted scan). */
  refreshReviewDocument: () => Promise<void>;
  selectReviewPage: (pageId: string | null) => void;
  /** Moves the selection by `delta` pages, clamped to the document. */
  moveReviewSelection: (delta: number) => void;
  /** Turns a page a quarter clockwise (`90`) or counter-clockwise (`-90`) by appending to its transforms. */
  rotatePage: (pageId: string, degrees: 90 | -90 | 180) => Promise<void>;
  /** Asks OCR to read a page again (a failed read, a doubtful one), the way the clerk turned it. */
  rereadPage: (pageId: string) => Promise<void>;
  askRemovePage: (pageId: string | null) => void;
  removePage: (pageId: string) => Promise<void>;
  /** Moves a page to `toIndex` in the document's order (0-based, in the order after the move). */
  movePage: (pageId: string, toIndex: number) => Promise<void>;
  setPageBlank: (pageId: string, blank: boolean) => Promise<void>;
  /** Splits the open document before `pageId`: that page and those after it become a new document. */
  splitBefore: (pageId: string) => Promise<void>;
  splitAtBlanks: () => Promise<void>;
  declineSplitAtBlanks: () => void;
  /** Appends the next document of the batch to the open one. */
  mergeWithNext: () => Promise<void>;
  /** Scans `count` pages into the open document at `position` (0 = before the first page). */
  insertByScan: (position: number, count?: number) => Promise<void>;
  /** Scans an annotated page again: the new scan goes right after it, the original stays. */
  captureAgain: (pageId: string) => Promise<void>;
  /** Scans a page that takes `pageId`'s place; the old page leaves the document (kept in the store). */
  replaceByScan: (pageId: string) => Promise<void>;
  loadPageOcr: (pageId: string, full?: boolean) => Promise<void>;
  loadViewerImage: (pageId: string, variant: ImageVariant, maxSize: number) => Promise<void>;
  /** Asks the engine to recognise these pages first (those on screen); pages already read are left out. */
  prioritizeOcr: (pageIds: readonly string[]) => Promise<void>;
  setReviewZoom: (zoom: Zoom) => void;
  zoomReview: (direction: 1 | -1, fitScale: number) => void;
  setReviewMode: (mode: ViewerMode) => void;
  dismissReviewError: () => void;
  dismissReviewNotice: () => void;
}

/** The key of a viewer image: page, variant, edits (a rotation changes the cleaned image) and size. */
export function imageKey(
  page: Pick<DocumentPage, 'id' | 'transforms'>,
  variant: ImageVariant,
  maxSize: number,
): string {
  return `${page.id}|${variant}|${variant === 'cleaned' ? JSON.stringify(page.transforms) : ''}|${maxSize}`;
}

/** The pages of a document in output order. */
export function orderedPages(document: Pick<DocumentDetail, 'pages'> | null): DocumentPage[] {
  if (document === null) return [];
  return [...document.pages].sort(
    (a, b) => (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER) || a.index - b.index,
  );
}

/**
 * The transforms after turning the page by `degrees`: merged into a trailing rotation (the turn
 * applies to the page as it looks now), dropped when it comes back to upright.
 */
export function withRotation(transforms: readonly PageTransform[], degrees: 90 | -90 | 180): PageTransform[] {
  const last = transforms[transforms.length - 1];
  const base = last?.kind === 'rotate' ? transforms.slice(0, -1) : [...transforms];
  const current = last?.kind === 'rotate' ? last.degrees : 0;
  const turned = (((current + degrees) % 360) + 360) % 360;
  return turned === 0 ? base : [...base, { kind: 'rotate', degrees: turned as 90 | 180 | 270 }];
}

/** Blank separator sheets of a document and the number of documents a split at them would make. */
export function blankSeparators(pages: readonly Pick<DocumentPage, 'blank'>[]): { blanks: number; documents: number } {
  let blanks = 0;
  let documents = 0;
  let inRun = false;
  for (const page of pages) {
    if (page.blank) {
      blanks += 1;
      inRun = false;
    } else if (!inRun) {
      documents += 1;
      inRun = true;
    }
  }
  return { blanks, documents };
}

/**
 * The documents of a batch in paper order: by the capture index of their first page when the engine
 * gives it; otherwise oldest first (the engine lists newest first and a split makes the later pages
 * the newer document; ties keep the engine's order reversed).
 */
export function inBatchOrder(documents: readonly DocumentSummary[]): DocumentSummary[] {
  const first = (document: DocumentSummary): number => document.firstPageIndex ?? Number.MAX_SAFE_INTEGER;
  return documents
    .map((document, index) => ({ document, index }))
    .sort(
      (a, b) =>
        first(a.document) - first(b.document) ||
        a.document.createdAt.localeCompare(b.document.createdAt) ||
        b.index - a.index,
    )
    .map((entry) => entry.document);
}

/** Whether a page's OCR is below the clerk's threshold (only once it has been read). */
export function isLowConfidence(summary: PageOcrSummary | undefined, threshold: number): boolean {
  return (
    summary?.state === 'done' && summary.confidence !== null && summary.words !== 0 && summary.confidence < threshold
  );
}

const viewerImageCacheSize = 16;

/** Creates the review slice. */
export function createReviewSlice(client: StationClient, set: SliceSet, get: SliceGet): ReviewSlice {
  /** Takes the document the engine returned after an edit; keeps the selection on the same page when it is still there. */
  function adoptDocument(document: DocumentDetail, preferSelected?: string | null): void {
    const pages = orderedPages(document);
    const wanted = preferSelected === undefined ? get().reviewSelectedPageId : preferSelected;
    const selected = pages.some((page) => page.id === wanted) ? wanted : (pages[0]?.id ?? null);
    set((state) => {
      const ocr = { ...state.reviewOcr };
      const results = { ...state.reviewOcrResults };
      for (const page of pages) {
        const known = ocr[page.id];
        // The engine's page row is the truth about the state (a rotation queues OCR again); a failed
        // read of a done page stays failed so the grid does not ask again and again.
        const same = known?.state === page.ocrState || (known?.state === 'failed' && page.ocrState === 'done');
        if (known === undefined || (known.state !== 'loading' && !same)) {
          ocr[page.id] = {
            state: page.ocrState,
            confidence: page.ocrState === 'done' ? (known?.confidence ?? null) : null,
            ...(page.ocrState === 'done' && known?.words !== undefined ? { words: known.words } : {}),
          };
          if (page.ocrState !== 'done') delete results[page.id];
        }
      }
      return {
        reviewDocument: document,
        reviewSelectedPageId: selected,
        reviewOcr: ocr,
        reviewOcrResults: results,
        reviewDocuments: state.reviewDocuments.map((summary) =>
          summary.id === document.id ? toSummary(document) : summary,
        ),
      };
    });
  }

  /** Runs an edit: marks it busy, shows a failure with its code, and never loses what is on screen. */
  async function run<T>(
    label: MessageKey,
    action: () => Promise<{ ok: true; value: T } | { ok: false; error: StationErrorShape }>,
  ): Promise<T | undefined> {
    set({ reviewBusy: label, reviewError: null, reviewNotice: null });
    try {
      const result = await action();
      if (!result.ok) {
        set({ reviewError: result.error });
        return undefined;
      }
      return result.value;
    } finally {
      set({ reviewBusy: null });
    }
  }

  function openDocumentId(): string | null {
    return get().reviewDocument?.id ?? null;
  }

  function pagePosition(pageId: string): number {
    return orderedPages(get().reviewDocument).findIndex((page) => page.id === pageId);
  }

  async function deviceForScan(): Promise<string | null> {
    if (get().selectedDeviceId === null) await get().loadDevices();
    return get().selectedDeviceId;
  }

  async function startInsert(args: { position: number; count?: number; replacePageId?: string }, label: MessageKey) {
    const documentId = openDocumentId();
    if (documentId === null || get().reviewInsertScan !== null) return;
    const deviceId = await deviceForScan();
    if (deviceId === null) {
      set({ reviewError: { code: 'scan/device-not-found', message: 'no scanner to insert with' } });
      return;
    }
    const value = await run(label, () => client.call('scan:insert', { documentId, deviceId, ...args }));
    if (value !== undefined) {
      set({
        reviewInsertScan: { batchId: value.batchId, documentId, pages: 0 },
        reviewNotice: { key: 'review.notice.scanning' },
      });
    }
  }

  return {
    reviewDocuments: [],
    reviewBatchId: null,
    reviewDocument: null,
    reviewLoading: false,
    reviewSelectedPageId: null,
    reviewOcr: {},
    reviewOcrResults: {},
    reviewImages: {},
    reviewZoom: 'fit',
    reviewMode: 'cleaned',
    reviewBusy: null,
    reviewError: null,
    reviewNotice: null,
    reviewConfirmRemove: null,
    reviewSplitDeclined: [],
    reviewInsertScan: null,
    reviewRecent: [],

    async loadReviewRecent() {
      const result = await client.call('documents:list', { states: ['captured', 'reviewed'], limit: 50 });
      if (result.ok) set({ reviewRecent: result.value });
      else set({ reviewError: result.error });
    },

    async reviewBatch(batchId) {
      const result = await client.call('documents:list', { batchId, limit: 1000 });
      if (!result.ok) {
        set({ reviewError: result.error });
        return;
      }
      const documents = inBatchOrder(result.value);
      const first = documents[0];
      set({ reviewBatchId: batchId, reviewDocuments: documents });
      if (first === undefined) {
        set({ reviewNotice: { key: 'review.fromCapture.none' } });
        get().showScreen('review');
        return;
      }
      get().openDocument(first.id, 'review');
    },

    async loadReviewDocument(documentId) {
      const switching = get().reviewDocument?.id !== documentId;
      set({
        reviewLoading: true,
        reviewError: null,
        ...(switching ? { reviewNotice: null, reviewConfirmRemove: null } : {}),
      });
      const result = await client.call('documents:get', { documentId });
      if (!result.ok) {
        set({ reviewLoading: false, reviewError: result.error });
        return;
      }
      adoptDocument(result.value, switching ? null : undefined);
      set({ reviewLoading: false });
      const { batchId } = result.value;
      if (batchId !== null) await get().loadReviewDocuments(batchId);
      else set({ reviewBatchId: null, reviewDocuments: [toSummary(result.value)] });
    },

    async loadReviewDocuments(batchId) {
      const result = await client.call('documents:list', { batchId, limit: 1000 });
      if (!result.ok) {
        set({ reviewError: result.error });
        return;
      }
      set({ reviewBatchId: batchId, reviewDocuments: inBatchOrder(result.value) });
    },

    async refreshReviewDocument() {
      const documentId = openDocumentId();
      if (documentId === null) return;
      const result = await client.call('documents:get', { documentId });
      if (result.ok && openDocumentId() === documentId) adoptDocument(result.value);
    },

    selectReviewPage(pageId) {
      set({ reviewSelectedPageId: pageId, reviewConfirmRemove: null });
    },

    moveReviewSelection(delta) {
      const pages = orderedPages(get().reviewDocument);
      if (pages.length === 0) return;
      const at = pagePosition(get().reviewSelectedPageId ?? '');
      const next = Math.max(0, Math.min(pages.length - 1, (at === -1 ? 0 : at) + delta));
      get().selectReviewPage(pages[next]?.id ?? null);
    },

    async rotatePage(pageId, degrees) {
      const page = orderedPages(get().reviewDocument).find((candidate) => candidate.id === pageId);
      if (page === undefined) return;
      const transforms = withRotation(page.transforms, degrees);
      const document = await run('review.action.rotate', () =>
        client.call('pages:set-transforms', { pageId, transforms }),
      );
      if (document !== undefined) adoptDocument(document);
    },

    async rereadPage(pageId) {
      const at = pagePosition(pageId);
      const page = orderedPages(get().reviewDocument)[at];
      if (page === undefined) return;
      const turned = page.transforms.some((transform) => transform.kind === 'rotate');
      const queued = await run('review.action.reread', () =>
        client.call('ocr:rerun', turned ? { pageId, rotation: totalRotation(page.transforms) } : { pageId }),
      );
      if (queued === undefined) return;
      set((state) => ({
        reviewOcr: { ...state.reviewOcr, [pageId]: { state: 'pending', confidence: null } },
        reviewOcrResults: Object.fromEntries(Object.entries(state.reviewOcrResults).filter(([id]) => id !== pageId)),
        reviewNotice: { key: 'review.notice.reread', params: { number: at + 1 } },
      }));
      void get().prioritizeOcr([pageId]);
    },

    askRemovePage(pageId) {
      set({ reviewConfirmRemove: pageId });
    },

    async removePage(pageId) {
      const pages = orderedPages(get().reviewDocument);
      const at = pages.findIndex((page) => page.id === pageId);
      if (at === -1) return;
      set({ reviewConfirmRemove: null });
      const document = await run('review.action.remove', () => client.call('pages:remove', { pageId }));
      if (document === undefined) return;
      const remaining = orderedPages(document);
      const neighbour = remaining[Math.min(at, remaining.length - 1)]?.id ?? null;
      adoptDocument(document, get().reviewSelectedPageId === pageId ? neighbour : undefined);
      set({ reviewNotice: { key: 'review.notice.removed', params: { number: at + 1 } } });
    },

    async movePage(pageId, toIndex) {
      const before = get().reviewDocument;
      const pages = orderedPages(before);
      const from = pages.findIndex((page) => page.id === pageId);
      if (before === null || from === -1) return;
      const to = Math.max(0, Math.min(pages.length - 1, toIndex));
      if (to === from) return;
      const order = pages.filter((page) => page.id !== pageId);
      order.splice(to, 0, pages[from] as DocumentPage);
      // Shown at once; the engine's answer replaces it, and a refusal puts the old order back.
      set({
        reviewDocument: { ...before, pages: order.map((page, position) => ({ ...page, position })) },
        reviewSelectedPageId: pageId,
      });
      const document = await run('review.action.move', () =>
        client.call('documents:reorder-pages', { documentId: before.id, pageIds: order.map((page) => page.id) }),
      );
      if (document === undefined) {
        if (get().reviewDocument?.id === before.id) set({ reviewDocument: before });
        return;
      }
      adoptDocument(document, pageId);
      set({ reviewNotice: { key: 'review.notice.moved', params: { from: from + 1, to: to + 1 } } });
    },

    async setPageBlank(pageId, blank) {
      const document = await run('review.action.blank', () => client.call('pages:set-blank', { pageId, blank }));
      if (document !== undefined) adoptDocument(document);
    },

    async splitBefore(pageId) {
      const documentId = openDocumentId();
      const at = pagePosition(pageId);
      if (documentId === null || at <= 0) return;
      const value = await run('review.action.split', () =>
        client.call('documents:split', { documentId, firstPageId: pageId }),
      );
      if (value === undefined) return;
      await get().refreshReviewDocument();
      const batchId = get().reviewDocument?.batchId ?? null;
      if (batchId !== null) await get().loadReviewDocuments(batchId);
      set({ reviewNotice: { key: 'review.notice.split', params: { number: at + 1 } } });
    },

    async splitAtBlanks() {
      const documentId = openDocumentId();
      if (documentId === null) return;
      const value = await run('review.action.splitAtBlanks', () =>
        client.call('documents:split-at-blanks', { documentId }),
      );
      if (value === undefined) return;
      await get().refreshReviewDocument();
      const batchId = get().reviewDocument?.batchId ?? null;
      if (batchId !== null) await get().loadReviewDocuments(batchId);
      set({ reviewNotice: { key: 'review.notice.splitAtBlanks', params: { count: value.documentIds.length } } });
    },

    declineSplitAtBlanks() {
      const documentId = openDocumentId();
      if (documentId === null) return;
      set((state) => ({ reviewSplitDeclined: [...state.reviewSplitDeclined, documentId] }));
    },

    async mergeWithNext() {
      const { reviewDocuments } = get();
      const documentId = openDocumentId();
      const at = reviewDocuments.findIndex((summary) => summary.id === documentId);
      const next = reviewDocuments[at + 1];
      if (documentId === null || at === -1 || next === undefined) return;
      const document = await run('review.action.merge', () =>
        client.call('documents:merge', { targetId: documentId, sourceId: next.id }),
      );
      if (document === undefined) return;
      adoptDocument(document);
      set((state) => ({ reviewDocuments: state.reviewDocuments.filter((summary) => summary.id !== next.id) }));
      if (document.batchId !== null) await get().loadReviewDocuments(document.batchId);
      set({ reviewNotice: { key: 'review.notice.merged', params: { count: document.pages.length } } });
    },

    async insertByScan(position, count = 1) {
      await startInsert({ position, count }, 'review.action.insert');
    },

    async captureAgain(pageId) {
      const at = pagePosition(pageId);
      if (at === -1) return;
      await startInsert({ position: at + 1, count: 1 }, 'review.action.captureAgain');
    },

    async replaceByScan(pageId) {
      const at = pagePosition(pageId);
      if (at === -1) return;
      await startInsert({ position: at, count: 1, replacePageId: pageId }, 'review.action.replace');
    },

    async loadPageOcr(pageId, full = false) {
      const known = get().reviewOcr[pageId];
      if (known?.state === 'loading') return;
      if (!full && known?.state === 'done' && known.confidence !== null) return;
      if (full && get().reviewOcrResults[pageId] !== undefined && known?.state === 'done') return;
      set((state) => ({ reviewOcr: { ...state.reviewOcr, [pageId]: { state: 'loading', confidence: null } } }));
      const result = await client.call('ocr:get', { pageId });
      set((state) => {
        // A failed read counts as failed, so the cell does not ask again and again.
        const summary: PageOcrSummary =
          result.ok && !(result.value.state === 'done' && result.value.result === null)
            ? {
                state: result.value.state,
                confidence: result.value.result?.confidence ?? null,
                words: result.value.result?.lines.reduce((sum, line) => sum + line.words.length, 0) ?? 0,
              }
            : { state: 'failed', confidence: null };
        const results = { ...state.reviewOcrResults };
        if (result.ok && result.value.result !== null && full) results[pageId] = result.value.result;
        return { reviewOcr: { ...state.reviewOcr, [pageId]: summary }, reviewOcrResults: results };
      });
    },

    async loadViewerImage(pageId, variant, maxSize) {
      const page = orderedPages(get().reviewDocument).find((candidate) => candidate.id === pageId);
      if (page === undefined) return;
      const key = imageKey(page, variant, maxSize);
      const existing = get().reviewImages[key];
      if (existing !== undefined && existing.state !== 'failed') return;
      set((state) => ({ reviewImages: { ...state.reviewImages, [key]: { state: 'loading' } } }));
      const result = await client.call('pages:image', { pageId, variant, maxSize });
      const image: ViewerImage = result.ok
        ? {
            state: 'ready',
            src: `data:${result.value.mimeType};base64,${result.value.dataBase64}`,
            widthPx: result.value.widthPx,
            heightPx: result.value.heightPx,
          }
        : { state: 'failed' };
      set((state) => {
        // Large images: keep only the last few in memory.
        const entries = Object.entries({ ...state.reviewImages, [key]: image });
        return { reviewImages: Object.fromEntries(entries.slice(-viewerImageCacheSize)) };
      });
    },

    async prioritizeOcr(pageIds) {
      const { reviewOcr } = get();
      const waiting = pageIds
        .filter((pageId) => {
          const state = reviewOcr[pageId]?.state;
          return state === 'pending' || state === 'running';
        })
        .slice(0, 50);
      if (waiting.length === 0) return;
      // A failure here only loses an ordering hint; OCR still runs.
      await client.call('ocr:prioritize', { pageIds: waiting });
    },

    setReviewZoom(zoom) {
      set({ reviewZoom: zoom });
    },

    zoomReview(direction, fitScale) {
      const current = get().reviewZoom === 'fit' ? fitScale : (get().reviewZoom as number);
      const next =
        direction === 1
          ? zoomSteps.find((step) => step > current + 0.001)
          : [...zoomSteps].reverse().find((step) => step < current - 0.001);
      set({ reviewZoom: next ?? (direction === 1 ? zoomSteps[zoomSteps.length - 1] : zoomSteps[0]) ?? 1 });
    },

    setReviewMode(mode) {
      set({ reviewMode: mode });
    },

    dismissReviewError() {
      set({ reviewError: null });
    },

    dismissReviewNotice() {
      set({ reviewNotice: null });
    },
  };
}

/** The summary part of a document detail, for the document list. */
function toSummary(document: DocumentDetail): DocumentSummary {
  const {
    pages: _pages,
    metadata: _metadata,
    blocked: _blocked,
    next: _next,
    history: _history,
    ...summary
  } = document;
  return summary;
}

/** The engine events the review slice follows; attachEvents calls this once. */
export function attachReviewEvents(store: StationStore, client: StationClient): Unsubscribe[] {
  let refreshing = false;
  let refreshAgain = false;
  /** Re-reads the open document, one read at a time, once more if something changed meanwhile. */
  async function refresh(): Promise<void> {
    if (refreshing) {
      refreshAgain = true;
      return;
    }
    refreshing = true;
    try {
      do {
        refreshAgain = false;
        await store.getState().refreshReviewDocument();
      } while (refreshAgain);
    } finally {
      refreshing = false;
    }
  }

  return [
    client.on('documents:changed', (summary) => {
      const state = store.getState();
      const listed = state.reviewDocuments.some((document) => document.id === summary.id);
      if (listed) {
        store.setState({
          reviewDocuments: state.reviewDocuments.map((document) => (document.id === summary.id ? summary : document)),
        });
      } else if (state.reviewBatchId !== null && summary.batchId === state.reviewBatchId) {
        store.setState({ reviewDocuments: [...state.reviewDocuments, summary] });
      }
      const open = state.reviewDocument;
      if (
        open !== null &&
        open.id === summary.id &&
        open.updatedAt !== summary.updatedAt &&
        state.reviewBusy === null
      ) {
        void refresh();
      }
    }),

    client.on('ocr:page-recognized', ({ pageId, confidence, words }) => {
      const state = store.getState();
      const onScreen = state.reviewDocument?.pages.some((page) => page.id === pageId) ?? false;
      if (!onScreen && state.reviewOcr[pageId] === undefined) return;
      store.setState({
        reviewOcr: { ...state.reviewOcr, [pageId]: { state: 'done', confidence, words } },
        // A full result fetched earlier is out of date.
        reviewOcrResults: Object.fromEntries(Object.entries(state.reviewOcrResults).filter(([id]) => id !== pageId)),
      });
    }),

    client.on('ocr:page-failed', ({ pageId }) => {
      const state = store.getState();
      if (state.reviewOcr[pageId] === undefined) return;
      store.setState({ reviewOcr: { ...state.reviewOcr, [pageId]: { state: 'failed', confidence: null } } });
    }),

    client.on('scan:page-captured', ({ batchId }) => {
      const insert = store.getState().reviewInsertScan;
      if (insert === null || insert.batchId !== batchId) return;
      store.setState({ reviewInsertScan: { ...insert, pages: insert.pages + 1 } });
      if (store.getState().reviewDocument?.id === insert.documentId) void refresh();
    }),

    client.on('scan:finished', ({ batchId, pageCount }) => {
      const insert = store.getState().reviewInsertScan;
      if (insert === null || insert.batchId !== batchId) return;
      store.setState({
        reviewInsertScan: null,
        reviewNotice: { key: 'review.notice.inserted', params: { count: pageCount } },
      });
      void refresh();
    }),

    client.on('scan:failed', ({ batchId, error }) => {
      const insert = store.getState().reviewInsertScan;
      if (insert === null || insert.batchId !== batchId) return;
      store.setState({ reviewInsertScan: null, reviewError: error.code === 'scan/cancelled' ? null : error });
      void refresh();
    }),
  ];
}
