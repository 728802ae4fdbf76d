import type { OcrResult } from '../../../shared/ocr.js';
import { glyphlessAdvance, glyphlessUnitsPerEm } from './glyphless-font.js';

/** Where the page image sits: PDF points per image pixel and the page height in points. */
export interface TextLayerGeometry {
  pointsPerPixel: number;
  pageHeightPt: number;
}

/** Formats a number for a content stream: at most `decimals` decimals (2), no trailing zeros, no exponent. */
export function pdfNumber(value: number, decimals = 2): string {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  if (Object.is(rounded, -0) || rounded === 0) return '0';
  return decimals === 0 ? String(rounded) : rounded.toFixed(decimals).replace(/\.?0+$/, '');
}

/**
 * A PDF literal string of UTF-16BE code units, the CIDs of the glyph-less font under Identity-H.
 *
 * Binary literal strings are half the size of hex strings before compression; only the three bytes
 * PDF gives a meaning to inside a literal and CR (which a reader would turn into LF) are escaped.
 */
export function cidString(text: string): string {
  let out = '(';
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    for (const byte of [unit >> 8, unit & 0xff]) {
      if (byte === 0x28 || byte === 0x29 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
      else if (byte === 0x0d) out += '\\r';
      else out += String.fromCharCode(byte);
    }
  }
  return `${out})`;
}

/** Every UTF-16 code unit the text layer uses, for the ToUnicode CMap. */
export function codeUnitsOf(text: string, into: Set<number> = new Set<number>()): Set<number> {
  for (let i = 0; i < text.length; i += 1) into.add(text.charCodeAt(i));
  return into;
}

/**
 * The invisible text of one page as content-stream operators (a latin1 "binary" string).
 *
 * One `BT … ET` in rendering mode 3 (neither filled nor stroked). Each line gets a font size equal
 * to its box height and its own text matrix; each word is placed at its left edge on the line's
 * baseline and stretched with `Tz` so its glyphs span the word's box, so selecting or searching in
 * a viewer highlights the word on the image. A space follows every word but the last of a line, so
 * text extraction separates words without guessing from gaps. Lines are written in the OCR
 * result's reading order, which is what a reader extracting in content order returns. Positions
 * are rounded to a tenth of a point and `Tz` to a whole percent: finer than a pixel at 300 dpi,
 * and it keeps the layer near 4 KB for a dense page.
 */
export function textLayerOperators(ocr: OcrResult, geometry: TextLayerGeometry, fontResource: string): string {
  const { pointsPerPixel: scale, pageHeightPt } = geometry;
  const advance = glyphlessAdvance / glyphlessUnitsPerEm;
  const parts: string[] = [];
  for (const line of ocr.lines) {
    const words = line.words.filter((word) => word.text.normalize('NFC').trim() !== '');
    if (words.length === 0) continue;
    const fontSize = Math.max(1, (line.bbox.y1 - line.bbox.y0) * scale);
    parts.push(`/${fontResource} ${pdfNumber(fontSize, 1)} Tf`);
    // One baseline per line (the bottom of the line's box): words with and without descenders stay
    // on one line for readers that group glyphs into lines by baseline.
    const y = pageHeightPt - line.bbox.y1 * scale;
    let originX = 0;
    words.forEach((word, index) => {
      const text = word.text.normalize('NFC').trim();
      const x = word.bbox.x0 * scale;
      const widthPt = Math.max(0.5, (word.bbox.x1 - word.bbox.x0) * scale);
      const horizontalScale = (100 * widthPt) / (text.length * advance * fontSize);
      if (index === 0) {
        parts.push(`1 0 0 1 ${pdfNumber(x, 1)} ${pdfNumber(y, 1)} Tm`);
      } else {
        parts.push(`${pdfNumber(x - originX, 1)} 0 Td`);
      }
      originX = x;
      const shown = index < words.length - 1 ? `${text} ` : text;
      parts.push(`${pdfNumber(horizontalScale, 0)} Tz ${cidString(shown)} Tj`);
    });
  }
  if (parts.length === 0) return '';
  return `BT\n3 Tr\n${parts.join('\n')}\nET\n`;
}

/**
 * A ToUnicode CMap that maps each used CID (a UTF-16 code unit) to itself.
 *
 * Written as one `bfrange` per high byte in use (ranges may not cross a last-byte boundary), so the
 * map stays a few hundred bytes for Vietnamese text; surrogate halves are never mapped alone.
 */
export function identityToUnicodeCMap(codeUnits: Iterable<number>): string {
  const highBytes = [...new Set([...codeUnits].map((unit) => unit >> 8))]
    .filter((high) => high < 0xd8 || high > 0xdf)
    .sort((a, b) => a - b);
  const hex = (value: number): string => value.toString(16).toUpperCase().padStart(4, '0');
  const blocks: string[] = [];
  for (let i = 0; i < highBytes.length; i += 100) {
    const chunk = highBytes.slice(i, i + 100);
    blocks.push(
      `${chunk.length} beginbfrange\n${chunk
        .map((high) => `<${hex(high << 8)}> <${hex((high << 8) | 0xff)}> <${hex(high << 8)}>`)
        .join('\n')}\nendbfrange`,
    );
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
    '',
  ].join('\n');
}
