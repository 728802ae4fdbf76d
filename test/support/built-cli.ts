import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sohoaBin = path.join(repoRoot, 'bin', 'sohoa.cjs');

/** Builds the station unless the build is newer than its sources. */
export function ensureBuilt(): void {
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs'), '--if-stale'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `sohoa` command in a child process. */
export function runSohoa(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [sohoaBin, ...args], { cwd: repoRoot, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Starts `sohoa serve --json` and resolves with the address it prints.
 *
 * `env` is added to this process's environment (a SANE_CONFIG_DIR pointing at the SANE test
 * backend, for instance).
 */
export function startServe(
  dataDir: string,
  extraArgs: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; url: string; port: number; token: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [sohoaBin, '--data-dir', dataDir, '--json', ...extraArgs, 'serve'], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line !== undefined) {
        const document = JSON.parse(line) as { url: string; port: number; token: string };
        resolve({ child, ...document });
      }
    });
    child.on('exit', (code) => reject(new Error(`sohoa serve exited with ${code}: ${stderr}`)));
  });
}
