import BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/settings.js';
import { backupStore } from '../../electron/engine/store/backup.js';
import { openStore } from '../../electron/engine/store/store.js';
import { ensureBuilt, runSohoa } from '../support/built-cli.js';
import { documentWithText, sealDocument, steppingClock } from '../support/store-fixtures.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

/** A data folder with documents at several steps, OCR text, metadata, audit rows and user settings. */
async function stationWithData(dataDir: string): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ station: { id: 'qn-skhcn-01' } }));
  const store = openStore({ dataDir, clock: steppingClock(), settings: () => defaultSettings() });
  const decision = await documentWithText(store, ['QUYẾT ĐỊNH\nVề việc cấp phép hoạt động', 'Điều 1. Cấp phép'], {
    documentNumber: '45/QĐ-UBND',
    summary: 'Quyết định cấp phép',
  });
  await sealDocument(store, decision);
  store.workflow.enqueue(decision, 'clerk');
  await documentWithText(store, ['GIẤY CHỨNG NHẬN\nĐăng ký hoạt động khoa học và công nghệ'], {
    ownerName: 'Nguyễn Thị Bích',
  });
  store.close();
}

async function addDocument(dataDir: string, text: string): Promise<void> {
  const store = openStore({
    dataDir,
    clock: steppingClock(Date.parse('2026-03-03T02:00:00Z')),
    settings: () => defaultSettings(),
  });
  await documentWithText(store, [text]);
  store.close();
}

/** Every row of every ordinary table (FTS shadow tables aside), keyed by table. */
function dump(file: string): Record<string, unknown[]> {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const tables = db
      .prepare(
        `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE '%fts_%' ORDER BY name`,
      )
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables.map((table) => [table, db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all()]),
    );
  } finally {
    db.close();
  }
}

function storedFiles(dataDir: string): Map<string, string> {
  const root = path.join(dataDir, 'store', 'files');
  const files = new Map<string, string>();
  for (const a of fs.readdirSync(root))
    for (const b of fs.readdirSync(path.join(root, a)))
      for (const name of fs.readdirSync(path.join(root, a, b)))
        files.set(name, fs.readFileSync(path.join(root, a, b, name)).toString('base64'));
  return files;
}

const json = (stdout: string): Record<string, unknown> => JSON.parse(stdout) as Record<string, unknown>;

