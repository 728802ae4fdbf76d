import type { DocumentDetail, ResultMetadata } from '../../../shared/domain.js';
import type { FieldIssue } from '../../../shared/errors.js';
import { StationError, isStationError } from '../../../shared/errors.js';
import { checkDossierCode } from '../../../shared/metadata-validation.js';
import type { Settings } from '../../../shared/settings.js';
import type { PageTransform } from '../../../shared/transforms.js';
import type { Clock } from '../clock.js';
import type { ImagingPool } from '../imaging/imaging-pool.js';
import type { Logger } from '../logging/logger.js';
import { placeOcrOnPage } from '../pdf/ocr-placement.js';
import type { PdfPageInput } from '../pdf/pdfa-writer.js';
import { buildPdfA } from '../pdf/pdfa-writer.js';
import type { ResultXmpMetadata } from '../pdf/xmp.js';
import type { Store } from '../store/store.js';
import { stationVersion } from '../version.js';
import { proposeDigitizationCode } from './digitization-code.js';
import { outputTransforms } from './page-images.js';
import { metadataEditableStates } from './transitions.js';

/**
 * The clerk's "Hoàn tất": every remaining step of a document, from where it stands, through
 * review, operator signature, extraction, code, PDF/A and seal to the delivery queue.
 *
 * Each step is the workflow's own, so each commits with its audit row; the first refusal stops
 * the walk and the steps already taken stay. The PDF/A carries the pages in order with the
 * clerk's edits, the stored OCR text as its text layer and the metadata in its XMP.
 */
export interface DocumentFinisherOptions {
  store: Store;
  imaging: ImagingPool;
  settings: () => Settings;
  clock: Clock;
  logger: Logger;
  /** Queues through delivery, so the workflow step and the outbox row commit together. */
  queue: (documentId: string, actor: string) => unknown;
}

/** What would make the warehouse or the archive refuse the metadata, found before anything is built. */
export function metadataIssues(metadata: ResultMetadata, today: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const blank = (value: string | null): boolean => value === null || value.trim() === '';
  if (blank(metadata.documentNumber)) issues.push({ path: 'metadata.documentNumber', message: 'required' });
  if (blank(metadata.issuedDate)) issues.push({ path: 'metadata.issuedDate', message: 'required' });
  else if (metadata.issuedDate !== null && metadata.issuedDate > today) {
    issues.push({ path: 'metadata.issuedDate', message: 'after today' });
  }
  if (
    metadata.validUntil !== null &&
    metadata.issuedDate !== null &&
    metadata.validUntil !== '' &&
    metadata.validUntil < metadata.issuedDate
  ) {
    issues.push({ path: 'metadata.validUntil', message: 'before the issue date' });
  }
  if (
    metadata.dossierCode !== null &&
    !blank(metadata.dossierCode) &&
    checkDossierCode(metadata.dossierCode) !== null
  ) {
    issues.push({ path: 'metadata.dossierCode', message: 'not <agency id>-YYMMDD-NNNN' });
  }
  return issues;
}

function xmpOf(detail: DocumentDetail, stationId: string): ResultXmpMetadata {
  const { metadata } = detail;
  const { extras: _extras, ...fields } = metadata;
  return {
    ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== '')),
    status: detail.validity,
    stationId,
  };
}

