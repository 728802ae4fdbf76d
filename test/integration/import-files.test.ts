import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFHexString, PDFName, StandardFonts, rgb } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract.js';
import { createEngine } from '../../electron/engine/engine.js';
import type { Engine } from '../../electron/engine/engine.js';
import { createSilentLogger } from '../../electron/engine/logging/logger.js';
import { callEngine } from '../support/call.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

// Fixtures are made here, small, in every format import takes.

async function jpegPage(width = 620, height = 877, density = 300): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#f4efe2' } })
    .composite([
      {
        input: Buffer.from(
          `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="80"><text x="20" y="50" font-size="40">Giấy chứng nhận</text></svg>`,
        ),
        top: 60,
        left: 0,
      },
    ])
    .withDensity(density)
    .jpeg({ quality: 85 })
    .toBuffer();
}

async function pngPage(): Promise<Buffer> {
  return sharp({ create: { width: 400, height: 566, channels: 3, background: '#ffffff' } })
    .toColourspace('b-w')
    .withDensity(200)
    .png()
    .toBuffer();
}

/** A multi-page bi-level TIFF in CCITT Group 4, as a document scanner or fax writes it. */
async function g4Tiff(pages: number, width = 800, pageHeight = 1100): Promise<Buffer> {
  const raw = Buffer.alloc(width * pageHeight * pages, 255);
  // A black bar per page, a different height on each, so pages differ.
  for (let page = 0; page < pages; page += 1) {
    for (let y = 100; y < 140 + page * 20; y += 1)
      raw.fill(0, (page * pageHeight + y) * width + 100, (page * pageHeight + y) * width + 700);
  }
  return sharp(raw, { raw: { width, height: pageHeight * pages, channels: 1, pageHeight } })
    .threshold(128)
    .toColourspace('b-w')
    .tiff({ compression: 'ccittfax4', bitdepth: 1, xres: 300 / 25.4, yres: 300 / 25.4 })
    .toBuffer();
}

/** A two-page colour TIFF with JPEG compression. */
async function jpegTiff(): Promise<Buffer> {
  const width = 500;
  const pageHeight = 700;
  const raw = Buffer.alloc(width * pageHeight * 2 * 3, 200);
  return sharp(raw, { raw: { width, height: pageHeight * 2, channels: 3, pageHeight } })
    .tiff({ compression: 'jpeg', quality: 85, xres: 200 / 25.4, yres: 200 / 25.4 })
    .toBuffer();
}

async function textPdf(pages: number): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let number = 1; number <= pages; number += 1) {
    const page = pdf.addPage([595.28, 841.89]);
    page.drawText(`Decision ${number}/2024`, { x: 72, y: 760, size: 24, font, color: rgb(0.1, 0.1, 0.4) });
    page.drawRectangle({ x: 72, y: 600, width: 300, height: 100, borderColor: rgb(0.6, 0, 0), borderWidth: 3 });
  }
  return Buffer.from(await pdf.save());
}

/**
 * A PDF with a signature field and a signature dictionary (`/Type /Sig`, `/ByteRange`), as a
 * signing tool leaves it. The signature bytes are a placeholder: what matters is that the station
 * sees a signed PDF and keeps it byte for byte.
 */
async function signedPdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595.28, 841.89]);
  page.drawText('Signed decision', { x: 72, y: 760, size: 24 });
  const context = pdf.context;
  const signature = context.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'ETSI.CAdES.detached',
    ByteRange: [0, 1000, 3000, 500],
    Contents: PDFHexString.of('00'.repeat(256)),
    M: PDFHexString.fromText("D:20240301091530+07'00'"),
  });
  const widget = context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    T: PDFHexString.fromText('Signature1'),
    Rect: [0, 0, 0, 0],
    V: context.register(signature),
    F: 132,
    P: page.ref,
  });
  const widgetRef = context.register(widget);
  page.node.set(PDFName.of('Annots'), context.obj([widgetRef]));
  pdf.catalog.set(PDFName.of('AcroForm'), context.obj({ Fields: [widgetRef], SigFlags: 3 }));
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

async function engineFor(
  dataDir = tempDir('sohoa-import-'),
): Promise<{ engine: Engine; dataDir: string; events: { name: EventName; payload: unknown }[] }> {
  const engine = await createEngine({
    dataDir,
    resourcesDir: 'resources',
    transport: 'direct',
    policyFile: null,
    logger: createSilentLogger(),
    drivers: [],
  });
  const events: { name: EventName; payload: unknown }[] = [];
  engine.events.onAny((name, payload) => events.push({ name, payload }));
  return { engine, dataDir, events };
}

