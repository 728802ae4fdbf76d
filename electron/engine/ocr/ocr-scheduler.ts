import type { OcrJob, OcrPageResult, OcrResult, OcrStatus, Orientation } from '../../../shared/ocr.js';
import { addOrientations, lowConfidenceWords } from '../../../shared/ocr.js';
import type { StationErrorShape } from '../../../shared/errors.js';
import { StationError, isStationError } from '../../../shared/errors.js';
import type { Settings } from '../../../shared/settings.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../event-bus.js';
import type { Logger } from '../logging/logger.js';
import type { FileStore } from '../store/file-store.js';
import type { OcrInput } from './ocr-input.js';
import { prepareOcrInput } from './ocr-input.js';
import type { OcrPageLookup } from './ocr-pages.js';

/** The store's side of OCR (electron/engine/store/ocr-repository.ts implements it). */
export interface OcrResultStore {
  save(pageId: string, result: OcrResult, at: string): void;
  get(pageId: string): OcrResult | undefined;
  setState(pageId: string, state: 'pending' | 'running' | 'failed' | 'skipped', errorCode?: string): void;
  listWaiting(limit: number): { pageId: string }[];
}

/** The engine's own recogniser (the Node worker-thread pool), started on first use. */
export interface NodeRecognizer {
  recognize(request: {
    image: Uint8Array;
    key: string;
    priority: number;
    detectOrientation: boolean;
    dpi?: number;
    languages: string;
    signal: AbortSignal;
  }): Promise<OcrResult>;
  prioritize(key: string, priority: number): void;
  terminate(): Promise<void>;
}

export interface OcrSchedulerOptions {
  events: EventBus;
  results: OcrResultStore;
  pages: OcrPageLookup;
  files: Pick<FileStore, 'read'>;
  settings: () => Settings;
  clock: Clock;
  logger: Logger;
  /** The Node pool, created when first needed (it costs ~150 MB and a second per worker). */
  nodeRecognizer: () => NodeRecognizer;
  /** How many pages the Node pool works on at once (its size). */
  nodeConcurrency: () => number;
  /** Whether the Node pool takes pages no renderer claimed (off for one-shot CLI commands). */
  nodeFallback: boolean;
  /** How long a new page waits for a renderer before the Node pool may take it. */
  graceMs?: number | undefined;
  /** A renderer that has not called for this long is gone (its claims go back to the queue). */
  attachWindowMs?: number | undefined;
}

/**
 * Decides who recognises each stored page, and stores what comes back.
 *
 * New pages (`scan:page-captured`, and pages left waiting by an earlier run) enter a queue. An
 * attached renderer claims them (`ocr:claim`) and returns results (`ocr:save-result`); while no
 * renderer is attached, the engine's Node pool takes pages that have waited the grace period, so a
 * page never waits for a window to open. Capture never waits for any of it: the event handler only
 * adds a queue entry.
 */
export interface OcrScheduler {
  /** Queues a page (again); `rotation` = the clerk's clockwise turn, which skips orientation detection. */
  enqueue(pageId: string, options?: { priority?: number; rotation?: Orientation }): boolean;
  claim(max: number, holding: readonly string[]): Promise<OcrJob[]>;
  saveResult(jobId: string, result: OcrResult, durationMs?: number): { saved: boolean };
  release(jobIds: readonly string[], error?: StationErrorShape): number;
  /** The pages on screen, most important first. */
  prioritize(pageIds: readonly string[]): void;
  rerun(pageId: string, rotation?: Orientation): { queued: boolean };
  /** The page was deleted: drop it from the queue and from whoever is recognising it. */
  withdraw(pageId: string): void;
  get(pageId: string): OcrPageResult;
  status(): OcrStatus;
  /** Resolves when nothing is queued, claimed or running (tests, CLI). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface Job {
  pageId: string;
  batchId: string;
  generation: number;
  priority: number;
  seq: number;
  /** The clerk's rotation; undefined = detect the orientation. */
  rotation: Orientation | undefined;
  state: 'queued' | 'claimed' | 'node';
  queuedAt: number;
  leaseUntil: number;
  claimedAt: number;
  controller: AbortController | undefined;
  /** The de-duplication key of its recognition on the Node pool. */
  key: string | undefined;
}

const screenPriority = 50;
const rerunPriority = 100;
const maxRecovered = 10_000;

