import * as fontkit from '@pdf-lib/fontkit';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { OcrResult } from '../../../shared/ocr.js';
import { buildGlyphlessFont, glyphlessAdvance } from '../../../electron/engine/pdf/glyphless-font.js';
import { signatureFieldRects } from '../../../electron/engine/pdf/signature-fields.js';
import { buildSrgbIccProfile } from '../../../electron/engine/pdf/srgb-icc.js';
import {
  cidString,
  identityToUnicodeCMap,
  pdfNumber,
  textLayerOperators,
} from '../../../electron/engine/pdf/text-layer.js';
import { buildXmp, resultNamespace } from '../../../electron/engine/pdf/xmp.js';

describe('glyph-less font', () => {
  const font = buildGlyphlessFont();

  it('is a valid TrueType font of two empty glyphs, each half an em wide', () => {
    const parsed = (
      fontkit as unknown as {
        create(buffer: Buffer): {
          numGlyphs: number;
          unitsPerEm: number;
          getGlyph(id: number): { advanceWidth: number; path: { commands: unknown[] } };
        };
      }
    ).create(Buffer.from(font));
    expect(parsed.numGlyphs).toBe(2);
    expect(parsed.unitsPerEm).toBe(1000);
    expect(parsed.getGlyph(1).advanceWidth).toBe(glyphlessAdvance);
    expect(parsed.getGlyph(1).path.commands).toEqual([]);
  });

  it('has correct table checksums and a whole-font checksum of 0xB1B0AFBA', () => {
    const view = Buffer.from(font);
    let sum = 0;
    for (let i = 0; i < view.length; i += 4) sum = (sum + view.readUInt32BE(i)) >>> 0;
    expect(sum).toBe(0xb1b0afba);
    expect(font.length).toBeLessThan(600);
  });
});

describe('sRGB ICC profile', () => {
  const profile = Buffer.from(buildSrgbIccProfile());

  it('has a version 2 RGB display header whose size matches', () => {
    expect(profile.readUInt32BE(0)).toBe(profile.length);
    expect(profile[8]).toBe(2);
    expect(profile.toString('latin1', 12, 24)).toBe('mntrRGB XYZ ');
    expect(profile.toString('latin1', 36, 40)).toBe('acsp');
    const tags = profile.readUInt32BE(128);
    const names = Array.from({ length: tags }, (_, i) => profile.toString('latin1', 132 + 12 * i, 136 + 12 * i));
    expect(names.sort()).toEqual(['bTRC', 'bXYZ', 'cprt', 'desc', 'gTRC', 'gXYZ', 'rTRC', 'rXYZ', 'wtpt']);
  });

  it('is accepted by Little CMS (through sharp) and leaves sRGB colours as they are', async () => {
    const file = path.join(os.tmpdir(), `sohoa-srgb-${process.pid}.icc`);
    fs.writeFileSync(file, profile);
    const red = await sharp({ create: { width: 2, height: 2, channels: 3, background: { r: 200, g: 30, b: 40 } } })
      .withIccProfile(file)
      .png()
      .toBuffer();
    const { data } = await sharp(red).raw().toBuffer({ resolveWithObject: true });
    expect(
      Math.max(...[...data.subarray(0, 3)].map((value, index) => Math.abs(value - [200, 30, 40][index]!))),
    ).toBeLessThanOrEqual(2);
    fs.rmSync(file);
  });
});

