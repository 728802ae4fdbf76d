// `npm run bench process`: the station's `sohoa process` against OCRmyPDF on ../shared/corpus/visible
// (issue 5). Both get the same two processes: the station runs with --jobs 2 (two imaging workers,
// two OCR workers), OCRmyPDF runs two files at a time with --jobs 1 each. Each image is one
// document. Figures: wall time per page, bytes per page (all, 300 dpi colour, 200 dpi colour), bytes
// the text layer adds per page (each tool run again without OCR), character error rate and word
// recall of `pdftotext -raw` against the ground truth (scoring of corpus/README.md), and the skew and
// orientation the station measured against the manifest.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as PdfaChecker from '../test/support/pdfa-checker.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.resolve(root, '..', 'shared', 'corpus', 'visible');
const processes = 2;

interface ManifestImage {
  id: string;
  file: string;
  expected_text: string;
  dpi: number;
  mode: string;
  blank: boolean;
  skew_deg_ccw: number;
  orientation: { correction_cw_deg: number };
}

interface ToolRun {
  seconds: number;
  /** Output PDF per image id; missing when the tool failed on it. */
  pdfs: Map<string, string>;
  failures: string[];
}

function normalise(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

function levenshtein(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = new Uint32Array(y.length + 1).map((_, j) => j);
  for (let i = 1; i <= x.length; i += 1) {
    const current = new Uint32Array(y.length + 1);
    current[0] = i;
    for (let j = 1; j <= y.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[y.length] ?? 0;
}

function wordRecall(hypothesis: string, reference: string): number {
  const counts = new Map<string, number>();
  for (const word of hypothesis.split(' ')) counts.set(word, (counts.get(word) ?? 0) + 1);
  const words = reference.split(' ').filter((word) => word !== '');
  let found = 0;
  for (const word of words) {
    const left = counts.get(word) ?? 0;
    if (left > 0) {
      found += 1;
      counts.set(word, left - 1);
    }
  }
  return words.length === 0 ? 1 : found / words.length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** Runs commands with at most `limit` at once. */
async function runLimited(
  commands: { command: string; args: string[]; env?: NodeJS.ProcessEnv }[],
  limit: number,
): Promise<number[]> {
  const codes: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < commands.length) {
      const index = next;
      next += 1;
      const { command, args, env } = commands[index]!;
      codes[index] = await new Promise<number>((resolve) => {
        const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
        child.stderr.resume();
        child.on('close', (code) => resolve(code ?? 1));
      });
    }
  };
  await Promise.all(Array.from({ length: limit }, () => worker()));
  return codes;
}

function runStation(images: ManifestImage[], out: string, ocr: boolean): ToolRun {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-bench-data-'));
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [
      path.join(root, 'bin', 'sohoa.cjs'),
      '--data-dir',
      data,
      '--json',
      'process',
      ...images.map((image) => path.join(corpus, image.file)),
      '--out',
      out,
      '--jobs',
      String(processes),
      ...(ocr ? [] : ['--no-ocr']),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  const seconds = (Date.now() - started) / 1000;
  fs.rmSync(data, { recursive: true, force: true });
  const pdfs = new Map<string, string>();
  const failures: string[] = [];
  for (const image of images) {
    const pdf = path.join(out, `${path.basename(image.file, path.extname(image.file))}.pdf`);
    if (fs.existsSync(pdf)) pdfs.set(image.id, pdf);
    else failures.push(image.id);
  }
  if (result.status !== 0) failures.push(`exit ${result.status}: ${result.stderr.slice(0, 300)}`);
  return { seconds, pdfs, failures };
}

async function runOcrmypdf(images: ManifestImage[], out: string, ocr: boolean): Promise<ToolRun> {
  const started = Date.now();
  const commands = images.map((image) => ({
    command: 'ocrmypdf',
    args: [
      '-l',
      'vie',
      '--output-type',
      'pdfa',
      '--optimize',
      '1',
      '--jobs',
      '1',
      ...(ocr ? [] : ['--tesseract-timeout', '0']),
      '--image-dpi',
      String(image.dpi),
      path.join(corpus, image.file),
      path.join(out, `${image.id}.pdf`),
    ],
  }));
  const codes = await runLimited(commands, processes);
  const seconds = (Date.now() - started) / 1000;
  const pdfs = new Map<string, string>();
  const failures: string[] = [];
  images.forEach((image, index) => {
    const pdf = path.join(out, `${image.id}.pdf`);
    // Exit code 0 = done; ocrmypdf still writes a file with some warnings.
    if (fs.existsSync(pdf)) pdfs.set(image.id, pdf);
    else failures.push(`${image.id} (exit ${codes[index]})`);
  });
  return { seconds, pdfs, failures };
}

interface Figures {
  secondsPerPage: number;
  bytesMedian: number;
  bytes300Colour: number | undefined;
  bytes200Colour: number | undefined;
  textLayerPerPage: number | undefined;
  cer: number | undefined;
  cerMedian: number | undefined;
  recall: number | undefined;
  pdfaChecker: string;
  failures: string[];
}

function measure(images: ManifestImage[], run: ToolRun, bare: ToolRun | undefined, ocr: boolean): Figures {
  const size = (file: string | undefined): number | undefined =>
    file === undefined ? undefined : fs.statSync(file).size;
  const bytes = images
    .map((image) => size(run.pdfs.get(image.id)))
    .filter((value): value is number => value !== undefined);
  const colourAt = (dpi: number): number | undefined => {
    const values = images
      .filter((image) => image.mode === 'rgb' && image.dpi === dpi)
      .map((image) => size(run.pdfs.get(image.id)));
    const known = values.filter((value): value is number => value !== undefined);
    return known.length === 0 ? undefined : median(known);
  };
  let textLayer: number | undefined;
  if (bare !== undefined) {
    const differences = images
      .map((image) => {
        const a = size(run.pdfs.get(image.id));
        const b = size(bare.pdfs.get(image.id));
        return a === undefined || b === undefined ? undefined : a - b;
      })
      .filter((value): value is number => value !== undefined);
    textLayer =
      differences.length === 0 ? undefined : differences.reduce((sum, value) => sum + value, 0) / differences.length;
  }
  let cer: number | undefined;
  let cerMedian: number | undefined;
  let recall: number | undefined;
  if (ocr) {
    let errors = 0;
    let length = 0;
    const perPage: number[] = [];
    const recalls: number[] = [];
    for (const image of images) {
      const pdf = run.pdfs.get(image.id);
      const reference = normalise(fs.readFileSync(path.join(corpus, image.expected_text), 'utf8'));
      const hypothesis =
        pdf === undefined ? '' : normalise(execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' }));
      if (image.blank || reference === '') {
        errors += hypothesis.length;
        continue;
      }
      const distance = levenshtein(hypothesis, reference);
      errors += distance;
      length += reference.length;
      perPage.push(distance / reference.length);
      recalls.push(wordRecall(hypothesis, reference));
    }
    cer = errors / length;
    cerMedian = median(perPage);
    recall = recalls.reduce((sum, value) => sum + value, 0) / recalls.length;
  }
  let checker = 'not run';
  try {
    // The test-support checker runs here too, to say whether each tool's output passes it.
    const checked = [...run.pdfs.values()].map((file) => checkPdfA(file));
    const passed = checked.filter((report) => report.ok).length;
    const failedClauses = [...new Set(checked.flatMap((report) => report.failed.map((entry) => entry.clause)))];
    checker = `${passed}/${checked.length}${failedClauses.length > 0 ? ` (fails ${failedClauses.join(', ')})` : ''}`;
  } catch (error) {
    checker = `error: ${(error as Error).message.slice(0, 60)}`;
  }
  return {
    secondsPerPage: run.seconds / images.length,
    bytesMedian: median(bytes),
    bytes300Colour: colourAt(300),
    bytes200Colour: colourAt(200),
    textLayerPerPage: textLayer,
    cer,
    cerMedian,
    recall,
    pdfaChecker: checker,
    failures: run.failures,
  };
}

let checkPdfA: typeof PdfaChecker.checkPdfA;

function stationImaging(images: ManifestImage[], out: string): string[] {
  let orientationRight = 0;
  let counted = 0;
  const skewErrors: number[] = [];
  let blanksFound = 0;
  let textMarkedBlank = 0;
  for (const image of images) {
    const json = path.join(out, `${path.basename(image.file, path.extname(image.file))}.json`);
    if (!fs.existsSync(json)) continue;
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as {
      pageReports: { blank: boolean; analysis: { orientation: number; skewDeg: number } }[];
    };
    const page = report.pageReports[0];
    if (page === undefined) continue;
    if (image.blank) {
      if (page.blank) blanksFound += 1;
      continue;
    }
    if (page.blank) textMarkedBlank += 1;
    counted += 1;
    if (page.analysis.orientation === image.orientation.correction_cw_deg) orientationRight += 1;
    // The manifest's skew is counter-clockwise and applied before the quarter turn; ours is clockwise once upright.
    skewErrors.push(Math.abs(page.analysis.skewDeg + image.skew_deg_ccw));
  }
  const blanks = images.filter((image) => image.blank).length;
  return [
    `${orientationRight}/${counted} right`,
    `mean ${(skewErrors.reduce((sum, value) => sum + value, 0) / Math.max(1, skewErrors.length)).toFixed(2)}°, max ${Math.max(0, ...skewErrors).toFixed(2)}°`,
    `${blanksFound}/${blanks} found, ${textMarkedBlank} text page(s) marked blank`,
  ];
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(corpus, 'manifest.json'))) {
    console.log(`process bench: skipped, the corpus is not at ${corpus}`);
    return;
  }
  ({ checkPdfA } = await import('../test/support/pdfa-checker.js'));
  const manifest = JSON.parse(fs.readFileSync(path.join(corpus, 'manifest.json'), 'utf8')) as {
    images: ManifestImage[];
  };
  const images = manifest.images;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-bench-process-'));
  const dirs = ['station', 'station-bare', 'ocrmypdf', 'ocrmypdf-bare'].map((name) => {
    const dir = path.join(work, name);
    fs.mkdirSync(dir);
    return dir;
  }) as [string, string, string, string];

  console.log(`${images.length} pages of ${corpus}; ${processes} processes each; ${os.cpus().length} cores`);
  const station = runStation(images, dirs[0], true);
  const stationBare = runStation(images, dirs[1], false);
  const stationFigures = measure(images, station, stationBare, true);

  let peerFigures: Figures | undefined;
  let peerNote = '';
  if (!has('ocrmypdf') || !has('tesseract')) {
    peerNote = 'OCRmyPDF is not installed: apt-get install ocrmypdf tesseract-ocr-vie';
  } else if (!execFileSync('tesseract', ['--list-langs'], { encoding: 'utf8' }).includes('vie')) {
    peerNote = 'tesseract has no Vietnamese data: apt-get install tesseract-ocr-vie';
  } else {
    const peer = await runOcrmypdf(images, dirs[2], true);
    const peerBare = await runOcrmypdf(images, dirs[3], false);
    peerFigures = measure(images, peer, peerBare, true);
    const version = spawnSync('ocrmypdf', ['--version'], { encoding: 'utf8' }).stdout.trim();
    peerNote = `OCRmyPDF ${version}: ocrmypdf -l vie --output-type pdfa --optimize 1 --jobs 1, ${processes} files at a time`;
  }

  const kib = (value: number | undefined): string => (value === undefined ? '—' : `${(value / 1024).toFixed(0)} KiB`);
  const percent = (value: number | undefined): string => (value === undefined ? '—' : `${(value * 100).toFixed(1)} %`);
  const imaging = stationImaging(images, dirs[0]);
  const rows: [string, string, string, string][] = [
    [
      'wall time per page',
      `${stationFigures.secondsPerPage.toFixed(2)} s`,
      peerFigures === undefined ? '—' : `${peerFigures.secondsPerPage.toFixed(2)} s`,
      '≤ 0.7× OCRmyPDF',
    ],
    ['bytes per page (median, all 12)', kib(stationFigures.bytesMedian), kib(peerFigures?.bytesMedian), ''],
    [
      'bytes per page, 300 dpi colour',
      kib(stationFigures.bytes300Colour),
      kib(peerFigures?.bytes300Colour),
      '≤ OCRmyPDF',
    ],
    [
      'bytes per page, 200 dpi colour',
      kib(stationFigures.bytes200Colour),
      kib(peerFigures?.bytes200Colour),
      '≤ OCRmyPDF',
    ],
    [
      'text layer bytes per page',
      stationFigures.textLayerPerPage === undefined
        ? '—'
        : `${(stationFigures.textLayerPerPage / 1024).toFixed(1)} KiB`,
      peerFigures?.textLayerPerPage === undefined ? '—' : `${(peerFigures.textLayerPerPage / 1024).toFixed(1)} KiB`,
      '< 5 KB',
    ],
    ['CER (pdftotext -raw, all pages)', percent(stationFigures.cer), percent(peerFigures?.cer), '≤ OCRmyPDF'],
    ['CER, median of text pages', percent(stationFigures.cerMedian), percent(peerFigures?.cerMedian), ''],
    ['word recall', percent(stationFigures.recall), percent(peerFigures?.recall), ''],
    ['orientation vs manifest', imaging[0]!, 'not measured (no --rotate-pages)', 'every page'],
    ['skew error vs manifest', imaging[1]!, 'not measured (no --deskew)', '≤ 0.3°'],
    ['blank pages', imaging[2]!, 'not measured', 'all found'],
    ['PDF/A-2b checker (test support)', stationFigures.pdfaChecker, peerFigures?.pdfaChecker ?? '—', 'all pass'],
  ];
  const widths = [0, 1, 2, 3].map((column) =>
    Math.max(...rows.map((row) => row[column]!.length), ['figure', 'station', 'OCRmyPDF', 'goal'][column]!.length),
  );
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, index) => cell.padEnd(widths[index]!)).join(' | ')} |`;
  console.log(line(['figure', 'station', 'OCRmyPDF', 'goal']));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  console.log(peerNote);
  for (const [name, figures] of [
    ['station', stationFigures],
    ['OCRmyPDF', peerFigures],
  ] as const) {
    if (figures !== undefined && figures.failures.length > 0)
      console.log(`${name} failures: ${figures.failures.join('; ')}`);
  }
  if (process.env.BENCH_KEEP === undefined) fs.rmSync(work, { recursive: true, force: true });
  else console.log(`outputs kept in ${work}`);
}

await main();
