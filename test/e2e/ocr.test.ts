import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/contract.js';
import type { OcrResult } from '../../shared/ocr.js';
import type { Bridge } from '../../electron/engine/bridge/bridge-server.js';
import { startBridge } from '../../electron/engine/bridge/bridge-server.js';
import type { Engine } from '../../electron/engine/engine.js';
import { createEngine } from '../../electron/engine/engine.js';
import { createSilentLogger } from '../../electron/engine/logging/logger.js';
import { OcrOverlay } from '../../renderer/features/review/OcrOverlay.js';
import { repoRoot } from '../support/built-cli.js';
import { callEngine } from '../support/call.js';
import type { LaunchedChromium } from '../support/chromium.js';
import { launchChromium } from '../support/chromium.js';
import type { OcrPage } from '../support/ocr-pages.js';
import {
  characterErrorRate,
  createFixtureScanDriver,
  maxCer,
  ocrSampleTexts,
  renderOcrPage,
} from '../support/ocr-pages.js';

const pageCount = 20;
const rendererDir = path.join(repoRoot, 'dist', 'renderer');
const resultsDir = path.join(repoRoot, 'test-results', 'e2e');
const longTaskLimitMs = 100;

/** Installed before the app's scripts: every main-thread task over 50 ms, from the Long Tasks API. */
function observeLongTasks(): void {
  const tasks: { start: number; duration: number; name: string }[] = [];
  (window as unknown as { __longTasks: typeof tasks }).__longTasks = tasks;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      tasks.push({ start: entry.startTime, duration: entry.duration, name: entry.name });
  }).observe({ type: 'longtask', buffered: true });
}

