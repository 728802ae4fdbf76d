import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PageTransform } from '../../../shared/transforms.js';
import type { ImagingResults, ImagingTask } from './imaging-worker.js';
import { imagingWorkerTag, runImagingTask } from './imaging-worker.js';
import type { ColourPolicy, PageAnalysis, RenderedPage, RenderOptions } from './page-cleaner.js';

/** Options of the `clean` task: measure, apply the suggested (or given) transforms, encode. */
export interface CleanOptions {
  dpi?: number | undefined;
  transforms?: PageTransform[] | undefined;
  colourPolicy: ColourPolicy;
  jpegQuality: number;
  ocrImage?: boolean;
  thumbnailWidth?: number;
}

/** Page imaging off the main thread: measurements, cleaned output, thumbnails. */
export interface ImagingPool {
  readonly size: number;
  analyse(image: Uint8Array, options?: { dpi?: number | undefined }, signal?: AbortSignal): Promise<PageAnalysis>;
  /** Only whether the page is blank (the `blank` of `analyse`), at a fraction of its cost. */
  isBlank(image: Uint8Array, options?: { dpi?: number | undefined }, signal?: AbortSignal): Promise<boolean>;
  render(
    image: Uint8Array,
    transforms: PageTransform[],
    options: RenderOptions & { dpi?: number | undefined },
    signal?: AbortSignal,
  ): Promise<RenderedPage>;
  clean(image: Uint8Array, options: CleanOptions, signal?: AbortSignal): Promise<ImagingResults['clean']>;
  thumbnail(image: Uint8Array, signal?: AbortSignal): Promise<Buffer>;
  close(): Promise<void>;
}

export interface ImagingPoolOptions {
  /** Worker threads; defaults to the core count. 0 runs every task inline on the calling thread. */
  size?: number | undefined;
}

interface Job {
  id: number;
  task: ImagingTask;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  signal?: AbortSignal | undefined;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  job?: Job | undefined;
}

function abortError(): Error {
  return Object.assign(new Error('imaging task cancelled'), { name: 'AbortError' });
}

/**
 * How a worker thread is started from where this module runs.
 *
 * From TypeScript sources (tests, tsx) the worker loads imaging-worker.ts through tsx's loader; from
 * a bundle (the `sohoa` CLI) it loads the bundle file itself, whose imaging-worker module starts the
 * worker loop when it sees the worker tag. The Electron main bundle is not safe to load in a worker
 * (it starts the app), so there the pool runs inline until the build emits a separate worker entry.
 */
function workerSpec(): { script: string; eval: boolean } | undefined {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const workerUrl = new URL('./imaging-worker.ts', here).href;
    const tsxApi = pathToFileURL(createRequire(here).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
    return {
      script: `import(${JSON.stringify(tsxApi)}).then((api) => api.tsImport(${JSON.stringify(workerUrl)}, ${JSON.stringify(workerUrl)}))`,
      eval: true,
    };
  }
  if (process.versions.electron !== undefined) return undefined;
  return { script: fileURLToPath(here), eval: false };
}

/** Starts a pool of imaging workers (sharp inside each). */
export function createImagingPool(options: ImagingPoolOptions = {}): ImagingPool {
  const spec = workerSpec();
  const size = spec === undefined ? 0 : Math.max(0, options.size ?? os.availableParallelism());
  const queue: Job[] = [];
  const slots: (Slot | undefined)[] = new Array<Slot | undefined>(size).fill(undefined);
  let nextId = 1;
  let closed = false;

  const startSlot = (index: number): Slot => {
    if (spec === undefined) throw new Error('no worker script');
    const worker = new Worker(spec.script, { eval: spec.eval, workerData: { sohoaWorker: imagingWorkerTag } });
    let markReady: () => void = () => undefined;
    const slot: Slot = { worker, ready: new Promise<void>((resolve) => (markReady = resolve)) };
    worker.on(
      'message',
      (message: {
        ready?: boolean;
        id?: number;
        ok?: boolean;
        value?: unknown;
        error?: { message: string; stack?: string };
      }) => {
        if (message.ready === true) {
          markReady();
          return;
        }
        const job = slot.job;
        if (job === undefined || job.id !== message.id) return;
        slot.job = undefined;
        // An idle worker must not keep the process alive; a busy one must.
        worker.unref();
        if (message.ok === true) job.resolve(message.value);
        else
          job.reject(
            Object.assign(new Error(message.error?.message ?? 'imaging failed'), { stack: message.error?.stack }),
          );
        pump();
      },
    );
    const fail = (error: Error): void => {
      const job = slot.job;
      slot.job = undefined;
      slots[index] = undefined;
      job?.reject(error);
      if (!closed) pump();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (slots[index] === slot) fail(new Error(`imaging worker stopped with exit code ${code}`));
    });
    worker.unref();
    slots[index] = slot;
    return slot;
  };

  const pump = (): void => {
    if (closed) return;
    for (let index = 0; index < size && queue.length > 0; index += 1) {
      const slot = slots[index] ?? startSlot(index);
      if (slot.job !== undefined) continue;
      const job = queue.shift();
      if (job === undefined) return;
      if (job.signal?.aborted === true) {
        job.reject(abortError());
        index -= 1;
        continue;
      }
      slot.job = job;
      slot.worker.ref();
      void slot.ready.then(() => slot.worker.postMessage({ id: job.id, task: job.task }));
    }
  };

  const run = <K extends ImagingTask['op']>(
    task: ImagingTask & { op: K },
    signal?: AbortSignal,
  ): Promise<ImagingResults[K]> => {
    if (closed) return Promise.reject(new Error('the imaging pool is closed'));
    if (signal?.aborted === true) return Promise.reject(abortError());
    if (size === 0) return runImagingTask(task) as Promise<ImagingResults[K]>;
    return new Promise<ImagingResults[K]>((resolve, reject) => {
      const job: Job = { id: nextId++, task, resolve: resolve as (value: unknown) => void, reject, signal };
      // A queued task is dropped on abort; a running one finishes in its worker and its result is dropped.
      signal?.addEventListener(
        'abort',
        () => {
          const at = queue.indexOf(job);
          if (at >= 0) queue.splice(at, 1);
          reject(abortError());
        },
        { once: true },
      );
      queue.push(job);
      pump();
    });
  };

  return {
    size,
    analyse: (image, analyseOptions = {}, signal) => run({ op: 'analyse', image, dpi: analyseOptions.dpi }, signal),
    isBlank: (image, blankOptions = {}, signal) => run({ op: 'blank', image, dpi: blankOptions.dpi }, signal),
    render: (image, transforms, renderOptions, signal) =>
      run({ op: 'render', image, transforms, options: renderOptions }, signal),
    clean: (image, cleanOptions, signal) => run({ op: 'clean', image, ...cleanOptions }, signal),
    thumbnail: (image, signal) => run({ op: 'thumbnail', image }, signal),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('the imaging pool is closed'));
      await Promise.all(
        slots.map(async (slot) => {
          slot?.job?.reject(new Error('the imaging pool is closed'));
          await slot?.worker.terminate();
        }),
      );
    },
  };
}
