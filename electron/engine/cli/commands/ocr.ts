import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { StationErrorShape } from '../../../../shared/errors.js';
import { StationError, isStationError } from '../../../../shared/errors.js';
import type { OcrResult } from '../../../../shared/ocr.js';
import { OcrLanguages } from '../../../../shared/ocr.js';
import type { CliCommand } from '../command.js';
import { UsageError } from '../command.js';

type PageOutcome =
  { file: string; ok: true; result: OcrResult } | { file: string; ok: false; error: StationErrorShape };

async function readImage(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new StationError('import/file-not-found', `No such file: ${file}`);
    if (code === 'EISDIR') throw new StationError('ocr/unreadable-image', `${file} is a folder, not an image`);
    throw new StationError('ocr/unreadable-image', `Cannot read ${file}: ${(error as Error).message}`);
  }
}

export const ocrCommand: CliCommand = {
  name: 'ocr',
  usage: 'ocr FILE… [--lang vie+eng]',
  summary: 'print the text of page images (with --json: lines, words, boxes and confidences)',
  options: { lang: { type: 'string' } },
  async run(context) {
    const { io, json } = context;
    const files = context.args;
    if (files.length === 0) throw new UsageError('ocr needs at least one image file (PNG, JPEG, TIFF or BMP)');
    const lang = context.values.lang ?? context.engine.settings.current().values.ocr.languages;
    const languages = OcrLanguages.safeParse(lang);
    if (!languages.success) {
      throw new UsageError(`--lang must be languages joined by + (vie, eng), not ${JSON.stringify(lang)}`);
    }
    const engine = context.engine.ocr.engine();
    const stop = new AbortController();
    void io.untilStopped().then(() => stop.abort());

    const recognise = async (file: string): Promise<PageOutcome> => {
      try {
        const image = await readImage(file);
        const result = await engine.recognize({
          image,
          languages: languages.data,
          key: crypto.createHash('sha256').update(image).digest('hex'),
          signal: stop.signal,
        });
        return { file, ok: true, result };
      } catch (error) {
        if (!isStationError(error)) throw error;
        return { file, ok: false, error: error.toShape() };
      }
    };
    // A window of pages in flight keeps every worker busy without reading every file at once.
    const window = Math.max(2, engine.size * 2);
    const pending: Promise<PageOutcome>[] = [];
    const outcomes: PageOutcome[] = [];
    let next = 0;
    while (next < files.length || pending.length > 0) {
      while (next < files.length && pending.length < window) pending.push(recognise(files[next++] ?? ''));
      const outcome = await pending.shift();
      if (outcome === undefined) break;
      outcomes.push(outcome);
      if (json) continue;
      // Human output streams page by page, in the order given.
      if (outcome.ok) {
        if (files.length > 1) io.stdout.write(`==> ${outcome.file} <==\n`);
        io.stdout.write(`${outcome.result.text}\n${files.length > 1 ? '\n' : ''}`);
      } else {
        io.stderr.write(`sohoa: ${path.basename(outcome.file)}: ${outcome.error.message} (${outcome.error.code})\n`);
      }
    }
    const failed = outcomes.filter((outcome) => !outcome.ok);
    if (json) {
      const pages = outcomes.map((outcome) =>
        outcome.ok ? { file: outcome.file, ok: true, ...outcome.result } : outcome,
      );
      io.stdout.write(`${JSON.stringify({ ok: failed.length === 0, pages })}\n`);
    }
    if (stop.signal.aborted) return 130;
    return failed.length === 0 ? 0 : 1;
  },
};
