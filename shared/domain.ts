import { z } from 'zod';
import { isCalendarDate } from './metadata-validation.js';
import { PageTransform } from './transforms.js';

export const Id = z.string().min(1).max(100);

export const ColourMode = z.enum(['color', 'gray', 'lineart']);
export type ColourMode = z.infer<typeof ColourMode>;

export const ScanSource = z.enum(['flatbed', 'adf', 'adf-duplex']);
export type ScanSource = z.infer<typeof ScanSource>;

export const DeviceKind = z.enum(['demo', 'sane', 'escl', 'wia', 'import']);
export type DeviceKind = z.infer<typeof DeviceKind>;

/** Paper sizes a scan profile may ask for; `auto` = the device's whole area (or its own detection). */
export const PageSize = z.enum(['auto', 'a4', 'a5', 'a3', 'letter', 'legal']);
export type PageSize = z.infer<typeof PageSize>;

export const Device = z.object({
  id: Id,
  kind: DeviceKind,
  name: z.string(),
  sources: z.array(ScanSource),
  resolutions: z.array(z.number().int().positive()),
  colourModes: z.array(ColourMode),
  /** The largest area the device scans, in millimetres, when it says. */
  maxAreaMm: z.object({ width: z.number().positive(), height: z.number().positive() }).optional(),
  /** Paper sizes that fit that area. */
  pageSizes: z.array(PageSize).optional(),
  allowed: z.boolean(),
});
export type Device = z.infer<typeof Device>;

/** What to do with blank pages (the imaging step applies it; capture records it). */
export const BlankPagePolicy = z.enum(['keep', 'flag', 'remove']);
export type BlankPagePolicy = z.infer<typeof BlankPagePolicy>;

/** A named scan preset as the UI sees it; `locked` when the machine policy sets any of it. */
export const ScanProfile = z.object({
  name: Id,
  label: z.string(),
  source: z.enum(['auto', 'flatbed', 'adf']),
  duplex: z.boolean(),
  dpi: z.number().int().positive(),
  colourMode: ColourMode,
  pageSize: PageSize,
  blankPages: BlankPagePolicy,
  locked: z.boolean(),
  isDefault: z.boolean(),
});
export type ScanProfile = z.infer<typeof ScanProfile>;

export const Page = z.object({
  id: Id,
  batchId: Id,
  index: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mimeType: z.enum(['image/jpeg', 'image/png', 'image/tiff']),
  widthPx: z.number().int().positive(),
  heightPx: z.number().int().positive(),
  dpi: z.number().int().positive(),
  colourMode: ColourMode,
  deviceId: Id,
  capturedAt: z.string(),
});
export type Page = z.infer<typeof Page>;

export const BatchState = z.enum(['scanning', 'finished', 'cancelled', 'failed']);
export type BatchState = z.infer<typeof BatchState>;

