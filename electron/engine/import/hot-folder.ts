import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { StationError, isStationError } from '../../../shared/errors.js';
import type { Logger } from '../logging/logger.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { importFormatOf, looksComplete } from './import-formats.js';
import type { ImportResult, ImportService } from './import-service.js';

/** What the hot folder did with one file. */
export type HotFolderEvent =
  | { type: 'imported'; file: string; batchId: string; pages: number; signed: boolean }
  | { type: 'already-imported'; file: string; batchId: string }
  | { type: 'failed'; file: string; code: string; message: string };

export interface HotFolderOptions {
  /** The folder a multifunction printer scans into. `done/` and `failed/` are made inside it. */
  dir: string;
  imports: ImportService;
  /** `import.*` settings, read at every check so changes apply at once. */
  settings: () => { pollIntervalMs: number; stableChecks: number; unreadableAfterMs: number; profile: string };
  logger: Logger;
  onEvent?: (event: HotFolderEvent) => void;
}

/** Watches a folder and imports each file once it is completely written. */
export interface HotFolder {
  readonly dir: string;
  /** Takes the folder's lock and starts checking; throws `import/file-not-found` or when another station watches it. */
  start(): Promise<void>;
  /** Stops after the file in hand; releases the lock. */
  stop(): Promise<void>;
  /** One pass over the folder now (tests, and the first pass at start). */
  checkNow(): Promise<void>;
}

interface Candidate {
  size: number;
  mtimeMs: number;
  stableChecks: number;
  /** When the file was first seen unchanged, for giving up on one that never becomes readable. */
  stableSince: number;
  lastProblem: string | undefined;
}

const lockName = '.sohoa-hot-folder.lock';
/** Files a scanner or a copy is still writing under a temporary name, and our own bookkeeping. */
const ignored = [/^\./, /^~\$/, /\.(part|partial|tmp|temp|crdownload|download)$/i, /\.reason\.txt$/i];

