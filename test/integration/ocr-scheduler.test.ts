import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallArgs, CallName, CallValue, EventName, EventPayload } from '../../shared/contract.js';
import type { OcrJob } from '../../shared/ocr.js';
import type { Engine } from '../../electron/engine/engine.js';
import { createEngine } from '../../electron/engine/engine.js';
import { createSilentLogger } from '../../electron/engine/logging/logger.js';
import { ensureBuilt, repoRoot } from '../support/built-cli.js';
import { callEngine } from '../support/call.js';
import type { OcrPage } from '../support/ocr-pages.js';
import {
  characterErrorRate,
  createFixtureScanDriver,
  maxCer,
  ocrSampleTexts,
  renderOcrPage,
} from '../support/ocr-pages.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-ocr-'));
  dirs.push(dir);
  return dir;
};

type Recorded = { name: EventName; payload: unknown; at: number };

function record(engine: Engine): Recorded[] {
  const events: Recorded[] = [];
  engine.events.onAny((name, payload) => events.push({ name, payload, at: Date.now() }));
  return events;
}

function waitFor<N extends EventName>(
  engine: Engine,
  name: N,
  match: (payload: EventPayload<N>) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<EventPayload<N>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no ${name} within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = engine.events.onAny((event: EventName, payload: unknown) => {
      if (event !== name || !match(payload as EventPayload<N>)) return;
      clearTimeout(timer);
      stop();
      resolve(payload as EventPayload<N>);
    });
  });
}

async function openEngine(pages: OcrPage[], options: { dataDir?: string; nodeFallback: boolean }): Promise<Engine> {
  return createEngine({
    dataDir: options.dataDir ?? tempDir(),
    resourcesDir: path.join(repoRoot, 'resources'),
    transport: 'direct',
    policyFile: null,
    logger: createSilentLogger(),
    drivers: [createFixtureScanDriver(pages)],
    ocr: { nodeFallback: options.nodeFallback, graceMs: 100, attachWindowMs: 1500 },
  });
}

async function scan(engine: Engine, count: number): Promise<string[]> {
  const { batchId } = await engine.capture.start({ deviceId: 'demo', count });
  await engine.capture.idle();
  const pages = await callEngine(engine, 'pages:list', { batchId });
  if (!pages.ok) throw new Error(pages.error.message);
  return pages.value.map((page) => page.id);
}

