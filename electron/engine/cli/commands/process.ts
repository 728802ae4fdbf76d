import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { ErrorCode } from '../../../../shared/errors.js';
import { StationError, isStationError } from '../../../../shared/errors.js';
import type { OcrEngine } from '../../../../shared/ocr.js';
import { createImagingPool } from '../../imaging/imaging-pool.js';
import type { ColourPolicy } from '../../imaging/page-cleaner.js';
import type { SourcePage } from '../../pdf/document-pipeline.js';
import { buildDocument } from '../../pdf/document-pipeline.js';
import { rasterizePdf } from '../../pdf/pdf-rasterizer.js';
import { stationVersion } from '../../version.js';
import type { CliCommand, CommandContext } from '../command.js';
import { UsageError, integerOption, print } from '../command.js';

const imageExtensions = new Set(['.jpg', '.jpeg', '.png', '.tif', '.tiff']);
const pdfExtensions = new Set(['.pdf']);

/** Resolution PDF pages are rendered at when --dpi is not given. */
const defaultPdfDpi = 300;

/** One input document and where its outputs go. */
interface InputDocument {
  file: string;
  /** Output base name (without extension). */
  name: string;
}

/** Every document the arguments name: a file is one document; a folder gives one per supported file inside it. */
function collectInputs(args: string[]): {
  documents: InputDocument[];
  problems: { file: string; code: ErrorCode; message: string }[];
} {
  const files: string[] = [];
  const problems: { file: string; code: ErrorCode; message: string }[] = [];
  for (const arg of args) {
    const full = path.resolve(arg);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      problems.push({ file: full, code: 'import/file-not-found', message: 'no such file or folder' });
      continue;
    }
    if (stat.isDirectory()) {
      const inside = fs
        .readdirSync(full)
        .filter((entry) => {
          const extension = path.extname(entry).toLowerCase();
          return imageExtensions.has(extension) || pdfExtensions.has(extension);
        })
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
        .map((entry) => path.join(full, entry));
      if (inside.length === 0) {
        problems.push({
          file: full,
          code: 'import/unsupported-format',
          message: 'the folder holds no image or PDF file',
        });
      }
      files.push(...inside);
    } else {
      files.push(full);
    }
  }
  const stems = new Map<string, number>();
  for (const file of files) {
    const stem = path.basename(file, path.extname(file));
    stems.set(stem, (stems.get(stem) ?? 0) + 1);
  }
  const documents = files.map((file) => {
    const stem = path.basename(file, path.extname(file));
    // a.png and a.jpg side by side keep their extension in the output name, so neither overwrites the other.
    return { file, name: (stems.get(stem) ?? 0) > 1 ? path.basename(file) : stem };
  });
  return { documents, problems };
}

/** The page images of one input file: the image itself, each page of a multi-page TIFF, or each PDF page rendered. */
async function loadPages(file: string, pdfDpi: number, signal: AbortSignal): Promise<SourcePage[]> {
  const extension = path.extname(file).toLowerCase();
  const data = fs.readFileSync(file);
  const label = path.basename(file);
  if (pdfExtensions.has(extension) || data.subarray(0, 5).toString('latin1') === '%PDF-') {
    const pages = await rasterizePdf(data, pdfDpi, label, signal);
    return pages.map((page, index) => ({ image: page.png, dpi: page.dpi, source: `${label}#${index + 1}` }));
  }
  let metadata;
  try {
    metadata = await sharp(data).metadata();
  } catch (error) {
    throw new StationError('import/corrupt-file', `${label} is not a readable image: ${(error as Error).message}`);
  }
  const count = metadata.pages ?? 1;
  if (count <= 1) return [{ image: data, source: label }];
  const pages: SourcePage[] = [];
  for (let page = 0; page < count; page += 1) {
    const density = metadata.density !== undefined && metadata.density >= 50 ? Math.round(metadata.density) : undefined;
    pages.push({
      image: await sharp(data, { page }).png({ compressionLevel: 1 }).toBuffer(),
      dpi: density,
      source: `${label}#${page + 1}`,
    });
  }
  return pages;
}

/** Writes a file by temporary name and rename, so a stopped run never leaves a half-written output. */
function writeAtomically(file: string, data: string | Uint8Array): void {
  const temporary = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(temporary, data);
  fs.renameSync(temporary, file);
}

/**
 * The OCR engine `process` uses: the engine's Node tesseract.js pool (electron/engine/ocr/), with the
 * `ocr.*` settings in force. Without its bundled assets `process` still writes the PDFs, without a
 * text layer, and says why.
 */
