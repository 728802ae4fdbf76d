import { isStationError } from '../../../../shared/errors.js';
import { restoreStore } from '../../store/backup.js';
import type { CliCommand } from '../command.js';
import { fail, print } from '../command.js';

export const restoreCommand: CliCommand = {
  name: 'restore',
  usage: 'restore --from DIR',
  summary: 'restore the newest back-up under DIR into an empty --data-dir, checking every hash',
  options: { from: { type: 'string' } },
  run() {
    return Promise.reject(new Error('restore runs without an engine'));
  },
  async runWithoutEngine(context) {
    const from = context.values.from as string | undefined;
    if (from === undefined || from === '') {
      context.io.stderr.write('sohoa: restore needs --from DIR (a back-up folder or a target holding back-ups)\n');
      return 2;
    }
    try {
      const result = await restoreStore({ from, dataDir: context.dataDir });
      print(
        context,
        { ok: true, ...result },
        `Restored the ${result.kind} back-up of ${result.createdAt} (${result.set}) into ${result.dataDir}: ` +
          `${result.files} file(s), ${(result.bytes / 1e6).toFixed(1)} MB, every hash checked`,
      );
      return 0;
    } catch (error) {
      if (!isStationError(error)) throw error;
      return fail(context, error.toShape(), error.message);
    }
  },
};
