import path from 'node:path';
import type { HotFolderEvent } from '../../import/hot-folder.js';
import type { CliCommand } from '../command.js';
import { UsageError, print } from '../command.js';
import { reportPagesRead } from '../read-pages.js';

export const watchCommand: CliCommand = {
  name: 'watch',
  usage: 'watch DIR',
  summary: 'hot folder: import each file written into DIR, then move it to DIR/done or DIR/failed; reads their text',
  // Overnight nobody opens a window: the engine's Node pool reads every page as it comes in.
  ocr: () => ({ nodeFallback: true, graceMs: 0 }),
  async run(context) {
    const { engine, io, json } = context;
    const [dir, ...rest] = context.args;
    if (dir === undefined || rest.length > 0) throw new UsageError('watch needs exactly one folder');
    const counts = { imported: 0, alreadyImported: 0, failed: 0 };
    const failures: { file: string; code: string }[] = [];
    const onEvent = (event: HotFolderEvent): void => {
      switch (event.type) {
        case 'imported':
          counts.imported += 1;
          if (!json) io.stderr.write(`${event.file}: ${event.pages} page(s) → batch ${event.batchId}\n`);
          break;
        case 'already-imported':
          counts.alreadyImported += 1;
          if (!json) io.stderr.write(`${event.file}: already imported (batch ${event.batchId}), moved to done/\n`);
          break;
        case 'failed':
          counts.failed += 1;
          failures.push({ file: event.file, code: event.code });
          if (!json) io.stderr.write(`${event.file}: ${event.message} (${event.code}), moved to failed/\n`);
          break;
      }
    };
    const ocr = reportPagesRead(engine, io, json);
    const folder = await engine.imports.watch(path.resolve(dir), onEvent);
    // stderr, also with --json: the one JSON document comes when the command ends.
    io.stderr.write(`Watching ${folder.dir} (Ctrl+C to stop)\n`);
    await io.untilStopped();
    await engine.imports.close();
    ocr.stop();
    // Pages still waiting are read at the next start.
    const waiting = engine.ocr.scheduler.status();
    print(
      context,
      {
        ok: true,
        dir: folder.dir,
        ...counts,
        failures,
        ocr: { ...ocr.counts, waiting: waiting.queued + waiting.running },
      },
      `Stopped: ${counts.imported} imported, ${counts.alreadyImported} already imported, ${counts.failed} failed; OCR read ${ocr.counts.read} page(s), ${ocr.counts.failed} failed, ${waiting.queued + waiting.running} waiting for the next start.`,
    );
    return 0;
  },
};