/** Where a file goes: `done/name`, or `done/name (2).ext` when a file of that name is there already. */
function freeName(folder: string, name: string): string {
  const extension = path.extname(name);
  const base = name.slice(0, name.length - extension.length);
  for (let attempt = 1; ; attempt += 1) {
    const candidate = path.join(folder, attempt === 1 ? name : `${base} (${attempt})${extension}`);
    if (!fs.existsSync(candidate)) return candidate;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The hot folder of a station.
 *
 * A file is taken only when it is complete: its size and modification time
 * are unchanged over `stableChecks` checks, it opens for reading, and its
 * content ends as a whole file of its format should (a PDF's `%%EOF`, a JPEG's
 * end marker…). It is then imported and moved to `done/`; a file that cannot
 * be imported is moved to `failed/` beside a `.reason.txt`. The import records
 * the file's hash in the same transaction as its pages, before the move, so
 * after a crash a file still in the folder is recognised and only moved: no
 * file is lost or imported twice, also across restarts. A file that never
 * becomes readable goes to `failed/` after `unreadableAfterMs`. A lock file
 * (with a heartbeat) keeps two stations from watching one folder.
 */
export function createHotFolder(options: HotFolderOptions): HotFolder {
  const dir = path.resolve(options.dir);
  const doneDir = path.join(dir, 'done');
  const failedDir = path.join(dir, 'failed');
  const lockFile = path.join(dir, lockName);
  const log = options.logger.child('hot-folder');
  const candidates = new Map<string, Candidate>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let stopRequested = false;
  let pass: Promise<void> = Promise.resolve();

  function emit(event: HotFolderEvent): void {
    try {
      options.onEvent?.(event);
    } catch (error) {
      log.warn('hot-folder listener failed', { error });
    }
  }

  function staleAfterMs(): number {
    return Math.max(30_000, options.settings().pollIntervalMs * 10);
  }

  function takeLock(): void {
    const owner = JSON.stringify({ pid: process.pid, host: os.hostname(), at: new Date().toISOString() });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        fs.writeFileSync(lockFile, owner, { flag: 'wx' });
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      let holder: { pid?: number; host?: string } = {};
      try {
        holder = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as typeof holder;
      } catch {
        // Unreadable lock (half written by a crash): judged by its age below.
      }
      const age = Date.now() - (fs.statSync(lockFile, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      const deadHere = holder.host === os.hostname() && holder.pid !== undefined && !isAlive(holder.pid);
      if (deadHere || age > staleAfterMs()) {
        log.warn('taking over a stale hot-folder lock', { holder });
        fs.rmSync(lockFile, { force: true });
        continue;
      }
      throw new StationError(
        'scan/busy',
        `${dir} is watched by another station (process ${String(holder.pid)} on ${String(holder.host)})`,
      );
    }
  }

  function heartbeat(): void {
    const now = new Date();
    try {
      fs.utimesSync(lockFile, now, now);
    } catch {
      // Removed by hand: take it again so a second watcher cannot start beside us.
      try {
        takeLock();
      } catch (error) {
        log.error('lost the hot-folder lock', { error });
      }
    }
  }

  async function move(file: string, folder: string): Promise<string> {
    await fsp.mkdir(folder, { recursive: true });
    const target = freeName(folder, path.basename(file));
    await fsp.rename(file, target);
    return target;
  }

  async function fail(file: string, error: StationError): Promise<void> {
    const name = path.basename(file);
    await fsp.mkdir(failedDir, { recursive: true });
    const target = freeName(failedDir, name);
    // The reason is written first: a crash between the two leaves a reason and the file still here,
    // which is checked again, never a failed file without its reason.
    writeFileAtomic(`${target}.reason.txt`, `${error.code}\n${error.message}\n${new Date().toISOString()}\n`);
    await fsp.rename(file, target);
    log.warn('hot-folder file failed', { file: name, code: error.code });
    emit({ type: 'failed', file: name, code: error.code, message: error.message });
  }

  /** Reads a stable file: its bytes when whole, `wait` while it may still be written, `fail` when waiting cannot help. */
  async function readIfComplete(
    file: string,
    candidate: Candidate,
  ): Promise<{ data: Buffer } | { wait: true } | { fail: StationError }> {
    let data: Buffer;
    try {
      data = await fsp.readFile(file);
    } catch (error) {
      // Windows refuses to open a file another process is writing (EBUSY/EPERM): not ready.
      candidate.lastProblem = `cannot be opened (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
      return { wait: true };
    }
    if (data.length !== candidate.size) {
      candidate.stableChecks = 0;
      return { wait: true };
    }
    try {
      const format = importFormatOf(data, path.basename(file));
      if (!looksComplete(data, format)) {
        candidate.lastProblem = 'the file does not end as a whole file should';
        return { wait: true };
      }
    } catch (error) {
      // A name that is not a scan format will not become one; a .pdf whose start is not a PDF yet might.
      if (isStationError(error) && error.code === 'import/unsupported-format') return { fail: error };
      candidate.lastProblem = (error as Error).message;
      return { wait: true };
    }
    return { data };
  }

  async function handle(name: string): Promise<void> {
    const file = path.join(dir, name);
    const stat = await fsp.stat(file).catch(() => undefined);
    if (stat === undefined || !stat.isFile()) {
      candidates.delete(name);
      return;
    }
    const settings = options.settings();
    const previous = candidates.get(name);
    const unchanged = previous !== undefined && previous.size === stat.size && previous.mtimeMs === stat.mtimeMs;
    const candidate: Candidate = unchanged
      ? { ...previous, stableChecks: previous.stableChecks + 1 }
      : { size: stat.size, mtimeMs: stat.mtimeMs, stableChecks: 0, stableSince: Date.now(), lastProblem: undefined };
    candidates.set(name, candidate);
    if (candidate.stableChecks < settings.stableChecks) return;
    if (stat.size === 0) {
      // A scanner creates the file before it writes it; one that stays empty was never written.
      if (Date.now() - candidate.stableSince >= settings.unreadableAfterMs) {
        candidates.delete(name);
        await fail(file, new StationError('import/corrupt-file', `${name}: the file is empty`));
      }
      return;
    }

    const read = await readIfComplete(file, candidate);
    if ('fail' in read) {
      candidates.delete(name);
      await fail(file, read.fail);
      return;
    }
    if ('wait' in read) {
      if (Date.now() - candidate.stableSince >= settings.unreadableAfterMs) {
        candidates.delete(name);
        await fail(
          file,
          new StationError(
            'import/corrupt-file',
            `${name}: not a complete PDF, TIFF, JPEG or PNG file after ${Math.round(settings.unreadableAfterMs / 1000)} s unchanged (${candidate.lastProblem ?? 'unreadable'})`,
          ),
        );
      }
      return;
    }
    let result: ImportResult;
    try {
      result = await options.imports.importData(read.data, name, {
        origin: 'hot-folder',
        profile: settings.profile === '' ? undefined : settings.profile,
      });
    } catch (error) {
      if (isStationError(error) && error.code.startsWith('import/')) {
        candidates.delete(name);
        await fail(file, error);
        return;
      }
      // Anything else (disk full, a database error) may pass: the file stays and is tried again.
      log.error('hot-folder import failed; will try again', { file: name, error });
      candidate.stableChecks = 0;
      return;
    }
    await move(file, doneDir);
    candidates.delete(name);
    if (result.status === 'imported') {
      emit({ type: 'imported', file: name, batchId: result.batchId, pages: result.pages, signed: result.signed });
    } else {
      emit({ type: 'already-imported', file: name, batchId: result.batchId });
    }
  }

  async function checkOnce(): Promise<void> {
    let names: string[];
    try {
      names = (await fsp.readdir(dir)).filter((name) => !ignored.some((pattern) => pattern.test(name)));
    } catch (error) {
      log.error('cannot read the hot folder', { dir, error });
      return;
    }
    for (const gone of [...candidates.keys()].filter((name) => !names.includes(name))) candidates.delete(gone);
    // Oldest name first, as a scanner numbers its files.
    for (const name of names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) {
      if (stopRequested) break;
      try {
        await handle(name);
      } catch (error) {
        log.error('hot-folder file could not be handled; will try again', { file: name, error });
      }
    }
  }

  function schedule(): void {
    if (!running) return;
    timer = setTimeout(() => {
      timer = undefined;
      pass = (async () => {
        heartbeat();
        await checkOnce();
      })().finally(schedule);
    }, options.settings().pollIntervalMs);
  }

  return {
    dir,
    async start() {
      if (running) return;
      const stat = await fsp.stat(dir).catch(() => undefined);
      if (stat === undefined || !stat.isDirectory()) {
        throw new StationError('import/file-not-found', `The hot folder ${dir} does not exist`);
      }
      takeLock();
      running = true;
      stopRequested = false;
      log.info('watching hot folder', { dir });
      pass = checkOnce().finally(schedule);
      await pass;
    },
    async stop() {
      running = false;
      stopRequested = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await pass.catch(() => undefined);
      fs.rmSync(lockFile, { force: true });
      log.info('stopped watching hot folder', { dir });
    },
    checkNow: () => checkOnce(),
  };
}