describe('OCR in the renderer (Chromium web workers)', () => {
  let dataDir = '';
  let engine: Engine | undefined;
  let bridge: Bridge | undefined;
  let chromium: LaunchedChromium | undefined;
  let context: BrowserContext;
  let page: Page;
  let pages: OcrPage[] = [];
  const requests: string[] = [];
  const sockets: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    for (const built of [
      'dist/renderer/index.html',
      'dist/renderer/ocr/manifest.json',
      'resources/ocr/manifest.json',
    ]) {
      if (!fs.existsSync(path.join(repoRoot, built))) {
        throw new Error(`${built} is missing: run \`npm run build\` (or \`npm run test:e2e\`, which builds first)`);
      }
    }
    // Twenty distinct small pages (150 dpi crops): every fifth text, half of them skewed and
    // grainy as a feeder scans them, the last one upside down.
    pages = await Promise.all(
      Array.from({ length: pageCount }, (_, index) =>
        renderOcrPage({
          text: ocrSampleTexts[index % ocrSampleTexts.length],
          footer: `Trang ${index + 1}/${pageCount}`,
          dpi: 150,
          ...(index % 2 === 1 ? { skewDeg: index % 4 === 1 ? 1.5 : -2, noise: 10, seed: `page-${index}` } : {}),
          ...(index === pageCount - 1 ? { turnedDeg: 180 as const } : {}),
          format: index % 3 === 2 ? 'jpeg' : 'png',
        }),
      ),
    );
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-e2e-ocr-'));
    engine = await createEngine({
      dataDir,
      resourcesDir: path.join(repoRoot, 'resources'),
      transport: 'bridge',
      policyFile: null,
      logger: createSilentLogger(),
      // A feeder delivering 5 pages a second (300 pages/min, a fast production ADF), far faster than OCR.
      drivers: [createFixtureScanDriver(pages, 200)],
      // Only the window recognises here, so every page is the renderer's work.
      ocr: { nodeFallback: false },
    });
    bridge = await startBridge({
      dispatcher: engine.dispatcher,
      events: engine.events,
      logger: createSilentLogger(),
      rendererDir,
      port: 0,
    });
    chromium = await launchChromium();
    context = await chromium.browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'vi-VN' });
    // Context-wide, so requests of the web workers are logged too.
    context.on('request', (request) => requests.push(request.url()));
    page = await context.newPage();
    await page.addInitScript(observeLongTasks);
    page.on('websocket', (socket) => sockets.push(socket.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
  });

  afterAll(async () => {
    await chromium?.cleanup();
    await bridge?.close();
    await engine?.close();
    if (dataDir !== '') fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('recognises 20 scanned pages in web workers: nothing leaves the app, the main thread stays free, the text is what Node reads', async () => {
    if (engine === undefined || bridge === undefined) throw new Error('the engine did not start');
    const { origin } = bridge;
    const recognised: EventPayload<'ocr:page-recognized'>[] = [];
    const allDone = new Promise<void>((resolve) => {
      engine!.events.onAny((name, payload) => {
        if (name !== 'ocr:page-recognized') return;
        recognised.push(payload as EventPayload<'ocr:page-recognized'>);
        if (recognised.length === pageCount) resolve();
      });
    });

    await page.goto(bridge.url);
    await page.getByRole('status', { name: 'Kết nối với bộ máy xử lý' }).getByText('Đã kết nối').waitFor();
    const ocrStarted = await page.evaluate(() => performance.now());
    await page.getByLabel('Máy quét', { exact: true }).selectOption('demo');
    await page.getByLabel('Số trang', { exact: true }).fill(String(pageCount));
    await page.getByRole('button', { name: 'Quét', exact: true }).click();

    // Capture never waits for OCR: the whole batch is in before the OCR is half done.
    await page.getByText(`Xong: đã quét ${pageCount} trang.`).waitFor({ timeout: 60_000 });
    expect(recognised.length).toBeLessThan(pageCount / 2);
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`only ${recognised.length} pages recognised`)), 150_000).unref(),
    );
    try {
      await Promise.race([allDone, timeout]);
    } catch (error) {
      fs.mkdirSync(resultsDir, { recursive: true });
      await page.screenshot({ path: path.join(resultsDir, 'ocr-failure.png'), fullPage: true });
      throw error;
    }
    const ocrEnded = await page.evaluate(() => performance.now());
    fs.mkdirSync(resultsDir, { recursive: true });
    await page.screenshot({ path: path.join(resultsDir, 'ocr-capture.png'), fullPage: true });

    // Every page was read in the window.
    expect(recognised.every((event) => event.host === 'renderer')).toBe(true);

    // The main thread had no task over 100 ms while OCR ran.
    const longTasks = (await page.evaluate(() => (window as unknown as { __longTasks: unknown[] }).__longTasks)) as {
      start: number;
      duration: number;
    }[];
    const duringOcr = longTasks.filter((task) => task.start >= ocrStarted && task.start <= ocrEnded);
    const overLimit = duringOcr.filter((task) => task.duration > longTaskLimitMs);
    // Asserted whatever the machine's load: the page decodes job images in slices and hands the
    // recognition to web workers, so nothing it runs should come near the limit.
    const longest = Math.max(0, ...duringOcr.map((task) => task.duration));
    console.info(
      `OCR of ${pageCount} pages: ${duringOcr.length} main-thread tasks over 50 ms, longest ${longest} ms, load ${(os.loadavg()[0] ?? 0).toFixed(1)}`,
    );
    expect(overLimit, JSON.stringify(duringOcr)).toEqual([]);

    // Nothing left the app's origin, the workers' own requests included.
    const foreign = requests.filter(
      (url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin,
    );
    expect(foreign).toEqual([]);
    for (const asset of [
      '/ocr/worker.min.js',
      '/ocr/core/tesseract-core-simd.wasm.js',
      '/ocr/lang/4.0.0_best_int/vie.traineddata.gz',
      '/ocr/lang/4.0.0_best_int/osd.traineddata.gz',
    ]) {
      expect(requests, asset).toContain(`${origin}${asset}`);
    }
    expect(sockets.map((url) => new URL(url).host)).toEqual([new URL(origin).host]);
    expect(problems).toEqual([]);

    // Below the CER ceiling on every page, and the upside-down page read upright.
    const list = await callEngine(engine, 'batches:list', {});
    const batchId = list.ok ? list.value[0]!.id : '';
    const stored = await callEngine(engine, 'pages:list', { batchId });
    if (!stored.ok) throw new Error(stored.error.message);
    const results: OcrResult[] = [];
    for (const [index, storedPage] of stored.value.entries()) {
      const ocr = await callEngine(engine, 'ocr:get', { pageId: storedPage.id });
      if (!ocr.ok || ocr.value.result === null) throw new Error(`page ${index + 1} has no OCR result`);
      results.push(ocr.value.result);
      expect(characterErrorRate(ocr.value.result.text, pages[index]!.text), `page ${index + 1}`).toBeLessThan(maxCer);
    }
    expect(results[pageCount - 1]!.orientation).toBe(180);

    // The engine's Node pool reads the same bytes to the same result: text, boxes, confidences.
    const node = engine.ocr.engine();
    for (const index of [0, 1, 2, 3, pageCount - 1]) {
      const same = await node.recognize({ image: pages[index]!.data, dpi: pages[index]!.dpi });
      expect(same, `page ${index + 1}`).toEqual(results[index]);
    }
  });

  it('shows the words it doubts over the page image', async () => {
    if (engine === undefined) throw new Error('the engine did not start');
    const skewed = pages[5]!;
    const result = await engine.ocr.engine().recognize({ image: skewed.data, dpi: skewed.dpi });
    const markup = renderToStaticMarkup(
      createElement(OcrOverlay, {
        src: `data:${skewed.mimeType};base64,${skewed.data.toString('base64')}`,
        pageLabel: 'Trang 6',
        result,
        threshold: 90,
        showAllWords: true,
      }),
    );
    const css = fs.readFileSync(path.join(repoRoot, 'renderer', 'features', 'review', 'ocr-overlay.css'), 'utf8');
    const view = await context.newPage();
    await view.setContent(
      `<!doctype html><html lang="vi"><style>${css} body{margin:16px;width:900px}</style>${markup}</html>`,
    );
    const doubtful = result.lines.flatMap((line) => line.words).filter((word) => word.confidence < 90);
    expect(await view.locator('.ocr-overlay__word--doubtful').count()).toBe(doubtful.length);
    // The frame (inside its border) has the page's proportions, so the marks sit on the words.
    const frame = await view
      .locator('.ocr-overlay__frame')
      .evaluate((element) => ({ width: element.clientWidth, height: element.clientHeight }));
    expect(frame.width / frame.height).toBeCloseTo(result.widthPx / result.heightPx, 1);
    await view.screenshot({ path: path.join(resultsDir, 'ocr-overlay.png'), fullPage: true });
    await view.close();
  });
});
