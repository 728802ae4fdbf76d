import type { StationErrorShape } from '../../shared/errors.js';
import { isStationError } from '../../shared/errors.js';
import type { OcrJob } from '../../shared/ocr.js';
import type { OcrPool } from '../../shared/ocr-queue.js';
import type { Settings } from '../../shared/settings.js';
import type { StationClient } from '../station/station-client.js';

/** The pool the agent feeds (the browser one in the app, a fake in tests). */
export type AgentOcrEngine = Pick<OcrPool, 'recognize' | 'prioritize' | 'terminate' | 'warm'> & {
  readonly size: number;
};

export interface OcrAgentOptions {
  client: StationClient;
  /** Creates the pool for the OCR settings in force. */
  createEngine(settings: Settings['ocr']): Promise<AgentOcrEngine>;
  /** How often the agent tells the engine it is still there (and renews the pages it holds). */
  heartbeatMs?: number;
  /** Told why OCR cannot run in this window; the browser console by default. */
  onProblem?: (message: string) => void;
}

/** Where the renderer's OCR stands: `unavailable` leaves every page to the engine's own pool. */
export type OcrAgentState = 'starting' | 'ready' | 'unavailable' | 'stopped';

/**
 * The renderer's side of OCR: claims pages from the engine, recognises them in web workers and
 * saves the results through the contract.
 *
 * It claims only as many pages as it has free workers, so the engine keeps the rest queued and
 * capture never waits. A heartbeat tells the engine the window is there; when the window closes,
 * the heartbeat stops and the engine's own pool takes over.
 */
export interface OcrAgent {
  /** The pages on screen, most important first: the engine hands them out first. */
  setVisiblePages(pageIds: readonly string[]): void;
  readonly state: OcrAgentState;
  /** Pages being recognised here now. */
  readonly inFlight: number;
  /** Why OCR cannot run in this window (state `unavailable`). */
  readonly problem: string | null;
  stop(): Promise<void>;
}

/** Characters of base64 decoded per main-thread task (a multiple of 4): a few milliseconds each. */
const base64SliceChars = 128 * 1024;

/**
 * Base64 to bytes without a long main-thread task: natively where the browser has
 * `Uint8Array.fromBase64`, otherwise slice by slice, yielding to the page between slices (a 300 dpi
 * page is about 2 MB of base64, over 100 ms in one loop on a busy 2-core machine).
 */
export async function decodeBase64(text: string, yieldToPage: () => Promise<void> = nextTask): Promise<Uint8Array> {
  const native = (Uint8Array as unknown as { fromBase64?: (input: string) => Uint8Array }).fromBase64;
  if (native !== undefined) return native(text);
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let written = 0;
  for (let start = 0; start < text.length; start += base64SliceChars) {
    if (start > 0) await yieldToPage();
    const binary = atob(text.slice(start, start + base64SliceChars));
    for (let i = 0; i < binary.length; i += 1) bytes[written + i] = binary.charCodeAt(i);
    written += binary.length;
  }
  return bytes;
}

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function shapeOf(error: unknown): StationErrorShape {
  if (isStationError(error)) return error.toShape();
  return { code: 'ocr/failed', message: error instanceof Error ? error.message : 'Recognition failed' };
}

