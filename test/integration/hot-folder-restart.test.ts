import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repoRoot, runSohoa, sohoaBin } from '../support/built-cli.js';
import { ocrSampleTexts, renderOcrPage } from '../support/ocr-pages.js';
import { useTempDirs } from '../support/temp-dir.js';

// 200 files dropped into the hot folder while the station is killed (SIGKILL) and stopped (SIGTERM)
// and started again: each file ends in done/, imported exactly once.

const tempDir = useTempDirs();
const fileCount = 200;

/** A small image, different for each number (a few kB), alternating JPEG and PNG. */
async function image(number: number): Promise<{ name: string; data: Buffer }> {
  const width = 96;
  const height = 128;
  const pixels = Buffer.alloc(width * height * 3);
  let state = (number + 1) * 2654435761;
  for (let index = 0; index < pixels.length; index += 1) {
    state = (state * 1103515245 + 12345) >>> 0;
    pixels[index] = state >>> 24;
  }
  const picture = sharp(pixels, { raw: { width, height, channels: 3 } });
  const name = `scan${String(number).padStart(4, '0')}`;
  return number % 2 === 0
    ? { name: `${name}.jpg`, data: await picture.jpeg({ quality: 70 }).toBuffer() }
    : { name: `${name}.png`, data: await picture.png({ compressionLevel: 1 }).toBuffer() };
}

interface Watcher {
  child: ChildProcess;
  stderr: string;
  stdout: string;
  exited: Promise<number | null>;
}

