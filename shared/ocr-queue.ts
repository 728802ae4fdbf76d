import { StationError } from './errors.js';
import type { CancelSignal, OcrEngine, OcrRequest, OcrResult, TesseractBlock } from './ocr.js';
import {
  defaultOcrLanguages,
  orientationRetryBelow,
  readImageHeader,
  tesseractLegacyOem,
  tesseractOem,
  tesseractParameters,
  toOcrResult,
} from './ocr.js';

/** One recognition as a pool slot receives it: everything but scheduling. */
export interface OcrTask {
  image: Uint8Array;
  languages: string;
  detectOrientation: boolean;
  dpi: number | undefined;
}

/**
 * One tesseract instance of a pool (a renderer web worker or a Node worker thread), doing one
 * task at a time.
 */
export interface OcrSlot {
  recognize(task: OcrTask): Promise<OcrResult>;
  terminate(): Promise<void>;
  /** False once the instance has died (worker crashed); the pool then replaces it. */
  readonly healthy: boolean;
}

export interface OcrPoolOptions {
  /** Most slots running at once. */
  size: number;
  /** Starts a slot; a rejection fails the waiting requests with that error (missing assets, no memory). */
  createSlot(index: number): Promise<OcrSlot>;
  /** Called with errors that no request receives (a slot that failed to stop). */
  onError?: (error: unknown) => void;
}

/**
 * An OcrEngine over a pool of slots with a request queue.
 *
 * - The highest `priority` runs first (the page on screen), then the oldest request.
 * - Requests with the same `key` (the image's SHA-256) and the same recognition parameters share
 *   one recognition: the second caller waits for the first one's result.
 * - A request whose signal aborts is rejected with `ocr/cancelled` at once; when no caller still
 *   waits for its recognition and it has not started, it leaves the queue. A recognition already
 *   running cannot be interrupted inside tesseract; it finishes and its result is dropped.
 * - Slots start lazily, one per waiting request up to `size`, so a pool that is never used costs
 *   nothing.
 */
export interface OcrPool extends OcrEngine {
  /** Raises (never lowers) the priority of the queued recognition of `key`. */
  prioritize(key: string, priority: number): void;
  /** Rejects every request for `key` with `ocr/cancelled` (the page was deleted). */
  cancel(key: string): void;
  /** Requests waiting for a slot. */
  readonly queued: number;
  /** Recognitions running now. */
  readonly running: number;
  /** Resolves once nothing is queued or running. */
  idle(): Promise<void>;
  /** Starts a slot now if none runs; resolves when one is ready, rejects with the error when none can start. */
  warm(): Promise<void>;
}

interface Waiter {
  resolve(result: OcrResult): void;
  reject(error: unknown): void;
  signal: CancelSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface Job {
  id: string;
  key: string | undefined;
  task: OcrTask;
  priority: number;
  seq: number;
  waiters: Set<Waiter>;
  state: 'queued' | 'running';
}

/** The error of a request that was cancelled before it got its result. */
export function cancelledError(reason = 'OCR request cancelled'): StationError {
  return new StationError('ocr/cancelled', reason);
}

/** Creates the pool; see OcrPool. */
export function createOcrPool(options: OcrPoolOptions): OcrPool {
  if (!Number.isInteger(options.size) || options.size < 1)
    throw new RangeError(`pool size must be ≥ 1, not ${options.size}`);
  const jobs = new Map<string, Job>();
  const idleSlots: OcrSlot[] = [];
  const busySlots = new Set<OcrSlot>();
  let starting = 0;
  let slotIndex = 0;
  let seq = 0;
  let closed = false;
  let idleWaiters: (() => void)[] = [];
  let warmWaiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];

  const queuedJobs = (): Job[] => [...jobs.values()].filter((job) => job.state === 'queued');