export const Batch = z.object({
  id: Id,
  deviceId: Id,
  state: BatchState,
  pageCount: z.number().int().nonnegative(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  errorCode: z.string().nullable(),
});
export type Batch = z.infer<typeof Batch>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  transport: z.enum(['electron', 'bridge', 'direct']),
  dataDir: z.string(),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/**
 * Where a result stands on its way to the warehouse (the outbox row).
 *
 * `queued` → `token` → `uploading` → `registering` → `verifying` → `verified`;
 * `waiting` is a retry scheduled at `nextAttemptAt`; `failed` needs a person
 * (an error that cannot heal by retrying); `blocked` is never sent ("mật").
 */
export const DeliveryState = z.enum([
  'queued',
  'token',
  'uploading',
  'registering',
  'verifying',
  'waiting',
  'verified',
  'failed',
  'blocked',
]);
export type DeliveryState = z.infer<typeof DeliveryState>;

/** The next protocol step of a delivery; kept so a restart resumes where it stopped. */
export const DeliveryStep = z.enum(['upload', 'register', 'verify', 'done']);
export type DeliveryStep = z.infer<typeof DeliveryStep>;

export const OutboxItem = z.object({
  documentId: Id,
  state: DeliveryState,
  step: DeliveryStep,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  uploadedBytes: z.number().int().nonnegative(),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  source: z.string(),
  queuedAt: z.string(),
  updatedAt: z.string(),
  verifiedAt: z.string().nullable(),
  warehouseRecordId: z.string().nullable(),
  purgedAt: z.string().nullable(),
});
export type OutboxItem = z.infer<typeof OutboxItem>;

/** The delivery worker as a whole: counts per state, and why it is not sending right now. */
export const SyncStatus = z.object({
  configured: z.boolean(),
  running: z.boolean(),
  paused: z.boolean(),
  online: z.boolean().nullable(),
  inSendWindow: z.boolean(),
  nextWindowAt: z.string().nullable(),
  counts: z.record(DeliveryState, z.number().int().nonnegative()),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  current: Id.nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

/**
 * The workflow of a document (TT 01/2023 art. 7), in order. The engine's workflow module is the
 * only writer of this state; see docs/store.md for the rules of each step.
 */
export const WorkflowState = z.enum([
  'captured',
  'reviewed',
  'operator-signed',
  'extracted',
  'coded',
  'sealed',
  'queued',
  'delivered',
  'verified',
]);
export type WorkflowState = z.infer<typeof WorkflowState>;

/** Còn hiệu lực / hết hiệu lực / đã hủy. A cancelled result is kept, never deleted (NĐ 45/2020). */
export const Validity = z.enum(['valid', 'expired', 'cancelled']);
export type Validity = z.infer<typeof Validity>;

/** Papers out of the digitization scope (TT 01/2023 art. 4) besides "mật": never uploaded. */
export const OutOfScope = z.enum(['photocopy', 'national-db']);
export type OutOfScope = z.infer<typeof OutOfScope>;

export const OcrState = z.enum(['pending', 'running', 'done', 'failed', 'skipped']);
export type OcrState = z.infer<typeof OcrState>;

/** Whether `YYYY-MM-DD` names a day of the calendar (not 2023-02-29, not 2024-13-45). */
export function isIsoCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return match !== null && isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** One check, so a bad value is named once: the shape and the day together. */
const isoDate = z.string().refine(isIsoCalendarDate, 'a day of the calendar as YYYY-MM-DD');

/**
 * The metadata of a digitized result (REQUIREMENTS.md section 5) as stored: every field may be
 * empty while the clerk is still indexing; the workflow asks for the required ones at `extracted`.
 */
export const ResultMetadata = z.object({
  digitizationCode: z.string().max(200).nullable(),
  resultTypeCode: z.string().max(200).nullable(),
  ownerId: z.string().max(50).nullable(),
  ownerName: z.string().max(500).nullable(),
  documentNumber: z.string().max(60).nullable(),
  issuedDate: isoDate.nullable(),
  validUntil: isoDate.nullable(),
  permanent: z.boolean(),
  validityScope: z.string().max(200).nullable(),
  summary: z.string().max(1000).nullable(),
  issuingAgency: z.string().max(200).nullable(),
  signer: z.string().max(50).nullable(),
  dossierCode: z.string().max(50).nullable(),
  procedureCode: z.string().max(50).nullable(),
  sectorCode: z.string().max(50).nullable(),
  digitizedBy: z.string().max(200).nullable(),
  digitizedAt: z.string().nullable(),
  /** 0 a dossier component, 1 a result. */
  kind: z.union([z.literal(0), z.literal(1)]).nullable(),
  /** Fields without a column (e.g. the archive fields of TT 02/2019), NFC strings. */
  extras: z.record(z.string(), z.unknown()),
});
export type ResultMetadata = z.infer<typeof ResultMetadata>;

/** One row of a list of documents. */
export const DocumentSummary = z.object({
  id: Id,
  batchId: Id.nullable(),
  state: WorkflowState,
  validity: Validity,
  classified: z.boolean(),
  outOfScope: OutOfScope.nullable(),
  pageCount: z.number().int().nonnegative(),
  /** The capture index of its first page in the batch: the paper order of a batch's documents. */
  firstPageIndex: z.number().int().nonnegative().nullable().optional(),
  documentNumber: z.string().nullable(),
  summary: z.string().nullable(),
  pdfSha256: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  stateChangedAt: z.string(),
  purgedAt: z.string().nullable(),
});
export type DocumentSummary = z.infer<typeof DocumentSummary>;

/** A page as a document holds it: the captured page plus its place, review edits and OCR state. */
export const DocumentPage = Page.extend({
  documentId: Id.nullable(),
  position: z.number().int().nonnegative().nullable(),
  source: z.enum(['flatbed', 'adf', 'adf-duplex', 'import']).nullable(),
  bytes: z.number().int().nonnegative().nullable(),
  transforms: z.array(PageTransform),
  blank: z.boolean(),
  ocrState: OcrState,
  purgedAt: z.string().nullable(),
});
export type DocumentPage = z.infer<typeof DocumentPage>;

/** One row of the audit log as the UI shows it. */
export const AuditEntry = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const DocumentDetail = DocumentSummary.extend({
  pages: z.array(DocumentPage),
  metadata: ResultMetadata,
  /** Why the document may not be uploaded, if it may not. */
  blocked: z.enum(['classified', 'out-of-scope']).nullable(),
  /** The next workflow steps the document may take now. */
  next: z.array(WorkflowState),
  history: z.array(AuditEntry),
});
export type DocumentDetail = z.infer<typeof DocumentDetail>;

/** A text run of a search snippet, `hit` where it matched; the text keeps its diacritics. */
export const SnippetPart = z.object({ text: z.string(), hit: z.boolean() });
export type SnippetPart = z.infer<typeof SnippetPart>;

export const SearchHit = z.object({
  document: DocumentSummary,
  /** Lower is better (bm25). */
  score: z.number(),
  field: z.enum(['text', 'metadata']),
  snippet: z.array(SnippetPart),
});
export type SearchHit = z.infer<typeof SearchHit>;

/** A document in the queue view: its workflow state beside its delivery state (the outbox row, once queued). */
export const QueueItem = DocumentSummary.extend({
  blocked: z.enum(['classified', 'out-of-scope']).nullable(),
  delivery: OutboxItem.nullable(),
});
export type QueueItem = z.infer<typeof QueueItem>;

/** Where a suggested metadata value was read: the OCR text of a page or a QR code printed on it. */
export const SuggestionSource = z.enum(['ocr', 'qr']);
export type SuggestionSource = z.infer<typeof SuggestionSource>;

/** One value the station proposes for an index field; the clerk accepts or overwrites it. */
export const MetadataSuggestion = z.object({
  field: z.enum([
    'documentNumber',
    'issuedDate',
    'issuingAgency',
    'summary',
    'signer',
    'ownerId',
    'ownerName',
    'dossierCode',
    'procedureCode',
    'resultTypeCode',
  ]),
  /** NFC; dates as YYYY-MM-DD like ResultMetadata. */
  value: z.string(),
  source: SuggestionSource,
  /** The page it was read on. */
  pageId: Id,
});
export type MetadataSuggestion = z.infer<typeof MetadataSuggestion>;

/** A QR code found on a page, as decoded (NFC text). */
export const QrFinding = z.object({ pageId: Id, text: z.string() });
export type QrFinding = z.infer<typeof QrFinding>;
