import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { StationError } from '../../../shared/errors.js';
import { toStoreError } from './store-errors.js';

/** Content-addressed files (page images, thumbnails, PDFs) named by their SHA-256. */
export interface FileStore {
  /** The folder holding `files/`, `tmp/` and `quarantine/`. */
  readonly root: string;
  /**
   * Stores the bytes (once per content) and returns their SHA-256.
   *
   * Written to a temporary name, fsynced, renamed, and the folder fsynced, so a crash leaves the
   * whole file or none. Storing content that is already there refreshes its time, which keeps
   * garbage collection's grace period away from a file about to be referenced again.
   */
  put(data: Uint8Array): Promise<string>;
  /** Reads a file and checks its hash; a mismatch moves it to quarantine and throws `store/corrupt`. */
  read(sha256: string): Promise<Buffer>;
  has(sha256: string): boolean;
  pathOf(sha256: string): string;
  /** Every stored hash (walks the folders; for garbage collection, back-up and checks). */
  list(): Generator<string>;
  /** Size and modification time of a stored file, or undefined. */
  stat(sha256: string): { bytes: number; mtimeMs: number } | undefined;
  /** Deletes a stored file; true if it was there. Only garbage collection calls this. */
  remove(sha256: string): boolean;
  /** Deletes temporary files older than `olderThanMs` (left by a crash mid-write); returns how many. */
  cleanTemp(olderThanMs: number, nowMs?: number): number;
}

const shaPattern = /^[0-9a-f]{64}$/;
const hexPair = /^[0-9a-f]{2}$/;

export function sha256Hex(data: Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

export function isSha256(value: unknown): value is string {
  return typeof value === 'string' && shaPattern.test(value);
}

/** Makes a rename durable: on POSIX the folder entry is only on disk once the folder is fsynced. */
function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function createFileStore(root: string): FileStore {
  const filesDir = path.join(root, 'files');
  const tempDir = path.join(root, 'tmp');
  const quarantineDir = path.join(root, 'quarantine');
  fs.mkdirSync(filesDir, { recursive: true });
  fs.mkdirSync(tempDir, { recursive: true });

  const pathOf = (sha256: string): string => {
    if (!shaPattern.test(sha256)) throw new StationError('store/not-found', `Not a SHA-256: ${sha256}`);
    return path.join(filesDir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };

  async function write(sha256: string, target: string, data: Uint8Array): Promise<void> {
    const dir = path.dirname(target);
    await fsp.mkdir(dir, { recursive: true });
    const temp = path.join(tempDir, `${sha256}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`);
    try {
      const handle = await fsp.open(temp, 'w');
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fsp.rename(temp, target);
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw toStoreError(error, 'a file of the store');
    }
    fsyncDir(dir);
  }

  return {
    root,
    pathOf,
    has: (sha256) => fs.existsSync(pathOf(sha256)),
    async put(data) {
      const sha256 = sha256Hex(data);
      const target = pathOf(sha256);
      if (fs.existsSync(target)) {
        const now = new Date();
        await fsp.utimes(target, now, now).catch(() => undefined);
        return sha256;
      }
      await write(sha256, target, data);
      return sha256;
    },
    async read(sha256) {
      const file = pathOf(sha256);
      let data: Buffer;
      try {
        data = await fsp.readFile(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new StationError('store/not-found', `No file ${sha256}`);
        }
        throw error;
      }
      if (sha256Hex(data) !== sha256) {
        await fsp.mkdir(quarantineDir, { recursive: true });
        await fsp.rename(file, path.join(quarantineDir, `${sha256}.${Date.now()}`));
        throw new StationError('store/corrupt', `File ${sha256} failed its hash check and was quarantined`);
      }
      return data;
    },
    *list() {
      for (const first of fs.readdirSync(filesDir)) {
        if (!hexPair.test(first)) continue;
        for (const second of fs.readdirSync(path.join(filesDir, first))) {
          if (!hexPair.test(second)) continue;
          for (const name of fs.readdirSync(path.join(filesDir, first, second))) {
            if (shaPattern.test(name) && name.startsWith(first + second)) yield name;
          }
        }
      }
    },
    stat(sha256) {
      try {
        const stats = fs.statSync(pathOf(sha256));
        return { bytes: stats.size, mtimeMs: stats.mtimeMs };
      } catch {
        return undefined;
      }
    },
    remove(sha256) {
      try {
        fs.unlinkSync(pathOf(sha256));
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
    },
    cleanTemp(olderThanMs, nowMs = Date.now()) {
      let removed = 0;
      for (const name of fs.readdirSync(tempDir)) {
        const file = path.join(tempDir, name);
        try {
          if (nowMs - fs.statSync(file).mtimeMs >= olderThanMs) {
            fs.rmSync(file, { force: true });
            removed += 1;
          }
        } catch {
          // Gone already (another process cleaned it).
        }
      }
      return removed;
    },
  };
}
