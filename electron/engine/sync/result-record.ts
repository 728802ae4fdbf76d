import { z } from 'zod';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex SHA-256');
const text = (max: number) => z.string().max(max);
/** ISO 8601 date-time with an offset, e.g. `2026-03-02T09:15:30+07:00`. */
const dateTime = z.iso.datetime({ offset: true });

/**
 * The metadata of one digitized result, as the warehouse receives it (REQUIREMENTS.md §5).
 *
 * Every string is Unicode NFC. `documentId` is the station's id of the result and the
 * idempotency key of its registration; `sha256`/`bytes` describe the uploaded PDF.
 */
export const ResultRecord = z
  .object({
    documentId: z.string().min(1).max(100).describe('id of the result at the station; the idempotency key'),
    stationId: text(64).describe('the sending workstation (setting station.id)'),
    agencyId: text(35).describe('agency identifier, QĐ 20/2020 (mã định danh cơ quan)'),
    digitizationCode: text(200).optional().describe('mã kết quả số hóa, TT 01/2023 art. 10'),
    resultTypeCode: text(200).optional().describe('mã loại kết quả (national TTHC database)'),
    ownerId: text(50).optional().describe('số định danh of the holder'),
    ownerName: text(500).optional().describe('tên chủ giấy tờ'),
    documentNumber: z.string().min(1).max(60).describe('số, ký hiệu giấy tờ, e.g. 123/GCN-SKHCN'),
    issuedDate: z.iso.date().describe('ngày ban hành (YYYY-MM-DD)'),
    validUntil: z.iso.date().optional().describe('thời hạn hiệu lực (YYYY-MM-DD)'),
    permanent: z.boolean().optional().describe('valid without end (vĩnh viễn)'),
    validityScope: text(200).optional().describe('phạm vi hiệu lực'),
    summary: text(1000).optional().describe('trích yếu nội dung'),
    issuingAgency: text(200).optional().describe('cơ quan ban hành'),
    signer: text(50).optional().describe('người ký'),
    dossierCode: text(50).optional().describe('mã hồ sơ, TT 01/2018 art. 19'),
    procedureCode: text(50).optional().describe('mã thủ tục hành chính'),
    sectorCode: text(50).optional().describe('mã lĩnh vực'),
    digitizedBy: text(200).optional().describe('người số hóa'),
    digitizedAt: dateTime.optional().describe('thời điểm số hóa, ISO 8601 with offset'),
    kind: z.union([z.literal(0), z.literal(1)]).describe('0 dossier component, 1 result'),
    status: z.enum(['valid', 'expired', 'cancelled']).describe('còn hiệu lực / hết hiệu lực / đã hủy'),
    pages: z.number().int().min(1).describe('page count of the PDF'),
    bytes: z.number().int().min(1).describe('size of the PDF in bytes'),
    sha256: sha256Hex.describe('SHA-256 of the PDF, lower-case hex'),
    ocrText: z.string().max(2_000_000).optional().describe('OCR text of every page (NFC)'),
    fileName: text(255).describe('file name of the PDF'),
    mimeType: z.literal('application/pdf').describe('always application/pdf'),
  })
  .strict();
export type ResultRecord = z.infer<typeof ResultRecord>;

/** The body of `POST /api/v1/records`: the record plus the tus upload that holds its file. */
export const RecordRegistration = ResultRecord.extend({
  upload: z.url().describe('the tus upload URL (Location of the creation) that holds the PDF'),
}).strict();
export type RecordRegistration = z.infer<typeof RecordRegistration>;

/** What the warehouse answers for a record: what it holds, with the SHA-256 it computed itself. */
export const WarehouseRecord = z.object({
  id: z.string().min(1),
  documentId: z.string().min(1),
  sha256: sha256Hex,
  bytes: z.number().int().nonnegative(),
  receivedAt: dateTime,
  record: ResultRecord,
});
export type WarehouseRecord = z.infer<typeof WarehouseRecord>;

/** The error body of every warehouse API answer other than 2xx. */
export const WarehouseErrorBody = z.object({
  error: z.string(),
  message: z.string().optional(),
  fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type WarehouseErrorBody = z.infer<typeof WarehouseErrorBody>;

/** Every string inside a JSON value in Unicode NFC, so Vietnamese diacritics compare and search alike everywhere. */
export function toNfc<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (Array.isArray(value)) return value.map((item: unknown) => toNfc(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toNfc(item)])) as T;
  }
  return value;
}

/** Whether every string inside a JSON value is already NFC (the warehouse refuses anything else). */
export function isNfc(value: unknown): boolean {
  if (typeof value === 'string') return value === value.normalize('NFC');
  if (Array.isArray(value)) return value.every(isNfc);
  if (value !== null && typeof value === 'object') return Object.values(value).every(isNfc);
  return true;
}

/** The JSON Schema (2020-12) of the registration body, published in docs/warehouse-protocol.md. */
export function registrationJsonSchema(): unknown {
  return z.toJSONSchema(RecordRegistration);
}
