import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/engine/engine.js';
import type { Engine } from '../../electron/engine/engine.js';
import type { HotFolderEvent } from '../../electron/engine/import/hot-folder.js';
import { createHotFolder } from '../../electron/engine/import/hot-folder.js';
import { createSilentLogger } from '../../electron/engine/logging/logger.js';
import { callEngine } from '../support/call.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

/** A small JPEG of noise (about 30 kB), different for each seed, so that cutting it really cuts it. */
async function jpeg(seed: number): Promise<Buffer> {
  const pixels = Buffer.alloc(160 * 220 * 3);
  let state = seed * 2654435761;
  for (let index = 0; index < pixels.length; index += 1) {
    state = (state * 1103515245 + 12345) >>> 0;
    pixels[index] = state >>> 24;
  }
  return sharp(pixels, { raw: { width: 160, height: 220, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

async function engineWatching(
  inbox: string,
  settings: object = {},
): Promise<{ engine: Engine; events: HotFolderEvent[] }> {
  const dataDir = tempDir('sohoa-hot-');
  fs.writeFileSync(
    path.join(dataDir, 'settings.json'),
    JSON.stringify({ import: { pollIntervalMs: 50, stableChecks: 2, unreadableAfterMs: 1500, ...settings } }),
  );
  const engine = await createEngine({
    dataDir,
    resourcesDir: 'resources',
    transport: 'direct',
    policyFile: null,
    logger: createSilentLogger(),
    drivers: [],
  });
  const events: HotFolderEvent[] = [];
  await engine.imports.watch(inbox, (event) => events.push(event));
  return { engine, events };
}

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await delay(25);
  }
}

describe('hot folder', () => {
  it('takes a file only once it is completely written, then moves it to done/', async () => {
    const inbox = tempDir('sohoa-inbox-');
    const { engine, events } = await engineWatching(inbox);
    const image = await jpeg(1);
    const file = path.join(inbox, 'scan0001.jpg');
    // A scanner writes the first half, pauses (longer than several checks), then the rest.
    fs.writeFileSync(file, image.subarray(0, 10_000));
    await delay(600);
    expect(fs.existsSync(file)).toBe(true);
    expect(events).toEqual([]);
    fs.appendFileSync(file, image.subarray(10_000));
    await until(() => events.length > 0);
    expect(events[0]).toMatchObject({ type: 'imported', file: 'scan0001.jpg', pages: 1 });
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readFileSync(path.join(inbox, 'done', 'scan0001.jpg')).equals(image)).toBe(true);
    const batches = await callEngine(engine, 'batches:list', {});
    expect(batches).toMatchObject({ ok: true, value: [{ deviceId: 'hot-folder', pageCount: 1, state: 'finished' }] });
    await engine.close();
    expect(fs.existsSync(path.join(inbox, '.sohoa-hot-folder.lock'))).toBe(false);
  });

  it('ignores temporary names until the writer renames the file', async () => {
    const inbox = tempDir('sohoa-inbox-');
    const { engine, events } = await engineWatching(inbox);
    fs.writeFileSync(path.join(inbox, 'scan0002.pdf.part'), Buffer.from('%PDF-1.7 half'));
    fs.writeFileSync(path.join(inbox, '~$scan.tmp'), Buffer.from('x'));
    await delay(400);
    expect(events).toEqual([]);
    const pdf = await PDFDocument.create();
    pdf.addPage([200, 280]);
    fs.writeFileSync(path.join(inbox, 'scan0002.pdf.part'), await pdf.save());
    fs.renameSync(path.join(inbox, 'scan0002.pdf.part'), path.join(inbox, 'scan0002.pdf'));
    await until(() => events.length > 0);
    expect(events[0]).toMatchObject({ type: 'imported', file: 'scan0002.pdf' });
    expect(fs.readdirSync(inbox).sort()).toEqual(['.sohoa-hot-folder.lock', 'done', '~$scan.tmp']);
    await engine.close();
  });

  it('moves a file that cannot be imported to failed/ with the reason, and goes on with the next', async () => {
    const inbox = tempDir('sohoa-inbox-');
    const { engine, events } = await engineWatching(inbox);
    fs.writeFileSync(path.join(inbox, 'a-notes.docx'), Buffer.from('PK\u0003\u0004 a word document, not a scan'));
    fs.writeFileSync(path.join(inbox, 'b-cut.jpg'), (await jpeg(2)).subarray(0, 7000));
    fs.writeFileSync(path.join(inbox, 'c-good.jpg'), await jpeg(3));
    fs.writeFileSync(path.join(inbox, 'd-empty.pdf'), Buffer.alloc(0));
    await until(() => events.length === 4);
    // A wrong format fails at once; a cut file only once it stayed cut for unreadableAfterMs.
    expect(events.map((event) => [event.type, event.file])).toEqual([
      ['failed', 'a-notes.docx'],
      ['imported', 'c-good.jpg'],
      ['failed', 'b-cut.jpg'],
      ['failed', 'd-empty.pdf'],
    ]);
    expect(fs.readdirSync(path.join(inbox, 'failed')).sort()).toEqual([
      'a-notes.docx',
      'a-notes.docx.reason.txt',
      'b-cut.jpg',
      'b-cut.jpg.reason.txt',
      'd-empty.pdf',
      'd-empty.pdf.reason.txt',
    ]);
    expect(fs.readFileSync(path.join(inbox, 'failed', 'a-notes.docx.reason.txt'), 'utf8')).toMatch(
      /^import\/unsupported-format\n.*only PDF, TIFF, JPEG and PNG/,
    );
    expect(fs.readFileSync(path.join(inbox, 'failed', 'b-cut.jpg.reason.txt'), 'utf8')).toMatch(
      /^import\/corrupt-file\n/,
    );
    expect(fs.readdirSync(path.join(inbox, 'done'))).toEqual(['c-good.jpg']);
    await engine.close();
  });

  it('moves a file whose content was imported before straight to done/, keeping both names', async () => {
    const inbox = tempDir('sohoa-inbox-');
    const { engine, events } = await engineWatching(inbox);
    const image = await jpeg(4);
    fs.writeFileSync(path.join(inbox, 'scan.jpg'), image);
    await until(() => events.length === 1);
    fs.writeFileSync(path.join(inbox, 'scan.jpg'), image);
    await until(() => events.length === 2);
    expect(events[1]).toMatchObject({
      type: 'already-imported',
      file: 'scan.jpg',
      batchId: (events[0] as { batchId: string }).batchId,
    });
    expect(fs.readdirSync(path.join(inbox, 'done')).sort()).toEqual(['scan (2).jpg', 'scan.jpg']);
    expect(await callEngine(engine, 'batches:list', {})).toMatchObject({ ok: true, value: [{ pageCount: 1 }] });
    await engine.close();
  });

  it('refuses a second watcher on the same folder while the first is alive', async () => {
    const inbox = tempDir('sohoa-inbox-');
    const { engine } = await engineWatching(inbox);
    const second = createHotFolder({
      dir: inbox,
      imports: engine.imports.service,
      settings: () => engine.settings.current().values.import,
      logger: createSilentLogger(),
    });
    await expect(second.start()).rejects.toMatchObject({ code: 'scan/busy' });
    await engine.close();
    await second.start();
    await second.stop();
  });
});
