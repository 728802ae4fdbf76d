import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StationError } from '../../../shared/errors.js';
import type { SecretStore } from './secret-store.js';
import { checkSecretName } from './secret-store.js';

/** Writes `data` to `file` with mode 0600 from the first byte (temp file + rename), so no reader sees it wider. */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = path.join(dir, `.${path.basename(file)}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(temp, 'wx', 0o600);
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}

/** Reads a private file; refuses one that others may read (POSIX), since its secret may have leaked. */
export function readPrivateFile(file: string): Buffer | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    throw new StationError(
      'sync/secret-unavailable',
      `${file} may be read by other users (mode ${(stat.mode & 0o777).toString(8)}); store the secret again`,
    );
  }
  return fs.readFileSync(file);
}

/**
 * Secrets as files with mode 0600 in a 0700 folder (Node mode and the CLI).
 *
 * The folder is the data folder's `secrets/`; a file readable by others is refused rather
 * than used, so a copied or loosened file is noticed.
 */
export function createFileSecretStore(dir: string): SecretStore {
  const fileOf = (name: string): string => path.join(dir, checkSecretName(name));
  // Promise.resolve().then: a refusal (bad name, loose file) arrives as a rejection, like an I/O error.
  return {
    get: (name) => Promise.resolve().then(() => readPrivateFile(fileOf(name))?.toString('utf8')),
    set: (name, value) => Promise.resolve().then(() => writePrivateFile(fileOf(name), value)),
    delete: (name) => Promise.resolve().then(() => fs.rmSync(fileOf(name), { force: true })),
  };
}
