// `npm run bench ocr`: the station's OCR (tesseract.js pool in Node worker threads, the same core,
// data and parameters as the renderer's web workers) against native `tesseract IMG - -l vie` on
// ../shared/corpus/visible: CER and WER per page and in total, seconds per page, pages per minute
// with N workers against N native processes (OMP_THREAD_LIMIT=1). Prints one table.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { OcrResult, OcrVariant } from '../shared/ocr.js';
import { createNodeOcrEngine } from '../electron/engine/ocr/node-ocr-engine.js';
import { resolveOcrAssets } from '../electron/engine/ocr/ocr-assets.js';
import { createLogger } from '../electron/engine/logging/logger.js';
import { characterErrors, wordErrors } from '../test/support/ocr-pages.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const corpus = path.resolve(root, '..', 'shared', 'corpus', 'visible');
const languages = process.env.SOHOA_BENCH_OCR_LANGS ?? 'vie+eng';

interface CorpusPage {
  name: string;
  file: string;
  reference: string;
  dpi: number;
  blank: boolean;
}

interface Reading {
  text: string;
  seconds: number;
  /** CPU seconds of this page alone; measured when pages run one at a time. */
  cpuSeconds: number | undefined;
}

function loadCorpus(): CorpusPage[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(corpus, 'manifest.json'), 'utf8')) as {
    images: { id: string; file: string; expected_text: string; dpi: number; blank: boolean }[];
  };
  return manifest.images.map((image) => ({
    name: image.id,
    file: path.join(corpus, image.file),
    reference: fs.readFileSync(path.join(corpus, image.expected_text), 'utf8'),
    dpi: image.dpi,
    blank: image.blank,
  }));
}

function nativeTesseract(): string | null {
  try {
    const langs = execFileSync('tesseract', ['--list-langs'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (!langs.split('\n').includes('vie')) return 'tesseract is installed without Vietnamese data';
    return null;
  } catch {
    return 'native tesseract is not installed';
  }
}

/** Runs `jobs` with at most `parallel` at once; returns results in order and the wall time. */
async function inParallel<T>(
  count: number,
  parallel: number,
  job: (index: number) => Promise<T>,
): Promise<{ results: T[]; seconds: number }> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        results[index] = await job(index);
      }
    }),
  );
  return { results, seconds: (performance.now() - started) / 1000 };
}

