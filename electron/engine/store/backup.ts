import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { StationError, isStationError } from '../../../shared/errors.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logging/logger.js';
import { verifyAuditChain } from './audit-log.js';
import type { FileStore } from './file-store.js';
import { createFileStore, isSha256, sha256Hex } from './file-store.js';
import { referencedFiles, requiredFiles } from './garbage-collector.js';
import { toStoreError } from './store-errors.js';

/**
 * Back-up and restore of the whole store (REQUIREMENTS.md section 6).
 *
 * A target folder holds `sohoa-backup/<station id>/<YYYY-MM>/<NNNN>-<full|incremental>-<time>/`.
 * Each month starts with a full set (the database and every file it references); the other sets
 * of that month are incremental (the database and only the files no earlier set of the month
 * holds). Every set lists all the files its database needs and which set of the month holds each,
 * so restoring a set needs that set and the earlier sets of its month only. The database copy is
 * SQLite's online backup, so the station keeps working while it runs; the file list is read from
 * the copy itself, so the two always agree. A set is written under a `.partial` name and renamed
 * when complete: an interrupted back-up leaves nothing that looks usable.
 */

export const backupFormat = 'sohoa-backup/1';
const setPattern = /^(\d{4})-(full|incremental)-(\d{8}T\d{6}Z)$/;

export type BackupKind = 'full' | 'incremental';

export interface BackupManifest {
  format: typeof backupFormat;
  kind: BackupKind;
  stationId: string;
  createdAt: string;
  schemaVersion: number;
  database: { file: 'station.db'; sha256: string; bytes: number };
  /** SHA-256 of files.txt: one line per file, `<sha256> <bytes> <set holding it>`. */
  filesList: { file: 'files.txt'; sha256: string; count: number; bytes: number };
  /** Head of the audit chain in this copy: cutting rows off the end of a later log shows against it. */
  audit: { rows: number; headHash: string; ok: boolean };
  copied: { files: number; bytes: number };
  extras: string[];
}

export interface BackupResult {
  target: string;
  set: string;
  kind: BackupKind;
  createdAt: string;
  files: number;
  copiedFiles: number;
  copiedBytes: number;
  databaseBytes: number;
  /** Referenced files that could not be backed up (missing, or failed their hash and were quarantined). */
  problems: string[];
}

export interface BackupOptions {
  db: Database;
  files: FileStore;
  /** The data folder: `settings.json` beside the database is copied too. */
  dataDir: string;
  target: string;
  stationId: string;
  clock: Clock;
  /** `auto`: full when the month has no set yet, incremental otherwise. */
  kind?: BackupKind | 'auto' | undefined;
  signal?: AbortSignal | undefined;
  logger?: Logger | undefined;
}

function stamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** The month folder, in the station's local time (a back-up at 01:00 on the 1st belongs to the new month). */
function monthOf(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}

function safeName(value: string): string {
  return value.replace(/[^0-9A-Za-z._-]/g, '_') || 'station';
}

async function writeDurable(file: string, data: Uint8Array | string): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  const handle = await fsp.open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsp.rename(temp, file);
}

async function sha256OfFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

function fileIn(setDir: string, sha256: string): string {
  return path.join(setDir, 'files', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/** Complete sets of a month folder, oldest first. */
function setsOf(monthDir: string): string[] {
  if (!fs.existsSync(monthDir)) return [];
  return fs
    .readdirSync(monthDir)
    .filter((name) => setPattern.test(name) && fs.existsSync(path.join(monthDir, name, 'manifest.json')))
    .sort();
}

function readFilesList(setDir: string): Map<string, { bytes: number; set: string }> {
  const list = new Map<string, { bytes: number; set: string }>();
  const text = fs.readFileSync(path.join(setDir, 'files.txt'), 'utf8');
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [sha256, bytes, set] = line.split(' ');
    if (sha256 === undefined || bytes === undefined || set === undefined) continue;
    list.set(sha256, { bytes: Number(bytes), set });
  }
  return list;
}

export function readManifest(setDir: string): BackupManifest {
  const file = path.join(setDir, 'manifest.json');
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as BackupManifest;
  } catch (error) {
    throw new StationError('store/backup-invalid', `${file} cannot be read: ${(error as Error).message}`);
  }
  if (manifest.format !== backupFormat) {
    throw new StationError(
      'store/backup-invalid',
      `${file} is not a SoHoa Station back-up (${String(manifest.format)})`,
    );
  }
  return manifest;
}

