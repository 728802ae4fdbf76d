import type * as NapiCanvasModule from '@napi-rs/canvas';
import { createRequire } from 'node:module';
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';
import { StationError } from '../../../shared/errors.js';

type NapiCanvas = typeof NapiCanvasModule;
type PdfJs = typeof PdfJsModule;

let canvasModule: NapiCanvas | undefined;
let pdfjsLoaded: Promise<PdfJs> | undefined;

/** @napi-rs/canvas is native: required at run time so the CLI bundle loads it from node_modules. */
function napiCanvas(): NapiCanvas {
  canvasModule ??= createRequire(import.meta.url)('@napi-rs/canvas') as NapiCanvas;
  return canvasModule;
}

/** pdf.js for Node, its worker run in-process ("fake worker") so no worker file has to sit beside the bundle. */
function loadPdfJs(): Promise<PdfJs> {
  pdfjsLoaded ??= (async () => {
    const worker = (await import('pdfjs-dist/legacy/build/pdf.worker.mjs')) as unknown;
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    return import('pdfjs-dist/legacy/build/pdf.mjs');
  })();
  return pdfjsLoaded;
}

/** A PDF opened for import: its page count, whether it carries a digital signature, and its pages one by one. */
export interface OpenedPdf {
  pageCount: number;
  signed: boolean;
  /** Renders page `number` (1-based) at `dpi`, white background, as RGBA in a canvas, encoded by `encode`. */
  render(number: number, dpi: number): Promise<{ rgba: Buffer; widthPx: number; heightPx: number }>;
  close(): Promise<void>;
}

/** A PDF signature leaves a signature dictionary (`/Type /Sig`, its `/ByteRange`) or a signature field (`/FT /Sig`). */
const signatureMarks = [/\/ByteRange\s*\[/, /\/FT\s*\/Sig\b/, /\/Type\s*\/Sig\b/];

/**
 * Whether a PDF carries a digital signature, from its bytes.
 *
 * A signature dictionary cannot sit in a compressed object stream (its
 * `/Contents` is excluded from the signed bytes by offset), so looking at the
 * raw bytes finds every signed PDF; pdf.js's form fields confirm it when the
 * bytes alone do not say.
 */
export function hasSignatureMarks(data: Uint8Array): boolean {
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
  return signatureMarks.some((mark) => mark.test(text));
}

/** Whether the file ends like a whole PDF (`%%EOF` near the end): one still being written does not. */
export function hasPdfEnding(data: Uint8Array): boolean {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return buffer
    .subarray(Math.max(0, buffer.length - 2048))
    .toString('latin1')
    .includes('%%EOF');
}

/** Opens a PDF with pdf.js; a damaged file is `import/corrupt-file`, a password-protected one `import/encrypted`. */
export async function openPdf(data: Uint8Array, name: string): Promise<OpenedPdf> {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    data: new Uint8Array(data),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    stopAtErrors: true,
    verbosity: 0,
  });
  let document: Awaited<typeof task.promise>;
  try {
    document = await task.promise;
  } catch (error) {
    const kind = (error as { name?: string }).name;
    if (kind === 'PasswordException')
      throw new StationError('import/encrypted', `${name}: the PDF is password-protected`);
    throw new StationError('import/corrupt-file', `${name}: not a readable PDF (${(error as Error).message})`);
  }
  let signed = hasSignatureMarks(data);
  if (!signed) {
    const fields = await document.getFieldObjects().catch((): null => null);
    signed = Object.values(fields ?? {}).some((entries) =>
      entries.some((field) => Reflect.get(field, 'type') === 'signature'),
    );
  }
  return {
    pageCount: document.numPages,
    signed,
    async render(number, dpi) {
      try {
        const page = await document.getPage(number);
        const viewport = page.getViewport({ scale: dpi / 72 });
        const widthPx = Math.max(1, Math.round(viewport.width));
        const heightPx = Math.max(1, Math.round(viewport.height));
        const canvas = napiCanvas().createCanvas(widthPx, heightPx);
        const context = canvas.getContext('2d');
        context.fillStyle = '#ffffff';
        context.fillRect(0, 0, widthPx, heightPx);
        await page.render({ canvas: canvas as never, canvasContext: context as never, viewport }).promise;
        const rgba = Buffer.from(context.getImageData(0, 0, widthPx, heightPx).data.buffer);
        page.cleanup();
        return { rgba, widthPx, heightPx };
      } catch (error) {
        if (error instanceof StationError) throw error;
        throw new StationError(
          'import/corrupt-file',
          `${name}: page ${number} cannot be drawn (${(error as Error).message})`,
        );
      }
    },
    async close() {
      await document.destroy();
    },
  };
}
