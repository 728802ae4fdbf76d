import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFString, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OcrResult } from '../../shared/ocr.js';
import type { PageTransform } from '../../shared/transforms.js';
import { renderPage } from '../../electron/engine/imaging/page-cleaner.js';
import type { PdfPageInput } from '../../electron/engine/pdf/pdfa-writer.js';
import { buildPdfA, signatureFieldNames } from '../../electron/engine/pdf/pdfa-writer.js';
import { checkPdfA, formatPdfaReport } from '../support/pdfa-checker.js';
import { useTempDirs } from '../support/temp-dir.js';
import { renderTextPage } from '../unit/imaging/page-fixtures.js';

const tempDir = useTempDirs();

/** Every Vietnamese vowel with every tone, both cases, plus đ/Đ and the characters a PDF string must escape. */
const alphabet = (() => {
  const vowels = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];
  const tones = ['', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323'];
  const words = vowels.map((vowel) => tones.map((tone) => `${vowel}${tone}`.normalize('NFC')).join(''));
  return [...words, ...words.map((word) => word.toUpperCase()), 'đĐ', '(ngoặc)', 'a\\b', 'Ĩĩ)('].join(' ');
})();

const paragraphs = [
  'ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI',
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc',
  'QUYẾT ĐỊNH Về việc công nhận kết quả số hóa hồ sơ thủ tục hành chính',
  'Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08 tháng 4 năm 2020 của Chính phủ về thực hiện thủ tục hành chính trên môi trường điện tử; Căn cứ Thông tư số 01/2023/TT-VPCP; Xét đề nghị của Giám đốc Sở Khoa học và Công nghệ tỉnh Quảng Ngãi.',
];

interface TestDocument {
  name: string;
  pages: PdfPageInput[];
  texts: string[];
}

/** Whitespace runs to one space, nothing else: diacritics and their Unicode form must already match. */
function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function pdftotext(file: string, mode: 'default' | 'raw'): string {
  return execFileSync('pdftotext', [...(mode === 'raw' ? ['-raw'] : []), '-enc', 'UTF-8', file, '-'], {
    encoding: 'utf8',
  });
}

async function page(
  fixture: { png: Buffer; ocr: OcrResult; dpi: number },
  mode: 'color' | 'gray' | 'lineart',
  transforms: PageTransform[] = [],
): Promise<PdfPageInput> {
  const rendered = await renderPage(fixture.png, transforms, { mode, jpegQuality: 60 });
  return {
    image:
      rendered.encoding === 'jpeg'
        ? { encoding: 'jpeg', data: rendered.data, components: rendered.components }
        : { encoding: 'bilevel', data: rendered.data },
    widthPx: rendered.width,
    heightPx: rendered.height,
    dpi: fixture.dpi,
    ocr: fixture.ocr,
  };
}

