import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CallName, CallValue, EventName, EventPayload } from '../../shared/contract.js';
import type { StationErrorShape } from '../../shared/errors.js';
import { startBridge } from './bridge/bridge-server.js';
import type { Engine } from './engine.js';
import { createEngine } from './engine.js';
import { createConsoleSink, createLogger, createRotatingFileSink } from './logging/logger.js';
import { appPaths, defaultDataDir } from './paths.js';
import { stationVersion } from './version.js';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The station's root folder (holds `resources/` and `dist/renderer/`). */
  appRoot: string;
  env: NodeJS.ProcessEnv;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); used by long-running commands. */
  untilStopped: () => Promise<void>;
}

const usage = `Trạm Số hóa (SoHoa Station) ${stationVersion}

Usage: sohoa [--data-dir DIR] [--config FILE] [--policy FILE] [--json] <command> [options]

Commands:
  devices                              list the scanners every driver sees
  scan --device ID [--count N]         scan pages into the store of --data-dir
  serve [--port P]                     browser mode: serve the UI and the contract on 127.0.0.1
  settings                             show the settings in force, locked keys and problems
  version                              print the version

Global options:
  --data-dir DIR   the station's data folder (default: ${defaultDataDir()})
  --config FILE    the user settings file to use instead of DIR/settings.json
  --policy FILE    the machine policy file (default: the OS place; see docs/settings.md)
  --json           print one JSON document on stdout
`;

class UsageError extends Error {}

type Output = { json: boolean; io: CliIo };

function print(out: Output, document: unknown, human: string): void {
  out.io.stdout.write(out.json ? `${JSON.stringify(document)}\n` : `${human}\n`);
}

function fail(out: Output, error: StationErrorShape, human: string): number {
  if (out.json) out.io.stdout.write(`${JSON.stringify({ ok: false, error })}\n`);
  else out.io.stderr.write(`sohoa: ${human} (${error.code})\n`);
  return 1;
}

async function call<N extends CallName>(engine: Engine, name: N, args: unknown): Promise<CallValue<N>> {
  const result = await engine.dispatcher.dispatch(name, args);
  if (!result.ok) throw Object.assign(new Error(result.error.message), { shape: result.error });
  return result.value as CallValue<N>;
}

