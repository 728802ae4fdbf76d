import type { CallName, CallValue } from '../../../shared/contract.js';
import type { StationErrorShape } from '../../../shared/errors.js';
import type { Engine } from '../engine.js';
import type { Logger } from '../logging/logger.js';
import type { EngineOcrTuning } from '../ocr/ocr-wiring.js';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The station's root folder (holds `resources/` and `dist/renderer/`). */
  appRoot: string;
  env: NodeJS.ProcessEnv;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); used by long-running commands. */
  untilStopped: () => Promise<void>;
}

export type OptionSpec = { type: 'string' | 'boolean'; multiple?: boolean; short?: string };

/** What a command gets: the engine built from the global options, its own options, and the output. */
export interface CommandContext {
  engine: Engine;
  io: CliIo;
  json: boolean;
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  /** Positionals after the command name. */
  args: string[];
  rendererDir: string;
  logger: Logger;
}

/** One `sohoa` subcommand; registered in cli.ts. */
export interface CliCommand {
  name: string;
  /** Usage line and one-line summary for `--help`. */
  usage: string;
  summary: string;
  options?: Record<string, OptionSpec>;
  /** The transport the engine reports in `app:info`. */
  transport?: 'direct' | 'bridge';
  /** How the engine's OCR runs for this command, from its options (default: left to the next long-running engine). */
  ocr?(values: CommandContext['values']): EngineOcrTuning | undefined;
  run(context: CommandContext): Promise<number>;
  /**
   * For a command that must not open the data folder (restore fills an empty one): called instead
   * of `run`, before any engine, log file or database exists in `dataDir`.
   */
  runWithoutEngine?(
    context: Pick<CommandContext, 'io' | 'json' | 'values' | 'args'> & { dataDir: string },
  ): Promise<number>;
}

/** Wrong usage: exit code 2 with the usage text. */
export class UsageError extends Error {}

/** Prints one JSON document with `--json`, the human text otherwise. */
export function print(context: Pick<CommandContext, 'io' | 'json'>, document: unknown, human: string): void {
  context.io.stdout.write(context.json ? `${JSON.stringify(document)}\n` : `${human}\n`);
}

/** Reports a failure and returns exit code 1. */
export function fail(context: Pick<CommandContext, 'io' | 'json'>, error: StationErrorShape, human: string): number {
  if (context.json) context.io.stdout.write(`${JSON.stringify({ ok: false, error })}\n`);
  else context.io.stderr.write(`sohoa: ${human} (${error.code})\n`);
  return 1;
}

/** Calls the engine through the dispatcher, exactly as the UI does; a failure throws with its shape. */
export async function call<N extends CallName>(engine: Engine, name: N, args: unknown): Promise<CallValue<N>> {
  const result = await engine.dispatcher.dispatch(name, args);
  if (!result.ok) throw Object.assign(new Error(result.error.message), { shape: result.error });
  return result.value as CallValue<N>;
}

/** Reads a whole-number option, or undefined when absent. */
export function integerOption(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`);
  }
  return number;
}
