import { z } from 'zod';
import {
  AppInfo,
  Batch,
  DeliveryState,
  Device,
  DocumentDetail,
  DocumentSummary,
  Id,
  MetadataSuggestion,
  OutboxItem,
  OutOfScope,
  Page,
  QrFinding,
  QueueItem,
  ResultMetadata,
  ScanProfile,
  SearchHit,
  SyncStatus,
  Validity,
  WorkflowState,
} from './domain.js';
import { StationErrorShape } from './errors.js';
import { OcrJob, OcrPageRecognized, OcrPageResult, OcrResult, OcrStatus, Orientation } from './ocr.js';
import { EffectiveSettings, SettingsFile } from './settings.js';
import { PageTransforms } from './transforms.js';

/**
 * Every call between renderer and engine, declared once.
 *
 * Names are `domain:method`. The preload exposes `station.<domain>.<method>`
 * (kebab-case becomes camelCase); the bridge serves `POST /api/<name>`.
 */
export const calls = {
  'app:info': { args: z.object({}).strict(), result: AppInfo },
  'settings:get': { args: z.object({}).strict(), result: EffectiveSettings },
  'settings:update': {
    args: z.object({ patch: SettingsFile }).strict(),
    result: EffectiveSettings,
  },
  /**
   * The scanners of every driver. With `waitMs`, answers within that time with the devices found so
   * far (the demo and configured scanners at once; USB probing and network discovery can take
   * seconds) and announces the whole list with `devices:changed` when it is complete.
   */
  'devices:list': {
    args: z.object({ waitMs: z.number().int().min(0).max(60_000).optional() }).strict(),
    result: z.array(Device),
  },
  'scan:start': {
    args: z
      .object({
        deviceId: Id,
        count: z.number().int().min(1).max(1000).optional(),
        /** A scan profile name; the default profile when absent. */
        profile: Id.optional(),
      })
      .strict(),
    result: z.object({ batchId: Id }),
  },
  'profiles:list': { args: z.object({}).strict(), result: z.array(ScanProfile) },
  'scan:cancel': {
    args: z.object({ batchId: Id }).strict(),
    result: z.object({ cancelled: z.boolean() }),
  },
  'batches:list': {
    args: z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(),
    result: z.array(Batch),
  },
  'pages:list': {
    args: z.object({ batchId: Id }).strict(),
    result: z.array(Page),
  },
  'pages:thumbnail': {
    args: z.object({ pageId: Id }).strict(),
    result: z.object({ mimeType: z.literal('image/jpeg'), dataBase64: z.string() }),
  },
  /** A renderer's OCR pool asks for up to `max` pages (0 = only a heartbeat) and renews those it still holds. */
  'ocr:claim': {
    args: z
      .object({
        max: z.number().int().min(0).max(4),
        holding: z.array(z.string().min(1).max(200)).max(64).optional(),
      })
      .strict(),
    result: z.object({ jobs: z.array(OcrJob) }),
  },
  'ocr:save-result': {
    args: z
      .object({ jobId: z.string().min(1).max(200), result: OcrResult, durationMs: z.number().nonnegative().optional() })
      .strict(),
    result: z.object({ saved: z.boolean() }),
  },
  /** Gives claimed pages back: with an error they fail, without one another recogniser takes them. */
  'ocr:release': {
    args: z
      .object({ jobIds: z.array(z.string().min(1).max(200)).max(64), error: StationErrorShape.optional() })
      .strict(),
    result: z.object({ released: z.number().int().nonnegative() }),
  },
  'ocr:get': { args: z.object({ pageId: Id }).strict(), result: OcrPageResult },
  /** Recognises a page again; `rotation` (clockwise, as the clerk turned it) skips orientation detection. */
  'ocr:rerun': {
    args: z.object({ pageId: Id, rotation: Orientation.optional() }).strict(),
    result: z.object({ queued: z.boolean() }),
  },
  /** The pages on screen, most important first: they are recognised before the others. */
  'ocr:prioritize': { args: z.object({ pageIds: z.array(Id).max(50) }).strict(), result: z.object({}) },
  'ocr:status': { args: z.object({}).strict(), result: OcrStatus },
  'documents:list': {
    args: z
      .object({
        batchId: Id.optional(),
        states: z.array(WorkflowState).optional(),
        limit: z.number().int().min(1).max(1000).optional(),
        offset: z.number().int().min(0).optional(),
      })
      .strict(),
    result: z.array(DocumentSummary),
  },
  'documents:get': { args: z.object({ documentId: Id }).strict(), result: DocumentDetail },
  'documents:update': {
    args: z
      .object({
        documentId: Id,
        metadata: ResultMetadata.partial().optional(),
        validity: Validity.optional(),
        classified: z.boolean().optional(),
        outOfScope: OutOfScope.nullable().optional(),
      })
      .strict(),
    result: DocumentDetail,
  },
  'documents:transition': {
    args: z
      .object({
        documentId: Id,
        /** The clerk's steps; sealing, delivery and verification are the engine's own. */
        to: z.enum(['captured', 'reviewed', 'operator-signed', 'extracted', 'coded', 'queued', 'sealed']),
      })
      .strict(),
    result: DocumentDetail,
  },
  /**
   * Splits a document before `firstPageId`: that page and those after it become a new document
   * (returned), in the same batch.
   */
  'documents:split': {
    args: z.object({ documentId: Id, firstPageId: Id }).strict(),
    result: z.object({ documentId: Id }),
  },
  /**
   * Splits a document at its blank separator sheets: each run of pages between blank pages becomes
   * a document; the separator sheets leave the documents (recorded in the audit log).
   * Returns the documents in page order (the first keeps the original id).
   */
  'documents:split-at-blanks': {
    args: z.object({ documentId: Id }).strict(),
    result: z.object({ documentIds: z.array(Id) }),
  },
  /** Appends the pages of `sourceId` to `targetId`; the source document is gone afterwards. */
  'documents:merge': {
    args: z.object({ targetId: Id, sourceId: Id }).strict(),
    result: DocumentDetail,
  },
  /** Sets the order of a document's pages; `pageIds` must be exactly its pages. */
  'documents:reorder-pages': {
    args: z.object({ documentId: Id, pageIds: z.array(Id).min(1).max(5000) }).strict(),
    result: DocumentDetail,
  },
  /** Values for the index form read from the document's OCR text and QR codes; nothing is saved. */
  'documents:suggest': {
    args: z.object({ documentId: Id }).strict(),
    result: z.object({ suggestions: z.array(MetadataSuggestion), qr: z.array(QrFinding) }),
  },
  /** The digitization code (REQUIREMENTS.md section 4) the document would get from its metadata now. */
  'documents:propose-code': {
    args: z.object({ documentId: Id }).strict(),
    result: z.object({ code: z.string() }),
  },
  /**
   * The clerk's "Hoàn tất": takes the document from where it stands through review, operator
   * signature, extraction, code, PDF/A and seal to the delivery queue, stopping at the first step
   * refused (the error names it; steps already taken stay).
   */
  'documents:finish': {
    args: z.object({ documentId: Id }).strict(),
    result: DocumentDetail,
  },
  /**
   * Takes a page out of its document (recorded in the audit log; refused for a document's only
   * page); returns the document as it is now.
   */
  'pages:remove': {
    args: z.object({ pageId: Id }).strict(),
    result: DocumentDetail,
  },
  /** Replaces the clerk's edits of a page (rotation, deskew, crop); the original never changes. */
  'pages:set-transforms': {
    args: z.object({ pageId: Id, transforms: PageTransforms }).strict(),
    result: DocumentDetail,
  },
  /** Marks or unmarks a page as blank. */
  'pages:set-blank': {
    args: z.object({ pageId: Id, blank: z.boolean() }).strict(),
    result: DocumentDetail,
  },
  /**
   * A page image for the large viewer, at most `maxSize` pixels on its longer side: `original` as
   * captured, `cleaned` with the page's transforms and the clean-up of the output applied.
   */
  'pages:image': {
    args: z
      .object({
        pageId: Id,
        variant: z.enum(['original', 'cleaned']),
        maxSize: z.number().int().min(64).max(8000).optional(),
      })
      .strict(),
    result: z.object({
      mimeType: z.literal('image/jpeg'),
      dataBase64: z.string(),
      widthPx: z.number().int().positive(),
      heightPx: z.number().int().positive(),
    }),
  },
  /**
   * Scans into a document at `position` (0 = before the first page): to insert missing pages, or
   * to capture an annotated page again (the original stays). With `replacePageId` the scanned page
   * takes that page's place and the old one leaves the document.
   */
  'scan:insert': {
    args: z
      .object({
        documentId: Id,
        deviceId: Id,
        position: z.number().int().min(0),
        count: z.number().int().min(1).max(100).optional(),
        profile: Id.optional(),
        replacePageId: Id.optional(),
      })
      .strict(),
    result: z.object({ batchId: Id }),
  },
  /** Starts a delivery round now, inside or outside the send window (the clerk's "Gửi ngay"). */
  'sync:send-now': { args: z.object({}).strict(), result: SyncStatus },
  'queue:list': {
    args: z
      .object({
        limit: z.number().int().min(1).max(1000).optional(),
        states: z.array(WorkflowState).optional(),
        /** Newest in their state first (what was delivered lately); by default the longest waiting first. */
        newest: z.boolean().optional(),
      })
      .strict(),
    result: z.array(QueueItem),
  },
  'search:query': {
    args: z
      .object({
        query: z.string().min(1).max(500),
        limit: z.number().int().min(1).max(100).optional(),
        offset: z.number().int().min(0).max(10_000).optional(),
      })
      .strict(),
    result: z.object({ hits: z.array(SearchHit), more: z.boolean() }),
  },
  'sync:status': { args: z.object({}).strict(), result: SyncStatus },
  'sync:list': {
    args: z
      .object({
        limit: z.number().int().min(1).max(5000).optional(),
        states: z.array(DeliveryState).optional(),
      })
      .strict(),
    result: z.array(OutboxItem),
  },
  'sync:pause': { args: z.object({}).strict(), result: SyncStatus },
  'sync:resume': { args: z.object({}).strict(), result: SyncStatus },
  'sync:retry': { args: z.object({ documentId: Id }).strict(), result: OutboxItem },
  'sync:set-secret': {
    args: z.object({ secret: z.string().min(1).max(4096) }).strict(),
    result: z.object({ stored: z.literal(true) }),
  },
} as const;

