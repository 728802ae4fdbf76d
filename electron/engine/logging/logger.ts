import fs from 'node:fs';
import path from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

/** Structured log of the station. Never give it OCR text, images, personal data or tokens. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(scope: string): Logger;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogSink {
  write(line: string): void;
}

export interface LoggerOptions {
  level: LogLevel;
  sinks: LogSink[];
  scope?: string;
  now?: () => Date;
}

export function createLogger(options: LoggerOptions): Logger {
  const now = options.now ?? (() => new Date());
  const log = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (rank[level] < rank[options.level]) return;
    const record: LogFields = { time: now().toISOString(), level, message };
    if (options.scope !== undefined) record.scope = options.scope;
    for (const [key, value] of Object.entries(fields ?? {})) {
      record[key] = value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
    }
    const line = JSON.stringify(record);
    for (const sink of options.sinks) sink.write(line);
  };
  return {
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
    child: (scope) =>
      createLogger({ ...options, scope: options.scope === undefined ? scope : `${options.scope}.${scope}` }),
  };
}

/** A logger that drops everything, for tests and for code that gets none. */
export function createSilentLogger(): Logger {
  return createLogger({ level: 'error', sinks: [] });
}

/**
 * Appends lines to `dir/station.log`, rotating to `station.1.log` … when the file passes `maxFileBytes`.
 *
 * Synchronous on purpose: the last lines before a crash are the ones IT needs.
 */
export function createRotatingFileSink(dir: string, maxFileBytes: number, maxFiles: number): LogSink {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'station.log');
  let size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  const rotate = (): void => {
    for (let index = maxFiles - 1; index >= 1; index -= 1) {
      const from = index === 1 ? file : path.join(dir, `station.${index - 1}.log`);
      const to = path.join(dir, `station.${index}.log`);
      if (fs.existsSync(from)) fs.renameSync(from, to);
    }
    if (maxFiles === 1 && fs.existsSync(file)) fs.rmSync(file);
    size = 0;
  };
  return {
    write(line) {
      const bytes = Buffer.byteLength(line) + 1;
      if (size > 0 && size + bytes > maxFileBytes) rotate();
      fs.appendFileSync(file, `${line}\n`);
      size += bytes;
    },
  };
}

export function createConsoleSink(stream: NodeJS.WritableStream = process.stderr): LogSink {
  return { write: (line) => void stream.write(`${line}\n`) };
}
