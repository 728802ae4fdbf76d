// `npm run bench capture`: capture from scanner output to a stored page and its renderer event
// (issue 4), at 300 dpi colour, for the demo scanner and the SANE test backend (scanimage).
//
// Each case runs in a child process of its own, so its peak RSS is the engine's alone:
//   - pages/s: pages announced per second once the scanner produces them (OCR excluded);
//   - latency: from the moment a page's file is complete (the demo: rendered; SANE: the rename by
//     scanimage, read from the file's ctime) to its `scan:page-captured` event, p50 and p95. Flat
//     out, the test backend writes pages three times faster than they can be stored, so pages
//     queue and the latency there is mostly waiting; the paced row shows the latency of a scanner
//     that runs at the goal's 4 pages/s;
//   - peak RSS over a 500-page batch (the demo in one batch; SANE as 50 feeder loads of 10, the
//     test backend's feeder holding 10 sheets).
// The peer column is `scanimage` alone writing the same batch to a folder (no store, no event):
// the rate the scanner side allows. The SANE test backend scans at most 200 × 200 mm, so its
// "A4" pages are 200 × 200 mm (2362 × 2362 px, 64 % of an A4 page); the demo pages are full A4.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventName } from '../shared/contract.js';
import { createEngine } from '../electron/engine/engine.js';
import { createSilentLogger } from '../electron/engine/logging/logger.js';
import { DemoScanDriver } from '../electron/engine/scan/demo-driver.js';
import { SaneScanDriver } from '../electron/engine/scan/sane-driver.js';
import type { ScanDriver, ScannedPage, ScanRequest } from '../electron/engine/scan/scan-driver.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const self = fileURLToPath(import.meta.url);

interface CaseResult {
  name: string;
  pages: number;
  seconds: number;
  pagesPerSecond: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  peakRssMb: number;
  pageSize: string;
}

