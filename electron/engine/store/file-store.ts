import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { StationError } from '../../../shared/errors.js';

/** Content-addressed files (page images, thumbnails, PDFs) named by their SHA-256. */
export interface FileStore {
  /** Stores the bytes (once per content) and returns their SHA-256. */
  put(data: Uint8Array): Promise<string>;
  /** Reads a file and checks its hash; a mismatch moves it to quarantine and throws `store/corrupt`. */
  read(sha256: string): Promise<Buffer>;
  has(sha256: string): boolean;
  pathOf(sha256: string): string;
}

const shaPattern = /^[0-9a-f]{64}$/;

export function sha256Hex(data: Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex');
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

  return {
    pathOf,
    has: (sha256) => fs.existsSync(pathOf(sha256)),
    async put(data) {
      const sha256 = sha256Hex(data);
      const target = pathOf(sha256);
      if (fs.existsSync(target)) return sha256;
      await fsp.mkdir(path.dirname(target), { recursive: true });
      const temp = path.join(tempDir, `${sha256}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`);
      const handle = await fsp.open(temp, 'w');
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fsp.rename(temp, target);
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
  };
}
