import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runSohoa } from '../support/built-cli.js';
import { ocrSampleTexts, renderOcrPage } from '../support/ocr-pages.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

interface ImportDocument {
  ok: boolean;
  results: (
    | { ok: true; file: string; status: string; pages: number; format: string }
    | { ok: false; file: string; error: { code: string; message: string } }
  )[];
}

describe('sohoa import', () => {
  beforeAll(() => ensureBuilt());

  it('imports the files of a folder one by one, reports the damaged one and keeps going', async () => {
    const dataDir = tempDir('sohoa-cli-import-');
    const input = tempDir('sohoa-cli-input-');
    const pdf = await PDFDocument.create();
    pdf.addPage([420, 595]);
    pdf.addPage([420, 595]);
    const pdfBytes = Buffer.from(await pdf.save());
    fs.writeFileSync(path.join(input, '1-two-pages.pdf'), pdfBytes);
    fs.writeFileSync(path.join(input, '2-cut.pdf'), pdfBytes.subarray(0, pdfBytes.length >> 1));
    fs.writeFileSync(
      path.join(input, '3-photo.jpg'),
      await sharp({ create: { width: 300, height: 400, channels: 3, background: '#ddeeff' } })
        .jpeg()
        .toBuffer(),
    );

    const first = await runSohoa(['--data-dir', dataDir, '--json', 'import', input]);
    expect(first.code, first.stderr).toBe(1);
    const document = JSON.parse(first.stdout) as ImportDocument;
    expect(document.ok).toBe(false);
    expect(document.results.map((result) => [path.basename(result.file), result.ok])).toEqual([
      ['1-two-pages.pdf', true],
      ['2-cut.pdf', false],
      ['3-photo.jpg', true],
    ]);
    expect(document.results[0]).toMatchObject({ status: 'imported', pages: 2, format: 'pdf' });
    expect(document.results[1]).toMatchObject({ error: { code: 'import/corrupt-file' } });

    // Again: nothing is imported twice; the human output says so.
    const again = await runSohoa(['--data-dir', dataDir, 'import', path.join(input, '3-photo.jpg')]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already imported');
    expect(again.stdout).toContain('0 file(s) imported, 1 already there, 0 failed');

    const usage = await runSohoa(['--data-dir', dataDir, 'import']);
    expect(usage.code).toBe(2);
  });

  it('reads the text of the imported pages before it ends with --ocr, and leaves it to the next run without', async () => {
    const dataDir = tempDir('sohoa-cli-import-ocr-');
    const input = tempDir('sohoa-cli-input-ocr-');
    const [read, later] = await Promise.all([
      renderOcrPage({ text: ocrSampleTexts[2], dpi: 150 }),
      renderOcrPage({ text: ocrSampleTexts[3], dpi: 150 }),
    ]);
    fs.writeFileSync(path.join(input, 'chứng chỉ.png'), read.data);
    fs.writeFileSync(path.join(input, 'hướng dẫn.png'), later.data);
    type Hits = { hits: { document: { id: string } }[] };

    const withOcr = await runSohoa([
      '--data-dir',
      dataDir,
      '--json',
      'import',
      path.join(input, 'chứng chỉ.png'),
      '--ocr',
    ]);
    expect(withOcr.code, withOcr.stderr).toBe(0);
    expect(JSON.parse(withOcr.stdout)).toMatchObject({ ok: true, ocr: { read: 1, failed: 0 } });
    // Searchable as soon as the command returns, diacritics ignored.
    const found = await runSohoa(['--data-dir', dataDir, '--json', 'search', 'chung chi hanh nghe do dac']);
    expect((JSON.parse(found.stdout) as Hits).hits).toHaveLength(1);

    const without = await runSohoa(['--data-dir', dataDir, 'import', path.join(input, 'hướng dẫn.png')]);
    expect(without.code, without.stderr).toBe(0);
    expect(without.stdout).not.toContain('OCR');
    const notYet = await runSohoa(['--data-dir', dataDir, '--json', 'search', 'muoi lam ngay lam viec']);
    expect((JSON.parse(notYet.stdout) as Hits).hits).toHaveLength(0);
    // The next command with --ocr reads what the last one left, with its own pages.
    const next = await runSohoa(['--data-dir', dataDir, 'import', path.join(input, 'chứng chỉ.png'), '--ocr']);
    expect(next.stdout).toContain('0 file(s) imported, 1 already there, 0 failed; OCR read 1 page(s), 0 failed');
    expect(next.stderr).toMatch(/OCR: page read, \d+ word\(s\)/);
    const nowFound = await runSohoa(['--data-dir', dataDir, '--json', 'search', 'muoi lam ngay lam viec']);
    expect((JSON.parse(nowFound.stdout) as Hits).hits).toHaveLength(1);
  });

  it('lists the scan profiles with the devices', async () => {
    const dataDir = tempDir('sohoa-cli-import-');
    const config = path.join(dataDir, 'user.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        scan: { drivers: ['demo'] },
        profiles: { items: { grey: { label: 'Xám', colourMode: 'gray' } } },
      }),
    );
    const run = await runSohoa(['--data-dir', dataDir, '--config', config, '--json', 'devices']);
    expect(run.code, run.stderr).toBe(0);
    const listed = JSON.parse(run.stdout) as {
      devices: { id: string }[];
      profiles: { name: string; isDefault: boolean }[];
    };
    expect(listed.devices.map((device) => device.id)).toEqual(['demo']);
    expect(listed.profiles.map((profile) => [profile.name, profile.isDefault])).toEqual([
      ['standard', true],
      ['grey', false],
    ]);
    const scanned = await runSohoa([
      '--data-dir',
      dataDir,
      '--config',
      config,
      '--json',
      'scan',
      '--device',
      'demo',
      '--profile',
      'grey',
      '--count',
      '1',
    ]);
    expect(scanned.code, scanned.stderr).toBe(0);
    expect((JSON.parse(scanned.stdout) as { pages: { colourMode: string }[] }).pages).toMatchObject([
      { colourMode: 'gray' },
    ]);
    const unknown = await runSohoa([
      '--data-dir',
      dataDir,
      '--config',
      config,
      'scan',
      '--device',
      'demo',
      '--profile',
      'nope',
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('scan/profile-not-found');
  });
});