async function startWatcher(dataDir: string, config: string, inbox: string): Promise<Watcher> {
  const child = spawn(
    process.execPath,
    [sohoaBin, '--data-dir', dataDir, '--config', config, '--json', 'watch', inbox],
    {
      cwd: repoRoot,
      env: { ...process.env, SOHOA_POLICY_FILE: path.join(dataDir, 'no-policy.json') },
    },
  );
  const watcher: Watcher = {
    child,
    stderr: '',
    stdout: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (watcher.stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (watcher.stdout += chunk));
  const started = Date.now();
  while (!watcher.stderr.includes('Watching ')) {
    if (child.exitCode !== null) throw new Error(`sohoa watch exited: ${watcher.stderr}`);
    if (Date.now() - started > 30_000) throw new Error(`sohoa watch did not start: ${watcher.stderr}`);
    await delay(20);
  }
  return watcher;
}

function doneCount(inbox: string): number {
  const done = path.join(inbox, 'done');
  return fs.existsSync(done) ? fs.readdirSync(done).length : 0;
}

async function until(condition: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}

describe('hot folder across restarts', () => {
  beforeAll(() => ensureBuilt());

  it('imports each of 200 files exactly once while the watcher is killed and restarted', async () => {
    const inbox = tempDir('sohoa-inbox-');
    const dataDir = tempDir('sohoa-hot-data-');
    const config = path.join(dataDir, 'settings.json');
    fs.writeFileSync(
      config,
      JSON.stringify({ import: { pollIntervalMs: 50, stableChecks: 1, unreadableAfterMs: 60_000 } }),
    );
    const files = await Promise.all(Array.from({ length: fileCount }, (_, number) => image(number)));
    const hashes = new Set(files.map((file) => crypto.createHash('sha256').update(file.data).digest('hex')));
    expect(hashes.size).toBe(fileCount);

    // The scanner: files arrive one after another; every seventh is written in two parts with a
    // pause (a slow share), every fifth under a temporary name renamed when done.
    const dropping = (async () => {
      for (const [number, file] of files.entries()) {
        const target = path.join(inbox, file.name);
        if (number % 7 === 3) {
          fs.writeFileSync(target, file.data.subarray(0, file.data.length >> 1));
          await delay(150);
          fs.appendFileSync(target, file.data.subarray(file.data.length >> 1));
        } else if (number % 5 === 0) {
          fs.writeFileSync(`${target}.part`, file.data);
          fs.renameSync(`${target}.part`, target);
        } else {
          fs.writeFileSync(target, file.data);
        }
        await delay(8);
      }
    })();

    let watcher = await startWatcher(dataDir, config, inbox);
    await until(() => doneCount(inbox) >= 50, '50 files done');
    // A crash: no chance to finish the file in hand or to release the lock.
    watcher.child.kill('SIGKILL');
    await watcher.exited;
    const afterKill = doneCount(inbox);

    watcher = await startWatcher(dataDir, config, inbox);
    await until(() => doneCount(inbox) >= afterKill + 60, '60 more files done');
    // A normal stop (Ctrl+C, a restart of the station).
    watcher.child.kill('SIGTERM');
    expect(await watcher.exited).toBe(0);
    const summary = JSON.parse(watcher.stdout) as { ok: boolean; imported: number; failed: number };
    expect(summary).toMatchObject({ ok: true, failed: 0 });

    watcher = await startWatcher(dataDir, config, inbox);
    await dropping;
    await until(() => doneCount(inbox) === fileCount, 'all files done');
    watcher.child.kill('SIGTERM');
    expect(await watcher.exited).toBe(0);

    // Every file is in done/ once, nothing failed, nothing is left in the folder.
    const done = fs.readdirSync(path.join(inbox, 'done')).sort();
    expect(done).toEqual(files.map((file) => file.name).sort());
    for (const file of files) {
      expect(fs.readFileSync(path.join(inbox, 'done', file.name)).equals(file.data), file.name).toBe(true);
    }
    expect(fs.existsSync(path.join(inbox, 'failed'))).toBe(false);
    expect(fs.readdirSync(inbox)).toEqual(['done']);

    // The store holds each file exactly once: one ledger row, one batch, one page.
    const db = new Database(path.join(dataDir, 'station.db'), { readonly: true });
    const rows = db.prepare('SELECT sha256, batch_id FROM imported_files').all() as {
      sha256: string;
      batch_id: string;
    }[];
    const batches = db
      .prepare(
        `SELECT state, page_count, count(*) AS n FROM batches WHERE device_id = 'hot-folder' GROUP BY state, page_count`,
      )
      .all();
    const pages = db.prepare(`SELECT count(*) AS n FROM pages WHERE device_id = 'hot-folder'`).get();
    const orphanBatches = db
      .prepare('SELECT count(*) AS n FROM batches WHERE id NOT IN (SELECT batch_id FROM imported_files)')
      .get();
    db.close();
    expect(rows).toHaveLength(fileCount);
    expect(new Set(rows.map((row) => row.sha256))).toEqual(hashes);
    expect(new Set(rows.map((row) => row.batch_id)).size).toBe(fileCount);
    expect(batches).toEqual([{ state: 'finished', page_count: 1, n: fileCount }]);
    expect(pages).toEqual({ n: fileCount });
    expect(orphanBatches).toEqual({ n: 0 });
  });

  it('reads the text of what comes in overnight, with no window open, and says what waits at a stop', async () => {
    const inbox = tempDir('sohoa-inbox-ocr-');
    const dataDir = tempDir('sohoa-hot-ocr-');
    const config = path.join(dataDir, 'settings.json');
    fs.writeFileSync(config, JSON.stringify({ import: { pollIntervalMs: 50, stableChecks: 1 } }));
    const page = await renderOcrPage({ text: ocrSampleTexts[1], dpi: 150 });
    const watcher = await startWatcher(dataDir, config, inbox);
    fs.writeFileSync(path.join(inbox, 'công văn.png'), page.data);
    const db = new Database(path.join(dataDir, 'station.db'), { readonly: true });
    try {
      await until(() => {
        const row = db.prepare(`SELECT ocr_state FROM pages WHERE device_id = 'hot-folder'`).get() as
          { ocr_state: string } | undefined;
        return row?.ocr_state === 'done';
      }, 'the page read');
    } finally {
      db.close();
    }
    watcher.child.kill('SIGTERM');
    expect(await watcher.exited).toBe(0);
    expect(JSON.parse(watcher.stdout)).toMatchObject({
      ok: true,
      imported: 1,
      ocr: { read: 1, failed: 0, waiting: 0 },
    });
    const found = await runSohoa(['--data-dir', dataDir, '--json', 'search', 'kho quan ly du lieu dien tu']);
    expect((JSON.parse(found.stdout) as { hits: unknown[] }).hits).toHaveLength(1);
  });
});
