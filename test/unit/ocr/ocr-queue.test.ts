import { describe, expect, it } from 'vitest';
import { isStationError } from '../../../shared/errors.js';
import type { OcrResult } from '../../../shared/ocr.js';
import type { OcrSlot, OcrTask } from '../../../shared/ocr-queue.js';
import { createOcrPool, createTesseractSlot } from '../../../shared/ocr-queue.js';

/** A slot whose recognitions finish when the test says so; the result names the image it read. */
class FakeOcrSlot implements OcrSlot {
  healthy = true;
  terminated = false;
  readonly started: OcrTask[] = [];
  private pending: { task: OcrTask; resolve: (result: OcrResult) => void; reject: (error: unknown) => void }[] = [];

  recognize(task: OcrTask): Promise<OcrResult> {
    this.started.push(task);
    return new Promise((resolve, reject) => this.pending.push({ task, resolve, reject }));
  }

  finish(): void {
    const next = this.pending.shift();
    if (next === undefined) throw new Error('nothing running');
    next.resolve(resultFor(next.task));
  }

  fail(error: unknown, die = false): void {
    const next = this.pending.shift();
    if (next === undefined) throw new Error('nothing running');
    if (die) this.healthy = false;
    next.reject(error);
  }

  terminate(): Promise<void> {
    this.terminated = true;
    return Promise.resolve();
  }
}

function resultFor(task: OcrTask): OcrResult {
  const text = new TextDecoder().decode(task.image);
  return {
    text,
    lines: [],
    orientation: 0,
    confidence: 90,
    languages: task.languages,
    engine: 'fake',
    widthPx: 10,
    heightPx: 10,
  };
}

const image = (name: string): Uint8Array => new TextEncoder().encode(name);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function pool(size: number) {
  const slots: FakeOcrSlot[] = [];
  const engine = createOcrPool({
    size,
    createSlot: () => {
      const slot = new FakeOcrSlot();
      slots.push(slot);
      return Promise.resolve(slot);
    },
  });
  return { engine, slots };
}

describe('the OCR request queue', () => {
  it('starts slots lazily, at most the pool size, and runs the highest priority first', async () => {
    const { engine, slots } = pool(1);
    expect(slots).toHaveLength(0);
    const order: string[] = [];
    const track = (name: string, priority: number) =>
      engine.recognize({ image: image(name), priority }).then((result) => order.push(result.text));
    const all = [track('first', 0), track('low', 0), track('screen', 10), track('middle', 5)];
    await settle();
    expect(slots).toHaveLength(1);
    // The slot starts after all four arrived: they run by priority, then by age.
    for (let i = 0; i < 4; i += 1) {
      slots[0]!.finish();
      await settle();
    }
    await Promise.all(all);
    expect(order).toEqual(['screen', 'middle', 'first', 'low']);
  });

  it('raises the priority of a queued request', async () => {
    const { engine, slots } = pool(1);
    const order: string[] = [];
    const done = ['busy', 'a', 'b', 'c'].map((name) =>
      engine.recognize({ image: image(name), key: name }).then((result) => order.push(result.text)),
    );
    await settle();
    engine.prioritize('c', 100);
    for (let i = 0; i < 4; i += 1) {
      slots[0]!.finish();
      await settle();
    }
    await Promise.all(done);
    expect(order).toEqual(['busy', 'c', 'a', 'b']);
  });

  it('shares one recognition between requests for the same image hash', async () => {
    const { engine, slots } = pool(2);
    const first = engine.recognize({ image: image('page'), key: 'sha-1' });
    const second = engine.recognize({ image: image('page'), key: 'sha-1' });
    // Different parameters are a different recognition.
    const upright = engine.recognize({ image: image('page'), key: 'sha-1', detectOrientation: false });
    await settle();
    expect(slots.flatMap((slot) => slot.started)).toHaveLength(2);
    for (const slot of slots) slot.finish();
    const [a, b] = await Promise.all([first, second, upright]);
    expect(a).toBe(b);
  });

  it('cancels a queued request when its signal aborts, and drops the recognition nobody waits for', async () => {
    const { engine, slots } = pool(1);
    const busy = engine.recognize({ image: image('busy') });
    const controller = new AbortController();
    const deleted = engine.recognize({ image: image('deleted'), signal: controller.signal });
    const kept = engine.recognize({ image: image('kept') });
    await settle();
    controller.abort();
    const error = await deleted.catch((caught: unknown) => caught);
    expect(isStationError(error) && error.code).toBe('ocr/cancelled');
    expect(engine.queued).toBe(1);
    slots[0]!.finish();
    await busy;
    await settle();
    slots[0]!.finish();
    expect((await kept).text).toBe('kept');
    expect(slots[0]!.started.map((task) => new TextDecoder().decode(task.image))).toEqual(['busy', 'kept']);
  });

  it('rejects every request for a withdrawn key, even while it runs, and rejects an aborted signal at once', async () => {
    const { engine, slots } = pool(1);
    const running = engine.recognize({ image: image('x'), key: 'page-1' });
    await settle();
    engine.cancel('page-1');
    await expect(running).rejects.toMatchObject({ code: 'ocr/cancelled' });
    // The slot still finishes tesseract's work; the pool is usable afterwards.
    slots[0]!.finish();
    await settle();
    const controller = new AbortController();
    controller.abort();
    await expect(engine.recognize({ image: image('y'), signal: controller.signal })).rejects.toMatchObject({
      code: 'ocr/cancelled',
    });
    const next = engine.recognize({ image: image('z') });
    await settle();
    slots[0]!.finish();
    expect((await next).text).toBe('z');
  });

  it('replaces a slot that died, and reports the failure to the waiting caller', async () => {
    const { engine, slots } = pool(1);
    const crashed = engine.recognize({ image: image('bad') });
    await settle();
    slots[0]!.fail(new Error('worker exited'), true);
    await expect(crashed).rejects.toThrow('worker exited');
    await settle();
    expect(slots[0]!.terminated).toBe(true);
    const next = engine.recognize({ image: image('good') });
    await settle();
    expect(slots).toHaveLength(2);
    slots[1]!.finish();
    expect((await next).text).toBe('good');
  });

  it('fails waiting requests when no slot can start (missing assets) and tries again later', async () => {
    let attempts = 0;
    const engine = createOcrPool({
      size: 2,
      createSlot: () => {
        attempts += 1;
        return Promise.reject(new Error('assets missing'));
      },
    });
    await expect(engine.recognize({ image: image('a') })).rejects.toThrow('assets missing');
    await expect(engine.recognize({ image: image('b') })).rejects.toThrow('assets missing');
    expect(attempts).toBe(2);
  });

  it('stops: waiting requests are cancelled and every slot is terminated', async () => {
    const { engine, slots } = pool(2);
    const requests = ['a', 'b', 'c'].map((name) =>
      engine.recognize({ image: image(name) }).catch((error: unknown) => error),
    );
    await settle();
    await engine.terminate();
    for (const outcome of await Promise.all(requests)) expect(outcome).toMatchObject({ code: 'ocr/cancelled' });
    expect(slots.every((slot) => slot.terminated)).toBe(true);
    await expect(engine.recognize({ image: image('late') })).rejects.toMatchObject({ code: 'ocr/cancelled' });
    await engine.idle();
  });
});