  function settleIdle(): void {
    if (jobs.size > 0) return;
    const waiting = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiting) resolve();
  }

  function detach(waiter: Waiter): void {
    if (waiter.signal !== undefined && waiter.onAbort !== undefined) {
      waiter.signal.removeEventListener('abort', waiter.onAbort);
    }
  }

  function finish(job: Job, outcome: { result: OcrResult } | { error: unknown }): void {
    jobs.delete(job.id);
    for (const waiter of job.waiters) {
      detach(waiter);
      if ('result' in outcome) waiter.resolve(outcome.result);
      else waiter.reject(outcome.error);
    }
    job.waiters.clear();
    settleIdle();
  }

  function removeWaiter(job: Job, waiter: Waiter, error: unknown): void {
    if (!job.waiters.delete(waiter)) return;
    detach(waiter);
    waiter.reject(error);
    if (job.waiters.size === 0 && job.state === 'queued') {
      jobs.delete(job.id);
      settleIdle();
    }
  }

  function next(): Job | undefined {
    let best: Job | undefined;
    for (const job of jobs.values()) {
      if (job.state !== 'queued') continue;
      if (
        best === undefined ||
        job.priority > best.priority ||
        (job.priority === best.priority && job.seq < best.seq)
      ) {
        best = job;
      }
    }
    return best;
  }

  function pump(): void {
    if (closed) return;
    for (;;) {
      const job = next();
      if (job === undefined) break;
      const slot = idleSlots.pop();
      if (slot === undefined) break;
      run(job, slot);
    }
    // One new slot per request that no slot will take, up to the pool size.
    const waiting = queuedJobs().length;
    while (waiting > starting && busySlots.size + idleSlots.length + starting < options.size) startSlot();
  }

  function startSlot(): void {
    starting += 1;
    const index = slotIndex;
    slotIndex += 1;
    options.createSlot(index).then(
      (slot) => {
        starting -= 1;
        if (closed) {
          void slot.terminate().catch(options.onError);
          return;
        }
        idleSlots.push(slot);
        const waiting = warmWaiters;
        warmWaiters = [];
        for (const waiter of waiting) waiter.resolve();
        pump();
      },
      (error: unknown) => {
        starting -= 1;
        // Without a slot nothing would ever run: fail what waits, so callers can report it.
        if (busySlots.size + idleSlots.length + starting === 0) {
          const waiting = warmWaiters;
          warmWaiters = [];
          for (const waiter of waiting) waiter.reject(error);
          for (const job of queuedJobs()) finish(job, { error });
        } else {
          options.onError?.(error);
        }
      },
    );
  }

  function run(job: Job, slot: OcrSlot): void {
    job.state = 'running';
    busySlots.add(slot);
    slot.recognize(job.task).then(
      (result) => {
        release(slot);
        finish(job, { result });
      },
      (error: unknown) => {
        release(slot);
        finish(job, { error });
      },
    );
  }

  function release(slot: OcrSlot): void {
    busySlots.delete(slot);
    if (closed) return;
    if (slot.healthy) idleSlots.push(slot);
    else void slot.terminate().catch(options.onError);
    // After the current result is handed out, so a caller's follow-up request can join the queue first.
    void Promise.resolve().then(pump);
  }

  return {
    recognize(request: OcrRequest): Promise<OcrResult> {
      if (closed) return Promise.reject(cancelledError('OCR engine stopped'));
      if (request.signal?.aborted === true) return Promise.reject(cancelledError());
      const task: OcrTask = {
        image: request.image,
        languages: request.languages ?? defaultOcrLanguages,
        detectOrientation: request.detectOrientation ?? true,
        dpi: request.dpi,
      };
      const priority = request.priority ?? 0;
      seq += 1;
      // Only a recognition with the same parameters gives the same result.
      const id =
        request.key === undefined
          ? `#${seq}`
          : `${request.key}|${task.languages}|${task.detectOrientation ? 'osd' : 'upright'}|${task.dpi ?? ''}`;
      let job = jobs.get(id);
      if (job === undefined) {
        job = { id, key: request.key, task, priority, seq, waiters: new Set(), state: 'queued' };
        jobs.set(id, job);
      } else {
        job.priority = Math.max(job.priority, priority);
      }
      const target = job;
      const promise = new Promise<OcrResult>((resolve, reject) => {
        const waiter: Waiter = { resolve, reject, signal: request.signal, onAbort: undefined };
        if (request.signal !== undefined) {
          waiter.onAbort = () => removeWaiter(target, waiter, cancelledError());
          request.signal.addEventListener('abort', waiter.onAbort);
        }
        target.waiters.add(waiter);
      });
      pump();
      return promise;
    },
    prioritize(key, priority) {
      for (const job of jobs.values()) {
        if (job.key === key && job.state === 'queued') job.priority = Math.max(job.priority, priority);
      }
    },
    cancel(key) {
      for (const job of [...jobs.values()]) {
        if (job.key !== key) continue;
        for (const waiter of [...job.waiters]) removeWaiter(job, waiter, cancelledError('page withdrawn'));
      }
    },
    get queued() {
      return queuedJobs().length;
    },
    get running() {
      return [...jobs.values()].filter((job) => job.state === 'running').length;
    },
    idle() {
      if (jobs.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    warm() {
      if (closed) return Promise.reject(cancelledError('OCR engine stopped'));
      if (idleSlots.length + busySlots.size > 0) return Promise.resolve();
      const ready = new Promise<void>((resolve, reject) => warmWaiters.push({ resolve, reject }));
      // One worker, so a window that never sees a page holds one worker's memory, not the pool's.
      if (starting === 0) startSlot();
      return ready;
    },
    async terminate() {
      if (closed) return;
      closed = true;
      const waiting = warmWaiters;
      warmWaiters = [];
      for (const waiter of waiting) waiter.reject(cancelledError('OCR engine stopped'));
      for (const job of [...jobs.values()]) finish(job, { error: cancelledError('OCR engine stopped') });
      const slots = [...idleSlots, ...busySlots];
      idleSlots.length = 0;
      busySlots.clear();
      await Promise.all(slots.map((slot) => slot.terminate().catch(options.onError)));
    },
  };
}

/** The part of a tesseract.js worker a slot uses (shared/ cannot import tesseract.js itself). */
export interface TesseractWorkerLike {
  reinitialize(langs: string, oem: number): Promise<unknown>;
  recognize(
    image: Uint8Array,
    options: Record<string, string>,
    output: Record<string, boolean>,
  ): Promise<{ data: { blocks: TesseractBlock[] | null } }>;
  terminate(): Promise<unknown>;
}

export interface TesseractSlotOptions {
  /**
   * tesseract.js `createWorker(langs, oem, options)` with the host's asset paths (worker script,
   * core file, language folder; never a CDN). `onError` must be passed as tesseract.js's
   * `errorHandler`: without one, tesseract.js throws failures from a message handler, which kills
   * a Node process.
   */
  createWorker(langs: string, oem: number, onError: (error: unknown) => void): Promise<TesseractWorkerLike>;
  /** Reports the death of the worker's thread (a crashed web worker or worker thread). */
  watch?(worker: TesseractWorkerLike, onDeath: (error: unknown) => void): void;
  /** The languages to load first. */
  languages: string;
  /** The `engine` of every result, see ocrEngineLabel. */
  engineLabel: string;
}

/** A readable message of anything thrown (tesseract.js rejects with strings). */
function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

/** tesseract.js rejects with strings; turn them into station errors a clerk can act on. */
function recognitionError(error: unknown): StationError {
  const message = describeError(error);
  if (/read image/i.test(message)) return new StationError('ocr/unreadable-image', 'The image could not be read');
  return new StationError('ocr/failed', `Recognition failed: ${message.slice(0, 300)}`);
}

/**
 * Starts one tesseract.js worker the way both hosts must, so the same image gives the same result:
 * first `osd` with the legacy engine (which puts the orientation model where automatic
 * segmentation looks for it), then the page languages with the LSTM engine.
 */
export async function createTesseractSlot(options: TesseractSlotOptions): Promise<OcrSlot> {
  let startError: unknown;
  let started = false;
  const worker = await options.createWorker('osd', tesseractLegacyOem, (error) => {
    if (!started) startError = error;
  });
  let healthy = true;
  let languages = options.languages;
  let death: ((error: unknown) => void) | undefined;
  try {
    await worker.reinitialize(languages, tesseractOem);
    if (startError !== undefined) throw new Error(describeError(startError));
  } catch (error) {
    await worker.terminate().catch(() => undefined);
    throw new StationError('ocr/failed', `OCR worker did not start: ${describeError(error)}`);
  }
  started = true;
  options.watch?.(worker, (error) => {
    healthy = false;
    death?.(error);
  });

  return {
    get healthy() {
      return healthy;
    },
    async recognize(task) {
      const header = readImageHeader(task.image);
      if (header === undefined) {
        throw new StationError('ocr/unreadable-image', 'Not a PNG, JPEG, TIFF or BMP image');
      }
      if (!healthy) throw new StationError('ocr/failed', 'OCR worker stopped');
      const died = new Promise<never>((_, reject) => {
        death = (error) => reject(new StationError('ocr/failed', `OCR worker stopped: ${describeError(error)}`));
      });
      try {
        if (task.languages !== languages) {
          await Promise.race([worker.reinitialize(task.languages, tesseractOem), died]);
          languages = task.languages;
        }
        const read = async (psm: 1 | 3): Promise<OcrResult> => {
          const parameters = tesseractParameters({ psm, dpi: task.dpi });
          const { data } = await Promise.race([
            worker.recognize(task.image, parameters, { text: false, blocks: true }),
            died,
          ]);
          return toOcrResult(data.blocks, {
            widthPx: header.widthPx,
            heightPx: header.heightPx,
            languages: task.languages,
            engine: options.engineLabel,
          });
        };
        // Most pages come upright: read them without orientation detection, and only a page that
        // reads badly (as upside-down text does) again with it, keeping the better reading.
        const first = await read(3);
        if (!task.detectOrientation || first.lines.length === 0 || first.confidence >= orientationRetryBelow) {
          return first;
        }
        const second = await read(1);
        return second.confidence > first.confidence ? second : first;
      } catch (error) {
        if (error instanceof StationError) throw error;
        const failure = recognitionError(error);
        // After anything but an unreadable file, the WebAssembly state is not to be trusted.
        if (failure.code !== 'ocr/unreadable-image') healthy = false;
        throw failure;
      } finally {
        death = undefined;
        died.catch(() => undefined);
      }
    },
    async terminate() {
      healthy = false;
      await worker.terminate();
    },
  };
}
