import { runCli } from './cli.js';

/** Entry of the `sohoa` command (bundled to dist/cli/sohoa.cjs, started by bin/sohoa.cjs). */
export function main(appRoot: string): void {
  let stopRequested: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stopRequested = resolve;
  });
  process.once('SIGINT', () => stopRequested());
  process.once('SIGTERM', () => stopRequested());
  runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    appRoot,
    env: process.env,
    untilStopped: () => stopped,
  }).then(
    (code) => {
      process.exitCode = code;
      // Long-lived handles (sharp's thread pool) must not keep a finished command alive.
      setImmediate(() => process.exit(code));
    },
    (error: unknown) => {
      process.stderr.write(`sohoa: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
