import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runSohoa } from '../support/built-cli.js';
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