describe('PDF/A-2b writer', () => {
  const documents: TestDocument[] = [];
  const files = new Map<string, string>();
  let dir = '';

  beforeAll(async () => {
    const colour = await renderTextPage({ blocks: paragraphs, dpi: 200, stamp: true });
    const grey = await renderTextPage({ blocks: [...paragraphs].reverse(), dpi: 150 });
    const bilevel = await renderTextPage({ blocks: [alphabet], dpi: 300, widthMm: 120, heightMm: 80, sizePt: 11 });
    documents.push(
      {
        name: 'two-pages',
        pages: [await page(colour, 'color'), await page(grey, 'gray')],
        texts: [colour.ocr.text, grey.ocr.text],
      },
      { name: 'alphabet', pages: [await page(bilevel, 'lineart')], texts: [bilevel.ocr.text] },
      {
        // The clerk showed the page sideways: the image turned, the OCR in its upright frame.
        name: 'sideways',
        pages: [{ ...(await page(bilevel, 'lineart', [{ kind: 'rotate', degrees: 90 }])), ocrTurn: 90 }],
        texts: [bilevel.ocr.text],
      },
    );
    dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'sohoa-pdf-writer-'));
    for (const document of documents) {
      const pdf = await buildPdfA({
        pages: document.pages,
        title: `Quyết định ${document.name}`,
        creatorTool: 'SoHoa Station test',
        createdAt: new Date('2026-03-02T02:15:30Z'),
        result: { documentNumber: '123/QĐ-UBND', issuedDate: '2026-03-01', permanent: true, kind: 1, status: 'valid' },
      });
      const file = path.join(dir, `${document.name}.pdf`);
      fs.writeFileSync(file, pdf);
      files.set(document.name, file);
    }
  }, 120_000);

  it('gives back exactly the OCR text through pdftotext, diacritics included, in both reading modes', () => {
    for (const document of documents) {
      const file = files.get(document.name)!;
      const expected = normalise(document.texts.join('\n'));
      for (const mode of ['raw', 'default'] as const) {
        const extracted = pdftotext(file, mode);
        // Not normalised to NFC here: the text layer itself must extract as NFC.
        expect(normalise(extracted), `${document.name} (${mode})`).toBe(expected);
        expect(extracted.normalize('NFC')).toBe(extracted);
      }
      // Page by page too: every word sits on its own page.
      document.texts.forEach((text, index) => {
        const pageText = execFileSync(
          'pdftotext',
          ['-raw', '-f', String(index + 1), '-l', String(index + 1), file, '-'],
          { encoding: 'utf8' },
        );
        expect(normalise(pageText)).toBe(normalise(text));
      });
    }
  });

  it('lays every word on its ink, on a page shown sideways too', async () => {
    for (const name of ['alphabet', 'sideways']) {
      const file = files.get(name)!;
      const { dpi } = documents.find((document) => document.name === name)!.pages[0]!;
      const out = path.join(tempDir(), 'ink');
      execFileSync('pdftoppm', ['-png', '-gray', '-r', String(dpi), '-singlefile', file, out]);
      const { data, info } = await sharp(`${out}.png`).greyscale().raw().toBuffer({ resolveWithObject: true });
      const xml = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
      const words = [...xml.matchAll(/xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)</g)];
      expect(words.length).toBeGreaterThan(20);
      const px = dpi / 72;
      for (const [, x0, y0, x1, y1, text] of words) {
        let dark = 0;
        let all = 0;
        for (let y = Math.floor(Number(y0) * px); y < Math.ceil(Number(y1) * px); y += 1) {
          for (let x = Math.floor(Number(x0) * px); x < Math.ceil(Number(x1) * px); x += 1) {
            if (x >= info.width || y >= info.height) continue;
            all += 1;
            if ((data[y * info.width + x] ?? 255) < 128) dark += 1;
          }
        }
        // A word's box on paper holds ink; the white margin around the text holds none.
        expect(dark / all, `${name}: "${text}"`).toBeGreaterThan(0.08);
      }
    }
  });

  it('passes the PDF/A-2b checker and qpdf --check', () => {
    for (const file of files.values()) {
      const report = checkPdfA(file);
      expect(report.ok, formatPdfaReport(report)).toBe(true);
      expect(report.clauses.length).toBeGreaterThan(15);
    }
  });

  it('puts each page at 100 % scale: pixels / dpi × 72 points', () => {
    const info = execFileSync('pdfinfo', ['-f', '1', '-l', '2', files.get('two-pages')!], { encoding: 'utf8' });
    const sizes = [...info.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/g)].map((match) => [
      Number(match[1]),
      Number(match[2]),
    ]);
    const expected = documents[0]!.pages.map((entry) => [
      (entry.widthPx / entry.dpi) * 72,
      (entry.heightPx / entry.dpi) * 72,
    ]);
    expect(sizes).toHaveLength(2);
    sizes.forEach(([width, height], index) => {
      expect(width).toBeCloseTo(expected[index]![0]!, 1);
      expect(height).toBeCloseTo(expected[index]![1]!, 1);
    });
  });

  it('embeds one glyph-less font with ToUnicode, and its text layer costs under 5 KB a page', async () => {
    const fonts = execFileSync('pdffonts', [files.get('two-pages')!], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .slice(2);
    expect(fonts).toHaveLength(1);
    expect(fonts[0]).toMatch(/^GlyphLessFont\s+CID TrueType\s+Identity-H\s+yes\s+no\s+yes/);
    for (const document of documents) {
      const withText = fs.statSync(files.get(document.name)!).size;
      const without = await buildPdfA({
        pages: document.pages.map(({ ocr: _ocr, ...rest }) => rest),
        title: `Quyết định ${document.name}`,
        creatorTool: 'SoHoa Station test',
        createdAt: new Date('2026-03-02T02:15:30Z'),
        result: { documentNumber: '123/QĐ-UBND', issuedDate: '2026-03-01', permanent: true, kind: 1, status: 'valid' },
      });
      expect((withText - without.length) / document.pages.length, document.name).toBeLessThan(5000);
    }
  });

  it('reserves the operator field top-left and the agency field top-right on page 1, unsigned and printable', async () => {
    const pdf = await PDFDocument.load(fs.readFileSync(files.get('two-pages')!));
    const fields = pdf.getForm().getFields();
    expect(fields.map((field) => field.getName()).sort()).toEqual(
      [signatureFieldNames.agency, signatureFieldNames.operator].sort(),
    );
    const { width, height } = pdf.getPage(0).getSize();
    for (const field of fields) {
      const widget = field.acroField.getWidgets()[0]!;
      const rect = widget.getRectangle();
      expect(widget.dict.get(PDFName.of('F'))).toEqual(PDFNumber.of(4));
      expect(field.acroField.dict.get(PDFName.of('V'))).toBeUndefined();
      expect(rect.y + rect.height).toBeGreaterThan(height * 0.9);
      if (field.getName() === signatureFieldNames.operator) expect(rect.x + rect.width).toBeLessThan(width / 2);
      else expect(rect.x).toBeGreaterThan(width / 2);
    }
    expect(pdf.getPage(1).node.get(PDFName.of('Annots'))).toBeUndefined();
  });

  it('carries the result metadata in a declared XMP schema, and Info matches XMP', () => {
    const file = files.get('two-pages')!;
    const xmp = execFileSync('qpdf', ['--show-object=trailer', file], { encoding: 'utf8' });
    expect(xmp).toContain('/ID');
    const raw = fs.readFileSync(file, 'latin1');
    const packet = Buffer.from(
      raw.slice(raw.indexOf('<?xpacket begin'), raw.indexOf('<?xpacket end')),
      'latin1',
    ).toString('utf8');
    expect(packet).toContain('<pdfaid:part>2</pdfaid:part>');
    expect(packet).toContain('<sohoa:documentNumber>123/QĐ-UBND</sohoa:documentNumber>');
    expect(packet).toContain('<pdfaSchema:namespaceURI>https://sohoa.vn/ns/result/1.0/</pdfaSchema:namespaceURI>');
    expect(packet).toContain('<rdf:li xml:lang="x-default">Quyết định two-pages</rdf:li>');
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Title:\s+Quyết định two-pages/);
    expect(info).toMatch(/Encrypted:\s+no/);
  });

  it('renders every page as the image it was given, and none of the invisible text', async () => {
    for (const document of documents) {
      for (const [index, entry] of document.pages.entries()) {
        const out = path.join(tempDir(), 'page');
        execFileSync('pdftoppm', [
          '-png',
          '-gray',
          '-r',
          String(entry.dpi),
          '-f',
          String(index + 1),
          '-l',
          String(index + 1),
          '-singlefile',
          files.get(document.name)!,
          out,
        ]);
        const rendered = await sharp(`${out}.png`).greyscale().raw().toBuffer({ resolveWithObject: true });
        expect([rendered.info.width, rendered.info.height]).toEqual([entry.widthPx, entry.heightPx]);
        const source =
          entry.image.encoding === 'jpeg'
            ? await sharp(entry.image.data).greyscale().raw().toBuffer()
            : Buffer.from(
                Array.from({ length: entry.widthPx * entry.heightPx }, (_, i) => {
                  const x = i % entry.widthPx;
                  const y = Math.floor(i / entry.widthPx);
                  const byte = entry.image.data[y * Math.ceil(entry.widthPx / 8) + (x >> 3)] ?? 0;
                  return byte & (0x80 >> (x & 7)) ? 255 : 0;
                }),
              );
        let difference = 0;
        for (let i = 0; i < source.length; i += 1) difference += Math.abs((rendered.data[i] ?? 0) - (source[i] ?? 0));
        expect(difference / source.length, `${document.name} page ${index + 1}`).toBeLessThan(4);
      }
    }
  });
});