/** Creates the scheduler and subscribes it to the event bus. */
export function createOcrScheduler(options: OcrSchedulerOptions): OcrScheduler {
  const { events, results, pages, files, clock } = options;
  const log = options.logger.child('ocr');
  const graceMs = options.graceMs ?? 2500;
  const attachWindowMs = options.attachWindowMs ?? 10_000;
  const jobs = new Map<string, Job>();
  let seq = 0;
  let generation = 0;
  let lastRendererCall = Number.NEGATIVE_INFINITY;
  let visible: string[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let node: NodeRecognizer | undefined;
  /** Set when the Node pool cannot run at all (assets missing): pages then wait for a window. */
  let nodeUnavailable = false;
  let idleWaiters: (() => void)[] = [];
  const running = new Set<Promise<void>>();

  const now = (): number => clock.now().getTime();
  const jobIdOf = (job: Job): string => `${job.pageId}:${job.generation}`;
  const rendererAttached = (): boolean => now() - lastRendererCall < attachWindowMs;

  function byJobId(jobId: string): Job | undefined {
    const pageId = jobId.slice(0, jobId.lastIndexOf(':'));
    const job = jobs.get(pageId);
    return job !== undefined && jobIdOf(job) === jobId ? job : undefined;
  }

  function settleIdle(): void {
    if (jobs.size > 0 || running.size > 0) return;
    const waiting = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiting) resolve();
  }

  function basePriority(job: Job): number {
    const onScreen = visible.indexOf(job.pageId);
    return Math.max(job.priority, onScreen === -1 ? 0 : screenPriority + (visible.length - onScreen));
  }

  function setState(pageId: string, state: 'pending' | 'running' | 'failed', errorCode?: string): boolean {
    try {
      results.setState(pageId, state, errorCode);
      return true;
    } catch (error) {
      // The page was purged or its document sealed meanwhile: its text is settled, drop the job.
      if (!isStationError(error)) log.error('could not record the OCR state of a page', { pageId, state, error });
      jobs.delete(pageId);
      return false;
    }
  }

  function enqueue(pageId: string, request: { priority?: number; rotation?: Orientation } = {}): boolean {
    if (closed) return false;
    const page = pages(pageId);
    if (page === undefined) return false;
    const existing = jobs.get(pageId);
    if (existing !== undefined) withdrawJob(existing);
    seq += 1;
    generation += 1;
    const job: Job = {
      pageId,
      batchId: page.batchId,
      generation,
      priority: request.priority ?? 0,
      seq,
      rotation: request.rotation,
      state: 'queued',
      queuedAt: now(),
      leaseUntil: 0,
      claimedAt: 0,
      controller: undefined,
      key: undefined,
    };
    jobs.set(pageId, job);
    events.emit('ocr:queued', { pageId, batchId: page.batchId });
    schedule(0);
    return true;
  }

  /** Stops whoever works on the job now: aborts the Node recognition or tells the renderer to drop it. */
  function withdrawJob(job: Job): void {
    if (job.state === 'node') job.controller?.abort();
    if (job.state === 'claimed') events.emit('ocr:withdrawn', { jobIds: [jobIdOf(job)] });
    jobs.delete(job.pageId);
  }

  function ordered(state: Job['state']): Job[] {
    return [...jobs.values()]
      .filter((job) => job.state === state)
      .sort((a, b) => basePriority(b) - basePriority(a) || a.seq - b.seq);
  }

  async function inputOf(job: Job): Promise<{ input: OcrInput; dpi: number | null } | undefined> {
    const page = pages(job.pageId);
    if (page === undefined) {
      jobs.delete(job.pageId);
      return undefined;
    }
    const stored = await files.read(page.sha256);
    const dpi = page.dpi > 0 ? page.dpi : null;
    return { input: await prepareOcrInput(stored, job.rotation ?? 0, dpi), dpi };
  }

  function fail(job: Job, error: unknown): void {
    const shape: StationErrorShape = isStationError(error)
      ? error.toShape()
      : { code: 'ocr/failed', message: 'Recognition failed' };
    if (!isStationError(error)) log.error('OCR of a page failed', { pageId: job.pageId, error });
    else log.warn('OCR of a page failed', { pageId: job.pageId, code: shape.code });
    jobs.delete(job.pageId);
    setState(job.pageId, 'failed', shape.code);
    events.emit('ocr:page-failed', { pageId: job.pageId, batchId: job.batchId, error: shape });
    settleIdle();
  }

  function store(job: Job, result: OcrResult, host: 'renderer' | 'node', durationMs: number): boolean {
    const final: OcrResult =
      job.rotation === undefined
        ? result
        : { ...result, orientation: addOrientations(job.rotation, result.orientation) };
    try {
      results.save(job.pageId, final, clock.now().toISOString());
    } catch (error) {
      fail(job, error);
      return false;
    }
    jobs.delete(job.pageId);
    const words = final.lines.reduce((count, line) => count + line.words.length, 0);
    const threshold = options.settings().ocr.lowConfidenceThreshold;
    events.emit('ocr:page-recognized', {
      pageId: job.pageId,
      batchId: job.batchId,
      host,
      orientation: final.orientation,
      confidence: final.confidence,
      words,
      lowConfidenceWords: lowConfidenceWords(final, threshold).length,
      durationMs: Math.max(0, Math.round(durationMs)),
    });
    log.info('page recognised', { pageId: job.pageId, host, words, ms: Math.round(durationMs) });
    settleIdle();
    return true;
  }

  /** Runs one job on the Node pool; false when its page is gone (deleted, purged, sealed) and the job was dropped. */
  function runOnNode(job: Job): boolean {
    job.state = 'node';
    job.controller = new AbortController();
    if (!setState(job.pageId, 'running')) return false;
    const started = now();
    const settings = options.settings().ocr;
    const work = (async () => {
      try {
        const prepared = await inputOf(job);
        if (prepared === undefined || job.controller?.signal.aborted === true) return;
        node ??= options.nodeRecognizer();
        job.key = prepared.input.sha256;
        const result = await node.recognize({
          image: prepared.input.image,
          key: prepared.input.sha256,
          priority: basePriority(job),
          detectOrientation: job.rotation === undefined,
          ...(prepared.dpi === null ? {} : { dpi: prepared.dpi }),
          languages: settings.languages,
          signal: job.controller!.signal,
        });
        if (jobs.get(job.pageId) !== job) return; // withdrawn or queued again meanwhile
        store(job, result, 'node', now() - started);
      } catch (error) {
        if (jobs.get(job.pageId) !== job) return;
        if (closed && isStationError(error) && error.code === 'ocr/cancelled') return;
        if (isStationError(error) && error.code === 'ocr/assets-missing') {
          // Not the page's fault: it waits for a window (or a repaired installation) instead of failing.
          log.error('the engine cannot run OCR; pages wait for a window', { code: error.code, message: error.message });
          nodeUnavailable = true;
          job.state = 'queued';
          job.controller = undefined;
          setState(job.pageId, 'pending');
          return;
        }
        fail(job, error);
      }
    })();
    running.add(work);
    void work.finally(() => {
      running.delete(work);
      settleIdle();
      schedule(0);
    });
    return true;
  }

  /** Hands waiting pages to the Node pool when no renderer is there, and takes back expired claims. */
  function pump(): void {
    timer = undefined;
    if (closed) return;
    const current = now();
    const attached = rendererAttached();
    for (const job of ordered('claimed')) {
      if (job.leaseUntil > current) continue;
      // The renderer went away (tab closed, reload) with this page: someone else takes it.
      log.warn('a renderer dropped a claimed page; it is queued again', { pageId: job.pageId });
      job.state = 'queued';
      job.queuedAt = current - graceMs;
      setState(job.pageId, 'pending');
    }
    let wakeAt = Number.POSITIVE_INFINITY;
    if (options.nodeFallback && !nodeUnavailable && !attached) {
      let free = options.nodeConcurrency() - ordered('node').length;
      for (const job of ordered('queued')) {
        if (free <= 0) break;
        const eligibleAt = job.queuedAt + graceMs;
        if (eligibleAt > current) {
          wakeAt = Math.min(wakeAt, eligibleAt);
          continue;
        }
        // A dropped job takes no place: the next waiting page goes instead.
        if (runOnNode(job)) free -= 1;
      }
    } else if (options.nodeFallback && !nodeUnavailable && ordered('queued').length > 0) {
      // Check again when the renderer would count as gone.
      wakeAt = lastRendererCall + attachWindowMs;
    }
    const leases = ordered('claimed').map((job) => job.leaseUntil);
    wakeAt = Math.min(wakeAt, ...leases);
    if (Number.isFinite(wakeAt)) schedule(Math.max(0, wakeAt - current));
  }

  function schedule(delayMs: number): void {
    if (closed) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(pump, Math.max(10, delayMs));
    // A timer never keeps a finished CLI command alive.
    timer.unref?.();
  }

  const unsubscribe = events.onAny((name, payload) => {
    if (name !== 'scan:page-captured') return;
    const { page } = payload as { page: { id: string } };
    enqueue(page.id);
  });

  // Pages an earlier run left waiting (the store reset `running` to `pending` at start).
  for (const waiting of results.listWaiting(maxRecovered)) enqueue(waiting.pageId);

  return {
    enqueue,
    async claim(max, holding) {
      lastRendererCall = now();
      const leaseMs = attachWindowMs;
      for (const jobId of holding) {
        const job = byJobId(jobId);
        if (job?.state === 'claimed') job.leaseUntil = now() + leaseMs;
      }
      const claimed: OcrJob[] = [];
      const settings = options.settings().ocr;
      for (const job of ordered('queued')) {
        if (claimed.length >= max) break;
        job.state = 'claimed';
        job.claimedAt = now();
        job.leaseUntil = now() + leaseMs;
        if (!setState(job.pageId, 'running')) continue;
        try {
          const prepared = await inputOf(job);
          if (prepared === undefined || jobs.get(job.pageId) !== job) continue;
          claimed.push({
            jobId: jobIdOf(job),
            pageId: job.pageId,
            batchId: job.batchId,
            sha256: prepared.input.sha256,
            rotation: job.rotation ?? 0,
            detectOrientation: job.rotation === undefined,
            dpi: prepared.dpi,
            languages: settings.languages,
            priority: basePriority(job),
            dataBase64: prepared.input.image.toString('base64'),
          });
        } catch (error) {
          fail(job, error);
        }
      }
      schedule(leaseMs);
      return claimed;
    },
    saveResult(jobId, result, durationMs) {
      lastRendererCall = now();
      const job = byJobId(jobId);
      if (job === undefined || job.state !== 'claimed') return { saved: false };
      return { saved: store(job, result, 'renderer', durationMs ?? now() - job.claimedAt) };
    },
    release(jobIds, error) {
      lastRendererCall = now();
      let released = 0;
      for (const jobId of jobIds) {
        const job = byJobId(jobId);
        if (job === undefined || job.state !== 'claimed') continue;
        released += 1;
        if (error !== undefined && error.code !== 'ocr/cancelled') {
          fail(job, new StationError(error.code, error.message));
        } else {
          job.state = 'queued';
          setState(job.pageId, 'pending');
        }
      }
      schedule(0);
      return released;
    },
    prioritize(pageIds) {
      visible = [...pageIds];
      if (node === undefined) return;
      for (const job of ordered('node')) if (job.key !== undefined) node.prioritize(job.key, basePriority(job));
    },
    rerun(pageId, rotation) {
      const page = pages(pageId);
      if (page === undefined) throw new StationError('store/not-found', `No page ${pageId}`);
      // Drops the old result first (and refuses when the document is sealed).
      results.setState(pageId, 'pending');
      const request: { priority: number; rotation?: Orientation } = { priority: rerunPriority };
      if (rotation !== undefined) request.rotation = rotation;
      return { queued: enqueue(pageId, request) };
    },
    withdraw(pageId) {
      const job = jobs.get(pageId);
      if (job === undefined) return;
      withdrawJob(job);
      settleIdle();
    },
    get(pageId) {
      const page = pages(pageId);
      if (page === undefined) throw new StationError('store/not-found', `No page ${pageId}`);
      return {
        state: page.ocrState,
        result: page.ocrState === 'done' ? (results.get(pageId) ?? null) : null,
        errorCode: page.ocrError,
      };
    },
    status() {
      return {
        queued: ordered('queued').length,
        claimed: ordered('claimed').length,
        running: ordered('node').length,
        rendererAttached: rendererAttached(),
        nodeFallback: options.nodeFallback,
      };
    },
    idle() {
      if (jobs.size === 0 && running.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
      for (const job of jobs.values()) job.controller?.abort();
      await node?.terminate();
      await Promise.allSettled([...running]);
      jobs.clear();
      settleIdle();
    },
  };
}