/** Runs one `sohoa` command; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'data-dir': { type: 'string' },
        config: { type: 'string' },
        policy: { type: 'string' },
        json: { type: 'boolean', default: false },
        device: { type: 'string' },
        count: { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    io.stderr.write(`sohoa: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const out: Output = { json: values.json === true, io };
  const command = positionals[0];
  if (values.help === true || command === undefined || command === 'help') {
    io.stdout.write(usage);
    return command === undefined && values.help !== true ? 2 : 0;
  }
  if (values.version === true || command === 'version') {
    print(out, { version: stationVersion }, stationVersion);
    return 0;
  }

  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir(io.env));
  const { resourcesDir, rendererDir } = appPaths(io.appRoot);
  const logger = createLogger({
    level: 'info',
    sinks: [createRotatingFileSink(path.join(dataDir, 'logs'), 5_000_000, 5)],
  });
  const engine = await createEngine({
    dataDir,
    resourcesDir,
    transport: command === 'serve' ? 'bridge' : 'direct',
    configFile: values.config === undefined ? undefined : path.resolve(values.config),
    policyFile: values.policy === undefined ? undefined : path.resolve(values.policy),
    logger,
  });
  try {
    switch (command) {
      case 'devices':
        return await devicesCommand(engine, out);
      case 'scan':
        return await scanCommand(engine, out, values.device, values.count);
      case 'serve':
        return await serveCommand(engine, out, values.port, rendererDir, logger);
      case 'settings':
        return await settingsCommand(engine, out);
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`sohoa: ${error.message}\n\n${usage}`);
      return 2;
    }
    const shape = (error as { shape?: StationErrorShape }).shape;
    if (shape !== undefined) {
      const fields = shape.fields?.map((field) => `${field.path}: ${field.message}`).join('; ');
      return fail(out, shape, fields === undefined ? shape.message : `${shape.message}: ${fields}`);
    }
    logger.error('command failed', { command, error });
    return fail(out, { code: 'internal', message: (error as Error).message }, (error as Error).message);
  } finally {
    await engine.close();
  }
}

async function devicesCommand(engine: Engine, out: Output): Promise<number> {
  const devices = await call(engine, 'devices:list', {});
  const lines = devices.map(
    (device) =>
      `${device.id}\t${device.kind}\t${device.name}\t${device.sources.join(',')}\t${device.resolutions.join(',')} dpi${device.allowed ? '' : '\t(not allowed by policy)'}`,
  );
  print(out, { ok: true, devices }, lines.length === 0 ? 'No scanner found.' : lines.join('\n'));
  return 0;
}

function waitForEnd(engine: Engine, batchId: () => string | undefined, onPage: (payload: EventPayload<'scan:page-captured'>) => void) {
  return new Promise<{ name: EventName; payload: EventPayload<'scan:finished'> | EventPayload<'scan:failed'> }>((resolve) => {
    const stop = engine.events.onAny((name, payload) => {
      if (name === 'scan:page-captured') {
        const captured = payload as EventPayload<'scan:page-captured'>;
        if (captured.batchId === batchId()) onPage(captured);
      }
      if ((name === 'scan:finished' || name === 'scan:failed') && (payload as { batchId: string }).batchId === batchId()) {
        stop();
        resolve({ name, payload: payload as EventPayload<'scan:finished'> });
      }
    });
  });
}

async function scanCommand(engine: Engine, out: Output, device: string | undefined, countText: string | undefined): Promise<number> {
  const deviceId = device ?? engine.settings.current().values.scan.defaultDevice;
  let count: number | undefined;
  if (countText !== undefined) {
    count = Number(countText);
    if (!Number.isInteger(count)) throw new UsageError(`--count must be a whole number, not ${countText}`);
  }
  let batchId: string | undefined;
  const ended = waitForEnd(engine, () => batchId, (captured) => {
    if (!out.json) out.io.stderr.write(`page ${captured.page.index + 1} ${captured.page.widthPx}×${captured.page.heightPx} ${captured.page.sha256.slice(0, 12)}\n`);
  });
  const started = await call(engine, 'scan:start', count === undefined ? { deviceId } : { deviceId, count });
  batchId = started.batchId;
  const stopOnSignal = out.io.untilStopped().then(() => engine.capture.cancel(started.batchId));
  const end = await ended;
  void stopOnSignal;
  const pages = await call(engine, 'pages:list', { batchId: started.batchId });
  if (end.name === 'scan:failed') {
    const failed = end.payload as EventPayload<'scan:failed'>;
    if (out.json) out.io.stdout.write(`${JSON.stringify({ ok: false, batchId: started.batchId, pages, error: failed.error })}\n`);
    else out.io.stderr.write(`sohoa: scan stopped after ${pages.length} page(s): ${failed.error.message} (${failed.error.code})\n`);
    return 1;
  }
  const finished = end.payload as EventPayload<'scan:finished'>;
  print(
    out,
    { ok: true, batchId: started.batchId, cancelled: finished.cancelled, pages },
    `Batch ${started.batchId}: ${pages.length} page(s) stored in ${engine.dataDir}${finished.cancelled ? ' (cancelled)' : ''}`,
  );
  return finished.cancelled ? 130 : 0;
}

async function serveCommand(
  engine: Engine,
  out: Output,
  portText: string | undefined,
  rendererDir: string,
  logger: ReturnType<typeof createLogger>,
): Promise<number> {
  const port = portText === undefined ? engine.settings.current().values.bridge.port : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535, not ${portText}`);
  const bridge = await startBridge({
    dispatcher: engine.dispatcher,
    events: engine.events,
    logger: createLogger({ level: 'info', sinks: [createConsoleSink(out.io.stderr)] }).child('serve'),
    rendererDir,
    port,
  });
  logger.info('browser mode started', { port: bridge.port });
  print(
    out,
    { ok: true, url: bridge.url, port: bridge.port, token: bridge.token, dataDir: engine.dataDir },
    `Trạm Số hóa — browser mode\nOpen: ${bridge.url}\nData: ${engine.dataDir}\nPress Ctrl+C to stop.`,
  );
  await out.io.untilStopped();
  await bridge.close();
  return 0;
}

async function settingsCommand(engine: Engine, out: Output): Promise<number> {
  const effective = await call(engine, 'settings:get', {});
  const human = [
    JSON.stringify(effective.values, null, 2),
    effective.locked.length > 0 ? `Locked by machine policy: ${effective.locked.join(', ')}` : 'No key is locked by machine policy.',
    ...effective.problems.map((problem) => `Problem in ${problem.source} settings ${problem.file}: ${problem.key}: ${problem.message}`),
  ].join('\n');
  print(out, { ok: true, ...effective }, human);
  return 0;
}
