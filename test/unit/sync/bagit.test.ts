import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bagName, findBags, readBag, writeBag } from '../../../electron/engine/sync/bagit.js';
import type { ResultRecord } from '../../../electron/engine/sync/result-record.js';
import { useTempDirs } from '../../support/temp-dir.js';

describe('BagIt hand-over (RFC 8493)', () => {
  const tempDir = useTempDirs();

  function makeBag(): { out: string; dir: string; record: ResultRecord; pdf: Buffer } {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(5000), Buffer.from('\n%%EOF\n')]);
    const source = path.join(tempDir(), 'source.pdf');
    fs.writeFileSync(source, pdf);
    const record: ResultRecord = {
      documentId: 'doc-7f3a',
      stationId: 'qn-skhcn-01',
      agencyId: '000.00.17.H48',
      documentNumber: '123/GCN-SKHCN',
      issuedDate: '2024-03-02',
      kind: 1,
      status: 'valid',
      pages: 2,
      bytes: pdf.length,
      sha256: crypto.createHash('sha256').update(pdf).digest('hex'),
      fileName: 'Giấy chứng nhận.pdf',
      mimeType: 'application/pdf',
      summary: 'Quyết định cấp giấy chứng nhận',
    };
    const out = tempDir();
    const dir = writeBag(out, {
      record,
      file: source,
      stationId: 'qn-skhcn-01',
      agencyId: '000.00.17.H48',
      agencyName: 'Sở Khoa học và Công nghệ tỉnh Quảng Ngãi',
      softwareAgent: 'SoHoa Station test',
      baggingDate: new Date('2026-03-02T09:00:00+07:00'),
    });
    return { out, dir, record, pdf };
  }

  it('writes the layout and tag files RFC 8493 asks for, with station and agency in bag-info', () => {
    const { dir, record, pdf } = makeBag();
    expect(path.basename(dir)).toBe(bagName('qn-skhcn-01', 'doc-7f3a'));
    expect(fs.readdirSync(dir).sort()).toEqual([
      'bag-info.txt',
      'bagit.txt',
      'data',
      'manifest-sha256.txt',
      'tagmanifest-sha256.txt',
    ]);
    expect(fs.readFileSync(path.join(dir, 'bagit.txt'), 'utf8')).toBe(
      'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
    );
    const manifest = fs.readFileSync(path.join(dir, 'manifest-sha256.txt'), 'utf8');
    expect(manifest).toContain(`${record.sha256}  data/doc-7f3a.pdf\n`);
    const info = fs.readFileSync(path.join(dir, 'bag-info.txt'), 'utf8');
    expect(info).toContain('Source-Organization: Sở Khoa học và Công nghệ tỉnh Quảng Ngãi\n');
    expect(info).toContain('Internal-Sender-Identifier: qn-skhcn-01\n');
    expect(info).toContain('SoHoa-Agency-Id: 000.00.17.H48\n');
    expect(info).toMatch(/^Bagging-Date: \d{4}-\d{2}-\d{2}$/m);
    const recordBytes = fs.statSync(path.join(dir, 'data', 'record.json')).size;
    expect(info).toContain(`Payload-Oxum: ${pdf.length + recordBytes}.2\n`);
    const tags = fs.readFileSync(path.join(dir, 'tagmanifest-sha256.txt'), 'utf8');
    for (const file of ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt']) expect(tags).toContain(`  ${file}\n`);
    expect(fs.existsSync(path.join(path.dirname(dir), `.${path.basename(dir)}.partial`))).toBe(false);
  });

  it('reads back a valid bag: the record and the PDF', () => {
    const { out, dir, record, pdf } = makeBag();
    expect(findBags(out)).toEqual([dir]);
    expect(findBags(dir)).toEqual([dir]);
    const bag = readBag(dir);
    expect(bag.record).toEqual(record);
    expect(fs.readFileSync(bag.file).equals(pdf)).toBe(true);
    expect(bag.info.get('SoHoa-Station-Id')).toBe('qn-skhcn-01');
  });

  const tampering: [string, (dir: string) => void, RegExp][] = [
    [
      'a changed byte in the PDF',
      (dir) => {
        const file = path.join(dir, 'data', 'doc-7f3a.pdf');
        const bytes = fs.readFileSync(file);
        bytes[100] = (bytes[100] ?? 0) ^ 0xff;
        fs.writeFileSync(file, bytes);
      },
      /data\/doc-7f3a\.pdf does not match its SHA-256/,
    ],
    [
      'an edited record',
      (dir) => {
        const file = path.join(dir, 'data', 'record.json');
        fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('123/GCN-SKHCN', '999/GCN-SKHCN'));
      },
      /data\/record\.json does not match/,
    ],
    [
      'a file slipped into data/',
      (dir) => fs.writeFileSync(path.join(dir, 'data', 'extra.pdf'), 'x'),
      /data\/extra\.pdf is in data\/ but not in manifest-sha256\.txt/,
    ],
    [
      'a removed PDF',
      (dir) => fs.rmSync(path.join(dir, 'data', 'doc-7f3a.pdf')),
      /listed in manifest-sha256\.txt but missing/,
    ],
    [
      'a manifest rewritten to match a changed PDF',
      (dir) => {
        const pdfFile = path.join(dir, 'data', 'doc-7f3a.pdf');
        fs.appendFileSync(pdfFile, 'more');
        const sha = crypto.createHash('sha256').update(fs.readFileSync(pdfFile)).digest('hex');
        const manifestFile = path.join(dir, 'manifest-sha256.txt');
        fs.writeFileSync(
          manifestFile,
          fs.readFileSync(manifestFile, 'utf8').replace(/^[0-9a-f]{64}(?= {2}data\/doc)/m, sha),
        );
      },
      /manifest-sha256\.txt does not match tagmanifest-sha256\.txt/,
    ],
    [
      'an edited bag-info',
      (dir) => fs.appendFileSync(path.join(dir, 'bag-info.txt'), 'Contact-Name: Someone\n'),
      /bag-info\.txt does not match tagmanifest/,
    ],
    ['a missing bagit.txt', (dir) => fs.rmSync(path.join(dir, 'bagit.txt')), /bagit\.txt is missing/],
  ];

  it.each(tampering)('refuses %s with sync/bag-invalid naming the problem', (_name, tamper, message) => {
    const { dir } = makeBag();
    tamper(dir);
    let error: unknown;
    try {
      readBag(dir);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'sync/bag-invalid' });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(path.basename(dir));
  });

  it('refuses a manifest that points outside the bag', () => {
    const { dir } = makeBag();
    const manifest = path.join(dir, 'manifest-sha256.txt');
    fs.appendFileSync(manifest, `${'a'.repeat(64)}  data/../../etc/passwd\n`);
    const tags = path.join(dir, 'tagmanifest-sha256.txt');
    const sha = crypto.createHash('sha256').update(fs.readFileSync(manifest)).digest('hex');
    fs.writeFileSync(tags, fs.readFileSync(tags, 'utf8').replace(/^[0-9a-f]{64}(?= {2}manifest-sha256)/m, sha));
    expect(() => readBag(dir)).toThrow(/outside the bag/);
  });

  it('replaces an earlier bag of the same result when exported again', () => {
    const { out, dir } = makeBag();
    fs.writeFileSync(path.join(dir, 'data', 'stale.txt'), 'left from a tampered copy');
    const again = writeBag(out, {
      record: readBagRecord(dir),
      file: path.join(dir, 'data', 'doc-7f3a.pdf'),
      stationId: 'qn-skhcn-01',
      agencyId: '000.00.17.H48',
      agencyName: '',
      softwareAgent: 'test',
      baggingDate: new Date(),
    });
    expect(again).toBe(dir);
    expect(fs.existsSync(path.join(dir, 'data', 'stale.txt'))).toBe(false);
    expect(readBag(dir).record.documentId).toBe('doc-7f3a');
  });
});

function readBagRecord(dir: string): ResultRecord {
  return JSON.parse(fs.readFileSync(path.join(dir, 'data', 'record.json'), 'utf8')) as ResultRecord;
}