function storedFile(dataDir: string, sha256: string): Buffer {
  return fs.readFileSync(path.join(dataDir, 'store', 'files', sha256.slice(0, 2), sha256.slice(2, 4), sha256));
}

function write(dir: string, name: string, data: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, data);
  return file;
}

describe('file import', () => {
  it('imports a JPEG and a PNG as one page each, byte for byte, announced with scan events', async () => {
    const { engine, dataDir, events } = await engineFor();
    const input = tempDir();
    const jpeg = await jpegPage();
    const result = await engine.imports.service.importFile(write(input, 'giay-phep.jpg', jpeg));
    expect(result).toMatchObject({ status: 'imported', format: 'jpeg', pages: 1, signed: false });
    const pages = await callEngine(engine, 'pages:list', { batchId: result.batchId });
    expect(pages.ok && pages.value).toMatchObject([
      {
        index: 0,
        mimeType: 'image/jpeg',
        widthPx: 620,
        heightPx: 877,
        dpi: 300,
        colourMode: 'color',
        deviceId: 'import',
      },
    ]);
    if (pages.ok) expect(storedFile(dataDir, pages.value[0]!.sha256).equals(jpeg)).toBe(true);
    expect(events.filter((event) => event.name.startsWith('scan:')).map((event) => event.name)).toEqual([
      'scan:started',
      'scan:page-captured',
      'scan:finished',
    ]);

    const png = await engine.imports.service.importFile(write(input, 'scan.png', await pngPage()));
    const pngPages = await callEngine(engine, 'pages:list', { batchId: png.batchId });
    expect(pngPages.ok && pngPages.value[0]).toMatchObject({ mimeType: 'image/png', colourMode: 'gray', dpi: 200 });
    expect(await callEngine(engine, 'batches:list', {})).toMatchObject({
      ok: true,
      value: [
        { deviceId: 'import', state: 'finished', pageCount: 1 },
        { deviceId: 'import', state: 'finished', pageCount: 1 },
      ],
    });
    await engine.close();
  });

  it('imports every page of a multi-page CCITT G4 TIFF as a lossless bi-level page', async () => {
    const { engine, dataDir } = await engineFor();
    const tiff = await g4Tiff(3);
    expect((await sharp(tiff, { pages: -1 }).metadata()).pages).toBe(3);
    const result = await engine.imports.service.importFile(write(tempDir(), 'fax.tif', tiff));
    expect(result).toMatchObject({ status: 'imported', format: 'tiff', pages: 3 });
    const pages = await callEngine(engine, 'pages:list', { batchId: result.batchId });
    if (!pages.ok) throw new Error('no pages');
    expect(pages.value.map((page) => [page.mimeType, page.colourMode, page.widthPx, page.heightPx, page.dpi])).toEqual([
      ['image/png', 'lineart', 800, 1100, 300],
      ['image/png', 'lineart', 800, 1100, 300],
      ['image/png', 'lineart', 800, 1100, 300],
    ]);
    // Lossless: each stored page has exactly the pixels of the TIFF page.
    for (const [index, page] of pages.value.entries()) {
      const stored = await sharp(storedFile(dataDir, page.sha256)).greyscale().raw().toBuffer();
      const original = await sharp(tiff, { page: index }).greyscale().raw().toBuffer();
      expect(crypto.createHash('sha256').update(stored).digest('hex')).toBe(
        crypto.createHash('sha256').update(original).digest('hex'),
      );
    }
    await engine.close();
  });

  it('keeps JPEG-compressed colour TIFF pages as JPEG', async () => {
    const { engine } = await engineFor();
    const result = await engine.imports.service.importFile(write(tempDir(), 'colour.tiff', await jpegTiff()));
    const pages = await callEngine(engine, 'pages:list', { batchId: result.batchId });
    expect(pages.ok && pages.value.map((page) => [page.mimeType, page.colourMode, page.dpi])).toEqual([
      ['image/jpeg', 'color', 200],
      ['image/jpeg', 'color', 200],
    ]);
    await engine.close();
  });

  it("draws a PDF's pages at the profile's resolution", async () => {
    const dataDir = tempDir('sohoa-import-');
    fs.writeFileSync(
      path.join(dataDir, 'settings.json'),
      JSON.stringify({ profiles: { items: { archive: { dpi: 200, colourMode: 'gray' } } } }),
    );
    const { engine } = await engineFor(dataDir);
    const file = write(tempDir(), 'quyet-dinh.pdf', await textPdf(2));
    const standard = await engine.imports.service.importFile(file);
    const pages = await callEngine(engine, 'pages:list', { batchId: standard.batchId });
    // A4 at 300 dpi.
    expect(
      pages.ok && pages.value.map((page) => [page.mimeType, page.widthPx, page.heightPx, page.dpi, page.colourMode]),
    ).toEqual([
      ['image/jpeg', 2480, 3508, 300, 'color'],
      ['image/jpeg', 2480, 3508, 300, 'color'],
    ]);
    expect(standard.signed).toBe(false);
    // The same file again is recognised by its content, whatever its name.
    const copy = path.join(path.dirname(file), 'copy.pdf');
    fs.copyFileSync(file, copy);
    expect(await engine.imports.service.importFile(copy)).toMatchObject({
      status: 'already-imported',
      batchId: standard.batchId,
    });
    const other = await engine.imports.service.importFile(write(tempDir(), 'other.pdf', await textPdf(1)), {
      profile: 'archive',
    });
    const grey = await callEngine(engine, 'pages:list', { batchId: other.batchId });
    expect(grey.ok && grey.value.map((page) => [page.widthPx, page.heightPx, page.dpi, page.colourMode])).toEqual([
      [1654, 2339, 200, 'gray'],
    ]);
    await engine.close();
  });

  it('keeps a signed PDF byte for byte as the original, and records it', async () => {
    const { engine, dataDir } = await engineFor();
    const signed = await signedPdf();
    const result = await engine.imports.service.importFile(write(tempDir(), 'ky-so.pdf', signed));
    expect(result).toMatchObject({ status: 'imported', signed: true, pages: 1 });
    const sha256 = crypto.createHash('sha256').update(signed).digest('hex');
    expect(result.originalSha256).toBe(sha256);
    expect(storedFile(dataDir, sha256).equals(signed)).toBe(true);
    await engine.close();
    const db = new Database(path.join(dataDir, 'station.db'), { readonly: true });
    const row = db.prepare('SELECT file_name, signed, original_sha256, format, page_count FROM imported_files').get();
    db.close();
    expect(row).toEqual({ file_name: 'ky-so.pdf', signed: 1, original_sha256: sha256, format: 'pdf', page_count: 1 });
  });

  it('refuses a corrupt PDF and a truncated TIFF with a clear error, losing nothing else', async () => {
    const { engine, dataDir, events } = await engineFor();
    const input = tempDir();
    const pdf = await textPdf(3);
    const tiff = await g4Tiff(4);
    const good = write(input, 'good.jpg', await jpegPage());
    const cutPdf = write(input, 'cut.pdf', pdf.subarray(0, Math.floor(pdf.length / 2)));
    const garbledPdf = write(
      input,
      'garbled.pdf',
      Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(3000), Buffer.from('\n%%EOF\n')]),
    );
    const cutTiff = write(input, 'cut.tif', tiff.subarray(0, Math.floor(tiff.length * 0.6)));
    const word = write(input, 'notes.docx', Buffer.from('PK\u0003\u0004 not a scan'));

    for (const [file, code] of [
      [cutPdf, 'import/corrupt-file'],
      [garbledPdf, 'import/corrupt-file'],
      [cutTiff, 'import/corrupt-file'],
      [word, 'import/unsupported-format'],
      [path.join(input, 'missing.pdf'), 'import/file-not-found'],
    ] as const) {
      await expect(engine.imports.service.importFile(file), file).rejects.toMatchObject({
        code,
        message: expect.stringContaining(path.basename(file)) as unknown,
      });
    }
    const imported = await engine.imports.service.importFile(good);
    expect(imported.status).toBe('imported');
    // Only the good file made a batch; no failed file left a batch, a page or a ledger row.
    expect(await callEngine(engine, 'batches:list', {})).toMatchObject({
      ok: true,
      value: [{ id: imported.batchId, pageCount: 1 }],
    });
    expect(events.filter((event) => event.name === 'scan:page-captured')).toHaveLength(1);
    await engine.close();
    const db = new Database(path.join(dataDir, 'station.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM pages').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT file_name FROM imported_files').all()).toEqual([{ file_name: 'good.jpg' }]);
    db.close();
    // The input files are untouched.
    expect(fs.readdirSync(input).sort()).toEqual(['cut.pdf', 'cut.tif', 'garbled.pdf', 'good.jpg', 'notes.docx']);
  });

  it.skipIf(!hasQpdf())('says a password-protected PDF cannot be opened', async () => {
    const { engine } = await engineFor();
    const input = tempDir();
    const plain = write(input, 'plain.pdf', await textPdf(1));
    const locked = path.join(input, 'locked.pdf');
    execFileSync('qpdf', ['--encrypt', 'secret', 'owner', '256', '--', plain, locked]);
    await expect(engine.imports.service.importFile(locked)).rejects.toMatchObject({ code: 'import/encrypted' });
    await engine.close();
  });
});

function hasQpdf(): boolean {
  try {
    execFileSync('qpdf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
