import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OcrResult } from '../../shared/ocr.js';
import { ensureBuilt, runSohoa } from '../support/built-cli.js';
import { characterErrorRate, maxCer, ocrSampleTexts, renderOcrPage } from '../support/ocr-pages.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

type PageDocument = ({ file: string; ok: true } & OcrResult) | { file: string; ok: false; error: { code: string } };

describe('sohoa ocr', () => {
  beforeAll(() => ensureBuilt());

  it('prints the text of each page, and with --json its lines, words, boxes and confidences', async () => {
    const dir = tempDir();
    const pages = await Promise.all([
      renderOcrPage({ text: ocrSampleTexts[0], dpi: 150 }),
      renderOcrPage({ text: ocrSampleTexts[2], dpi: 150, turnedDeg: 180, format: 'jpeg' }),
    ]);
    const files = [path.join(dir, 'trang 1.png'), path.join(dir, 'trang-2.jpg')];
    pages.forEach((page, index) => fs.writeFileSync(files[index]!, page.data));

    const json = await runSohoa(['--data-dir', path.join(dir, 'data'), '--json', 'ocr', ...files, '--lang', 'vie+eng']);
    expect(json.code, json.stderr).toBe(0);
    // One JSON document and nothing else: tesseract's own diagnostics never reach stdout.
    const document = JSON.parse(json.stdout) as { ok: boolean; pages: PageDocument[] };
    expect(document.ok).toBe(true);
    expect(document.pages.map((page) => page.file)).toEqual(files);
    const [first, second] = document.pages as ({ file: string; ok: true } & OcrResult)[];
    expect(characterErrorRate(first!.text, pages[0].text)).toBeLessThan(maxCer);
    expect(characterErrorRate(second!.text, pages[1].text)).toBeLessThan(maxCer);
    expect(second!.orientation).toBe(180);
    const word = first!.lines[0]!.words[0]!;
    expect(word).toEqual({
      text: 'Căn',
      confidence: expect.any(Number) as number,
      bbox: { x0: expect.any(Number), y0: expect.any(Number), x1: expect.any(Number), y1: expect.any(Number) },
    });
    expect(first!.languages).toBe('vie+eng');

    const human = await runSohoa(['--data-dir', path.join(dir, 'data'), 'ocr', files[0]!]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout.trim()).toBe(first!.text);
  });

  it('reports a file it cannot read and still prints the others, exiting 1', async () => {
    const dir = tempDir();
    const page = await renderOcrPage({ text: ocrSampleTexts[1], dpi: 150 });
    const good = path.join(dir, 'good.png');
    const notImage = path.join(dir, 'notes.txt');
    fs.writeFileSync(good, page.data);
    fs.writeFileSync(notImage, 'không phải ảnh');
    const missing = path.join(dir, 'missing.png');
    const run = await runSohoa(['--data-dir', path.join(dir, 'data'), 'ocr', notImage, good, missing]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`==> ${good} <==`);
    expect(characterErrorRate(run.stdout.split('\n').slice(1).join('\n'), page.text)).toBeLessThan(maxCer);
    expect(run.stderr).toContain('notes.txt: Not a PNG, JPEG, TIFF or BMP image (ocr/unreadable-image)');
    expect(run.stderr).toContain('missing.png: No such file');

    const json = await runSohoa(['--data-dir', path.join(dir, 'data'), '--json', 'ocr', missing]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      pages: [
        { file: missing, ok: false, error: expect.objectContaining({ code: 'import/file-not-found' }) as object },
      ],
    });
  });

  it('refuses wrong usage with exit code 2', async () => {
    const dataDir = tempDir();
    const none = await runSohoa(['--data-dir', dataDir, 'ocr']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('ocr needs at least one image file');
    const badLang = await runSohoa(['--data-dir', dataDir, 'ocr', 'x.png', '--lang', 'fra']);
    expect(badLang.code).toBe(2);
    expect(badLang.stderr).toContain('--lang must be languages joined by +');
  });
});
