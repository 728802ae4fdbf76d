import { isStationError } from '../../../../shared/errors.js';
import type { BackupResult } from '../../store/backup.js';
import type { CliCommand } from '../command.js';
import { UsageError, print } from '../command.js';

export const backupCommand: CliCommand = {
  name: 'backup',
  usage: 'backup [--to DIR]… [--full]',
  summary: 'back the store up to DIR (default: every backup.targets folder); monthly full, else incremental',
  options: { to: { type: 'string', multiple: true }, full: { type: 'boolean' } },
  async run(context) {
    const { engine } = context;
    const given = (context.values.to as string[] | undefined) ?? [];
    const targets = given.length > 0 ? given : engine.settings.current().values.backup.targets;
    if (targets.length === 0) {
      throw new UsageError('backup needs --to DIR, or folders in the backup.targets setting');
    }
    const results: BackupResult[] = [];
    const failures: { target: string; error: { code: string; message: string } }[] = [];
    for (const target of targets) {
      try {
        results.push(await engine.store.backup(target, context.values.full === true ? 'full' : 'auto'));
      } catch (error) {
        if (!isStationError(error)) throw error;
        failures.push({ target, error: error.toShape() });
      }
    }
    const problems = results.flatMap((result) => result.problems);
    const ok = failures.length === 0 && problems.length === 0;
    const human = [
      ...results.map(
        (result) =>
          `${result.kind === 'full' ? 'Full' : 'Incremental'} back-up in ${result.set}: ${result.files} file(s) referenced, ` +
          `${result.copiedFiles} copied (${(result.copiedBytes / 1e6).toFixed(1)} MB), database ${(result.databaseBytes / 1e6).toFixed(1)} MB`,
      ),
      ...problems.map((problem) => `Not backed up: ${problem}`),
      ...failures.map(
        (failure) => `Back-up to ${failure.target} failed: ${failure.error.message} (${failure.error.code})`,
      ),
    ].join('\n');
    if (context.json) print(context, { ok, backups: results, failures }, human);
    else (ok ? context.io.stdout : context.io.stderr).write(`${human}\n`);
    return ok ? 0 : 1;
  },
};
