import fs from 'node:fs';
import { StationError } from '../../../shared/errors.js';

export interface DiskStatus {
  freeBytes: number;
  reserveBytes: number;
  ok: boolean;
}

/** Refuses new captures while the disk holding the data folder has less free space than the reserve. */
export interface DiskGuard {
  status(): DiskStatus;
  /** Throws `store/disk-full` below the reserve; reading what is stored never calls this. */
  check(): void;
}

export interface DiskGuardOptions {
  /** A folder on the disk to watch (the data folder). */
  dir: string;
  /** `storage.reserveMb`, read at each check so a settings change applies at once. */
  reserveMb: () => number;
  /** For tests of the arithmetic; the real one is fs.statfsSync. */
  statfs?: (dir: string) => { bavail: number; bsize: number };
}

const mebibyte = 1024 * 1024;

export function createDiskGuard(options: DiskGuardOptions): DiskGuard {
  const statfs = options.statfs ?? ((dir: string) => fs.statfsSync(dir));
  function status(): DiskStatus {
    const stats = statfs(options.dir);
    const freeBytes = Number(stats.bavail) * Number(stats.bsize);
    const reserveBytes = options.reserveMb() * mebibyte;
    return { freeBytes, reserveBytes, ok: freeBytes >= reserveBytes };
  }
  return {
    status,
    check() {
      const { freeBytes, ok } = status();
      if (ok) return;
      throw new StationError(
        'store/disk-full',
        `Only ${(freeBytes / mebibyte).toFixed(1)} MB free on the disk of ${options.dir}, below the reserve of ` +
          `${options.reserveMb()} MB (storage.reserveMb): new captures are refused. Free disk space or ask IT; ` +
          `what is stored stays readable.`,
      );
    },
  };
}
