import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runSohoa } from '../support/built-cli.js';
import { checkPdfA, formatPdfaReport } from '../support/pdfa-checker.js';
import { useTempDirs } from '../support/temp-dir.js';
import { blankPage, degrade, renderTextPage } from '../unit/imaging/page-fixtures.js';

const tempDir = useTempDirs();

const heading = 'ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI';
const body =
  'Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08 tháng 4 năm 2020 của Chính phủ về thực hiện thủ tục hành chính trên môi trường điện tử.';
const second = 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả. Mã hồ sơ: 000.00.17.H48-210315-0001.';

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Levenshtein distance over code points, for a character error rate. */
function distance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= y.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length]!;
}

interface DocumentReport {
  ok: boolean;
  input: string;
  pdf: string;
  txt: string;
  json: string;
  pages: number;
  blankPages: number;
  error?: { message: string };
}

describe('sohoa process', () => {
  let inputs = '';
  let expected: Record<string, string> = {};

  beforeAll(async () => {
    ensureBuilt();
    inputs = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'sohoa-process-in-'));
    const letter = await renderTextPage({ blocks: [heading, body], dpi: 200, stamp: true, heightMm: 120 });
    const receipt = await renderTextPage({ blocks: [second], dpi: 200, heightMm: 100 });
    // A colour scan fed upside down and skewed, inside a dark lid band.
    fs.writeFileSync(
      path.join(inputs, 'letter.jpg'),
      await degrade(letter.png, { skewDeg: 1.8, turnDeg: 180, border: 12, format: 'jpeg' }),
    );
    // A scanned PDF of two pages (the receipt turned sideways) and a blank back side.
    const pdf = await PDFDocument.create();
    for (const png of [
      await degrade(receipt.png, { turnDeg: 90, skewDeg: -0.8, grey: true }),
      await blankPage({ widthPx: receipt.widthPx, heightPx: receipt.heightPx, dpi: 200, speckles: 200 }),
    ]) {
      const image = await pdf.embedPng(await sharp(png).png().toBuffer());
      const page = pdf.addPage([(image.width / 200) * 72, (image.height / 200) * 72]);
      page.drawImage(image, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
    }
    fs.writeFileSync(path.join(inputs, 'receipt.pdf'), await pdf.save());
    expected = { letter: `${heading} ${body}`, receipt: second };
  }, 180_000);

  it('writes a PDF/A, a .txt and a .json per document; the PDF gives back the .txt', async () => {
    const out = tempDir();
    const run = await runSohoa(
      ['--data-dir', tempDir(), '--json', 'process', inputs, '--out', out, '--dpi', '200'],
      {},
    );
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      ok: boolean;
      ocr: boolean;
      ocrProblem?: string;
      documents: DocumentReport[];
    };
    expect(summary.ok, run.stdout).toBe(true);
    expect(summary.ocr, summary.ocrProblem).toBe(true);
    expect(summary.documents.map((document) => path.basename(document.pdf)).sort()).toEqual([
      'letter.pdf',
      'receipt.pdf',
    ]);

    for (const document of summary.documents) {
      const name = path.basename(document.pdf, '.pdf');
      const report = checkPdfA(document.pdf);
      expect(report.ok, `${name}\n${formatPdfaReport(report)}`).toBe(true);

      const stored = fs.readFileSync(document.txt, 'utf8');
      const extracted = execFileSync('pdftotext', ['-raw', document.pdf, '-'], { encoding: 'utf8' });
      expect(normalise(extracted), name).toBe(normalise(stored));
      expect(stored.normalize('NFC')).toBe(stored);

      // OCR read the cleaned page: upright, straight, so the text is close to what was printed.
      const truth = normalise(expected[name]!);
      const errorRate = distance(normalise(stored), truth) / truth.length;
      expect(errorRate, `${name}: ${stored}`).toBeLessThan(0.1);
    }

    const receipt = JSON.parse(fs.readFileSync(path.join(out, 'receipt.json'), 'utf8')) as {
      pageReports: { blank: boolean; pdfIndex: number | null; analysis: { orientation: number } }[];
    };
    expect(receipt.pageReports.map((page) => page.blank)).toEqual([false, true]);
    expect(receipt.pageReports[0]!.analysis.orientation).toBe(270);
    // Blank pages are kept by default (one image per sheet), without a text layer.
    expect(receipt.pageReports.map((page) => page.pdfIndex)).toEqual([0, 1]);
    const letter = JSON.parse(fs.readFileSync(path.join(out, 'letter.json'), 'utf8')) as {
      pageReports: { analysis: { orientation: number; skewDeg: number; crop: unknown }; output: { mode: string } }[];
    };
    expect(letter.pageReports[0]!.analysis.orientation).toBe(180);
    expect(Math.abs(letter.pageReports[0]!.analysis.skewDeg - 1.8)).toBeLessThanOrEqual(0.3);
    expect(letter.pageReports[0]!.analysis.crop).not.toBeNull();
    expect(letter.pageReports[0]!.output.mode).toBe('color');
  });

  it('leaves blank pages out with --blank drop, and keeps going past a file it cannot read', async () => {
    const out = tempDir();
    const broken = path.join(tempDir(), 'broken.jpg');
    fs.writeFileSync(broken, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]));
    const run = await runSohoa([
      '--data-dir',
      tempDir(),
      '--json',
      'process',
      path.join(inputs, 'receipt.pdf'),
      broken,
      '--out',
      out,
      '--dpi',
      '200',
      '--blank',
      'drop',
    ]);
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout) as { ok: boolean; documents: DocumentReport[] };
    const failed = summary.documents.find((document) => document.input === broken);
    expect(failed?.ok).toBe(false);
    expect(failed?.error?.message).toMatch(/broken\.jpg is not a readable image/);
    const receipt = summary.documents.find((document) => document.ok);
    expect(receipt?.pages).toBe(1);
    expect(receipt?.blankPages).toBe(1);
    const info = execFileSync('pdfinfo', [receipt!.pdf], { encoding: 'utf8' });
    expect(info).toMatch(/Pages:\s+1\n/);
    expect(fs.readdirSync(out).sort()).toEqual(['receipt.json', 'receipt.pdf', 'receipt.txt']);
  });

  it('refuses wrong usage with exit code 2', async () => {
    const noOut = await runSohoa(['--data-dir', tempDir(), 'process', inputs]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/process needs --out DIR/);
    const badBlank = await runSohoa([
      '--data-dir',
      tempDir(),
      'process',
      inputs,
      '--out',
      tempDir(),
      '--blank',
      'maybe',
    ]);
    expect(badBlank.code).toBe(2);
    expect(badBlank.stderr).toMatch(/--blank must be one of keep, drop/);
  });
});