/** Starts the agent; it runs until `stop`. */
export function startOcrAgent(options: OcrAgentOptions): OcrAgent {
  const { client } = options;
  const heartbeatMs = options.heartbeatMs ?? 3000;
  const held = new Map<string, { job: OcrJob; controller: AbortController }>();
  let engine: AgentOcrEngine | undefined;
  let engineKey = '';
  let state: OcrAgentState = 'starting';
  let claiming = false;
  let claimAgain = false;
  let visible: readonly string[] = [];
  let problem: string | null = null;
  // A function, not a comparison: `state` changes across awaits, which narrowing does not see.
  const stopped = (): boolean => state === 'stopped';

  async function claim(): Promise<void> {
    if (stopped()) return;
    if (claiming) {
      claimAgain = true;
      return;
    }
    claiming = true;
    try {
      // While the workers start, a claim of nothing says "a window is here" so the engine waits for it.
      const free = engine === undefined ? 0 : Math.max(0, Math.min(4, engine.size - held.size));
      const result = await client.call('ocr:claim', { max: free, holding: [...held.keys()] });
      if (!result.ok || engine === undefined) return;
      for (const job of result.value.jobs) recognise(engine, job);
    } finally {
      claiming = false;
      if (claimAgain) {
        claimAgain = false;
        void claim();
      }
    }
  }

  function recognise(pool: AgentOcrEngine, job: OcrJob): void {
    const controller = new AbortController();
    held.set(job.jobId, { job, controller });
    const started = performance.now();
    void (async () => {
      try {
        const result = await pool.recognize({
          image: await decodeBase64(job.dataBase64),
          key: job.sha256,
          priority: job.priority,
          detectOrientation: job.detectOrientation,
          ...(job.dpi === null ? {} : { dpi: job.dpi }),
          languages: job.languages,
          signal: controller.signal,
        });
        if (!held.has(job.jobId)) return;
        await client.call('ocr:save-result', { jobId: job.jobId, result, durationMs: performance.now() - started });
      } catch (error) {
        if (!held.has(job.jobId)) return;
        const shape = shapeOf(error);
        // A fault of the page fails it (the clerk can rerun); a recogniser that stopped gives it back.
        const pageFault = shape.code === 'ocr/unreadable-image' || shape.code === 'ocr/failed';
        await client.call('ocr:release', pageFault ? { jobIds: [job.jobId], error: shape } : { jobIds: [job.jobId] });
      } finally {
        held.delete(job.jobId);
        void claim();
      }
    })();
  }

  /** Drops pages the engine took back (deleted, or queued again with a rotation). */
  function withdraw(jobIds: readonly string[]): void {
    for (const jobId of jobIds) {
      const entry = held.get(jobId);
      if (entry === undefined) continue;
      held.delete(jobId);
      entry.controller.abort();
    }
  }

  /** Builds (or rebuilds, when workers or data changed) the pool and starts one worker. */
  async function prepare(): Promise<void> {
    const settings = await client.call('settings:get', {});
    if (!settings.ok || stopped()) return;
    const ocr = settings.value.values.ocr;
    const key = JSON.stringify([ocr.workers, ocr.variant]);
    if (engine !== undefined && key === engineKey) return;
    const old = engine;
    engine = undefined;
    if (old !== undefined) {
      withdraw([...held.keys()]);
      await old.terminate();
    }
    try {
      const created = await options.createEngine(ocr);
      await created.warm();
      if (stopped()) {
        await created.terminate();
        return;
      }
      engine = created;
      engineKey = key;
      state = 'ready';
      void claim();
    } catch (error) {
      // No OCR in this window (no WebAssembly, assets not served): the engine's pool does it.
      state = 'unavailable';
      problem = shapeOf(error).message;
      (options.onProblem ?? console.warn)(`OCR runs in the station engine instead of this window: ${problem}`);
    }
  }

  const heartbeat = setInterval(() => {
    if (state === 'starting' || state === 'ready') void claim();
  }, heartbeatMs);
  const unsubscribes = [
    client.on('ocr:queued', () => {
      if (state === 'ready') void claim();
    }),
    client.on('ocr:withdrawn', ({ jobIds }) => withdraw(jobIds)),
    client.on('settings:changed', () => {
      if (!stopped()) void prepare();
    }),
    client.onConnectionChange((connection) => {
      if (connection === 'online' && state === 'ready') void claim();
    }),
  ];
  void claim();
  void prepare();

  return {
    setVisiblePages(pageIds) {
      if (pageIds.length === visible.length && pageIds.every((id, index) => visible[index] === id)) return;
      visible = [...pageIds];
      void client.call('ocr:prioritize', { pageIds: visible.slice(0, 50) });
      for (const [index, pageId] of visible.entries()) {
        for (const { job } of held.values()) {
          if (job.pageId === pageId) engine?.prioritize(job.sha256, 1000 - index);
        }
      }
    },
    get state() {
      return state;
    },
    get inFlight() {
      return held.size;
    },
    get problem() {
      return problem;
    },
    async stop() {
      state = 'stopped';
      clearInterval(heartbeat);
      for (const unsubscribe of unsubscribes) unsubscribe();
      const jobIds = [...held.keys()];
      withdraw(jobIds);
      // Give the pages back at once rather than after the engine's lease runs out.
      if (jobIds.length > 0) await client.call('ocr:release', { jobIds });
      await engine?.terminate();
      engine = undefined;
    },
  };
}