/** Backs the store up into one target folder. */
export async function backupStore(options: BackupOptions): Promise<BackupResult> {
  const { db, files, clock } = options;
  const createdAt = clock.now();
  const stationDir = path.join(path.resolve(options.target), 'sohoa-backup', safeName(options.stationId));
  const monthDir = path.join(stationDir, monthOf(createdAt));
  try {
    await fsp.mkdir(monthDir, { recursive: true });
  } catch (error) {
    throw toBackupTargetError(error, options.target);
  }
  // Leftovers of an interrupted back-up.
  for (const name of fs.readdirSync(monthDir)) {
    if (name.endsWith('.partial')) await fsp.rm(path.join(monthDir, name), { recursive: true, force: true });
  }
  const earlier = setsOf(monthDir);
  const previous = earlier.at(-1);
  const kind: BackupKind = options.kind === 'full' || previous === undefined ? 'full' : 'incremental';
  const number = String((earlier.length > 0 ? Number(earlier.at(-1)?.slice(0, 4)) : 0) + 1).padStart(4, '0');
  const setName = `${number}-${kind}-${stamp(createdAt)}`;
  const finalDir = path.join(monthDir, setName);
  const partialDir = `${finalDir}.partial`;
  await fsp.mkdir(partialDir, { recursive: true });

  try {
    // 1. The database, by SQLite's online backup: a consistent copy while the station keeps writing.
    const dbCopy = path.join(partialDir, 'station.db');
    await db.backup(dbCopy);
    // The copy keeps the source's WAL mode; back to a rollback journal, so the one file is the
    // whole database (no -wal beside it that a copy or a restore could leave behind).
    const snapshot = new BetterSqlite3(dbCopy);
    snapshot.pragma('journal_mode = DELETE');
    let needed: Set<string>;
    let required: Set<string>;
    let schemaVersion: number;
    let audit: BackupManifest['audit'];
    try {
      needed = referencedFiles(snapshot);
      required = requiredFiles(snapshot);
      schemaVersion = snapshot.pragma('user_version', { simple: true }) as number;
      const chain = verifyAuditChain(snapshot);
      audit = { rows: chain.rows, headHash: chain.headHash, ok: chain.ok };
    } finally {
      snapshot.close();
    }
    const database = await sha256OfFile(dbCopy);
    await fsp.open(dbCopy, 'r+').then(async (handle) => {
      await handle.sync();
      await handle.close();
    });

    // 2. The files the copy references: those an earlier set of the month holds stay there.
    const held =
      kind === 'incremental' && previous !== undefined
        ? readFilesList(path.join(monthDir, previous))
        : new Map<string, { bytes: number; set: string }>();
    const lines: string[] = [];
    const problems: string[] = [];
    let copiedFiles = 0;
    let copiedBytes = 0;
    for (const sha256 of [...needed].sort()) {
      if (options.signal?.aborted === true) throw new StationError('scan/cancelled', 'Back-up cancelled');
      const earlierCopy = held.get(sha256);
      if (earlierCopy !== undefined && fs.existsSync(fileIn(path.join(monthDir, earlierCopy.set), sha256))) {
        lines.push(`${sha256} ${earlierCopy.bytes} ${earlierCopy.set}`);
        continue;
      }
      // A hash column that names bytes the station never stored (an imported file's) is not a loss.
      if (!required.has(sha256) && !files.has(sha256)) continue;
      let data: Buffer;
      try {
        data = await files.read(sha256); // verifies the hash; a bad file is quarantined, never copied
      } catch (error) {
        if (isStationError(error)) {
          problems.push(`${sha256}: ${error.message}`);
          continue;
        }
        throw error;
      }
      await writeDurable(fileIn(partialDir, sha256), data);
      lines.push(`${sha256} ${data.length} ${setName}`);
      copiedFiles += 1;
      copiedBytes += data.length;
    }
    const listText = lines.length > 0 ? `${lines.join('\n')}\n` : '';
    await writeDurable(path.join(partialDir, 'files.txt'), listText);

    // 3. The user's settings, so a restored station behaves as before.
    const extras: string[] = [];
    for (const name of ['settings.json']) {
      const source = path.join(options.dataDir, name);
      if (fs.existsSync(source)) {
        await writeDurable(path.join(partialDir, name), await fsp.readFile(source));
        extras.push(name);
      }
    }

    const manifest: BackupManifest = {
      format: backupFormat,
      kind,
      stationId: options.stationId,
      createdAt: createdAt.toISOString(),
      schemaVersion,
      database: { file: 'station.db', sha256: database.sha256, bytes: database.bytes },
      filesList: {
        file: 'files.txt',
        sha256: sha256Hex(Buffer.from(listText, 'utf8')),
        count: lines.length,
        bytes: Buffer.byteLength(listText),
      },
      audit,
      copied: { files: copiedFiles, bytes: copiedBytes },
      extras,
    };
    await writeDurable(path.join(partialDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await fsp.rename(partialDir, finalDir);
    options.logger?.info('backup written', {
      target: options.target,
      set: setName,
      kind,
      files: lines.length,
      copiedFiles,
    });
    return {
      target: options.target,
      set: finalDir,
      kind,
      createdAt: manifest.createdAt,
      files: lines.length,
      copiedFiles,
      copiedBytes,
      databaseBytes: database.bytes,
      problems,
    };
  } catch (error) {
    await fsp.rm(partialDir, { recursive: true, force: true }).catch(() => undefined);
    throw toBackupTargetError(error, options.target);
  }
}

function toBackupTargetError(error: unknown, target: string): unknown {
  if (isStationError(error)) return error;
  const mapped = toStoreError(error, `the back-up in ${target}`);
  if (mapped !== error) return mapped;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOENT' || code === 'ENOTDIR') {
    return new StationError('store/not-found', `The back-up folder ${target} cannot be written (${code})`);
  }
  return error;
}

/** Finds the set to restore: `from` itself, or the newest complete set below it. */
export function findBackupSet(from: string): string {
  const root = path.resolve(from);
  if (fs.existsSync(path.join(root, 'manifest.json'))) return root;
  const found: { dir: string; createdAt: string }[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 4 || !fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const child = path.join(dir, entry.name);
      if (setPattern.test(entry.name) && fs.existsSync(path.join(child, 'manifest.json'))) {
        try {
          found.push({ dir: child, createdAt: readManifest(child).createdAt });
        } catch {
          // Not a readable set; others may be.
        }
      } else if (!entry.name.endsWith('.partial') && entry.name !== 'files') {
        walk(child, depth + 1);
      }
    }
  };
  walk(root, 0);
  found.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  const newest = found.at(-1);
  if (newest === undefined) throw new StationError('store/backup-invalid', `No SoHoa Station back-up found in ${root}`);
  return newest.dir;
}

