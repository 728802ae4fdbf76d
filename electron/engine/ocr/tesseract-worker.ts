// One tesseract.js worker in a Node worker thread: tesseract.js's own worker script with an
// adapter of ours. The build bundles this file into resources/ocr/tesseract-worker.cjs, so it runs
// without node_modules (a packaged app keeps node_modules inside its asar).
//
// Why not tesseract.js's Node worker script: it picks the core by sniffing WebAssembly features
// (relaxed SIMD on newer V8, so Electron and Node 20 would run different cores) and would fetch
// from a CDN. Here the core is the file the station chose (`corePath`, the same file the renderer
// loads), language data is read from disk, any fetch is refused, and results are trimmed to what
// the station reads before they cross to the engine's main thread.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { parentPort } from 'node:worker_threads';
import zlib from 'node:zlib';
import * as worker from 'tesseract.js/src/worker-script/index.js';
import { trimWorkerMessage } from '../../../shared/tesseract-blocks.js';

type CoreFactory = (moduleArg: Record<string, unknown>) => Promise<unknown>;

// OCR is background work: on Linux the nice value is per thread, so this lowers only this thread
// and capture and the UI keep their CPU. (On Windows and macOS it would lower the whole process.)
if (process.platform === 'linux') {
  try {
    os.setPriority(0, 10);
  } catch {
    // Not allowed in some containers; OCR then runs at normal priority.
  }
}

let core: CoreFactory | null = null;

worker.setAdapter({
  getCore: (_lstmOnly: boolean, corePath: string, res: { progress(status: object): void }) => {
    if (core === null) {
      res.progress({ status: 'loading tesseract core', progress: 0 });
      const load = createRequire(corePath)(corePath) as CoreFactory;
      // Tesseract and Leptonica print diagnostics ("Estimating resolution as …") to stdout and
      // stderr, which would break `sohoa ocr --json`; the station's logs never carry them.
      core = (moduleArg) => load({ ...moduleArg, print: () => undefined, printErr: () => undefined });
      res.progress({ status: 'loading tesseract core', progress: 1 });
    }
    return Promise.resolve(core);
  },
  gunzip: (data: Uint8Array) => zlib.gunzipSync(data),
  fetch: (url: string) => Promise.reject(new Error(`OCR assets are read from disk, never fetched (${url})`)),
  readCache: (file: string) => fs.promises.readFile(file),
  writeCache: () => Promise.resolve(),
  deleteCache: () => Promise.resolve(),
  checkCache: () => Promise.resolve(false),
});

parentPort?.on('message', (packet: unknown) => {
  worker.dispatchHandlers(packet, (message) => parentPort?.postMessage(trimWorkerMessage(message)));
});