describe('text layer', () => {
  it('formats numbers with at most two decimals and no exponent', () => {
    expect([
      pdfNumber(0),
      pdfNumber(-0.001),
      pdfNumber(12.345),
      pdfNumber(1e-7),
      pdfNumber(100),
      pdfNumber(2.5),
    ]).toEqual(['0', '0', '12.35', '0', '100', '2.5']);
  });

  it('writes UTF-16BE code units as a literal string, escaping what PDF strings must', () => {
    // ĩ is U+0129 (low byte ")"), Ĩ U+0128 ("("), \ U+005C, U+010D has CR as its low byte.
    expect(cidString('ĩĨ\\č')).toBe('(\u0001\\)\u0001\\(\u0000\\\\\u0001\\r)');
  });

  it('maps exactly the high bytes in use in its ToUnicode CMap', () => {
    const cmap = identityToUnicodeCMap([0x41, 0x1ea0, 0x1ef9, 0xd800]);
    expect(cmap).toContain('2 beginbfrange\n<0000> <00FF> <0000>\n<1E00> <1EFF> <1E00>\nendbfrange');
    expect(cmap).not.toContain('<D800>');
  });

  it('places each word over its box in mode 3, stretched to the box width', () => {
    const ocr: OcrResult = {
      text: 'Hà Nội',
      lines: [
        {
          text: 'Hà Nội',
          bbox: { x0: 100, y0: 200, x1: 400, y1: 250 },
          blockIndex: 0,
          words: [
            { text: 'Hà', confidence: 90, bbox: { x0: 100, y0: 200, x1: 200, y1: 250 } },
            { text: 'Nội', confidence: 90, bbox: { x0: 250, y0: 200, x1: 400, y1: 250 } },
          ],
        },
      ],
      orientation: 0,
      confidence: 90,
      languages: 'vie',
      engine: 'test',
      widthPx: 1000,
      heightPx: 1000,
    };
    const operators = textLayerOperators(ocr, { pointsPerPixel: 0.24, pageHeightPt: 240 }, 'F0');
    expect(operators.startsWith('BT\n3 Tr\n/F0 12 Tf\n1 0 0 1 24 180 Tm\n')).toBe(true);
    // "Hà" spans 100 px = 24 pt: 2 glyphs × 0.5 em × 12 pt × Tz/100 = 24 → Tz 200.
    expect(operators).toContain('200 Tz (\u0000H\u0000\u00e0\u0000 ) Tj');
    // "Nội" starts 150 px = 36 pt further; 3 glyphs over 36 pt → Tz 200.
    expect(operators).toContain('36 0 Td\n200 Tz (\u0000N\u001e\u00d9\u0000i) Tj');
    expect(operators.endsWith('ET\n')).toBe(true);
  });
});

describe('XMP packet', () => {
  it('is well-formed, escapes text, and declares the result schema it uses', () => {
    const xmp = buildXmp({
      title: 'Quyết định <số 1> & "phụ lục"',
      creatorTool: 'SoHoa Station',
      producer: 'SoHoa Station',
      createdAt: new Date('2026-03-02T02:15:30.250Z'),
      modifiedAt: new Date('2026-03-02T02:15:30.250Z'),
      documentId: 'uuid:1',
      instanceId: 'uuid:1',
      result: { documentNumber: '123/QĐ-UBND', permanent: true, pages: 3, ownerName: '', validUntil: null },
    });
    expect(XMLValidator.validate(xmp)).toBe(true);
    expect(xmp).not.toMatch(/<\?xpacket[^>]*(bytes|encoding)=/);
    expect(xmp).toContain('Quyết định &lt;số 1&gt; &amp; &quot;phụ lục&quot;');
    expect(xmp).toContain('<xmp:CreateDate>2026-03-02T02:15:30Z</xmp:CreateDate>');
    expect(xmp).toContain(`xmlns:sohoa="${resultNamespace}"`);
    expect(xmp).toContain('<sohoa:permanent>True</sohoa:permanent>');
    expect(xmp).toContain('<sohoa:pages>3</sohoa:pages>');
    expect(xmp).not.toContain('<sohoa:ownerName>');
    expect(xmp).not.toContain('<sohoa:validUntil>');
  });
});

describe('signature fields', () => {
  it('sit top-left and top-right of an A4 page, side by side on a narrow one', () => {
    const a4 = signatureFieldRects({ width: 595, height: 842 });
    expect(a4.operator[0]).toBeLessThan(60);
    expect(a4.agency[2]).toBeGreaterThan(595 - 60);
    expect(a4.operator[3]).toBeGreaterThan(800);
    const narrow = signatureFieldRects({ width: 200, height: 300 });
    expect(narrow.operator[2]).toBeLessThanOrEqual(narrow.agency[0]);
  });
});
