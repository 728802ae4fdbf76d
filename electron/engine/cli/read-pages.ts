import type { Engine } from '../engine.js';
import type { EngineOcrTuning } from '../ocr/ocr-wiring.js';
import type { CliIo, OptionSpec } from './command.js';

/** The `--ocr` option of the commands that store pages (scan, import). */
export const readPagesOption: Record<string, OptionSpec> = { ocr: { type: 'boolean' } };

/**
 * The engine's OCR for a command that stores pages: with `--ocr` its Node pool reads every page at
 * once (no window waits to claim them); without, the pages wait for the next `serve` or `watch`.
 */
export function readPagesTuning(values: Record<string, unknown>): EngineOcrTuning | undefined {
  return values.ocr === true ? { nodeFallback: true, graceMs: 0 } : undefined;
}

export interface PagesRead {
  read: number;
  failed: number;
}

/** Counts the pages OCR reads (and fails) from now on, each reported on stderr unless `json`. */
export function reportPagesRead(engine: Engine, io: CliIo, json: boolean): { counts: PagesRead; stop: () => void } {
  const counts: PagesRead = { read: 0, failed: 0 };
  const stop = engine.events.onAny((name, payload) => {
    if (name === 'ocr:page-recognized') {
      counts.read += 1;
      if (!json) {
        const { words, confidence } = payload as { words: number; confidence: number };
        io.stderr.write(`OCR: page read, ${words} word(s), confidence ${Math.round(confidence)}\n`);
      }
    } else if (name === 'ocr:page-failed') {
      counts.failed += 1;
      if (!json) io.stderr.write(`OCR: ${(payload as { error: { message: string } }).error.message}\n`);
    }
  });
  return { counts, stop };
}

/**
 * Waits until OCR has read every page waiting (these and any an earlier command left), reporting
 * each one; a stop (Ctrl+C) ends the wait and the rest waits for the next run.
 */
export async function readPages(engine: Engine, io: CliIo, json: boolean): Promise<PagesRead> {
  const report = reportPagesRead(engine, io, json);
  try {
    await Promise.race([engine.ocr.scheduler.idle(), io.untilStopped()]);
  } finally {
    report.stop();
  }
  return report.counts;
}