/** A call that must succeed: its value. */
async function value<N extends CallName>(engine: Engine, name: N, args: CallArgs<N>): Promise<CallValue<N>> {
  const result = await callEngine(engine, name, args);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function stored(engine: Engine, pageId: string) {
  const result = await callEngine(engine, 'ocr:get', { pageId });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

let pages: OcrPage[] = [];

beforeAll(async () => {
  ensureBuilt();
  pages = await Promise.all([
    renderOcrPage({ text: ocrSampleTexts[0], dpi: 150 }),
    renderOcrPage({ text: ocrSampleTexts[1], dpi: 150, skewDeg: -1.2, noise: 10, seed: 'b' }),
    renderOcrPage({ text: ocrSampleTexts[2], dpi: 150, format: 'jpeg' }),
    renderOcrPage({ text: ocrSampleTexts[3], dpi: 150, turnedDeg: 90 }),
  ]);
});

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('OCR in the engine', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine(pages, { nodeFallback: true });
  });
  afterAll(async () => {
    await engine.close();
  });

  it('recognises captured pages on its own pool when no window is attached, and capture never waits for it', async () => {
    const events = record(engine);
    const pageIds = await scan(engine, 3);
    await engine.ocr.scheduler.idle();
    const finished = events.find((event) => event.name === 'scan:finished');
    const recognised = events.filter((event) => event.name === 'ocr:page-recognized');
    // Every page was stored and the batch closed before the first text came back.
    expect(finished).toBeDefined();
    expect(recognised.length).toBe(3);
    expect(recognised[0]!.at).toBeGreaterThanOrEqual(finished!.at);
    for (const event of recognised) expect(event.payload).toMatchObject({ host: 'node', orientation: 0 });
    for (const [index, pageId] of pageIds.entries()) {
      const page = await stored(engine, pageId);
      expect(page.state).toBe('done');
      expect(characterErrorRate(page.result!.text, pages[index]!.text)).toBeLessThan(maxCer);
    }
    expect(await value(engine, 'ocr:status', {})).toMatchObject({
      queued: 0,
      claimed: 0,
      running: 0,
      rendererAttached: false,
      nodeFallback: true,
    });
  });

  it('leaves pages to an attached window, stores what it saves, and takes pages back when the window goes', async () => {
    const events = record(engine);
    // The window says it is there (a claim of nothing) and keeps saying so.
    expect(await value(engine, 'ocr:claim', { max: 0 })).toEqual({ jobs: [] });
    const heartbeat = setInterval(() => void callEngine(engine, 'ocr:claim', { max: 0, holding }), 300);
    let holding: string[] = [];
    try {
      const [first, second] = await scan(engine, 2);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await value(engine, 'ocr:status', {})).toMatchObject({ queued: 2, running: 0 });

      const job = (await value(engine, 'ocr:claim', { max: 1 })).jobs[0] as OcrJob;
      holding = [job.jobId];
      const image = Buffer.from(job.dataBase64, 'base64');
      expect(job).toMatchObject({
        pageId: first,
        rotation: 0,
        detectOrientation: true,
        dpi: 150,
        languages: 'vie+eng',
      });
      expect(image.equals(pages[0]!.data)).toBe(true);
      expect(job.sha256).toBe(crypto.createHash('sha256').update(image).digest('hex'));
      expect((await stored(engine, first!)).state).toBe('running');

      // The window recognises the bytes it got (here with the same engine code the window runs).
      const result = await engine.ocr.engine().recognize({ image, key: job.sha256, dpi: job.dpi ?? undefined });
      expect(await value(engine, 'ocr:save-result', { jobId: job.jobId, result, durationMs: 1234 })).toEqual({
        saved: true,
      });
      holding = [];
      expect(events.find((event) => event.name === 'ocr:page-recognized')?.payload).toMatchObject({
        pageId: first,
        host: 'renderer',
        durationMs: 1234,
      });
      expect((await stored(engine, first!)).result).toEqual(result);
      // A second save of the same attempt is refused.
      expect(await value(engine, 'ocr:save-result', { jobId: job.jobId, result })).toEqual({
        saved: false,
      });

      // The window takes the next page and disappears with it.
      const next = (await value(engine, 'ocr:claim', { max: 1 })).jobs[0] as OcrJob;
      expect(next.pageId).toBe(second);
      clearInterval(heartbeat);
      const recognised = await waitFor(engine, 'ocr:page-recognized', (payload) => payload.pageId === second);
      expect(recognised.host).toBe('node');
      // Its late save changes nothing.
      expect(await value(engine, 'ocr:save-result', { jobId: next.jobId, result })).toEqual({
        saved: false,
      });
      expect(characterErrorRate((await stored(engine, second!)).result!.text, pages[1]!.text)).toBeLessThan(maxCer);
    } finally {
      clearInterval(heartbeat);
    }
  });

  it('reads a sideways page upright, and again with the rotation the clerk chose', async () => {
    const [pageId] = await scan(engine, 4).then((ids) => ids.slice(3));
    await engine.ocr.scheduler.idle();
    const auto = await stored(engine, pageId!);
    expect(auto.result!.orientation).toBe(270);
    expect([auto.result!.widthPx, auto.result!.heightPx]).toEqual([pages[3]!.heightPx, pages[3]!.widthPx]);
    expect(characterErrorRate(auto.result!.text, pages[3]!.text)).toBeLessThan(maxCer);

    const done = waitFor(engine, 'ocr:page-recognized', (payload) => payload.pageId === pageId);
    expect(await value(engine, 'ocr:rerun', { pageId: pageId!, rotation: 270 })).toEqual({ queued: true });
    // The old text is gone while the page is read again.
    expect((await stored(engine, pageId!)).result).toBeNull();
    await done;
    const rerun = await stored(engine, pageId!);
    expect(rerun.result!.orientation).toBe(270);
    expect(rerun.result!.text).toBe(auto.result!.text);
    expect([rerun.result!.widthPx, rerun.result!.heightPx]).toEqual([auto.result!.widthPx, auto.result!.heightPx]);

    // The clerk turns the page in review the way OCR already read it: nothing to read again.
    const turn = (degrees: 90 | 270) => [{ kind: 'rotate' as const, degrees }];
    await value(engine, 'pages:set-transforms', { pageId: pageId!, transforms: turn(270) });
    expect((await stored(engine, pageId!)).state).toBe('done');
    // Turned another way, the page is read again that way up, before anything else waiting.
    const turned = waitFor(engine, 'ocr:page-recognized', (payload) => payload.pageId === pageId);
    const detail = await value(engine, 'pages:set-transforms', { pageId: pageId!, transforms: turn(90) });
    expect(detail.pages.find((page) => page.id === pageId)?.ocrState).toBe('pending');
    await turned;
    const upsideDown = await stored(engine, pageId!);
    expect(upsideDown.result!.orientation).toBe(90);
    expect(characterErrorRate(upsideDown.result!.text, pages[3]!.text)).toBeGreaterThan(maxCer);
    // Without a turn of the clerk's, OCR finds the way up again.
    const back = waitFor(engine, 'ocr:page-recognized', (payload) => payload.pageId === pageId);
    await value(engine, 'pages:set-transforms', { pageId: pageId!, transforms: [] });
    await back;
    const upright = await stored(engine, pageId!);
    expect(upright.result!.orientation).toBe(270);
    expect(upright.result!.text).toBe(auto.result!.text);
  });

  it('never reads a page removed while it waits, and a page gone from the store holds up nothing behind it', async () => {
    const events = record(engine);
    // A window is attached and claims nothing, so the pages wait where the test can reach them.
    const heartbeat = setInterval(() => void callEngine(engine, 'ocr:claim', { max: 0 }), 300);
    let idle: Promise<void>;
    let kept: string | undefined;
    try {
      await callEngine(engine, 'ocr:claim', { max: 0 });
      const [removed, vanished, last] = await scan(engine, 3);
      kept = last;
      expect(engine.ocr.scheduler.status()).toMatchObject({ queued: 3 });
      // The clerk deletes a page: it leaves the queue with it.
      await value(engine, 'pages:remove', { pageId: removed! });
      expect(engine.ocr.scheduler.status()).toMatchObject({ queued: 2 });
      // A page deleted without telling OCR (a discarded document): its turn comes and it is skipped.
      engine.store.workflow.removePage(vanished!, 'test');
      idle = engine.ocr.scheduler.idle();
    } finally {
      clearInterval(heartbeat);
    }
    // The window goes; the Node pool takes what waits: the vanished page first, then the kept one.
    await Promise.race([
      idle,
      new Promise((_, reject) => setTimeout(() => reject(new Error('OCR stalled behind a vanished page')), 60_000)),
    ]);
    const recognised = events
      .filter((event) => event.name === 'ocr:page-recognized')
      .map((event) => (event.payload as { pageId: string }).pageId);
    expect(recognised).toEqual([kept]);
    expect((await stored(engine, kept!)).state).toBe('done');
  });

  it('drops a page withdrawn while a window holds it', async () => {
    const heartbeat = setInterval(() => void callEngine(engine, 'ocr:claim', { max: 0 }), 300);
    try {
      await callEngine(engine, 'ocr:claim', { max: 0 });
      const [pageId] = await scan(engine, 1);
      const job = (await value(engine, 'ocr:claim', { max: 1 })).jobs[0] as OcrJob;
      expect(job.pageId).toBe(pageId);
      const withdrawn = waitFor(engine, 'ocr:withdrawn');
      engine.ocr.scheduler.withdraw(pageId!);
      expect((await withdrawn).jobIds).toEqual([job.jobId]);
      expect(await value(engine, 'ocr:release', { jobIds: [job.jobId] })).toEqual({ released: 0 });
      expect(engine.ocr.scheduler.status()).toMatchObject({ queued: 0, claimed: 0 });
    } finally {
      clearInterval(heartbeat);
    }
  });
});