describe('back-up and restore', () => {
  beforeAll(() => ensureBuilt());

  it('restores into an empty folder the same rows and files, from a full then an incremental back-up', async () => {
    const dataDir = tempDir('sohoa-backup-src-');
    const target = tempDir('sohoa-backup-target-');
    await stationWithData(dataDir);

    const full = await runSohoa(['--data-dir', dataDir, '--json', 'backup', '--to', target]);
    expect(full.code, full.stderr).toBe(0);
    const [first] = json(full.stdout).backups as { kind: string; set: string; files: number; copiedFiles: number }[];
    expect(first).toMatchObject({ kind: 'full' });
    expect(first!.copiedFiles).toBe(first!.files);
    expect(first!.set).toContain(path.join(target, 'sohoa-backup', 'qn-skhcn-01'));
    // One self-contained database file per set: no write-ahead log beside it.
    expect(fs.readdirSync(first!.set).sort()).toEqual([
      'files',
      'files.txt',
      'manifest.json',
      'settings.json',
      'station.db',
    ]);

    await addDocument(dataDir, 'Báo cáo tình hình số hóa năm 2021');
    const incremental = await runSohoa(['--data-dir', dataDir, '--json', 'backup', '--to', target]);
    expect(incremental.code, incremental.stderr).toBe(0);
    const [second] = json(incremental.stdout).backups as { kind: string; files: number; copiedFiles: number }[];
    // Only the new page image and its thumbnail are copied; the rest stays in the full set.
    expect(second).toMatchObject({ kind: 'incremental', files: first!.files + 2, copiedFiles: 2 });

    const restored = path.join(tempDir('sohoa-restore-'), 'station');
    const restore = await runSohoa(['--data-dir', restored, '--json', 'restore', '--from', target]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(json(restore.stdout)).toMatchObject({ ok: true, kind: 'incremental', files: second!.files });

    // Same rows: everything but the audit row that records the back-up itself, written after the copy.
    const source = dump(path.join(dataDir, 'station.db'));
    const copy = dump(path.join(restored, 'station.db'));
    expect(Object.keys(copy)).toEqual(Object.keys(source));
    for (const table of Object.keys(source)) {
      if (table === 'audit_log') continue;
      expect(copy[table], table).toEqual(source[table]);
    }
    expect(copy.audit_log).toEqual(source.audit_log!.slice(0, -1));
    expect((source.audit_log!.at(-1) as { action: string }).action).toBe('store.backup');
    // Same files, byte for byte, and the user settings.
    expect(storedFiles(restored)).toEqual(storedFiles(dataDir));
    expect(fs.readFileSync(path.join(restored, 'settings.json'), 'utf8')).toContain('qn-skhcn-01');

    // The restored station works: it opens, checks clean, and finds documents without diacritics.
    const search = await runSohoa(['--data-dir', restored, '--json', 'search', 'quyet', 'dinh']);
    expect(search.code, search.stderr).toBe(0);
    const hits = json(search.stdout).hits as {
      document: { documentNumber: string };
      snippet: { text: string; hit: boolean }[];
    }[];
    expect(hits.map((hit) => hit.document.documentNumber)).toEqual(['45/QĐ-UBND']);
    expect(hits[0]!.snippet.filter((part) => part.hit).map((part) => part.text)).toContain('QUYẾT ĐỊNH');
    const human = await runSohoa(['--data-dir', restored, 'search', 'dang ky']);
    expect(human.stdout).toContain('[Đăng ký]');
    const queue = await runSohoa(['--data-dir', restored, '--json', 'queue', '--state', 'queued']);
    expect(
      (json(queue.stdout).items as { documentNumber: string; state: string }[]).map((item) => [
        item.documentNumber,
        item.state,
      ]),
    ).toEqual([['45/QĐ-UBND', 'queued']]);
    const store = openStore({ dataDir: restored, clock: steppingClock(), settings: () => defaultSettings() });
    expect(store.check({ hashFiles: true })).toEqual([]);
    store.close();

    // Restoring the full set gives the station as it was before the third document.
    const setDir = path.dirname(first!.set);
    const fullSet = fs.readdirSync(setDir).find((name) => name.includes('-full-'))!;
    const older = path.join(tempDir('sohoa-restore-'), 'older');
    const olderRun = await runSohoa(['--data-dir', older, '--json', 'restore', '--from', path.join(setDir, fullSet)]);
    expect(olderRun.code, olderRun.stderr).toBe(0);
    expect(dump(path.join(older, 'station.db')).documents).toHaveLength(2);
  });

  it('refuses a folder that is not empty, and a back-up whose file no longer matches its hash, leaving nothing behind', async () => {
    const dataDir = tempDir('sohoa-backup-src-');
    const target = tempDir('sohoa-backup-target-');
    await stationWithData(dataDir);
    expect((await runSohoa(['--data-dir', dataDir, 'backup', '--to', target])).code).toBe(0);

    const busy = tempDir('sohoa-restore-busy-');
    fs.writeFileSync(path.join(busy, 'notes.txt'), 'keep me');
    const refused = await runSohoa(['--data-dir', busy, '--json', 'restore', '--from', target]);
    expect(refused.code).toBe(1);
    expect(json(refused.stdout)).toMatchObject({ ok: false, error: { code: 'store/not-empty' } });
    expect(fs.readdirSync(busy)).toEqual(['notes.txt']);

    // Bit rot on the back-up medium.
    const setDir = fs
      .readdirSync(path.join(target, 'sohoa-backup', 'qn-skhcn-01'))
      .map((month) => path.join(target, 'sohoa-backup', 'qn-skhcn-01', month))[0]!;
    const set = path.join(setDir, fs.readdirSync(setDir)[0]!);
    const first = fs.readFileSync(path.join(set, 'files.txt'), 'utf8').split(' ')[0]!;
    const victim = path.join(set, 'files', first.slice(0, 2), first.slice(2, 4), first);
    const bytes = fs.readFileSync(victim);
    bytes[10] = bytes[10]! ^ 0xff;
    fs.writeFileSync(victim, bytes);
    const fresh = path.join(tempDir('sohoa-restore-'), 'new');
    const bad = await runSohoa(['--data-dir', fresh, '--json', 'restore', '--from', target]);
    expect(bad.code).toBe(1);
    expect(json(bad.stdout)).toMatchObject({
      ok: false,
      error: { code: 'store/backup-invalid', message: expect.stringContaining(`${first} in`) },
    });
    expect(fs.existsSync(fresh)).toBe(false);

    const usage = await runSohoa(['--data-dir', fresh, 'restore']);
    expect(usage.code).toBe(2);
  });

  it('starts a new month with a full back-up, backs up to every configured target, and ignores a half-written set', async () => {
    const dataDir = tempDir('sohoa-backup-src-');
    const targets = [tempDir('sohoa-usb-a-'), tempDir('sohoa-usb-b-')];
    await stationWithData(dataDir);
    fs.writeFileSync(
      path.join(dataDir, 'settings.json'),
      JSON.stringify({ station: { id: 'qn-skhcn-01' }, backup: { targets } }),
    );
    const both = await runSohoa(['--data-dir', dataDir, '--json', 'backup']);
    expect(both.code, both.stderr).toBe(0);
    expect((json(both.stdout).backups as { target: string }[]).map((backup) => backup.target)).toEqual(targets);

    const store = openStore({ dataDir, clock: steppingClock(), settings: () => defaultSettings() });
    const inMonth = (iso: string) => ({ now: () => new Date(iso) });
    const march = await backupStore({
      db: store.db,
      files: store.files,
      dataDir,
      target: targets[0]!,
      stationId: 'qn-skhcn-01',
      clock: inMonth('2099-03-20T05:00:00'),
    });
    const april = await backupStore({
      db: store.db,
      files: store.files,
      dataDir,
      target: targets[0]!,
      stationId: 'qn-skhcn-01',
      clock: inMonth('2099-04-01T05:00:00'),
    });
    expect(april.kind).toBe('full');
    expect(march.set).not.toBe(april.set);
    // A back-up interrupted half-way is never taken for a usable one.
    fs.mkdirSync(`${april.set.replace(/0001-full/, '0002-incremental')}.partial`, { recursive: true });
    const restored = path.join(tempDir('sohoa-restore-'), 's');
    store.close();
    const run = await runSohoa(['--data-dir', restored, '--json', 'restore', '--from', targets[0]!]);
    expect(run.code, run.stderr).toBe(0);
    expect(json(run.stdout).set).toBe(april.set);
  });
});