/** Wraps a driver to note when each page was complete, as the driver says. */
function timed(driver: ScanDriver, completed: number[]): ScanDriver {
  return {
    kind: driver.kind,
    listDevices: (signal) => driver.listDevices(signal),
    async *scan(request: ScanRequest): AsyncGenerator<ScannedPage> {
      for await (const page of driver.scan(request)) {
        completed.push(page.completedAt ?? Date.now());
        yield page;
      }
    },
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function saneConfig(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-bench-sane-'));
  fs.writeFileSync(path.join(dir, 'dll.conf'), 'test\n');
  return dir;
}

/** Where the demo scanner keeps its rendered sample sheets; filled once by a warm-up child. */
const demoCache = path.join(os.tmpdir(), `sohoa-bench-demo-cache-${process.env.SOHOA_BENCH_RUN ?? process.pid}`);

/**
 * Runs one case in this process (the child): `demo` or `sane` (`sane-paced`: the test backend slowed
 * to about 4 pages/s, the goal's pace), `batches` × `pages`.
 */
async function runCase(
  kind: 'demo' | 'sane' | 'sane-paced',
  batches: number,
  pagesPerBatch: number,
  warmup: number,
): Promise<CaseResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-bench-capture-'));
  const sane = kind === 'demo' ? undefined : saneConfig();
  const completed: number[] = [];
  const driver =
    kind === 'demo'
      ? new DemoScanDriver({ cacheDir: demoCache, fontDir: path.join(root, 'resources', 'fonts'), pageDelayMs: 0 })
      : new SaneScanDriver({
          workDir: path.join(dataDir, 'cache', 'sane'),
          env: { ...process.env, SANE_CONFIG_DIR: sane },
        });
  fs.writeFileSync(
    path.join(dataDir, 'settings.json'),
    JSON.stringify({
      scan: {
        deviceOptions: {
          'sane:test:0': {
            'test-picture': 'Color pattern',
            // About 0.23 s a page at 300 dpi colour: the goal's 4 pages/s, twice a 120 ipm scanner.
            ...(kind === 'sane-paced' ? { 'read-delay': 'yes', 'read-delay-duration': '2000' } : {}),
          },
        },
      },
      storage: { reserveMb: 0 },
    }),
  );
  const engine = await createEngine({
    dataDir,
    resourcesDir: path.join(root, 'resources'),
    transport: 'direct',
    policyFile: null,
    logger: createSilentLogger(),
    drivers: [timed(driver, completed)],
  });
  const announced: number[] = [];
  let ended: { name: EventName; payload: unknown } | undefined;
  engine.events.onAny((name, payload) => {
    if (name === 'scan:page-captured') announced.push(Date.now());
    if (name === 'scan:finished' || name === 'scan:failed') ended = { name, payload };
  });
  const deviceId = kind === 'demo' ? 'demo' : 'sane:test:0';
  const scan = async (count: number): Promise<void> => {
    ended = undefined;
    const started = await engine.dispatcher.dispatch('scan:start', { deviceId, count });
    if (!started.ok) throw new Error(started.error.message);
    await engine.capture.idle();
    // Set by the event listener meanwhile; the compiler cannot see that through the closure.
    const outcome = ended as { name: EventName; payload: unknown } | undefined;
    if (outcome?.name !== 'scan:finished') throw new Error(`batch ended with ${JSON.stringify(outcome)}`);
  };
  // The demo renders each sample sheet once, then reads it from its cache, as it does all day.
  if (warmup > 0) await scan(warmup);
  completed.length = 0;
  announced.length = 0;
  const started = performance.now();
  for (let batch = 0; batch < batches; batch += 1) await scan(pagesPerBatch);
  const seconds = (performance.now() - started) / 1000;
  const latencies = announced.map((at, index) => at - (completed[index] ?? at));
  await engine.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (sane !== undefined) fs.rmSync(sane, { recursive: true, force: true });
  const pages = announced.length;
  return {
    name: kind,
    pages,
    seconds,
    pagesPerSecond: pages / seconds,
    latencyP50Ms: percentile(latencies, 50),
    latencyP95Ms: percentile(latencies, 95),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    pageSize: kind === 'demo' ? 'A4 2480×3508' : '200 mm² 2362×2362',
  };
}

/** scanimage alone: ten pages at 300 dpi colour into a folder, `runs` times. */
function scanimageAlone(runs: number): { pagesPerSecond: number } | undefined {
  const sane = saneConfig();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-bench-scanimage-'));
  try {
    execFileSync('scanimage', ['--version'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const started = performance.now();
  for (let run = 0; run < runs; run += 1) {
    execFileSync(
      'scanimage',
      [
        '-d',
        'test:0',
        '--source',
        'Automatic Document Feeder',
        '--mode',
        'Color',
        '--resolution',
        '300',
        '-x',
        '200',
        '-y',
        '200',
        '--test-picture',
        'Color pattern',
        '--format=jpeg',
        `--batch=${folder}/p%d.jpg`,
      ],
      { env: { ...process.env, SANE_CONFIG_DIR: sane }, stdio: 'ignore' },
    );
  }
  const seconds = (performance.now() - started) / 1000;
  fs.rmSync(folder, { recursive: true, force: true });
  fs.rmSync(sane, { recursive: true, force: true });
  return { pagesPerSecond: (runs * 10) / seconds };
}

function child(args: string[]): CaseResult {
  const result = spawnSync(process.execPath, ['--import', 'tsx', self, ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (result.status !== 0) throw new Error(`case ${args.join(' ')} failed: ${result.stderr}`);
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as CaseResult;
}

async function main(): Promise<void> {
  const [mode, kind, batches, pages, warmup] = process.argv.slice(2);
  if (mode === '--case') {
    const result = await runCase(
      kind as 'demo' | 'sane' | 'sane-paced',
      Number(batches),
      Number(pages),
      Number(warmup),
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
    // sharp's thread pool would keep the child alive.
    process.exit(0);
  }
  const hasSane = spawnSync('scanimage', ['--version']).status === 0;
  process.env.SOHOA_BENCH_RUN = String(process.pid);
  const rows: { label: string; result: CaseResult | undefined; peer: string }[] = [];
  try {
    // Renders the twelve sample sheets once (canvas + fonts), so the cases measure capture alone.
    child(['--case', 'demo', '0', '0', '12']);
    rows.push({ label: 'demo, 100 pages', result: child(['--case', 'demo', '1', '100', '0']), peer: '—' });
    const alone = hasSane ? scanimageAlone(5) : undefined;
    rows.push({
      label: 'SANE test flat out, 5 × 10 pages',
      result: hasSane ? child(['--case', 'sane', '5', '10', '0']) : undefined,
      peer: alone === undefined ? 'scanimage missing' : `${alone.pagesPerSecond.toFixed(1)} pages/s`,
    });
    rows.push({
      label: 'SANE test paced ~4 pages/s, 3 × 10',
      result: hasSane ? child(['--case', 'sane-paced', '3', '10', '0']) : undefined,
      peer: '—',
    });
    rows.push({ label: 'demo, 500-page batch', result: child(['--case', 'demo', '1', '500', '0']), peer: '—' });
    rows.push({
      label: 'SANE test, 500 pages (50 × 10)',
      result: hasSane ? child(['--case', 'sane', '50', '10', '0']) : undefined,
      peer: '—',
    });
  } finally {
    fs.rmSync(demoCache, { recursive: true, force: true });
  }

  const header = [
    'case',
    'page',
    'pages/s (goal ≥ 4)',
    'latency p50 / p95 ms (goal p95 < 200)',
    'peak RSS MB (goal < 400)',
    'scanimage alone',
  ];
  const lines = rows.map(({ label, result, peer }) =>
    result === undefined
      ? [label, '—', 'not run: scanimage (apt sane-utils) is missing', '', '', peer]
      : [
          label,
          result.pageSize,
          result.pagesPerSecond.toFixed(1),
          `${result.latencyP50Ms.toFixed(0)} / ${result.latencyP95Ms.toFixed(0)}`,
          result.peakRssMb.toFixed(0),
          peer,
        ],
  );
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)),
  );
  const format = (cells: string[]): string =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  console.log(`capture: 300 dpi colour, ${os.cpus().length} cores, OCR excluded`);
  console.log(format(header));
  console.log(format(widths.map((width) => '-'.repeat(width))));
  for (const line of lines) console.log(format(line));
}

await main();