/** Local time with its offset ("2026-03-02T09:15:30+07:00"), the form the warehouse record carries. */
function localTimestamp(at: Date): string {
  const offset = -at.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const pad = (value: number): string => String(Math.abs(value)).padStart(2, '0');
  const local = new Date(at.getTime() + offset * 60_000).toISOString().slice(0, 19);
  return `${local}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

export interface DocumentFinisher {
  finish(documentId: string, actor: string): Promise<DocumentDetail>;
  /** The PDF/A of a coded document (pages, text layer, XMP); nothing is stored. */
  buildPdf(detail: DocumentDetail): Promise<Uint8Array>;
}

export function createDocumentFinisher(options: DocumentFinisherOptions): DocumentFinisher {
  const { store, imaging } = options;
  const { workflow } = store;
  const log = options.logger.child('finish');
  /** One finish per document at a time: a second click waits for the first. */
  const running = new Map<string, Promise<DocumentDetail>>();

  async function buildPdf(detail: DocumentDetail): Promise<Uint8Array> {
    const settings = options.settings();
    const pages = detail.pages.filter((page) => !(page.blank && settings.output.blankPages === 'drop'));
    if (pages.length === 0) {
      throw new StationError('pdf/empty-document', 'every page of the document is blank and blank pages are left out');
    }
    const pdfPages: PdfPageInput[] = [];
    // One page after another: the imaging pool is shared with capture, and memory stays bounded.
    for (const page of pages) {
      const image = await store.files.read(page.sha256);
      const ocr = store.ocr.get(page.id);
      const text = ocr === undefined || ocr.text.trim() === '' ? undefined : ocr;
      const clean = (transforms: PageTransform[] | undefined) =>
        imaging.clean(image, {
          dpi: page.dpi,
          transforms,
          colourPolicy: settings.output.colourPolicy,
          jpegQuality: settings.output.jpegQuality,
        });
      const clerks = outputTransforms(page);
      let { analysis, page: rendered } = await clean(clerks);
      let transforms = clerks ?? analysis.transforms;
      const turn = text === undefined ? 0 : (text.orientation - analysis.orientation + 360) % 360;
      if (clerks === undefined && turn !== 0) {
        // OCR read the page another way up than the imaging measured; the text is the better
        // evidence, so the page turns to match it (the clerk's own turn always wins).
        transforms = [...transforms, { kind: 'rotate', degrees: turn as 90 | 180 | 270 }];
        ({ analysis, page: rendered } = await clean(transforms));
      }
      const placed = text === undefined ? undefined : placeOcrOnPage(text, transforms, rendered.width, rendered.height);
      pdfPages.push({
        image:
          rendered.encoding === 'jpeg'
            ? { encoding: 'jpeg', data: rendered.data, components: rendered.components }
            : { encoding: 'bilevel', data: rendered.data },
        widthPx: rendered.width,
        heightPx: rendered.height,
        dpi: analysis.dpi,
        ocr: placed?.ocr,
        ocrTurn: placed?.turn,
      });
    }
    const { metadata } = detail;
    return buildPdfA({
      pages: pdfPages,
      title: metadata.summary ?? metadata.documentNumber ?? detail.id,
      subject: metadata.summary ?? undefined,
      author: metadata.issuingAgency ?? undefined,
      creatorTool: `SoHoa Station ${stationVersion}`,
      createdAt: options.clock.now(),
      result: { ...xmpOf(detail, settings.station.id), pages: pdfPages.length },
    });
  }

  /** Names the step in the refusal, so the clerk reads which step stopped and why. */
  function refused(step: string, error: unknown): never {
    if (isStationError(error)) {
      throw new StationError(error.code, `${step}: ${error.message}`, error.fields);
    }
    throw error;
  }

  async function walk(documentId: string, actor: string): Promise<DocumentDetail> {
    let detail = workflow.detail(documentId);
    if (metadataEditableStates.has(detail.state)) {
      const { digitizedBy, digitizedAt } = detail.metadata;
      const patch: Partial<ResultMetadata> = {};
      if (digitizedBy === null || digitizedBy.trim() === '') patch.digitizedBy = actor;
      if (digitizedAt === null || digitizedAt.trim() === '') patch.digitizedAt = localTimestamp(options.clock.now());
      if (Object.keys(patch).length > 0) workflow.updateMetadata(documentId, patch, actor);
    }
    if (detail.state === 'captured') {
      try {
        workflow.review(documentId, actor);
      } catch (error) {
        refused('Review', error);
      }
    }
    detail = workflow.detail(documentId);
    if (detail.state === 'reviewed') {
      try {
        workflow.signByOperator(documentId, actor);
      } catch (error) {
        refused('Operator signature', error);
      }
    }
    detail = workflow.detail(documentId);
    if (detail.state === 'operator-signed') {
      const waiting = detail.pages.filter((page) => page.ocrState === 'pending' || page.ocrState === 'running');
      const issues = metadataIssues(detail.metadata, localTimestamp(options.clock.now()).slice(0, 10));
      if (waiting.length > 0 || issues.length > 0) {
        throw new StationError(
          'workflow/not-ready',
          `Extraction: ${[
            waiting.length > 0
              ? `${waiting.length} page(s) still waiting for OCR, finish again when they are read`
              : '',
            issues.length > 0
              ? `the metadata needs ${issues.map((issue) => `${issue.path.replace('metadata.', '')} (${issue.message})`).join(', ')}`
              : '',
          ]
            .filter(Boolean)
            .join('; ')}`,
          issues,
        );
      }
      try {
        workflow.extract(documentId, actor);
      } catch (error) {
        refused('Extraction', error);
      }
    }
    detail = workflow.detail(documentId);
    if (detail.state === 'extracted') {
      try {
        const code =
          detail.metadata.digitizationCode === null || detail.metadata.digitizationCode.trim() === ''
            ? proposeDigitizationCode(store.db, documentId, detail.metadata)
            : undefined;
        workflow.assignCode(documentId, actor, code);
      } catch (error) {
        refused('Digitization code', error);
      }
    }
    detail = workflow.detail(documentId);
    if (detail.state === 'coded') {
      let pdfSha256: string;
      try {
        const started = Date.now();
        const pdf = await buildPdf(detail);
        pdfSha256 = await store.files.put(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength));
        log.info('PDF/A built', {
          documentId,
          pages: detail.pages.length,
          bytes: pdf.length,
          ms: Date.now() - started,
        });
      } catch (error) {
        refused('PDF/A', error);
      }
      try {
        workflow.seal(documentId, actor, { pdfSha256 });
      } catch (error) {
        refused('Seal', error);
      }
    }
    detail = workflow.detail(documentId);
    if (detail.state === 'sealed') {
      try {
        options.queue(documentId, actor);
      } catch (error) {
        refused('Delivery queue', error);
      }
    }
    return workflow.detail(documentId);
  }

  return {
    buildPdf,
    finish(documentId, actor) {
      const current = running.get(documentId);
      if (current !== undefined) return current;
      const done = walk(documentId, actor).finally(() => running.delete(documentId));
      running.set(documentId, done);
      return done;
    },
  };
}
