import { createRequire } from 'node:module';
import type * as NapiCanvasModule from '@napi-rs/canvas';
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';

type NapiCanvas = typeof NapiCanvasModule;
let canvasModule: NapiCanvas | undefined;

/** @napi-rs/canvas is a native module: required at run time so bundles load it from node_modules. */
function napiCanvas(): NapiCanvas {
  canvasModule ??= createRequire(import.meta.url)('@napi-rs/canvas') as NapiCanvas;
  return canvasModule;
}

/** One PDF page rendered to an image. */
export interface RasterPage {
  /** PNG bytes. */
  png: Buffer;
  widthPx: number;
  heightPx: number;
  dpi: number;
}

type PdfJs = typeof PdfJsModule;
let pdfjsLoaded: Promise<PdfJs> | undefined;

/**
 * Loads pdf.js for Node once. Its worker module is imported here and handed over as
 * `globalThis.pdfjsWorker`, so pdf.js runs its "fake worker" in-process without looking for a
 * worker file next to itself (which a bundle would not have).
 */
function loadPdfJs(): Promise<PdfJs> {
  pdfjsLoaded ??= (async () => {
    const worker = (await import('pdfjs-dist/legacy/build/pdf.worker.mjs')) as unknown;
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    return import('pdfjs-dist/legacy/build/pdf.mjs');
  })();
  return pdfjsLoaded;
}

/**
 * Renders every page of a PDF at `dpi` (pdf.js with @napi-rs/canvas), white background.
 *
 * Scanned PDFs are images already; rendering at the resolution they were scanned at keeps their
 * detail, and the same path serves PDFs with vector text. Throws a clear error on a damaged file.
 */
export async function rasterizePdf(data: Uint8Array, dpi: number, signal?: AbortSignal): Promise<RasterPage[]> {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    data: new Uint8Array(data),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: 0,
  });
  const document = await task.promise;
  try {
    const pages: RasterPage[] = [];
    for (let number = 1; number <= document.numPages; number += 1) {
      if (signal?.aborted === true) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
      const page = await document.getPage(number);
      const viewport = page.getViewport({ scale: dpi / 72 });
      const widthPx = Math.max(1, Math.round(viewport.width));
      const heightPx = Math.max(1, Math.round(viewport.height));
      const canvas = napiCanvas().createCanvas(widthPx, heightPx);
      const context = canvas.getContext('2d');
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, widthPx, heightPx);
      await page.render({ canvas: canvas as never, canvasContext: context as never, viewport }).promise;
      pages.push({ png: await canvas.encode('png'), widthPx, heightPx, dpi });
      page.cleanup();
    }
    return pages;
  } finally {
    await document.destroy();
  }
}