/** Every event the engine emits, declared once. Names are `domain:past-tense`. */
export const events = {
  'scan:started': z.object({
    batchId: Id,
    deviceId: Id,
    expectedPages: z.number().int().nullable(),
    /** Set for a scan into an existing document (`scan:insert`): its pages go there, not to a batch of their own. */
    intoDocumentId: Id.optional(),
  }),
  'scan:page-captured': z.object({ batchId: Id, page: Page }),
  /** The page being scanned or imported (0-based) and how far it is, when the device says. */
  'scan:progressed': z.object({
    batchId: Id,
    pageIndex: z.number().int().nonnegative(),
    percent: z.number().min(0).max(100).nullable(),
  }),
  'scan:finished': z.object({
    batchId: Id,
    pageCount: z.number().int().nonnegative(),
    cancelled: z.boolean(),
  }),
  'scan:failed': z.object({
    batchId: Id,
    pageCount: z.number().int().nonnegative(),
    error: StationErrorShape,
  }),
  /** A page waits for OCR: renderers with a free worker claim it. */
  'ocr:queued': z.object({ pageId: Id, batchId: Id }),
  'ocr:page-recognized': OcrPageRecognized,
  'ocr:page-failed': z.object({ pageId: Id, batchId: Id, error: StationErrorShape }),
  /** Claimed pages the renderer should drop (deleted, or queued again for a rerun). */
  'ocr:withdrawn': z.object({ jobIds: z.array(z.string()) }),
  /** The complete device list after a `devices:list` answered early with part of it. */
  'devices:changed': z.object({ devices: z.array(Device) }),
  'settings:changed': EffectiveSettings,
  'documents:changed': DocumentSummary,
  'sync:item-changed': OutboxItem,
  'sync:status-changed': SyncStatus,
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallArgs<N extends CallName> = z.input<Calls[N]['args']>;
export type CallValue<N extends CallName> = z.output<Calls[N]['result']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]>;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(calls, name);
}

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}