export interface RestoreResult {
  set: string;
  kind: BackupKind;
  createdAt: string;
  files: number;
  bytes: number;
  dataDir: string;
}

/** Whether a folder is missing or holds nothing (restore never mixes two stores). */
export function isEmptyDir(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/**
 * Restores a set into an empty data folder, checking the database's hash, its integrity, its audit
 * chain, and the hash of every file. Nothing is left in the folder unless everything checked out.
 */
export async function restoreStore(options: {
  from: string;
  dataDir: string;
  logger?: Logger | undefined;
}): Promise<RestoreResult> {
  const dataDir = path.resolve(options.dataDir);
  if (!isEmptyDir(dataDir)) {
    throw new StationError('store/not-empty', `${dataDir} is not empty; restore only into an empty or new folder`);
  }
  const setDir = findBackupSet(options.from);
  const manifest = readManifest(setDir);
  const monthDir = path.dirname(setDir);
  const problems: string[] = [];

  const created = !fs.existsSync(dataDir);
  await fsp.mkdir(dataDir, { recursive: true });
  const staging = path.join(dataDir, `.restoring-${crypto.randomBytes(4).toString('hex')}`);
  await fsp.mkdir(staging);
  try {
    const dbSource = path.join(setDir, manifest.database.file);
    const dbHash = await sha256OfFile(dbSource).catch(() => undefined);
    if (dbHash?.sha256 !== manifest.database.sha256) {
      throw new StationError('store/backup-invalid', `The database copy in ${setDir} does not match its hash`);
    }
    const dbTarget = path.join(staging, 'station.db');
    await writeDurable(dbTarget, await fsp.readFile(dbSource));
    const restored = new BetterSqlite3(dbTarget, { readonly: true });
    try {
      const integrity = restored.pragma('integrity_check', { simple: true }) as string;
      if (integrity !== 'ok')
        throw new StationError('store/backup-invalid', `The database copy fails its integrity check: ${integrity}`);
      const chain = verifyAuditChain(restored);
      if (!chain.ok || chain.headHash !== manifest.audit.headHash) {
        throw new StationError(
          'store/backup-invalid',
          'The audit log of the database copy does not match the manifest',
        );
      }
    } finally {
      restored.close();
    }

    const listText = await fsp.readFile(path.join(setDir, manifest.filesList.file));
    if (sha256Hex(listText) !== manifest.filesList.sha256) {
      throw new StationError('store/backup-invalid', `The file list of ${setDir} does not match its hash`);
    }
    const list = readFilesList(setDir);
    const store = createFileStore(path.join(staging, 'store'));
    let bytes = 0;
    for (const [sha256, { set }] of list) {
      if (!isSha256(sha256) || !setPattern.test(set)) {
        problems.push(`bad line for ${sha256}`);
        continue;
      }
      let data: Buffer;
      try {
        data = await fsp.readFile(fileIn(path.join(monthDir, set), sha256));
      } catch {
        problems.push(`${sha256} is missing from ${set}`);
        continue;
      }
      if (sha256Hex(data) !== sha256) {
        problems.push(`${sha256} in ${set} does not match its hash`);
        continue;
      }
      await store.put(data);
      bytes += data.length;
    }
    if (problems.length > 0) {
      throw new StationError(
        'store/backup-invalid',
        `${problems.length} file(s) of the back-up failed: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}`,
      );
    }
    for (const name of manifest.extras) {
      if (name !== 'settings.json') continue;
      await writeDurable(path.join(staging, name), await fsp.readFile(path.join(setDir, name)));
    }
    for (const name of await fsp.readdir(staging)) {
      await fsp.rename(path.join(staging, name), path.join(dataDir, name));
    }
    await fsp.rm(staging, { recursive: true, force: true });
    options.logger?.info('restored from backup', { set: setDir, files: list.size });
    return { set: setDir, kind: manifest.kind, createdAt: manifest.createdAt, files: list.size, bytes, dataDir };
  } catch (error) {
    await fsp.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    if (created && isEmptyDir(dataDir)) await fsp.rmdir(dataDir).catch(() => undefined);
    throw toStoreError(error, `restoring into ${dataDir}`);
  }
}

export interface BackupScheduler {
  /** Runs the back-ups that are due now (for the timer, and for tests with a fake clock). */
  runDue(): Promise<BackupResult[]>;
  stop(): void;
}

/**
 * Daily back-ups to every `backup.targets` folder after `backup.hour`, each target on its own
 * (one unplugged disk does not stop the others). The day of the last success per target is kept
 * in `station_state`, so a station switched off at that hour backs up at its next start.
 */
export function createBackupScheduler(options: {
  db: Database;
  clock: Clock;
  targets: () => readonly string[];
  hour: () => number;
  run: (target: string) => Promise<BackupResult>;
  logger: Logger;
  /** How often to look; 0 starts no timer (runDue is then called by hand). */
  intervalMs: number;
}): BackupScheduler {
  const key = (target: string): string => `backup.last:${path.resolve(target)}`;
  const dayOf = (date: Date): string =>
    `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  let running: Promise<BackupResult[]> | undefined;

  async function runDue(): Promise<BackupResult[]> {
    const now = options.clock.now();
    if (now.getHours() < options.hour()) return [];
    const results: BackupResult[] = [];
    for (const target of options.targets()) {
      const last = options.db.prepare(`SELECT value FROM station_state WHERE key = ?`).pluck().get(key(target)) as
        string | undefined;
      if (last !== undefined && (JSON.parse(last) as string) === dayOf(now)) continue;
      try {
        const result = await options.run(target);
        options.db
          .prepare(
            `INSERT INTO station_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
          )
          .run(key(target), JSON.stringify(dayOf(now)));
        results.push(result);
      } catch (error) {
        options.logger.warn('scheduled backup failed', {
          target,
          code: isStationError(error) ? error.code : 'internal',
          error,
        });
      }
    }
    return results;
  }

  const timer =
    options.intervalMs > 0
      ? setInterval(() => {
          running ??= runDue().finally(() => {
            running = undefined;
          });
        }, options.intervalMs)
      : undefined;
  timer?.unref();
  return {
    runDue: () => (running ??= runDue().finally(() => (running = undefined))),
    stop: () => {
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
