import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { PageTransform } from '../../../shared/transforms.js';
import type { ColourPolicy, PageAnalysis, RenderedPage, RenderOptions } from './page-cleaner.js';
import { analysePage, cleanPage, isBlankPage, renderPage } from './page-cleaner.js';
import { makeThumbnail } from './thumbnail.js';

/** What the imaging pool asks a worker to do. */
export type ImagingTask =
  | { op: 'analyse'; image: Uint8Array; dpi?: number | undefined }
  | { op: 'blank'; image: Uint8Array; dpi?: number | undefined }
  | {
      op: 'render';
      image: Uint8Array;
      transforms: PageTransform[];
      options: RenderOptions & { dpi?: number | undefined };
    }
  | {
      op: 'clean';
      image: Uint8Array;
      dpi?: number | undefined;
      transforms?: PageTransform[] | undefined;
      colourPolicy: ColourPolicy;
      jpegQuality: number;
      ocrImage?: boolean;
      thumbnailWidth?: number;
    }
  | { op: 'thumbnail'; image: Uint8Array };

/** The answer to each task. */
export interface ImagingResults {
  analyse: PageAnalysis;
  blank: boolean;
  render: RenderedPage;
  clean: { analysis: PageAnalysis; page: RenderedPage };
  thumbnail: Buffer;
}

/** Marks a worker started by the imaging pool (see imaging-pool.ts for how the script is found). */
export const imagingWorkerTag = 'sohoa-imaging';

/** Runs one task; the same code runs in a worker thread and, as a fallback, inline. */
export async function runImagingTask(task: ImagingTask): Promise<ImagingResults[ImagingTask['op']]> {
  switch (task.op) {
    case 'analyse':
      return analysePage(task.image, { dpi: task.dpi });
    case 'blank':
      return isBlankPage(task.image, { dpi: task.dpi });
    case 'render':
      return renderPage(task.image, task.transforms, task.options);
    case 'clean':
      return cleanPage(task.image, task);
    case 'thumbnail':
      return makeThumbnail(task.image);
  }
}

/** Buffers in a result, to move to the main thread instead of copying. */
function transferables(value: unknown, found: ArrayBuffer[] = []): ArrayBuffer[] {
  if (value instanceof Uint8Array) {
    if (value.byteOffset === 0 && value.byteLength === value.buffer.byteLength && value.buffer instanceof ArrayBuffer) {
      found.push(value.buffer);
    }
  } else if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) transferables(child, found);
  }
  return found;
}

/** The worker side: answers `{ id, task }` messages with `{ id, ok, value }` or `{ id, ok: false, error }`. */
export function startImagingWorker(): void {
  const port = parentPort;
  if (port === null) return;
  port.on('message', (message: { id: number; task: ImagingTask }) => {
    runImagingTask(message.task).then(
      (value) => port.postMessage({ id: message.id, ok: true, value }, transferables(value)),
      (error: unknown) =>
        port.postMessage({
          id: message.id,
          ok: false,
          error: { message: (error as Error).message ?? String(error), stack: (error as Error).stack },
        }),
    );
  });
  port.postMessage({ ready: true });
}

if (!isMainThread && (workerData as { sohoaWorker?: string } | null)?.sohoaWorker === imagingWorkerTag) {
  startImagingWorker();
}
