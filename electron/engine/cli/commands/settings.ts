import type { CliCommand } from '../command.js';
import { call, print } from '../command.js';

export const settingsCommand: CliCommand = {
  name: 'settings',
  usage: 'settings',
  summary: 'show the settings in force, locked keys and problems',
  async run(context) {
    const effective = await call(context.engine, 'settings:get', {});
    const human = [
      JSON.stringify(effective.values, null, 2),
      effective.locked.length > 0
        ? `Locked by machine policy: ${effective.locked.join(', ')}`
        : 'No key is locked by machine policy.',
      ...effective.problems.map(
        (problem) => `Problem in ${problem.source} settings ${problem.file}: ${problem.key}: ${problem.message}`,
      ),
    ].join('\n');
    print(context, { ok: true, ...effective }, human);
    return 0;
  },
};
