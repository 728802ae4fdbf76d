import { createHash } from 'node:crypto';
import type { ColourMode } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import type { OcrEngine, OcrResult } from '../../../shared/ocr.js';
import type { PageTransform } from '../../../shared/transforms.js';
import type { ImagingPool } from '../imaging/imaging-pool.js';
import type { ColourPolicy, PageAnalysis, RenderedPage } from '../imaging/page-cleaner.js';
import type { PdfPageInput } from './pdfa-writer.js';
import { buildPdfA } from './pdfa-writer.js';
import type { ResultXmpMetadata } from './xmp.js';

/** One page image of a document to build. */
export interface SourcePage {
  image: Uint8Array;
  /** Where it came from, for the report (file name, `file.pdf#3`). */
  source: string;
  /** Known resolution (a rasterised PDF page); the file's own density otherwise. */
  dpi?: number | undefined;
  /** The review's edits; the measured suggestion when absent. */
  transforms?: PageTransform[] | undefined;
}

export interface DocumentPipelineOptions {
  imaging: ImagingPool;
  /** No text layer when absent. */
  ocr?: OcrEngine | undefined;
  languages: string;
  colourPolicy: ColourPolicy;
  jpegQuality: number;
  /** Blank pages: kept as pages (and not OCR'd), or left out of the PDF. */
  blankPages: 'keep' | 'drop';
  title: string;
  creatorTool: string;
  createdAt: Date;
  result?: ResultXmpMetadata | undefined;
  signal?: AbortSignal | undefined;
}

/** What happened to one page, for the `.json` report. */
export interface PageReport {
  source: string;
  /** Position in the PDF (0-based); null when the page was left out. */
  pdfIndex: number | null;
  blank: boolean;
  analysis: Omit<PageAnalysis, 'transforms'>;
  transforms: PageTransform[];
  output: {
    mode: ColourMode;
    encoding: RenderedPage['encoding'];
    widthPx: number;
    heightPx: number;
    dpi: number;
    bytes: number;
  };
  ocr: { engine: string; confidence: number; words: number; characters: number } | null;
  timings: { imagingMs: number; ocrMs: number };
}

export interface BuiltDocument {
  pdf: Uint8Array;
  /** The text of every page in the PDF, pages separated by a form feed, as pdftotext separates them. */
  text: string;
  /** Each PDF page's OCR, in PDF order (null for a page without text layer). */
  ocr: (OcrResult | null)[];
  pages: PageReport[];
  sha256: string;
}

function abortIfNeeded(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
}

/**
 * One document from page images to PDF/A: every page cleaned in the imaging pool, OCR'd on the
 * cleaned upright image (so the words' boxes are in the pixels the PDF shows), then written as
 * PDF/A-2b with the invisible text layer. Pages run concurrently; the pools bound the parallelism.
 */
export async function buildDocument(pages: SourcePage[], options: DocumentPipelineOptions): Promise<BuiltDocument> {
  const { imaging, ocr, signal } = options;
  const processed = await Promise.all(
    pages.map(async (page) => {
      abortIfNeeded(signal);
      const imagingStarted = Date.now();
      let { analysis, page: rendered } = await imaging.clean(
        page.image,
        {
          dpi: page.dpi,
          transforms: page.transforms,
          colourPolicy: options.colourPolicy,
          jpegQuality: options.jpegQuality,
          ocrImage: ocr !== undefined,
        },
        signal,
      );
      let transforms = page.transforms ?? analysis.transforms;
      const imagingMs = Date.now() - imagingStarted;
      let result: OcrResult | null = null;
      const ocrStarted = Date.now();
      if (ocr !== undefined && !analysis.blank && rendered.ocrImage !== undefined) {
        result = await ocr.recognize({
          image: rendered.ocrImage,
          languages: options.languages,
          detectOrientation: false,
          dpi: analysis.dpi,
          ...(signal === undefined ? {} : { signal }),
        });
        if (result.orientation !== 0) {
          // OCR read the page another way up than the imaging measured: turn the page to match the
          // words' boxes, which are in OCR's upright frame.
          transforms = [...transforms, { kind: 'rotate', degrees: result.orientation }];
          ({ analysis, page: rendered } = await imaging.clean(
            page.image,
            {
              dpi: page.dpi,
              transforms,
              colourPolicy: options.colourPolicy,
              jpegQuality: options.jpegQuality,
            },
            signal,
          ));
        }
      }
      return { page, analysis, rendered, transforms, result, imagingMs, ocrMs: Date.now() - ocrStarted };
    }),
  );
  abortIfNeeded(signal);

  const pdfPages: PdfPageInput[] = [];
  const reports: PageReport[] = [];
  const ocrResults: (OcrResult | null)[] = [];
  for (const { page, analysis, rendered, transforms, result, imagingMs, ocrMs } of processed) {
    const dropped = analysis.blank && options.blankPages === 'drop';
    const { transforms: _suggested, ...measured } = analysis;
    reports.push({
      source: page.source,
      pdfIndex: dropped ? null : pdfPages.length,
      blank: analysis.blank,
      analysis: measured,
      transforms,
      output: {
        mode: rendered.encoding === 'bilevel' ? 'lineart' : rendered.components === 3 ? 'color' : 'gray',
        encoding: rendered.encoding,
        widthPx: rendered.width,
        heightPx: rendered.height,
        dpi: analysis.dpi,
        bytes: rendered.data.length,
      },
      ocr:
        result === null
          ? null
          : {
              engine: result.engine,
              confidence: result.confidence,
              words: result.lines.reduce((sum, line) => sum + line.words.length, 0),
              characters: result.text.length,
            },
      timings: { imagingMs, ocrMs },
    });
    if (dropped) continue;
    const image: PdfPageInput['image'] =
      rendered.encoding === 'jpeg'
        ? { encoding: 'jpeg', data: rendered.data, components: rendered.components }
        : { encoding: 'bilevel', data: rendered.data };
    pdfPages.push({
      image,
      widthPx: rendered.width,
      heightPx: rendered.height,
      dpi: analysis.dpi,
      ocr: result ?? undefined,
    });
    ocrResults.push(result);
  }
  if (pdfPages.length === 0) {
    throw new StationError('pdf/empty-document', 'every page of the document is blank and blank pages are left out');
  }
  const pdf = await buildPdfA({
    pages: pdfPages,
    title: options.title,
    creatorTool: options.creatorTool,
    createdAt: options.createdAt,
    result: { pages: pdfPages.length, ...options.result },
  });
  return {
    pdf,
    text: ocrResults.map((result) => result?.text ?? '').join('\f'),
    ocr: ocrResults,
    pages: reports,
    sha256: createHash('sha256').update(pdf).digest('hex'),
  };
}