/** CPU seconds of this process's finished children (Linux /proc; undefined elsewhere). */
function childCpuSeconds(): number | undefined {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // cutime and cstime (fields 16 and 17 of stat, counted after the command name) in clock ticks.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

async function readNative(
  pages: CorpusPage[],
  parallel: number,
): Promise<{ readings: Reading[]; seconds: number; cpuSeconds: number | undefined }> {
  const cpuBefore = childCpuSeconds();
  const { results, seconds } = await inParallel(pages.length, parallel, async (index) => {
    const started = performance.now();
    const cpuStart = childCpuSeconds();
    const { stdout } = await run('tesseract', [pages[index]!.file, '-', '-l', 'vie'], {
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const cpuEnd = childCpuSeconds();
    const alone = parallel === 1 && cpuStart !== undefined && cpuEnd !== undefined;
    return {
      text: stdout,
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: alone ? cpuEnd - cpuStart : undefined,
    };
  });
  const cpuAfter = childCpuSeconds();
  const cpuSeconds = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  return { readings: results, seconds, cpuSeconds };
}

async function readStation(
  pages: CorpusPage[],
  workers: number,
  variant: OcrVariant,
): Promise<{
  readings: Reading[];
  results: OcrResult[];
  seconds: number;
  cpuSeconds: number;
  startSeconds: number;
  rssPerWorkerMb: number;
}> {
  const engine = createNodeOcrEngine({
    assets: resolveOcrAssets(path.join(root, 'resources')),
    workers,
    variant,
    languages,
    logger: createLogger({ level: 'error', sinks: [] }),
  });
  const images = pages.map((page) => fs.readFileSync(page.file));
  const rssBefore = process.memoryUsage().rss;
  const startedAt = performance.now();
  // Every worker started and warm (one small page each) before the clock runs: startup is reported apart.
  const blank = images[pages.findIndex((page) => page.blank)] ?? images[0]!;
  await Promise.all(
    Array.from({ length: workers }, (_, index) => engine.recognize({ image: blank, key: `warm-${index}` })),
  );
  const startSeconds = (performance.now() - startedAt) / 1000;
  const rssPerWorkerMb = (process.memoryUsage().rss - rssBefore) / workers / 1024 / 1024;
  // All threads of this process: the worker threads and the main thread's share of the work.
  const cpuBefore = process.cpuUsage();
  const { results, seconds } = await inParallel(pages.length, workers, async (index) => {
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const result = await engine.recognize({ image: images[index]!, dpi: pages[index]!.dpi });
    const cpu = process.cpuUsage(cpuStart);
    const cpuSeconds = workers === 1 ? (cpu.user + cpu.system) / 1e6 : undefined;
    return { result, seconds: (performance.now() - started) / 1000, cpuSeconds };
  });
  const cpu = process.cpuUsage(cpuBefore);
  await engine.terminate();
  return {
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    readings: results.map((reading) => ({
      text: reading.result.text,
      seconds: reading.seconds,
      cpuSeconds: reading.cpuSeconds,
    })),
    results: results.map(({ result }) => result),
    seconds,
    startSeconds,
    rssPerWorkerMb,
  };
}

const percent = (errors: number, length: number) => (length === 0 ? '—' : `${((100 * errors) / length).toFixed(1)} %`);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 0 ? ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2 : (sorted[middle] ?? 0);
};

function score(pages: CorpusPage[], readings: Reading[]) {
  let chars = { errors: 0, length: 0 };
  let words = { errors: 0, length: 0 };
  const perPage = pages.map((page, index) => {
    const text = readings[index]?.text ?? '';
    if (page.blank) {
      const produced = text.replace(/\s+/gu, '').length;
      return { cer: `${produced} chars`, wer: '', produced };
    }
    const c = characterErrors(text, page.reference);
    const w = wordErrors(text, page.reference);
    chars = { errors: chars.errors + c.errors, length: chars.length + c.length };
    words = { errors: words.errors + w.errors, length: words.length + w.length };
    return { cer: percent(c.errors, c.length), wer: percent(w.errors, w.length), produced: 0 };
  });
  return { perPage, cer: percent(chars.errors, chars.length), wer: percent(words.errors, words.length) };
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  console.log(line(rows[0]!));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of rows.slice(1)) console.log(line(row));
}

if (!fs.existsSync(path.join(corpus, 'manifest.json'))) {
  console.log(`The corpus is not here (${corpus}): nothing to measure.`);
  process.exit(0);
}
const pages = loadCorpus();
const nativeMissing = nativeTesseract();
const cores = os.availableParallelism();
const parallel = Math.min(2, cores);
console.log(
  `${pages.length} pages from ${corpus}; station: tesseract.js pool, ${languages}, 4.0.0_best_int, PSM 3 (PSM 1 when a page reads badly), Sauvola; ` +
    `native: tesseract ${nativeMissing === null ? execFileSync('tesseract', ['--version'], { encoding: 'utf8' }).split('\n')[0] : '(missing)'} -l vie, OMP_THREAD_LIMIT=1; ${cores} cores, load ${os.loadavg()[0]?.toFixed(1)}`,
);
if (nativeMissing !== null)
  console.log(`Native peer missing: ${nativeMissing} (apt-get install tesseract-ocr tesseract-ocr-vie).`);
console.log(
  'Per page: CPU seconds with one worker / one process (independent of other load); pages/min: wall clock, warm workers.',
);

const one = await readStation(pages, 1, '4.0.0_best_int');
const many = parallel > 1 ? await readStation(pages, parallel, '4.0.0_best_int') : one;
const nativeOne = nativeMissing === null ? await readNative(pages, 1) : undefined;
const nativeMany = nativeMissing === null && parallel > 1 ? await readNative(pages, parallel) : nativeOne;
const legacy = await readStation(pages, 1, '4.0.0');

const station = score(pages, one.readings);
const native = nativeOne === undefined ? undefined : score(pages, nativeOne.readings);
const rows: string[][] = [
  ['page', 'CER station', 'CER native', 'WER station', 'WER native', 'CPU s station', 'CPU s native'],
  ...pages.map((page, index) => [
    page.name + (page.blank ? ' (blank)' : ''),
    station.perPage[index]!.cer,
    native?.perPage[index]?.cer ?? '—',
    station.perPage[index]!.wer,
    native?.perPage[index]?.wer ?? '—',
    one.readings[index]!.cpuSeconds?.toFixed(2) ?? '—',
    nativeOne?.readings[index]?.cpuSeconds?.toFixed(2) ?? '—',
  ]),
  [
    'total (text pages)',
    station.cer,
    native?.cer ?? '—',
    station.wer,
    native?.wer ?? '—',
    `${median(one.readings.map((reading) => reading.cpuSeconds ?? 0)).toFixed(2)} med`,
    nativeOne === undefined
      ? '—'
      : `${median(nativeOne.readings.map((reading) => reading.cpuSeconds ?? 0)).toFixed(2)} med`,
  ],
];
const throughput = (count: number, seconds: number) => (60 * count) / seconds;
for (const [workers, stationRun, nativeRun] of [
  [1, one, nativeOne],
  ...(parallel > 1 ? [[parallel, many, nativeMany] as const] : []),
] as const) {
  const ours = throughput(pages.length, stationRun.seconds);
  const theirs = nativeRun === undefined ? undefined : throughput(pages.length, nativeRun.seconds);
  rows.push([
    `pages/min, ${workers} worker(s) vs ${workers} process(es)`,
    ours.toFixed(1),
    theirs?.toFixed(1) ?? '—',
    theirs === undefined ? '' : `${(ours / theirs).toFixed(2)}× native`,
    '',
    `start ${stationRun.startSeconds.toFixed(1)} s`,
    `${stationRun.rssPerWorkerMb.toFixed(0)} MB/worker`,
  ]);
}
// CPU seconds per page do not depend on what else the machine runs: the fair comparison on a busy box.
const ourCpu = one.cpuSeconds / pages.length;
const theirCpu = nativeOne?.cpuSeconds === undefined ? undefined : nativeOne.cpuSeconds / pages.length;
rows.push([
  'CPU s/page, mean (1 worker / 1 process)',
  ourCpu.toFixed(2),
  theirCpu?.toFixed(2) ?? '—',
  theirCpu === undefined ? '' : `${(theirCpu / ourCpu).toFixed(2)}× native`,
  '',
  `= ${((60 * parallel) / ourCpu).toFixed(1)} p/min on ${parallel} idle cores`,
  theirCpu === undefined ? '' : `= ${((60 * parallel) / theirCpu).toFixed(1)} p/min`,
]);
const identical = legacy.results.every((result, index) => result.text === one.results[index]!.text);
rows.push([
  'variant 4.0.0 (1 worker)',
  score(pages, legacy.readings).cer,
  '',
  score(pages, legacy.readings).wer,
  identical
    ? 'text = best_int'
    : `differs on ${legacy.results.filter((result, index) => result.text !== one.results[index]!.text).length} page(s)`,
  `${median(legacy.readings.map((reading) => reading.cpuSeconds ?? 0)).toFixed(2)} med`,
  `start ${legacy.startSeconds.toFixed(1)} s`,
]);
printTable(rows);
