import fs from 'node:fs';
import path from 'node:path';
import type { StationErrorShape } from '../../../../shared/errors.js';
import { isStationError } from '../../../../shared/errors.js';
import type { ImportResult } from '../../import/import-service.js';
import type { CliCommand } from '../command.js';
import { UsageError, print } from '../command.js';
import { readPages, readPagesOption, readPagesTuning } from '../read-pages.js';

/** The files to import: each file named, and the files directly inside each folder named, in name order. */
export function expandImportPaths(args: string[]): string[] {
  return args.flatMap((arg) => {
    const stat = fs.statSync(arg, { throwIfNoEntry: false });
    if (stat?.isDirectory() !== true) return [arg];
    return fs
      .readdirSync(arg, { withFileTypes: true })
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
      .map((entry) => path.join(arg, entry.name))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  });
}

type Outcome = (ImportResult & { ok: true }) | { ok: false; file: string; error: StationErrorShape };

export const importCommand: CliCommand = {
  name: 'import',
  usage: 'import FILE|DIR… [--profile NAME] [--ocr]',
  summary: 'import PDF, TIFF, JPEG and PNG files as batches (one per file); --ocr reads their text before it ends',
  options: { profile: { type: 'string' }, ...readPagesOption },
  ocr: readPagesTuning,
  async run(context) {
    const { engine, io, json } = context;
    if (context.args.length === 0) throw new UsageError('import needs at least one file or folder');
    const profile = context.values.profile as string | undefined;
    const outcomes: Outcome[] = [];
    // One file at a time, each on its own: a damaged file is reported and the next one still goes in.
    for (const file of expandImportPaths(context.args)) {
      try {
        const result = await engine.imports.service.importFile(file, { origin: 'import', profile });
        outcomes.push({ ok: true, ...result });
        if (!json) {
          const what =
            result.status === 'imported'
              ? `${result.pages} page(s) → batch ${result.batchId}${result.signed ? ' (signed PDF kept as original)' : ''}`
              : `already imported (batch ${result.batchId})`;
          io.stderr.write(`${file}: ${what}\n`);
        }
      } catch (error) {
        if (!isStationError(error)) throw error;
        outcomes.push({ ok: false, file, error: error.toShape() });
        if (!json) io.stderr.write(`sohoa: ${error.message} (${error.code})\n`);
      }
    }
    const ocr = context.values.ocr === true ? await readPages(engine, io, json) : undefined;
    const failed = outcomes.filter((outcome) => !outcome.ok).length;
    const imported = outcomes.filter((outcome) => outcome.ok && outcome.status === 'imported').length;
    print(
      context,
      { ok: failed === 0, results: outcomes, ...(ocr === undefined ? {} : { ocr }) },
      `${imported} file(s) imported, ${outcomes.length - imported - failed} already there, ${failed} failed${ocr === undefined ? '' : `; OCR read ${ocr.read} page(s), ${ocr.failed} failed`} (data: ${engine.dataDir})`,
    );
    return failed === 0 ? 0 : 1;
  },
};
