import { afterEach, describe, expect, it } from 'vitest';
import { StationError } from '../../../shared/errors.js';
import type { OcrJob, OcrRequest, OcrResult } from '../../../shared/ocr.js';
import { cancelledError } from '../../../shared/ocr-queue.js';
import { defaultSettings } from '../../../shared/settings.js';
import type { AgentOcrEngine, OcrAgent } from '../../../renderer/ocr/ocr-agent.js';
import { decodeBase64, startOcrAgent } from '../../../renderer/ocr/ocr-agent.js';
import { FakeStationClient } from '../renderer/fake-station-client.js';

/** A pool of `size` that answers each request when the test says; results name the image. */
class FakeEngine implements AgentOcrEngine {
  readonly requests: OcrRequest[] = [];
  readonly prioritized: [string, number][] = [];
  terminated = false;
  private waiting: { request: OcrRequest; resolve: (r: OcrResult) => void; reject: (e: unknown) => void }[] = [];
  constructor(readonly size: number) {}

  warm = () => Promise.resolve();

  recognize(request: OcrRequest): Promise<OcrResult> {
    this.requests.push(request);
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      request.signal?.addEventListener('abort', () => reject(cancelledError()));
    });
  }

  finish(index = 0): void {
    const [entry] = this.waiting.splice(index, 1);
    const text = new TextDecoder().decode(entry!.request.image);
    entry!.resolve({
      text,
      lines: [],
      orientation: 0,
      confidence: 90,
      languages: 'vie+eng',
      engine: 'fake',
      widthPx: 1,
      heightPx: 1,
    });
  }

  fail(error: unknown): void {
    this.waiting.shift()!.reject(error);
  }

  prioritize(key: string, priority: number): void {
    this.prioritized.push([key, priority]);
  }

  terminate(): Promise<void> {
    this.terminated = true;
    return Promise.resolve();
  }
}

const job = (n: number): OcrJob => ({
  jobId: `page-${n}:${n}`,
  pageId: `page-${n}`,
  batchId: 'batch',
  sha256: String(n).repeat(64).slice(0, 64),
  rotation: 0,
  detectOrientation: true,
  dpi: 300,
  languages: 'vie+eng',
  priority: 0,
  dataBase64: Buffer.from(`image ${n}`).toString('base64'),
});

const settle = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

let agent: OcrAgent | undefined;
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
});

function setup(queue: OcrJob[], engine: FakeEngine | Error) {
  const client = new FakeStationClient();
  const saved: unknown[] = [];
  const released: unknown[] = [];
  const problems: string[] = [];
  client
    .handle('settings:get', () => ({ ok: true, value: { values: defaultSettings(), locked: [], problems: [] } }))
    .handle('ocr:claim', ({ max }) => ({ ok: true, value: { jobs: queue.splice(0, max) } }))
    .handle('ocr:save-result', (args) => {
      saved.push(args);
      return { ok: true, value: { saved: true } };
    })
    .handle('ocr:release', (args) => {
      released.push(args);
      return { ok: true, value: { released: args.jobIds.length } };
    })
    .handle('ocr:prioritize', () => ({ ok: true, value: {} }));
  agent = startOcrAgent({
    client,
    heartbeatMs: 20,
    onProblem: (message) => problems.push(message),
    createEngine: () => (engine instanceof Error ? Promise.reject(engine) : Promise.resolve(engine)),
  });
  const claims = () => client.calls.filter((call) => call.name === 'ocr:claim').map((call) => call.args);
  return { client, saved, released, claims, problems };
}

