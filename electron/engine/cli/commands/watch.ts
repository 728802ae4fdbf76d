import path from 'node:path';
import type { HotFolderEvent } from '../../import/hot-folder.js';
import type { CliCommand } from '../command.js';
import { UsageError, print } from '../command.js';

export const watchCommand: CliCommand = {
  name: 'watch',
  usage: 'watch DIR',
  summary: 'hot folder: import each file written into DIR, then move it to DIR/done or DIR/failed',
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
    const folder = await engine.imports.watch(path.resolve(dir), onEvent);
    // stderr, also with --json: the one JSON document comes when the command ends.
    io.stderr.write(`Watching ${folder.dir} (Ctrl+C to stop)\n`);
    await io.untilStopped();
    await engine.imports.close();
    print(
      context,
      { ok: true, dir: folder.dir, ...counts, failures },
      `Stopped: ${counts.imported} imported, ${counts.alreadyImported} already imported, ${counts.failed} failed.`,
    );
    return 0;
  },
};
