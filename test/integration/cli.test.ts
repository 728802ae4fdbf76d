import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runSohoa } from '../support/built-cli.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

describe('sohoa command', () => {
  beforeAll(() => ensureBuilt());

  it('lists the demo scanner as one JSON document', async () => {
    const dataDir = tempDir();
    const run = await runSohoa(['--data-dir', dataDir, '--json', 'devices']);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as { ok: boolean; devices: { id: string; kind: string }[] };
    expect(document.ok).toBe(true);
    expect(document.devices).toContainEqual(expect.objectContaining({ id: 'demo', kind: 'demo' }));
  });

  it('scans pages from the demo scanner into the store of --data-dir', async () => {
    const dataDir = tempDir();
    const run = await runSohoa(['--data-dir', dataDir, '--json', 'scan', '--device', 'demo', '--count', '3']);
    expect(run.code, run.stderr).toBe(0);
    const document = JSON.parse(run.stdout) as {
      ok: boolean;
      batchId: string;
      pages: { sha256: string; index: number }[];
    };
    expect(document.pages.map((page) => page.index)).toEqual([0, 1, 2]);

    const db = new Database(path.join(dataDir, 'station.db'), { readonly: true });
    const rows = db.prepare('SELECT sha256 FROM pages WHERE batch_id = ? ORDER BY idx').all(document.batchId) as {
      sha256: string;
    }[];
    const batch = db.prepare('SELECT state, page_count FROM batches WHERE id = ?').get(document.batchId);
    db.close();
    expect(batch).toEqual({ state: 'finished', page_count: 3 });
    expect(rows.map((row) => row.sha256)).toEqual(document.pages.map((page) => page.sha256));
    for (const { sha256 } of rows) {
      const file = path.join(dataDir, 'store', 'files', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
      expect(crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(sha256);
    }
  });

  it('reads the user settings from --config and names a bad key', async () => {
    const dataDir = tempDir();
    const config = path.join(tempDir(), 'station.json');
    fs.writeFileSync(config, JSON.stringify({ ui: { language: 'en' }, scan: { dpi: 'many' } }));
    const run = await runSohoa([
      '--data-dir',
      dataDir,
      '--config',
      config,
      '--policy',
      path.join(dataDir, 'none.json'),
      '--json',
      'settings',
    ]);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout) as {
      values: { scan: { dpi: number } };
      problems: { key: string; file: string }[];
    };
    expect(document.values.scan.dpi).toBe(300);
    expect(document.problems).toEqual([expect.objectContaining({ key: 'scan.dpi', file: config })]);
  });

  it('answers an unknown device with a clear error and a JSON document', async () => {
    const run = await runSohoa(['--data-dir', tempDir(), '--json', 'scan', '--device', 'nope']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code: 'scan/device-not-found' } });
  });

  it('explains wrong usage on stderr with exit code 2', async () => {
    const run = await runSohoa(['--data-dir', tempDir(), 'frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command: frobnicate');
  });
});
