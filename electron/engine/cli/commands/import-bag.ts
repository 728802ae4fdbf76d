import path from 'node:path';
import type { CliCommand } from '../command.js';
import { UsageError, print } from '../command.js';

export const importBagCommand: CliCommand = {
  name: 'import-bag',
  usage: 'import-bag DIR',
  summary: 'validate BagIt bags (one bag or a folder of bags) and queue their results for delivery',
  async run(context) {
    const [dir, extra] = context.args;
    if (dir === undefined || extra !== undefined) throw new UsageError('import-bag takes one folder: import-bag DIR');
    const summary = await context.engine.sync.importBags(path.resolve(dir));
    const lines = [
      `Queued ${summary.imported.length} result(s); already queued ${summary.alreadyQueued.length}; refused ${summary.refused.length}`,
      ...summary.imported.map((bag) => `  queued  ${bag.documentId}`),
      ...summary.alreadyQueued.map((bag) => `  already ${bag.documentId}`),
      ...summary.refused.map((bag) => `  REFUSED ${bag.error.message} (${bag.error.code})`),
    ];
    if (summary.refused.length > 0) {
      if (context.json) context.io.stdout.write(`${JSON.stringify({ ok: false, ...summary })}\n`);
      else context.io.stderr.write(`${lines.join('\n')}\n`);
      return 1;
    }
    print(context, { ok: true, ...summary }, lines.join('\n'));
    return 0;
  },
};
