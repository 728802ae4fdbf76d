/**
 * A TrueType font with no visible glyph, for the invisible OCR text layer.
 *
 * Like the font of Tesseract's own PDF renderer: glyph 0 (.notdef) and glyph 1 are both empty and
 * `advanceWidth` units wide, and the PDF maps every CID to glyph 1, so any Unicode text can be
 * "drawn" (in rendering mode 3, never painted) with a font of about 400 bytes. The widths in the PDF
 * font dictionary (`DW`) equal the advance width here, as PDF/A requires (ISO 19005-2, 6.2.11.5).
 * Built in code, so there is no third-party font file and no licence to track.
 */

/** Design units per em. */
export const glyphlessUnitsPerEm = 1000;
/** Advance width of every glyph, in design units: half an em, as Tesseract's font. */
export const glyphlessAdvance = 500;
/** Ascent and descent in design units; the text layer puts the baseline at the bottom of a word's box. */
export const glyphlessAscent = 1000;
export const glyphlessDescent = 0;
export const glyphlessFontName = 'GlyphLessFont';

function u16(value: number): number[] {
  return [(value >> 8) & 0xff, value & 0xff];
}

function u32(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 4) {
    const word =
      ((bytes[i] ?? 0) << 24) | ((bytes[i + 1] ?? 0) << 16) | ((bytes[i + 2] ?? 0) << 8) | (bytes[i + 3] ?? 0);
    sum = (sum + (word >>> 0)) >>> 0;
  }
  return sum;
}

function headTable(): number[] {
  return [
    ...u32(0x00010000), // version
    ...u32(0x00010000), // fontRevision
    ...u32(0), // checkSumAdjustment, filled in last
    ...u32(0x5f0f3cf5), // magicNumber
    ...u16(0x000b), // flags: baseline at y=0, lsb at x=0, integer ppem
    ...u16(glyphlessUnitsPerEm),
    ...u32(0),
    ...u32(0), // created (1904 epoch; 0 keeps the font byte-identical on every build)
    ...u32(0),
    ...u32(0), // modified
    ...u16(0), // xMin
    ...u16(glyphlessDescent & 0xffff), // yMin
    ...u16(glyphlessAdvance), // xMax
    ...u16(glyphlessAscent), // yMax
    ...u16(0), // macStyle
    ...u16(3), // lowestRecPPEM
    ...u16(2), // fontDirectionHint
    ...u16(0), // indexToLocFormat: short offsets
    ...u16(0), // glyphDataFormat
  ];
}

function hheaTable(): number[] {
  return [
    ...u32(0x00010000),
    ...u16(glyphlessAscent),
    ...u16(glyphlessDescent & 0xffff),
    ...u16(0), // lineGap
    ...u16(glyphlessAdvance), // advanceWidthMax
    ...u16(0), // minLeftSideBearing
    ...u16(0), // minRightSideBearing
    ...u16(0), // xMaxExtent
    ...u16(1), // caretSlopeRise
    ...u16(0), // caretSlopeRun
    ...u16(0), // caretOffset
    ...u16(0),
    ...u16(0),
    ...u16(0),
    ...u16(0),
    ...u16(0), // metricDataFormat
    ...u16(2), // numberOfHMetrics
  ];
}

function maxpTable(): number[] {
  return [
    ...u32(0x00010000),
    ...u16(2), // numGlyphs
    ...u16(0), // maxPoints
    ...u16(0), // maxContours
    ...u16(0), // maxCompositePoints
    ...u16(0), // maxCompositeContours
    ...u16(1), // maxZones
    ...u16(0), // maxTwilightPoints
    ...u16(0), // maxStorage
    ...u16(0), // maxFunctionDefs
    ...u16(0), // maxInstructionDefs
    ...u16(0), // maxStackElements
    ...u16(0), // maxSizeOfInstructions
    ...u16(0), // maxComponentElements
    ...u16(0), // maxComponentDepth
  ];
}

function hmtxTable(): number[] {
  return [...u16(glyphlessAdvance), ...u16(0), ...u16(glyphlessAdvance), ...u16(0)];
}

function cmapTable(): number[] {
  // Format 4 with only the mandatory final segment: the PDF addresses glyphs by CIDToGIDMap, not by cmap.
  const subtable = [
    ...u16(4), // format
    ...u16(24), // length
    ...u16(0), // language
    ...u16(2), // segCountX2
    ...u16(2), // searchRange
    ...u16(0), // entrySelector
    ...u16(0), // rangeShift
    ...u16(0xffff), // endCode
    ...u16(0), // reservedPad
    ...u16(0xffff), // startCode
    ...u16(1), // idDelta
    ...u16(0), // idRangeOffset
  ];
  return [...u16(0), ...u16(1), ...u16(3), ...u16(1), ...u32(12), ...subtable];
}

function nameTable(): number[] {
  const records: [number, string][] = [
    [1, glyphlessFontName],
    [2, 'Regular'],
    [4, glyphlessFontName],
    [6, glyphlessFontName],
  ];
  const strings: number[] = [];
  const entries: number[] = [];
  for (const [nameId, text] of records) {
    const bytes = [...text].flatMap((char) => u16(char.charCodeAt(0)));
    entries.push(...u16(3), ...u16(1), ...u16(0x409), ...u16(nameId), ...u16(bytes.length), ...u16(strings.length));
    strings.push(...bytes);
  }
  return [...u16(0), ...u16(records.length), ...u16(6 + 12 * records.length), ...entries, ...strings];
}

function postTable(): number[] {
  // Version 3: no glyph names.
  return [...u32(0x00030000), ...u32(0), ...u16(0), ...u16(0), ...u32(0), ...u32(0), ...u32(0), ...u32(0), ...u32(0)];
}

/** The font program (an sfnt with head, hhea, maxp, hmtx, loca, glyf, cmap, name, post). */
export function buildGlyphlessFont(): Uint8Array {
  const tables: [string, number[]][] = [
    ['cmap', cmapTable()],
    ['glyf', []],
    ['head', headTable()],
    ['hhea', hheaTable()],
    ['hmtx', hmtxTable()],
    ['loca', [...u16(0), ...u16(0), ...u16(0)]],
    ['maxp', maxpTable()],
    ['name', nameTable()],
    ['post', postTable()],
  ];
  const count = tables.length;
  const entrySelector = Math.floor(Math.log2(count));
  const searchRange = 2 ** entrySelector * 16;
  const headerLength = 12 + 16 * count;
  const padded = tables.map(([, data]) => data.length + ((4 - (data.length % 4)) % 4));
  const total = headerLength + padded.reduce((sum, length) => sum + length, 0);
  const font = new Uint8Array(total);
  font.set([
    ...u32(0x00010000),
    ...u16(count),
    ...u16(searchRange),
    ...u16(entrySelector),
    ...u16(count * 16 - searchRange),
  ]);
  let offset = headerLength;
  let headOffset = 0;
  tables.forEach(([tag, data], index) => {
    const bytes = Uint8Array.from(data);
    font.set(bytes, offset);
    font.set(
      [...[...tag].map((char) => char.charCodeAt(0)), ...u32(checksum(bytes)), ...u32(offset), ...u32(data.length)],
      12 + 16 * index,
    );
    if (tag === 'head') headOffset = offset;
    offset += padded[index] ?? 0;
  });
  font.set(u32((0xb1b0afba - checksum(font)) >>> 0), headOffset + 8);
  return font;
}