function processOcr(context: CommandContext): { ocr?: OcrEngine; problem?: string } {
  try {
    return { ocr: context.engine.ocr.engine() };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

function choice<T extends string>(value: unknown, name: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** `sohoa process FILE|DIR… --out DIR`: images or PDFs → cleaned → OCR → PDF/A-2b plus `.txt` and `.json` per document. */
export const processCommand: CliCommand = {
  name: 'process',
  usage: 'process FILE|DIR… --out DIR',
  summary: 'clean, OCR and write a searchable PDF/A (+ .txt, .json) per input document',
  options: {
    out: { type: 'string' },
    dpi: { type: 'string' },
    lang: { type: 'string' },
    quality: { type: 'string' },
    colour: { type: 'string' },
    blank: { type: 'string' },
    jobs: { type: 'string' },
    'no-ocr': { type: 'boolean' },
  },
  async run(context) {
    const { io, json, values, logger } = context;
    const out = values.out;
    if (typeof out !== 'string' || out === '') throw new UsageError('process needs --out DIR');
    if (context.args.length === 0) throw new UsageError('process needs at least one FILE or DIR');
    const settings = context.engine.settings.current().values;
    const pdfDpi = integerOption(values.dpi, 'dpi', 50, 1200) ?? defaultPdfDpi;
    const jpegQuality = integerOption(values.quality, 'quality', 20, 100) ?? settings.output.jpegQuality;
    const jobs =
      integerOption(values.jobs, 'jobs', 1, 64) ?? (settings.output.imagingWorkers || os.availableParallelism());
    const colourPolicy: ColourPolicy = choice(
      values.colour,
      'colour',
      ['keep', 'measured'] as const,
      settings.output.colourPolicy,
    );
    const blankPages = choice(values.blank, 'blank', ['keep', 'drop'] as const, settings.output.blankPages);
    const languages = typeof values.lang === 'string' ? values.lang : settings.ocr.languages;
    if (!/^[a-z]{3}(\+[a-z]{3})*$/.test(languages))
      throw new UsageError(`--lang must look like vie+eng, not ${languages}`);

    const { documents, problems } = collectInputs(context.args);
    const outDir = path.resolve(out);
    fs.mkdirSync(outDir, { recursive: true });
    const controller = new AbortController();
    void io.untilStopped().then(() => controller.abort());
    const imaging = createImagingPool({ size: jobs });
    const { ocr, problem: ocrProblem } =
      values['no-ocr'] === true ? { ocr: undefined, problem: '--no-ocr' } : processOcr(context);
    if (ocr === undefined && !json) io.stderr.write(`sohoa: no OCR (${ocrProblem}), so the PDFs have no text layer\n`);
    const reports: Record<string, unknown>[] = problems.map((problem) => ({
      ok: false,
      input: problem.file,
      error: { code: problem.code, message: problem.message },
    }));
    const creatorTool = `SoHoa Station ${stationVersion}`;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < documents.length && !controller.signal.aborted) {
        const document = documents[next];
        next += 1;
        if (document === undefined) break;
        const started = Date.now();
        const pdfFile = path.join(outDir, `${document.name}.pdf`);
        try {
          const pages = await loadPages(document.file, pdfDpi, controller.signal);
          const built = await buildDocument(pages, {
            imaging,
            ocr,
            languages,
            colourPolicy,
            jpegQuality,
            blankPages,
            title: document.name,
            creatorTool,
            createdAt: new Date(),
            signal: controller.signal,
          });
          const report = {
            ok: true,
            input: document.file,
            pdf: pdfFile,
            txt: path.join(outDir, `${document.name}.txt`),
            json: path.join(outDir, `${document.name}.json`),
            pages: built.pages.filter((page) => page.pdfIndex !== null).length,
            blankPages: built.pages.filter((page) => page.blank).length,
            bytes: built.pdf.length,
            sha256: built.sha256,
            ocr: ocr !== undefined,
            seconds: (Date.now() - started) / 1000,
          };
          writeAtomically(report.txt, built.text);
          writeAtomically(report.json, `${JSON.stringify({ ...report, pageReports: built.pages }, null, 2)}\n`);
          writeAtomically(pdfFile, built.pdf);
          reports.push(report);
          if (!json) {
            io.stderr.write(
              `${path.basename(document.file)} → ${path.basename(pdfFile)}: ${report.pages} page(s), ${(report.bytes / 1024).toFixed(0)} KiB, ${report.seconds.toFixed(1)} s\n`,
            );
          }
        } catch (error) {
          const message = (error as Error).message;
          const code = isStationError(error) ? error.code : 'internal';
          logger.warn('process: document failed', { file: path.basename(document.file), code, error });
          reports.push({ ok: false, input: document.file, error: { code, message } });
          if (!json) io.stderr.write(`sohoa: ${path.basename(document.file)}: ${message}\n`);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(jobs, Math.max(1, documents.length)) }, () => worker()));
    } finally {
      // The OCR pool belongs to the engine, which stops it on close.
      await imaging.close();
    }
    const order = (report: Record<string, unknown>): number =>
      documents.findIndex((document) => document.file === report.input);
    reports.sort((a, b) => order(a) - order(b));
    if (!json) for (const problem of problems) io.stderr.write(`sohoa: ${problem.file}: ${problem.message}\n`);
    const failed = reports.filter((report) => report.ok !== true).length;
    const cancelled = controller.signal.aborted;
    print(
      context,
      {
        ok: failed === 0 && !cancelled,
        out: outDir,
        cancelled,
        ocr: ocr !== undefined,
        ocrProblem,
        documents: reports,
      },
      `${reports.length - failed} of ${reports.length} document(s) written to ${outDir}${cancelled ? ' (cancelled)' : ''}`,
    );
    if (cancelled) return 130;
    return failed === 0 ? 0 : 1;
  },
};
