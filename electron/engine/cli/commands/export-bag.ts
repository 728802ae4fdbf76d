import path from 'node:path';
import type { CliCommand } from '../command.js';
import { UsageError, print } from '../command.js';

export const exportBagCommand: CliCommand = {
  name: 'export-bag',
  usage: 'export-bag --out DIR',
  summary: 'write the undelivered results as BagIt bags (RFC 8493) for hand-over on removable media',
  options: { out: { type: 'string' } },
  run(context) {
    const out = context.values.out;
    if (typeof out !== 'string' || out === '') throw new UsageError('export-bag needs --out DIR');
    const summary = context.engine.sync.exportBags(path.resolve(out));
    const lines = [
      `Wrote ${summary.bags.length} bag(s) to ${summary.outDir}`,
      ...summary.bags.map((bag) => `  ${path.basename(bag.dir)}`),
      ...summary.skipped.map((skip) => `  NOT written: ${skip.documentId}: ${skip.error.message} (${skip.error.code})`),
    ];
    if (summary.skipped.length > 0) {
      if (context.json) context.io.stdout.write(`${JSON.stringify({ ok: false, ...summary })}\n`);
      else context.io.stderr.write(`${lines.join('\n')}\n`);
      return Promise.resolve(1);
    }
    print(context, { ok: true, ...summary }, lines.join('\n'));
    return Promise.resolve(0);
  },
};