describe('OCR without its assets', () => {
  it('keeps pages waiting (not failed) when the engine cannot run OCR, and says why', async () => {
    const engine = await createEngine({
      dataDir: tempDir(),
      resourcesDir: tempDir(),
      transport: 'direct',
      policyFile: null,
      logger: createSilentLogger(),
      drivers: [createFixtureScanDriver(pages)],
      ocr: { nodeFallback: true, graceMs: 50 },
    });
    try {
      const [pageId] = await scan(engine, 1);
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(await stored(engine, pageId!)).toEqual({ state: 'pending', result: null, errorCode: null });
      await expect(Promise.resolve().then(() => engine.ocr.engine())).rejects.toMatchObject({
        code: 'ocr/assets-missing',
      });
    } finally {
      await engine.close();
    }
  });
});

describe('OCR across restarts', () => {
  it('recognises pages an earlier run left waiting', async () => {
    const dataDir = tempDir();
    const first = await openEngine(pages, { dataDir, nodeFallback: false });
    const [pageId] = await scan(first, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // A one-shot command stores pages and leaves their OCR to the next long-running engine.
    expect((await stored(first, pageId!)).state).toBe('pending');
    await first.close();

    const second = await openEngine(pages, { dataDir, nodeFallback: true });
    try {
      await second.ocr.scheduler.idle();
      const page = await stored(second, pageId!);
      expect(page.state).toBe('done');
      expect(characterErrorRate(page.result!.text, pages[0]!.text)).toBeLessThan(maxCer);
    } finally {
      await second.close();
    }
  });
});