describe('PDF/A-2b checker', () => {
  let good: Uint8Array;

  beforeAll(async () => {
    const fixture = await renderTextPage({ blocks: [paragraphs[0]!, paragraphs[3]!], dpi: 150 });
    good = await buildPdfA({
      pages: [await page(fixture, 'color')],
      title: 'Kiểm tra',
      creatorTool: 'SoHoa Station test',
      createdAt: new Date('2026-03-02T02:15:30Z'),
    });
  }, 60_000);

  async function broken(mutate: (pdf: PDFDocument) => void | Promise<void>): Promise<Uint8Array> {
    const pdf = await PDFDocument.load(good, { updateMetadata: false });
    await mutate(pdf);
    return pdf.save({ useObjectStreams: false });
  }

  function failedClauses(bytes: Uint8Array): string[] {
    const report = checkPdfA(bytes);
    expect(report.ok).toBe(false);
    return report.failed.map((entry) => entry.clause);
  }

  it('passes the file the writer made, and still passes it after pdf-lib re-saves it unchanged', async () => {
    expect(checkPdfA(good).ok, formatPdfaReport(checkPdfA(good))).toBe(true);
    expect(checkPdfA(await broken(() => undefined)).ok).toBe(true);
  });

  it('fails a file without its output intent (6.2.2, and DeviceRGB without it, 6.2.4.3)', async () => {
    const clauses = failedClauses(await broken((pdf) => void pdf.catalog.delete(PDFName.of('OutputIntents'))));
    expect(clauses).toEqual(expect.arrayContaining(['6.2.2', '6.2.4.3']));
  });

  it('fails a file with an unembedded font (6.2.11.4) and without ToUnicode (6.2.11.7)', async () => {
    const clauses = failedClauses(
      await broken(async (pdf) => {
        const helvetica = await pdf.embedFont(StandardFonts.Helvetica);
        pdf.getPage(0).drawText('Not embedded', { x: 20, y: 20, size: 10, font: helvetica });
      }),
    );
    expect(clauses).toEqual(expect.arrayContaining(['6.2.11.4', '6.2.11.7']));
  });

  it('fails glyph widths that disagree with the embedded font program (6.2.11.5)', async () => {
    const clauses = failedClauses(
      await broken((pdf) => {
        const type0 = pdf.context
          .enumerateIndirectObjects()
          .find(
            ([, object]) =>
              object instanceof PDFDict && object.get(PDFName.of('Subtype')) === PDFName.of('CIDFontType2'),
          );
        (type0![1] as PDFDict).set(PDFName.of('DW'), PDFNumber.of(600));
      }),
    );
    expect(clauses).toEqual(['6.2.11.5']);
  });

  it('fails a hidden or unprintable annotation (6.3.2)', async () => {
    const clauses = failedClauses(
      await broken((pdf) => {
        const annots = pdf.getPage(0).node.lookup(PDFName.of('Annots'), PDFArray);
        annots.lookup(0, PDFDict).set(PDFName.of('F'), PDFNumber.of(2));
      }),
    );
    expect(clauses).toEqual(['6.3.2']);
  });

  it('fails Info that disagrees with XMP (6.6.3) and a wrong PDF/A identification (6.6.4)', async () => {
    const title = failedClauses(await broken((pdf) => pdf.setTitle('Another title')));
    expect(title).toEqual(['6.6.3']);
    const identification = failedClauses(
      await broken((pdf) => {
        const ref = pdf.catalog.get(PDFName.of('Metadata'));
        const stream = pdf.context.lookup(ref) as unknown as { contents: Uint8Array };
        const xmp = Buffer.from(stream.contents)
          .toString('utf8')
          .replace('<pdfaid:part>2</pdfaid:part>', '<pdfaid:part>1</pdfaid:part>');
        pdf.catalog.set(
          PDFName.of('Metadata'),
          pdf.context.register(pdf.context.stream(Buffer.from(xmp, 'utf8'), { Type: 'Metadata', Subtype: 'XML' })),
        );
      }),
    );
    expect(identification).toEqual(['6.6.4']);
  });

  it('fails JavaScript (6.5), a missing document ID (6.1.3) and encryption (6.1.3)', async () => {
    const script = failedClauses(
      await broken((pdf) => {
        pdf.catalog.set(
          PDFName.of('OpenAction'),
          pdf.context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert(1)') }),
        );
      }),
    );
    expect(script).toEqual(['6.5']);
    const noId = failedClauses(await broken((pdf) => void (pdf.context.trailerInfo.ID = undefined)));
    expect(noId).toEqual(['6.1.3']);

    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'in.pdf'), good);
    const encrypt = spawnSync('qpdf', [
      '--encrypt',
      '',
      'owner',
      '256',
      '--',
      path.join(dir, 'in.pdf'),
      path.join(dir, 'out.pdf'),
    ]);
    expect(encrypt.status).toBe(0);
    expect(failedClauses(fs.readFileSync(path.join(dir, 'out.pdf')))).toContain('6.1.3');
  });

  it('fails a damaged file through qpdf --check', () => {
    const text = Buffer.from(good).toString('latin1');
    // Point startxref at the wrong place: readers must reconstruct, and qpdf says so.
    const damaged = text.replace(/startxref\n\d+/, 'startxref\n17');
    const report = checkPdfA(Buffer.from(damaged, 'latin1'));
    expect(report.failed.map((entry) => entry.clause)).toContain('qpdf');
  });
});
