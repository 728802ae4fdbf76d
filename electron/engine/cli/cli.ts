import path from 'node:path';
import { parseArgs } from 'node:util';
import type { StationErrorShape } from '../../../shared/errors.js';
import { createEngine } from '../engine.js';
import { createLogger, createRotatingFileSink } from '../logging/logger.js';
import { appPaths, defaultDataDir } from '../paths.js';
import { stationVersion } from '../version.js';
import type { CliCommand, CliIo, OptionSpec } from './command.js';
import { UsageError, fail, print } from './command.js';
import { backupCommand } from './commands/backup.js';
import { devicesCommand } from './commands/devices.js';
import { importCommand } from './commands/import.js';
import { watchCommand } from './commands/watch.js';
import { ocrCommand } from './commands/ocr.js';
import { queueCommand } from './commands/queue.js';
import { restoreCommand } from './commands/restore.js';
import { scanCommand } from './commands/scan.js';
import { searchCommand } from './commands/search.js';
import { serveCommand } from './commands/serve.js';
import { processCommand } from './commands/process.js';
import { settingsCommand } from './commands/settings.js';
import { exportBagCommand } from './commands/export-bag.js';
import { importBagCommand } from './commands/import-bag.js';
import { syncCommand } from './commands/sync.js';

export type { CliIo } from './command.js';

/** Every subcommand; a new one is a module in commands/ and a line here. */
const commands: CliCommand[] = [
  devicesCommand,
  scanCommand,
  importCommand,
  watchCommand,
  serveCommand,
  settingsCommand,
  backupCommand,
  restoreCommand,
  searchCommand,
  queueCommand,
  syncCommand,
  exportBagCommand,
  importBagCommand,
  processCommand,
  ocrCommand,
];

const globalOptions: Record<string, OptionSpec> = {
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  policy: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
};

function usage(env: NodeJS.ProcessEnv): string {
  const width = Math.max(...commands.map((command) => command.usage.length));
  return `Trạm Số hóa (SoHoa Station) ${stationVersion}

Usage: sohoa [--data-dir DIR] [--config FILE] [--policy FILE] [--json] <command> [options]

Commands:
${commands.map((command) => `  ${command.usage.padEnd(width)}  ${command.summary}`).join('\n')}
  ${'version'.padEnd(width)}  print the version

Global options (before or after the command):
  --data-dir DIR   the station's data folder (default: ${defaultDataDir(env)})
  --config FILE    the user settings file to use instead of DIR/settings.json
  --policy FILE    the machine policy file (default: the OS place; see docs/settings.md)
  --json           print one JSON document on stdout
`;
}

/** Runs one `sohoa` command; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const options: Record<string, OptionSpec> = { ...globalOptions };
  for (const command of commands) Object.assign(options, command.options);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (error) {
    io.stderr.write(`sohoa: ${(error as Error).message}\n\n${usage(io.env)}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const json = values.json === true;
  const [name, ...args] = positionals;
  if (values.help === true || name === 'help') {
    io.stdout.write(usage(io.env));
    return 0;
  }
  if (name === undefined) {
    io.stderr.write(usage(io.env));
    return 2;
  }
  if (values.version === true || name === 'version') {
    print({ io, json }, { ok: true, version: stationVersion }, stationVersion);
    return 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.stderr.write(`sohoa: unknown command: ${name}\n\n${usage(io.env)}`);
    return 2;
  }
  const foreign = Object.keys(values).filter((key) => !(key in globalOptions) && !(key in (command.options ?? {})));
  if (foreign.length > 0) {
    io.stderr.write(`sohoa: ${command.name} does not take --${foreign.join(', --')}\n\n${usage(io.env)}`);
    return 2;
  }

  const dataDir = path.resolve((values['data-dir'] as string | undefined) ?? defaultDataDir(io.env));
  if (command.runWithoutEngine !== undefined) return command.runWithoutEngine({ io, json, values, args, dataDir });
  const { resourcesDir, rendererDir } = appPaths(io.appRoot);
  const logger = createLogger({
    level: 'info',
    sinks: [createRotatingFileSink(path.join(dataDir, 'logs'), 5_000_000, 5)],
  });
  const config = values.config as string | undefined;
  const policy = values.policy as string | undefined;
  const engine = await createEngine({
    dataDir,
    resourcesDir,
    transport: command.transport ?? 'direct',
    ocr: command.ocr?.(values),
    configFile: config === undefined ? undefined : path.resolve(config),
    policyFile: policy === undefined ? undefined : path.resolve(policy),
    logger,
  });
  try {
    return await command.run({ engine, io, json, values, args, rendererDir, logger });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`sohoa: ${error.message}\n\n${usage(io.env)}`);
      return 2;
    }
    const shape = (error as { shape?: StationErrorShape }).shape;
    if (shape !== undefined) {
      const fields = shape.fields?.map((field) => `${field.path}: ${field.message}`).join('; ');
      return fail({ io, json }, shape, fields === undefined ? shape.message : `${shape.message}: ${fields}`);
    }
    logger.error('command failed', { command: command.name, error });
    return fail({ io, json }, { code: 'internal', message: (error as Error).message }, (error as Error).message);
  } finally {
    await engine.close();
  }
}