describe('a tesseract slot', () => {
  /** A PNG header of 100 × 50 pixels: enough for the slot to know the page size. */
  const png = new Uint8Array([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 100, 0, 0, 0, 50,
  ]);
  const blocks = (confidence: number, x0 = 10, x1 = 90) => [
    {
      paragraphs: [
        {
          lines: [
            {
              bbox: { x0, y0: 10, x1, y1: 20 },
              baseline: { x0, y0: 20, x1, y1: 20 },
              words: [{ text: 'Việt', confidence, bbox: { x0, y0: 10, x1, y1: 20 } }],
            },
          ],
        },
      ],
    },
  ];

  /** A tesseract.js worker that answers each segmentation mode with the given reading. */
  function fakeWorker(answers: Record<string, ReturnType<typeof blocks> | null>) {
    const seen: Record<string, string>[] = [];
    return {
      seen,
      worker: {
        reinitialize: () => Promise.resolve(),
        recognize: (_image: Uint8Array, parameters: Record<string, string>) => {
          seen.push(parameters);
          return Promise.resolve({ data: { blocks: answers[parameters.tessedit_pageseg_mode!] ?? null } });
        },
        terminate: () => Promise.resolve(),
      },
    };
  }

  const task = { image: png, languages: 'vie', detectOrientation: true, dpi: 300 };

  it('reads an upright page once, without orientation detection', async () => {
    const fake = fakeWorker({ '3': blocks(95) });
    const slot = await createTesseractSlot({
      languages: 'vie',
      engineLabel: 't',
      createWorker: () => Promise.resolve(fake.worker),
    });
    const result = await slot.recognize(task);
    expect(fake.seen.map((parameters) => parameters.tessedit_pageseg_mode)).toEqual(['3']);
    expect(fake.seen[0]).toMatchObject({ user_defined_dpi: '300', thresholding_method: '2', tessedit_do_invert: '0' });
    expect(result).toMatchObject({ text: 'Việt', confidence: 95, widthPx: 100, heightPx: 50, engine: 't' });
  });

  it('reads a page that reads badly again with orientation detection and keeps the better reading', async () => {
    // Upside-down text: garbage at low confidence; with OSD the baseline runs right to left.
    const fake = fakeWorker({ '3': blocks(55), '1': blocks(93, 90, 10) });
    const slot = await createTesseractSlot({
      languages: 'vie',
      engineLabel: 't',
      createWorker: () => Promise.resolve(fake.worker),
    });
    const result = await slot.recognize(task);
    expect(fake.seen.map((parameters) => parameters.tessedit_pageseg_mode)).toEqual(['3', '1']);
    expect(result).toMatchObject({ confidence: 93, orientation: 180 });
    // A page that reads badly either way keeps its first reading.
    const poor = fakeWorker({ '3': blocks(60), '1': blocks(40) });
    const second = await createTesseractSlot({
      languages: 'vie',
      engineLabel: 't',
      createWorker: () => Promise.resolve(poor.worker),
    });
    expect((await second.recognize(task)).confidence).toBe(60);
  });

  it('does not look for the orientation of a page the clerk turned, nor of a blank page', async () => {
    const fake = fakeWorker({ '3': blocks(50) });
    const slot = await createTesseractSlot({
      languages: 'vie',
      engineLabel: 't',
      createWorker: () => Promise.resolve(fake.worker),
    });
    await slot.recognize({ ...task, detectOrientation: false });
    const blank = fakeWorker({ '3': null });
    const blankSlot = await createTesseractSlot({
      languages: 'vie',
      engineLabel: 't',
      createWorker: () => Promise.resolve(blank.worker),
    });
    expect((await blankSlot.recognize(task)).text).toBe('');
    expect([...fake.seen, ...blank.seen].map((parameters) => parameters.tessedit_pageseg_mode)).toEqual(['3', '3']);
  });
});
