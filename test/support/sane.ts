import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The SANE test backend's first device as the station names it. */
export const saneTestDevice = 'sane:test:0';

/** Whether `scanimage` (apt sane-utils) is installed, so SANE suites can say why they skip. */
export function hasScanimage(): boolean {
  try {
    execFileSync('scanimage', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether the sane-airscan backend (apt sane-airscan) is installed. */
export function hasSaneAirscan(): boolean {
  return ['/usr/lib/x86_64-linux-gnu/sane', '/usr/lib/aarch64-linux-gnu/sane', '/usr/lib/sane'].some((dir) =>
    fs.existsSync(path.join(dir, 'libsane-airscan.so.1')),
  );
}

/** A SANE configuration folder of the test's own and the environment that points scanimage at it. */
export interface SaneConfig {
  dir: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

/**
 * A SANE_CONFIG_DIR whose dll.conf loads only the given backends.
 *
 * Debian comments `test` out of /etc/sane.d/dll.conf, and loading every
 * backend there takes seconds; with our own folder, listing takes
 * milliseconds and no real scanner on the machine can interfere.
 */
export function makeSaneConfig(backends: string[], files: Record<string, string> = {}): SaneConfig {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-sane-'));
  fs.writeFileSync(path.join(dir, 'dll.conf'), `${backends.join('\n')}\n`);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return {
    dir,
    env: { ...process.env, SANE_CONFIG_DIR: dir },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** The SANE `test` backend alone (two virtual devices, test:0 and test:1). */
export function makeSaneTestConfig(): SaneConfig {
  return makeSaneConfig(['test']);
}

/**
 * sane-airscan alone, with one manually configured eSCL device and discovery off.
 *
 * `trace` names a folder where sane-airscan records every HTTP exchange, for
 * a test that fails.
 */
export function makeAirscanConfig(device: { name: string; url: string }, trace?: string): SaneConfig {
  const lines = [
    '[devices]',
    `"${device.name}" = ${device.url}, eSCL`,
    '',
    '[options]',
    'discovery = disable',
    'ws-discovery = off',
    '',
    ...(trace === undefined ? [] : ['[debug]', `trace = ${trace}`, '']),
  ];
  return makeSaneConfig(['airscan'], { 'airscan.conf': `${lines.join('\n')}\n` });
}