describe('the renderer OCR agent', () => {
  it('claims only as many pages as it has free workers and saves each result', async () => {
    const engine = new FakeEngine(2);
    const queue = [job(1), job(2), job(3)];
    const { saved, claims } = setup(queue, engine);
    await settle(30);
    expect(agent!.state).toBe('ready');
    // Before the workers were ready it only said it was there.
    expect(claims()[0]).toEqual({ max: 0, holding: [] });
    expect(engine.requests.map((request) => new TextDecoder().decode(request.image))).toEqual(['image 1', 'image 2']);
    expect(engine.requests[0]).toMatchObject({
      key: job(1).sha256,
      detectOrientation: true,
      dpi: 300,
      languages: 'vie+eng',
    });
    // The heartbeat renews the pages it holds and asks for nothing more.
    expect(claims().at(-1)).toEqual({ max: 0, holding: ['page-1:1', 'page-2:2'] });
    engine.finish();
    await settle();
    expect(saved).toEqual([
      {
        jobId: 'page-1:1',
        result: expect.objectContaining({ text: 'image 1' }) as object,
        durationMs: expect.any(Number) as number,
      },
    ]);
    // The freed worker took the third page.
    expect(engine.requests).toHaveLength(3);
    expect(agent!.inFlight).toBe(2);
  });

  it('fails a page it cannot read, and gives back pages the engine withdrew or the agent dropped', async () => {
    const engine = new FakeEngine(2);
    const { client, released, saved } = setup([job(1), job(2)], engine);
    await settle(30);
    engine.fail(new StationError('ocr/unreadable-image', 'bad image'));
    await settle();
    expect(released).toEqual([{ jobIds: ['page-1:1'], error: { code: 'ocr/unreadable-image', message: 'bad image' } }]);
    client.emit('ocr:withdrawn', { jobIds: ['page-2:2'] });
    await settle();
    expect(agent!.inFlight).toBe(0);
    expect(saved).toEqual([]);
    expect(released).toHaveLength(1);
  });

  it('leaves OCR to the engine when its workers cannot start, and stops asking for work', async () => {
    const { claims, problems } = setup([job(1)], new Error('no WebAssembly here'));
    await settle(30);
    expect(agent!.state).toBe('unavailable');
    expect(agent!.problem).toBe('no WebAssembly here');
    expect(problems).toEqual(['OCR runs in the station engine instead of this window: no WebAssembly here']);
    const count = claims().length;
    await settle(80);
    expect(claims()).toHaveLength(count);
    expect(claims().every((args) => (args as { max: number }).max === 0)).toBe(true);
  });

  it('tells the engine which pages are on screen, and returns held pages when it stops', async () => {
    const engine = new FakeEngine(1);
    const { client, released } = setup([job(7)], engine);
    await settle(30);
    agent!.setVisiblePages(['page-7', 'page-8']);
    agent!.setVisiblePages(['page-7', 'page-8']);
    expect(client.calls.filter((call) => call.name === 'ocr:prioritize').map((call) => call.args)).toEqual([
      { pageIds: ['page-7', 'page-8'] },
    ]);
    expect(engine.prioritized).toEqual([[job(7).sha256, 1000]]);
    await agent!.stop();
    expect(released).toEqual([{ jobIds: ['page-7:7'] }]);
    expect(engine.terminated).toBe(true);
    expect(agent!.state).toBe('stopped');
  });
});

describe('decodeBase64', () => {
  it('decodes a page-sized image slice by slice, yielding to the page between slices, byte for byte', async () => {
    // Node 20 has no Uint8Array.fromBase64, like the Chromium of these machines: the sliced path runs.
    expect((Uint8Array as unknown as { fromBase64?: unknown }).fromBase64).toBeUndefined();
    for (const size of [0, 1, 2, 3, 98_304, 98_305, 1_500_001]) {
      const bytes = Buffer.from(Array.from({ length: size }, (_, i) => (i * 7919 + (i >> 8)) & 0xff));
      let yields = 0;
      const decoded = await decodeBase64(bytes.toString('base64'), () => {
        yields += 1;
        return Promise.resolve();
      });
      expect(Buffer.from(decoded).equals(bytes), `size ${size}`).toBe(true);
      // 128 Ki characters of base64 per task: a 1.5 MB image takes 16 tasks, not one.
      expect(yields).toBe(Math.max(0, Math.ceil((Math.ceil(size / 3) * 4) / (128 * 1024)) - 1));
    }
  });
});
