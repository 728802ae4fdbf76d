import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract.js';
import type { Engine } from '../../electron/engine/engine.js';
import type { DemoPageSource } from '../../electron/engine/scan/demo-pages.js';
import { callEngine } from '../support/call.js';
import { openDemoEngine } from '../support/demo-engine.js';

/**
 * Disk full on a real small file system made by the test: tmpfs, or a loop-mounted ext4 image where
 * tmpfs cannot be mounted. Without either (not root, no mount privilege) the test skips and says why.
 */
const sizeMb = 8;
let mountDir: string | undefined;
let cleanup: (() => void) | undefined;
let whyNot = '';

function tryMount(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-diskfull-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { stdio: 'pipe' });
    mountDir = dir;
    cleanup = () => {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      fs.rmSync(dir, { recursive: true, force: true });
    };
    return;
  } catch (error) {
    whyNot = `tmpfs: ${String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim()}`;
  }
  const image = `${dir}.img`;
  try {
    execFileSync('truncate', ['-s', `${sizeMb}M`, image]);
    execFileSync('mkfs.ext4', ['-q', '-F', image], { stdio: 'pipe' });
    execFileSync('mount', ['-o', 'loop', image, dir], { stdio: 'pipe' });
    mountDir = dir;
    cleanup = () => {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(image, { force: true });
    };
  } catch (error) {
    whyNot += `; loop image: ${String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim()}`;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(image, { force: true });
  }
}

/** Unique photo-like pages (noise does not compress), so content addressing cannot share them. */
class NoisePageSource implements DemoPageSource {
  async page() {
    const widthPx = 620;
    const heightPx = 877;
    const data = await sharp(crypto.randomBytes(widthPx * heightPx * 3), {
      raw: { width: widthPx, height: heightPx, channels: 3 },
    })
      .jpeg({ quality: 80 })
      .toBuffer();
    return { data, mimeType: 'image/jpeg' as const, widthPx, heightPx, text: '' };
  }
}

async function engineOn(dataDir: string, reserveMb: number): Promise<Engine> {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ storage: { reserveMb } }));
  return openDemoEngine(dataDir, {
    cacheDir: path.join(os.tmpdir(), 'unused-demo-cache'),
    pageSource: new NoisePageSource(),
  });
}

function lastEvent(engine: Engine): () => { name: EventName; payload: unknown } | undefined {
  const events: { name: EventName; payload: unknown }[] = [];
  engine.events.onAny((name, payload) => events.push({ name, payload }));
  return () => events.filter((event) => event.name === 'scan:finished' || event.name === 'scan:failed').at(-1);
}

async function readsBack(engine: Engine): Promise<number> {
  let pages = 0;
  const batches = await callEngine(engine, 'batches:list', {});
  if (!batches.ok) throw new Error(batches.error.message);
  for (const batch of batches.value) {
    const listed = await callEngine(engine, 'pages:list', { batchId: batch.id });
    if (!listed.ok) throw new Error(listed.error.message);
    for (const page of listed.value) {
      const data = await engine.store.files.read(page.sha256);
      expect(crypto.createHash('sha256').update(data).digest('hex')).toBe(page.sha256);
      const thumb = await callEngine(engine, 'pages:thumbnail', { pageId: page.id });
      expect(thumb.ok).toBe(true);
      pages += 1;
    }
  }
  return pages;
}

describe('a full disk', () => {
  beforeAll(() => {
    if (process.getuid?.() === 0) tryMount();
    else whyNot = 'not root, so the test cannot mount a small file system';
  });
  afterAll(() => cleanup?.());

  it('refuses captures below the reserve with the reserve message, corrupts nothing, and reads earlier pages back', async (context) => {
    if (mountDir === undefined) {
      context.skip(`no small file system could be made here (${whyNot})`);
      return;
    }
    const dataDir = path.join(mountDir, 'reserve');
    const engine = await engineOn(dataDir, 4);
    const ended = lastEvent(engine);
    // Pages of ~0.5 MB fill the 8 MiB disk until less than 4 MB is left: the guard stops the batch.
    const { batchId } = await engine.capture.start({ deviceId: 'demo', count: 40 });
    await engine.capture.idle();
    expect(ended()).toMatchObject({
      name: 'scan:failed',
      payload: { batchId, error: { code: 'store/disk-full', message: expect.stringContaining('storage.reserveMb') } },
    });
    const stored = (ended()!.payload as { pageCount: number }).pageCount;
    expect(stored).toBeGreaterThan(2);
    expect(stored).toBeLessThan(40);

    // A new capture is refused before it starts, with the figures and the setting.
    const refused = await callEngine(engine, 'scan:start', { deviceId: 'demo', count: 1 });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'store/disk-full',
        message: expect.stringMatching(/below the reserve of 4 MB \(storage\.reserveMb\): new captures are refused/),
      },
    });
    expect(engine.store.diskGuard.status().ok).toBe(false);

    // Nothing is corrupted and everything stored reads back, with a document made of the batch.
    expect(engine.store.check({ hashFiles: true })).toEqual([]);
    expect(await readsBack(engine)).toBe(stored);
    const documents = await callEngine(engine, 'documents:list', {});
    expect(documents.ok && documents.value.map((document) => document.pageCount)).toEqual([stored]);
    await engine.close();

    // Reopened (the next start), the store is intact and still readable.
    const again = await engineOn(dataDir, 4);
    expect(again.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(await readsBack(again)).toBe(stored);
    await again.close();
  });

  it('with no reserve, runs into the real end of the disk: the page is refused as disk-full and the store stays whole', async (context) => {
    if (mountDir === undefined) {
      context.skip(`no small file system could be made here (${whyNot})`);
      return;
    }
    fs.rmSync(path.join(mountDir, 'reserve'), { recursive: true, force: true });
    const dataDir = path.join(mountDir, 'none');
    fs.writeFileSync(path.join(mountDir, 'ballast'), Buffer.alloc(1024 * 1024, 1));
    const engine = await engineOn(dataDir, 0);
    const ended = lastEvent(engine);
    await engine.capture.start({ deviceId: 'demo', count: 60 });
    await engine.capture.idle();
    expect(ended()).toMatchObject({ name: 'scan:failed', payload: { error: { code: 'store/disk-full' } } });
    const stored = (ended()!.payload as { pageCount: number }).pageCount;
    expect(stored).toBeGreaterThan(2);
    expect(engine.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    // At the very end of the disk even the document of the batch may not fit; every page is safe
    // and the next start makes the document (the reserve exists so it never comes to this).
    const problems = engine.store.check({ hashFiles: true });
    expect(problems.filter((problem) => !problem.message.includes('pages in no document'))).toEqual([]);
    expect(await readsBack(engine)).toBe(stored);
    // No half-written file is left behind under its final name or in tmp/.
    expect(fs.readdirSync(path.join(dataDir, 'store', 'tmp'))).toEqual([]);
    await engine.close();

    // The station still starts on the full disk, and what is stored reads back.
    const full = await engineOn(dataDir, 0);
    expect(await readsBack(full)).toBe(stored);
    await full.close();

    // Room again (the clerk freed space): the next start repairs, and nothing was lost.
    fs.rmSync(path.join(mountDir, 'ballast'), { force: true });
    const again = await engineOn(dataDir, 0);
    expect(again.store.check({ hashFiles: true })).toEqual([]);
    expect(await readsBack(again)).toBe(stored);
    const documents = await callEngine(again, 'documents:list', {});
    expect(documents.ok && documents.value.reduce((sum, document) => sum + document.pageCount, 0)).toBe(stored);
    await again.close();
  });
});
