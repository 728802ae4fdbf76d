/**
 * A PDF/A-2b conformance checker for the tests, since veraPDF cannot be had on these machines.
 *
 * It reads the file through qpdf (`--json=2`, an independent parser from pdf-lib, which writes the
 * files) and checks the clauses of ISO 19005-2 that a scanned, OCR'd, field-reserving file can break,
 * naming each clause. It also runs `qpdf --check`, which must be clean. It is not a full validator:
 * clauses about features the station never writes (transparency blending details, JPEG 2000, optional
 * content, PostScript) are checked only as far as "not present".
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface ClauseResult {
  /** ISO 19005-2 clause, e.g. `6.2.11.4`. */
  clause: string;
  title: string;
  problems: string[];
}

export interface PdfaReport {
  ok: boolean;
  clauses: ClauseResult[];
  /** Clauses that failed, for assertion messages. */
  failed: ClauseResult[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Dict = { [key: string]: Json };
interface QpdfObject {
  value?: Json;
  stream?: { dict: Dict; data?: string };
}

const predefinedNamespaces = new Set([
  'http://purl.org/dc/elements/1.1/',
  'http://ns.adobe.com/xap/1.0/',
  'http://ns.adobe.com/xap/1.0/mm/',
  'http://ns.adobe.com/xap/1.0/rights/',
  'http://ns.adobe.com/xap/1.0/t/pg/',
  'http://ns.adobe.com/xap/1.0/bj/',
  'http://ns.adobe.com/xmp/1.0/DynamicMedia/',
  'http://ns.adobe.com/pdf/1.3/',
  'http://ns.adobe.com/photoshop/1.0/',
  'http://ns.adobe.com/tiff/1.0/',
  'http://ns.adobe.com/exif/1.0/',
  'http://ns.adobe.com/exif/1.0/aux/',
  'http://ns.adobe.com/camera-raw-settings/1.0/',
  'http://www.aiim.org/pdfa/ns/id/',
  'http://www.aiim.org/pdfa/ns/extension/',
  'http://www.aiim.org/pdfa/ns/schema#',
  'http://www.aiim.org/pdfa/ns/property#',
  'http://www.aiim.org/pdfa/ns/type#',
  'http://www.aiim.org/pdfa/ns/field#',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  'adobe:ns:meta/',
]);

const forbiddenActions = new Set([
  'Launch',
  'Sound',
  'Movie',
  'ResetForm',
  'ImportData',
  'Hide',
  'SetOCGState',
  'Rendition',
  'Trans',
  'GoTo3DView',
  'JavaScript',
]);
const allowedAnnotations = new Set([
  'Text',
  'Link',
  'FreeText',
  'Line',
  'Square',
  'Circle',
  'Polygon',
  'PolyLine',
  'Highlight',
  'Underline',
  'Squiggly',
  'StrikeOut',
  'Stamp',
  'Caret',
  'Ink',
  'Popup',
  'FileAttachment',
  'Widget',
  'PrinterMark',
  'TrapNet',
  'Watermark',
  'Redact',
]);
const standardBlendModes = new Set([
  'Normal',
  'Compatible',
  'Multiply',
  'Screen',
  'Overlay',
  'Darken',
  'Lighten',
  'ColorDodge',
  'ColorBurn',
  'HardLight',
  'SoftLight',
  'Difference',
  'Exclusion',
  'Hue',
  'Saturation',
  'Color',
  'Luminosity',
]);

function qpdfJson(file: string, streamData: 'none' | 'inline'): Record<string, QpdfObject> {
  const args = ['--json=2', `--json-stream-data=${streamData}`];
  // `generalized` undoes Flate and the like but leaves JPEG data as it is stored.
  if (streamData === 'inline') args.push('--decode-level=generalized');
  // Exit code 3 is "succeeded with warnings" (a damaged file qpdf repaired): `qpdf --check` reports those.
  const run = spawnSync('qpdf', [...args, file], { maxBuffer: 1 << 30 });
  if (run.status !== 0 && run.status !== 3) throw new Error(`qpdf --json failed: ${run.stderr.toString('utf8')}`);
  const out = run.stdout.toString('utf8');
  const document = JSON.parse(out) as { qpdf: [unknown, Record<string, QpdfObject>] };
  return document.qpdf[1];
}

/** A qpdf JSON string value (`u:` text or `b:` hex bytes) as bytes. */
function stringBytes(value: Json | undefined): Buffer | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.startsWith('u:')) return Buffer.from(value.slice(2), 'utf8');
  if (value.startsWith('b:')) return Buffer.from(value.slice(2), 'hex');
  return undefined;
}

/** A PDF text string (PDFDocEncoding approximated as latin1, or UTF-16BE with BOM) as a JS string. */
function textString(value: Json | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.startsWith('u:')) return value.slice(2);
  const bytes = stringBytes(value);
  if (bytes === undefined) return undefined;
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    let text = '';
    for (let i = 2; i + 1 < bytes.length; i += 2)
      text += String.fromCharCode(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
    return text;
  }
  return bytes.toString('latin1');
}

function isRef(value: Json | undefined): value is string {
  return typeof value === 'string' && /^\d+ \d+ R$/.test(value);
}

function isName(value: Json | undefined, name?: string): value is string {
  return typeof value === 'string' && value.startsWith('/') && (name === undefined || value === `/${name}`);
}

function isDict(value: Json | undefined): value is Dict {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Parses the PDF date `D:YYYYMMDDHHmmSSOHH'mm` to epoch milliseconds. */
function pdfDate(text: string | undefined): number | undefined {
  const match = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?$/.exec(text ?? '');
  if (match === null) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', sign, oh = '00', om = '00'] = match;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const offset = (Number(oh) * 60 + Number(om)) * 60_000;
  if (sign === '+') return utc - offset;
  if (sign === '-') return utc + offset;
  return utc;
}

/** Tokens of a content stream: operators with their operands; strings come back as raw bytes. */
interface ContentOp {
  operator: string;
  operands: (number | string | Buffer | unknown[])[];
}

function tokenizeContent(data: Buffer): ContentOp[] {
  const ops: ContentOp[] = [];
  let operands: ContentOp['operands'] = [];
  const stack: unknown[][] = [];
  let i = 0;
  const isWhite = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0;
  const isDelim = (c: number): boolean => '()<>[]{}/%'.includes(String.fromCharCode(c));
  const push = (value: unknown): void => {
    const top = stack[stack.length - 1];
    if (top !== undefined) top.push(value);
    else operands.push(value as ContentOp['operands'][number]);
  };
  while (i < data.length) {
    const c = data[i] ?? 0;
    if (isWhite(c)) {
      i += 1;
    } else if (c === 0x25) {
      while (i < data.length && data[i] !== 0x0a && data[i] !== 0x0d) i += 1;
    } else if (c === 0x28) {
      const bytes: number[] = [];
      let depth = 1;
      i += 1;
      while (i < data.length && depth > 0) {
        const b = data[i] ?? 0;
        if (b === 0x5c) {
          const n = data[i + 1] ?? 0;
          const map: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12 };
          if (n >= 0x30 && n <= 0x37) {
            let octal = '';
            let j = i + 1;
            while (j < i + 4 && (data[j] ?? 0) >= 0x30 && (data[j] ?? 0) <= 0x37)
              octal += String.fromCharCode(data[j++] ?? 0);
            bytes.push(parseInt(octal, 8) & 0xff);
            i = j;
            continue;
          }
          if (n === 0x0d || n === 0x0a) {
            i += n === 0x0d && data[i + 2] === 0x0a ? 3 : 2;
            continue;
          }
          bytes.push(map[n] ?? n);
          i += 2;
          continue;
        }
        if (b === 0x28) depth += 1;
        if (b === 0x29) depth -= 1;
        if (depth > 0) bytes.push(b);
        i += 1;
      }
      push(Buffer.from(bytes));
    } else if (c === 0x3c && data[i + 1] === 0x3c) {
      // Inline dictionaries only appear in BI; skip to the matching >>.
      const end = data.indexOf('>>', i);
      i = end < 0 ? data.length : end + 2;
    } else if (c === 0x3c) {
      const end = data.indexOf(0x3e, i);
      const hex = data
        .subarray(i + 1, end)
        .toString('latin1')
        .replace(/\s/g, '');
      push(Buffer.from(hex.length % 2 === 1 ? `${hex}0` : hex, 'hex'));
      i = end + 1;
    } else if (c === 0x5b) {
      stack.push([]);
      i += 1;
    } else if (c === 0x5d) {
      const array = stack.pop() ?? [];
      push(array);
      i += 1;
    } else if (c === 0x2f) {
      let j = i + 1;
      while (j < data.length && !isWhite(data[j] ?? 0) && !isDelim(data[j] ?? 0)) j += 1;
      push(data.subarray(i, j).toString('latin1'));
      i = j;
    } else {
      let j = i;
      while (j < data.length && !isWhite(data[j] ?? 0) && !isDelim(data[j] ?? 0)) j += 1;
      if (j === i) j += 1;
      const token = data.subarray(i, j).toString('latin1');
      i = j;
      if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(token)) {
        push(Number(token));
      } else if (token === 'BI') {
        const end = data.indexOf('EI', i);
        i = end < 0 ? data.length : end + 2;
        ops.push({ operator: 'BI', operands: [] });
        operands = [];
      } else {
        ops.push({ operator: token, operands });
        operands = [];
      }
    }
  }
  return ops;
}

/** The component count in a JPEG's frame header. */
function jpegComponents(data: Buffer): number | undefined {
  let at = 2;
  while (at + 9 < data.length) {
    if (data[at] !== 0xff) return undefined;
    const marker = data[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return data[at + 9];
    at += 2 + data.readUInt16BE(at + 2);
  }
  return undefined;
}

/** Advance widths (font units per em normalised to 1000) of a TrueType font program, by glyph id. */
function trueTypeAdvances(program: Buffer): { widths: number[]; numGlyphs: number } | undefined {
  try {
    const tables = new Map<string, { offset: number; length: number }>();
    const count = program.readUInt16BE(4);
    for (let i = 0; i < count; i += 1) {
      const base = 12 + 16 * i;
      tables.set(program.toString('latin1', base, base + 4), {
        offset: program.readUInt32BE(base + 8),
        length: program.readUInt32BE(base + 12),
      });
    }
    const head = tables.get('head');
    const hhea = tables.get('hhea');
    const hmtx = tables.get('hmtx');
    const maxp = tables.get('maxp');
    if (head === undefined || hhea === undefined || hmtx === undefined || maxp === undefined) return undefined;
    const unitsPerEm = program.readUInt16BE(head.offset + 18);
    const metrics = program.readUInt16BE(hhea.offset + 34);
    const numGlyphs = program.readUInt16BE(maxp.offset + 4);
    const widths: number[] = [];
    let last = 0;
    for (let gid = 0; gid < numGlyphs; gid += 1) {
      if (gid < metrics) last = program.readUInt16BE(hmtx.offset + 4 * gid);
      widths.push((last * 1000) / unitsPerEm);
    }
    return { widths, numGlyphs };
  } catch {
    return undefined;
  }
}

/** Checks a PDF file (path or bytes) against the PDF/A-2b clauses listed in the report. */
export function checkPdfA(input: string | Uint8Array): PdfaReport {
  let file: string;
  let cleanup = (): void => undefined;
  if (typeof input === 'string') {
    file = input;
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdfa-check-'));
    file = path.join(dir, 'file.pdf');
    fs.writeFileSync(file, input);
    cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  }
  try {
    return checkFile(file);
  } finally {
    cleanup();
  }
}

function checkFile(file: string): PdfaReport {
  const bytes = fs.readFileSync(file);
  const clauses: ClauseResult[] = [];
  const clause = (id: string, title: string): string[] => {
    const problems: string[] = [];
    clauses.push({ clause: id, title, problems });
    return problems;
  };

  // qpdf --check: syntax, xref, stream lengths and filters.
  const qpdfProblems = clause('qpdf', '`qpdf --check` is clean');
  const check = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
  const checkOutput = `${check.stdout}${check.stderr}`;
  if (
    check.status !== 0 ||
    /WARNING/.test(checkOutput) ||
    !checkOutput.includes('No syntax or stream encoding errors found')
  ) {
    qpdfProblems.push(`qpdf --check exited ${check.status}: ${checkOutput.trim().split('\n').slice(0, 6).join(' | ')}`);
  }
  if (check.status !== 0 && check.status !== 3) {
    // Not parseable: the other clauses cannot be checked.
    return finish(clauses);
  }

  // 6.1.2 header.
  const header = clause('6.1.2', 'File header: %PDF-1.n then a comment of at least four bytes above 127');
  const firstLine = /^%PDF-1\.[0-7](\r\n|\r|\n)/.exec(bytes.subarray(0, 16).toString('latin1'));
  if (firstLine === null) header.push('the file does not start with %PDF-1.n and an end of line');
  else {
    const second = bytes.subarray(firstLine[0].length, firstLine[0].length + 5);
    if (second[0] !== 0x25 || [...second.subarray(1, 5)].some((b) => b < 128)) {
      header.push('the second line is not % followed by four bytes above 127');
    }
  }

  const raw = qpdfJson(file, 'none');
  const decoded = qpdfJson(file, 'inline');
  const object = (ref: Json | undefined): QpdfObject | undefined =>
    isRef(ref) ? raw[`obj:${ref}`] : ref === undefined ? undefined : { value: ref };
  const resolve = (value: Json | undefined): Json | undefined => {
    if (!isRef(value)) return value;
    const target = raw[`obj:${value}`];
    return target?.stream !== undefined ? target.stream.dict : target?.value;
  };
  const dictOf = (value: Json | undefined): Dict | undefined => {
    const resolved = resolve(value);
    return isDict(resolved) ? resolved : undefined;
  };
  const streamData = (ref: Json | undefined): Buffer | undefined => {
    if (!isRef(ref)) return undefined;
    const data = decoded[`obj:${ref}`]?.stream?.data;
    return data === undefined ? undefined : Buffer.from(data, 'base64');
  };
  const trailer = dictOf(raw.trailer?.value) ?? {};
  const catalog = dictOf(trailer['/Root']) ?? {};

  // 6.1.3 trailer.
  const trailerProblems = clause('6.1.3', 'File trailer: document ID present, no encryption, nothing after %%EOF');
  const id = trailer['/ID'];
  if (!Array.isArray(id) || id.length !== 2 || id.some((part) => stringBytes(part) === undefined)) {
    trailerProblems.push('the trailer has no /ID array of two strings');
  }
  if (trailer['/Encrypt'] !== undefined) trailerProblems.push('the file is encrypted (/Encrypt in the trailer)');
  const tail = bytes.subarray(bytes.lastIndexOf('%%EOF') + 5).toString('latin1');
  if (!/^(\r\n|\r|\n)?$/.test(tail)) trailerProblems.push('data follows the last %%EOF');

  // 6.1.7 streams and filters; 6.1.13 implementation limits (checked on every object).
  const streams = clause('6.1.7.1', 'Streams: no external file references (F, FFilter, FDecodeParms)');
  const filters = clause('6.1.7.2', 'Filters: no LZWDecode, no Crypt filter');
  const limits = clause(
    '6.1.13',
    'Implementation limits: strings ≤ 32767 bytes, names ≤ 127 bytes, 32-bit integers, pages 3…14 400 units',
  );
  const allObjects = Object.entries(raw).filter(([key]) => key.startsWith('obj:'));
  const walk = (value: Json | undefined, visit: (value: Json) => void): void => {
    if (value === undefined) return;
    visit(value);
    if (Array.isArray(value)) value.forEach((item) => walk(item, visit));
    else if (isDict(value)) Object.values(value).forEach((item) => walk(item, visit));
  };
  const actions: string[] = [];
  for (const [key, entry] of allObjects) {
    const body = entry.stream?.dict ?? entry.value;
    if (entry.stream !== undefined) {
      for (const forbidden of ['/F', '/FFilter', '/FDecodeParms']) {
        if (entry.stream.dict[forbidden] !== undefined) streams.push(`${key} has ${forbidden}`);
      }
      const filter = entry.stream.dict['/Filter'];
      const names = Array.isArray(filter) ? filter : filter === undefined ? [] : [filter];
      if (names.includes('/LZWDecode')) filters.push(`${key} uses LZWDecode`);
      if (names.includes('/Crypt')) filters.push(`${key} uses a Crypt filter`);
    }
    walk(body, (value) => {
      if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) > 2147483647) {
        limits.push(`${key} holds the integer ${value}`);
      }
      const string = stringBytes(value);
      if (string !== undefined && string.length > 32767) limits.push(`${key} holds a string of ${string.length} bytes`);
      if (isName(value) && Buffer.byteLength(value, 'utf8') - 1 > 127)
        limits.push(`${key} holds a name over 127 bytes`);
      if (isDict(value) && isName(value['/S']) && (value['/Type'] === undefined || isName(value['/Type'], 'Action'))) {
        const action = value['/S'].slice(1);
        if (forbiddenActions.has(action)) actions.push(`${key} has a ${action} action`);
      }
    });
  }

  // 6.1.13 also bounds page sizes to 3…14 400 units.
  const pages = limits;
  const pageRefs: string[] = [];
  const collectPages = (ref: Json | undefined, depth = 0): void => {
    const node = dictOf(ref);
    if (node === undefined || depth > 32) return;
    if (isName(node['/Type'], 'Pages')) {
      const kids = node['/Kids'];
      if (Array.isArray(kids)) kids.forEach((kid) => collectPages(kid, depth + 1));
    } else if (isRef(ref)) {
      pageRefs.push(ref);
    }
  };
  collectPages(catalog['/Pages']);
  if (pageRefs.length === 0) pages.push('the document has no pages');
  for (const ref of pageRefs) {
    const page = dictOf(ref) ?? {};
    const box = resolve(page['/MediaBox']) ?? resolve(dictOf(page['/Parent'])?.['/MediaBox']);
    if (!Array.isArray(box) || box.length !== 4) {
      pages.push(`page ${ref} has no MediaBox`);
      continue;
    }
    const [x0, y0, x1, y1] = box as number[];
    const width = Math.abs((x1 ?? 0) - (x0 ?? 0));
    const height = Math.abs((y1 ?? 0) - (y0 ?? 0));
    if (width < 3 || height < 3 || width > 14400 || height > 14400) pages.push(`page ${ref} is ${width}×${height}`);
  }

  // 6.2.2 output intent.
  const intentProblems = clause('6.2.2', 'Output intent: a GTS_PDFA1 OutputIntent with a valid embedded ICC profile');
  const intents = resolve(catalog['/OutputIntents']);
  let intentColourSpace: string | undefined;
  const profiles = new Set<string>();
  if (!Array.isArray(intents) || intents.length === 0) {
    intentProblems.push('the catalog has no /OutputIntents');
  } else {
    for (const intentRef of intents) {
      const intent = dictOf(intentRef);
      if (intent === undefined || !isName(intent['/S'], 'GTS_PDFA1')) continue;
      const profileRef = intent['/DestOutputProfile'];
      if (!isRef(profileRef)) {
        intentProblems.push('the PDF/A OutputIntent has no DestOutputProfile stream');
        continue;
      }
      profiles.add(profileRef);
      const profile = streamData(profileRef);
      const n = object(profileRef)?.stream?.dict['/N'];
      if (profile === undefined || profile.length < 132 || profile.toString('latin1', 36, 40) !== 'acsp') {
        intentProblems.push('the DestOutputProfile is not an ICC profile');
        continue;
      }
      if (profile.readUInt32BE(0) !== profile.length)
        intentProblems.push('the ICC profile size field does not match its length');
      const major = profile[8] ?? 0;
      if (major < 2 || major > 4) intentProblems.push(`ICC version ${major} is not accepted by PDF/A-2`);
      const deviceClass = profile.toString('latin1', 12, 16);
      if (!['mntr', 'prtr', 'scnr', 'spac'].includes(deviceClass)) {
        intentProblems.push(`ICC device class ${deviceClass} cannot be an output intent`);
      }
      intentColourSpace = profile.toString('latin1', 16, 20).trim();
      const expectedN = { RGB: 3, GRAY: 1, CMYK: 4 }[intentColourSpace];
      if (expectedN === undefined || expectedN !== n) {
        intentProblems.push(`ICC colour space ${intentColourSpace} does not match /N ${JSON.stringify(n)}`);
      }
    }
    if (profiles.size === 0) intentProblems.push('no OutputIntent has /S /GTS_PDFA1');
    if (profiles.size > 1) intentProblems.push('PDF/A OutputIntents do not share one DestOutputProfile');
  }

  // Resources of every page, form XObject and annotation appearance.
  const colour = clause('6.2.4.3', 'Device colour spaces only with a matching output intent');
  const images = clause(
    '6.2.8',
    'Images: no Alternates, no OPI, Interpolate false, valid bit depth (and JPEG components match the colour space)',
  );
  const xobjects = clause('6.2.9', 'XObjects: no PostScript, no reference XObjects, no OPI');
  const transparency = clause(
    '6.2.10',
    'Transparency: groups name a blending colour space; standard blend modes; no transfer functions',
  );
  const embedded = clause(
    '6.2.11.4',
    'Fonts: every font program embedded (Type0 descendants too); CIDToGIDMap for CIDFontType2',
  );
  const metrics = clause('6.2.11.5', 'Fonts: widths in the font dictionary match the embedded program (CIDFontType2)');
  const unicode = clause(
    '6.2.11.7',
    'Fonts: a ToUnicode CMap on every font (PDF/A-2u rule; the station requires it for its text layer)',
  );
  const usesDevice = (name: string, where: string): void => {
    if (name === '/DeviceRGB' && intentColourSpace !== 'RGB')
      colour.push(`${where} uses DeviceRGB without an RGB output intent`);
    if (name === '/DeviceCMYK' && intentColourSpace !== 'CMYK')
      colour.push(`${where} uses DeviceCMYK without a CMYK output intent`);
    if (name === '/DeviceGray' && intentColourSpace === undefined)
      colour.push(`${where} uses DeviceGray without an output intent`);
  };
  const checkedFonts = new Map<
    string,
    { widthOf: (cid: number) => number | undefined; advanceOf: (cid: number) => number | undefined }
  >();
  const checkFont = (fontRef: Json | undefined, where: string): void => {
    const key = isRef(fontRef) ? fontRef : JSON.stringify(fontRef);
    if (checkedFonts.has(key)) return;
    const font = dictOf(fontRef);
    if (font === undefined) return;
    const subtype = typeof font['/Subtype'] === 'string' ? font['/Subtype'] : '?';
    const fontName = typeof font['/BaseFont'] === 'string' ? font['/BaseFont'] : subtype;
    let widthOf: (cid: number) => number | undefined = () => undefined;
    let advanceOf: (cid: number) => number | undefined = () => undefined;
    if (subtype !== '/Type3') {
      if (font['/ToUnicode'] === undefined) unicode.push(`font ${fontName} (${where}) has no ToUnicode CMap`);
      const target =
        subtype === '/Type0'
          ? dictOf(
              Array.isArray(font['/DescendantFonts'])
                ? font['/DescendantFonts'][0]
                : resolve(font['/DescendantFonts'])?.[0 as never],
            )
          : font;
      if (subtype === '/Type0') {
        const encoding = font['/Encoding'];
        if (!isName(encoding, 'Identity-H') && !isName(encoding, 'Identity-V') && !isRef(encoding)) {
          embedded.push(`font ${fontName} uses the unembedded CMap ${JSON.stringify(encoding)}`);
        }
      }
      const descriptor = dictOf(target?.['/FontDescriptor']);
      const programRef = descriptor?.['/FontFile'] ?? descriptor?.['/FontFile2'] ?? descriptor?.['/FontFile3'];
      if (descriptor === undefined || programRef === undefined) {
        embedded.push(`font ${fontName} (${where}) is not embedded`);
      }
      if (target !== undefined && isName(target['/Subtype'], 'CIDFontType2')) {
        const map = target['/CIDToGIDMap'];
        if (map === undefined) embedded.push(`CIDFontType2 ${fontName} has no CIDToGIDMap`);
        const mapData = isRef(map) ? streamData(map) : undefined;
        const gidOf = (cid: number): number => (mapData === undefined ? cid : mapData.readUInt16BE(cid * 2));
        const program = descriptor?.['/FontFile2'] === undefined ? undefined : streamData(descriptor['/FontFile2']);
        const advances = program === undefined ? undefined : trueTypeAdvances(program);
        const dw = typeof target['/DW'] === 'number' ? target['/DW'] : 1000;
        const w = resolve(target['/W']);
        widthOf = (cid) => {
          if (Array.isArray(w)) {
            for (let i = 0; i < w.length;) {
              const first = w[i] as number;
              const next = resolve(w[i + 1]);
              if (Array.isArray(next)) {
                if (cid >= first && cid < first + next.length) return next[cid - first] as number;
                i += 2;
              } else {
                if (cid >= first && cid <= (next as number)) return w[i + 2] as number;
                i += 3;
              }
            }
          }
          return dw;
        };
        advanceOf = (cid) => {
          if (advances === undefined) return undefined;
          const gid = gidOf(cid);
          return gid < advances.numGlyphs ? advances.widths[gid] : undefined;
        };
        if (program !== undefined && advances === undefined)
          metrics.push(`font ${fontName}: its TrueType program cannot be read`);
      }
    }
    checkedFonts.set(key, { widthOf, advanceOf });
  };

  const visitedResources = new Set<string>();
  const usedCids = new Map<string, Set<number>>();
  const checkContent = (data: Buffer | undefined, resources: Dict | undefined, where: string): void => {
    if (data === undefined) return;
    const fonts = dictOf(resources?.['/Font']) ?? {};
    let currentFont: string | undefined;
    for (const op of tokenizeContent(data)) {
      const operator = op.operator;
      if (operator === 'rg' || operator === 'RG') usesDevice('/DeviceRGB', `${where} (${operator})`);
      if (operator === 'k' || operator === 'K') usesDevice('/DeviceCMYK', `${where} (${operator})`);
      if (operator === 'g' || operator === 'G') usesDevice('/DeviceGray', `${where} (${operator})`);
      if (operator === 'Tf') {
        const name = op.operands[0];
        currentFont = typeof name === 'string' ? name : undefined;
      }
      if (operator === 'Tj' || operator === 'TJ' || operator === "'" || operator === '"') {
        const fontRef = currentFont === undefined ? undefined : fonts[currentFont];
        const font = dictOf(fontRef);
        if (font === undefined) continue;
        if (!isName(font['/Subtype'], 'Type0')) continue;
        const key = isRef(fontRef) ? fontRef : JSON.stringify(fontRef);
        const cids = usedCids.get(key) ?? new Set<number>();
        usedCids.set(key, cids);
        const strings = op.operands.flatMap((operand) => (Array.isArray(operand) ? operand : [operand]));
        for (const string of strings) {
          if (!Buffer.isBuffer(string)) continue;
          for (let i = 0; i + 1 < string.length; i += 2) cids.add(string.readUInt16BE(i));
        }
      }
    }
  };
  const visitResources = (resourcesValue: Json | undefined, where: string, depth = 0): Dict | undefined => {
    const resources = dictOf(resourcesValue);
    if (resources === undefined || depth > 16) return resources;
    const key = isRef(resourcesValue) ? resourcesValue : `${where}:${JSON.stringify(resourcesValue).slice(0, 200)}`;
    if (visitedResources.has(key)) return resources;
    visitedResources.add(key);
    for (const [name, fontRef] of Object.entries(dictOf(resources['/Font']) ?? {}))
      checkFont(fontRef, `${where} ${name}`);
    for (const [name, spaceRef] of Object.entries(dictOf(resources['/ColorSpace']) ?? {})) {
      const space = resolve(spaceRef);
      if (typeof space === 'string') usesDevice(space, `${where} colour space ${name}`);
    }
    for (const [name, stateRef] of Object.entries(dictOf(resources['/ExtGState']) ?? {})) {
      const state = dictOf(stateRef) ?? {};
      if (state['/TR'] !== undefined) transparency.push(`${where} ExtGState ${name} has a transfer function (TR)`);
      if (state['/TR2'] !== undefined && !isName(state['/TR2'], 'Default'))
        transparency.push(`${where} ExtGState ${name} has TR2`);
      if (state['/HTP'] !== undefined) transparency.push(`${where} ExtGState ${name} has HTP`);
      const blend = resolve(state['/BM']);
      const blends = Array.isArray(blend) ? blend : blend === undefined ? [] : [blend];
      for (const mode of blends) {
        if (typeof mode === 'string' && !standardBlendModes.has(mode.slice(1)))
          transparency.push(`${where} blend mode ${mode}`);
      }
    }
    for (const [name, xobjectRef] of Object.entries(dictOf(resources['/XObject']) ?? {})) {
      const xobject = dictOf(xobjectRef) ?? {};
      const label = `${where} XObject ${name}`;
      if (xobject['/OPI'] !== undefined) xobjects.push(`${label} has OPI`);
      if (isName(xobject['/Subtype'], 'PS') || isName(xobject['/Subtype2'], 'PS'))
        xobjects.push(`${label} is PostScript`);
      if (isName(xobject['/Subtype'], 'Image')) {
        if (xobject['/Alternates'] !== undefined) images.push(`${label} has Alternates`);
        if (xobject['/OPI'] !== undefined) images.push(`${label} has OPI`);
        if (xobject['/Interpolate'] === true) images.push(`${label} has Interpolate true`);
        const bits = xobject['/BitsPerComponent'];
        if (xobject['/ImageMask'] !== true && ![1, 2, 4, 8, 16].includes(bits as number))
          images.push(`${label} has BitsPerComponent ${JSON.stringify(bits)}`);
        const space = resolve(xobject['/ColorSpace']);
        if (typeof space === 'string') usesDevice(space, label);
        // Not a PDF/A clause but a broken image all the same: a JPEG whose components differ from its colour space.
        const filter = xobject['/Filter'];
        const lastFilter = Array.isArray(filter) ? filter[filter.length - 1] : filter;
        if (isRef(xobjectRef) && lastFilter === '/DCTDecode' && typeof space === 'string') {
          const jpeg = streamData(xobjectRef);
          const components = jpeg === undefined ? undefined : jpegComponents(jpeg);
          const expected = { '/DeviceGray': 1, '/DeviceRGB': 3, '/DeviceCMYK': 4 }[space];
          if (expected !== undefined && components !== undefined && components !== expected) {
            images.push(`${label} is a JPEG of ${components} components drawn as ${space}`);
          }
        }
      }
      if (isName(xobject['/Subtype'], 'Form')) {
        if (xobject['/Ref'] !== undefined) xobjects.push(`${label} is a reference XObject`);
        const group = dictOf(xobject['/Group']);
        if (group !== undefined && isName(group['/S'], 'Transparency') && group['/CS'] === undefined) {
          transparency.push(`${label} has a transparency group without a blending colour space`);
        }
        const formResources = visitResources(xobject['/Resources'], label, depth + 1);
        checkContent(streamData(xobjectRef), formResources, label);
      }
    }
    return resources;
  };

  pageRefs.forEach((ref, index) => {
    const page = dictOf(ref) ?? {};
    const where = `page ${index + 1}`;
    let resourcesValue = page['/Resources'];
    let parent = dictOf(page['/Parent']);
    while (resourcesValue === undefined && parent !== undefined) {
      resourcesValue = parent['/Resources'];
      parent = dictOf(parent['/Parent']);
    }
    const resources = visitResources(resourcesValue, where);
    const group = dictOf(page['/Group']);
    if (group !== undefined && isName(group['/S'], 'Transparency') && group['/CS'] === undefined) {
      transparency.push(`${where} has a transparency group without a blending colour space`);
    }
    const contents =
      resolve(page['/Contents']) === undefined
        ? []
        : Array.isArray(resolve(page['/Contents']))
          ? (resolve(page['/Contents']) as Json[])
          : [page['/Contents']];
    const data = Buffer.concat(
      contents.map((part) => streamData(part) ?? Buffer.alloc(0)).flatMap((part) => [part, Buffer.from('\n')]),
    );
    checkContent(data, resources, where);
  });
  for (const [key, cids] of usedCids) {
    const font = checkedFonts.get(key);
    if (font === undefined) continue;
    let reported = 0;
    for (const cid of cids) {
      const width = font.widthOf(cid);
      const advance = font.advanceOf(cid);
      if (width === undefined || advance === undefined) continue;
      if (Math.abs(width - advance) > 1 && reported < 5) {
        metrics.push(`font ${key}: CID ${cid} is ${width} wide in the PDF but ${advance} in the font program`);
        reported += 1;
      }
    }
  }

  // 6.3 annotations, 6.4 forms.
  const annotationTypes = clause('6.3.1', 'Annotations: only types PDF/A-2 permits (no 3D, Sound, Screen, Movie)');
  const annotationFlags = clause('6.3.2', 'Annotations: Print flag set; Hidden, Invisible, NoView, ToggleNoView clear');
  const appearances = clause('6.3.3', 'Annotations: an appearance dictionary with only a normal (N) appearance');
  const forms = clause('6.4', 'Forms: no NeedAppearances, no XFA, widgets without actions');
  pageRefs.forEach((ref, index) => {
    const page = dictOf(ref) ?? {};
    if (page['/AA'] !== undefined) actions.push(`page ${index + 1} has additional actions (AA)`);
    const annots = resolve(page['/Annots']);
    if (!Array.isArray(annots)) return;
    for (const annotRef of annots) {
      const annot = dictOf(annotRef) ?? {};
      const subtype = typeof annot['/Subtype'] === 'string' ? annot['/Subtype'].slice(1) : '?';
      const label = `page ${index + 1} ${subtype} annotation ${isRef(annotRef) ? annotRef : ''}`.trim();
      if (!allowedAnnotations.has(subtype)) annotationTypes.push(`${label} is not permitted`);
      const flags = typeof annot['/F'] === 'number' ? annot['/F'] : 0;
      if (subtype !== 'Popup') {
        if ((flags & 4) === 0) annotationFlags.push(`${label} has no Print flag`);
        if ((flags & (1 | 2 | 32 | 256)) !== 0)
          annotationFlags.push(`${label} is hidden, invisible or NoView (F=${flags})`);
      }
      const rect = resolve(annot['/Rect']);
      const zero = Array.isArray(rect) && rect[0] === rect[2] && rect[1] === rect[3];
      const ap = dictOf(annot['/AP']);
      if (ap === undefined) {
        if (!['Popup', 'Link'].includes(subtype) && !zero) appearances.push(`${label} has no appearance dictionary`);
      } else {
        const keys = Object.keys(ap);
        if (keys.some((key) => key !== '/N'))
          appearances.push(`${label} has appearances other than N (${keys.join(' ')})`);
        if (ap['/N'] === undefined) appearances.push(`${label} has no normal appearance`);
        const isButton = isName(annot['/FT'], 'Btn') || isName(dictOf(annot['/Parent'])?.['/FT'], 'Btn');
        const normal = object(ap['/N']);
        if (!isButton && normal?.stream === undefined) appearances.push(`${label}: its N appearance is not a stream`);
      }
      if (subtype === 'Widget' && (annot['/A'] !== undefined || annot['/AA'] !== undefined)) {
        forms.push(`${label} has an action`);
      }
    }
  });
  const acroForm = dictOf(catalog['/AcroForm']);
  if (acroForm !== undefined) {
    if (acroForm['/NeedAppearances'] === true) forms.push('AcroForm has NeedAppearances true');
    if (acroForm['/XFA'] !== undefined) forms.push('AcroForm has XFA');
  }
  if (catalog['/NeedsRendering'] === true) forms.push('the catalog has NeedsRendering true');

  // 6.5 actions; 6.8 embedded files.
  const actionProblems = clause(
    '6.5',
    'Actions: no JavaScript, Launch, Sound, Movie, ResetForm, ImportData…; no document AA',
  );
  actionProblems.push(...actions);
  if (catalog['/AA'] !== undefined) actionProblems.push('the catalog has additional actions (AA)');
  const names = dictOf(catalog['/Names']);
  if (names?.['/JavaScript'] !== undefined) actionProblems.push('the name dictionary has JavaScript');
  const files = clause('6.8', 'Embedded files: none (the station attaches nothing)');
  if (names?.['/EmbeddedFiles'] !== undefined) files.push('the name dictionary has EmbeddedFiles');

  // 6.6 metadata.
  const metadataProblems = clause(
    '6.6.2.1',
    'Metadata: an uncompressed XMP stream in the catalog, xpacket without bytes/encoding',
  );
  const identification = clause('6.6.4', 'PDF/A identification: pdfaid:part 2, pdfaid:conformance B');
  const extensions = clause(
    '6.6.2.3',
    'Extension schemas: every non-predefined XMP property declared in pdfaExtension',
  );
  const consistency = clause('6.6.3', 'Info dictionary consistent with the XMP metadata');
  const metadataRef = catalog['/Metadata'];
  const metadataStream = object(metadataRef)?.stream;
  const xmpBytes = streamData(metadataRef);
  if (metadataStream === undefined || xmpBytes === undefined) {
    metadataProblems.push('the catalog has no /Metadata stream');
    identification.push('no XMP metadata, so no PDF/A identification');
  } else {
    if (!isName(metadataStream.dict['/Type'], 'Metadata') || !isName(metadataStream.dict['/Subtype'], 'XML')) {
      metadataProblems.push('the metadata stream is not /Type /Metadata /Subtype /XML');
    }
    if (metadataStream.dict['/Filter'] !== undefined) metadataProblems.push('the metadata stream is compressed');
    const xmp = xmpBytes.toString('utf8');
    const packetHeader = /<\?xpacket\s+begin=[^?]*\?>/.exec(xmp)?.[0];
    if (packetHeader === undefined) metadataProblems.push('no xpacket header');
    else if (/\b(bytes|encoding)=/.test(packetHeader))
      metadataProblems.push('the xpacket header has bytes or encoding attributes');
    const valid = XMLValidator.validate(xmp.replace(/^\uFEFF/, ''));
    if (valid !== true) {
      metadataProblems.push(`the XMP is not well-formed XML: ${valid.err.msg}`);
    } else {
      checkXmp(xmp, { identification, extensions, consistency }, dictOf(trailer['/Info']) ?? {});
    }
  }

  return finish(clauses);
}

function finish(clauses: ClauseResult[]): PdfaReport {
  const failed = clauses.filter((entry) => entry.problems.length > 0);
  return { ok: failed.length === 0, clauses, failed };
}

/** One text per XMP property, whether written as an element or an attribute. */
interface XmpProperty {
  namespace: string;
  prefix: string;
  name: string;
  element: unknown;
}

function checkXmp(
  xmp: string,
  problems: { identification: string[]; extensions: string[]; consistency: string[] },
  info: Dict,
): void {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    trimValues: true,
    isArray: (name) => name === 'rdf:li' || name === 'rdf:Description',
  });
  const tree = parser.parse(xmp) as Record<string, unknown>;
  const namespaces = new Map<string, string>();
  const collectNamespaces = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(collectNamespaces);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key.startsWith('@_xmlns:') && typeof value === 'string') namespaces.set(key.slice(8), value);
        collectNamespaces(value);
      }
    }
  };
  collectNamespaces(tree);
  const rdf = (tree['x:xmpmeta'] as Record<string, unknown> | undefined)?.['rdf:RDF'] as
    Record<string, unknown> | undefined;
  const descriptions = (rdf?.['rdf:Description'] as Record<string, unknown>[] | undefined) ?? [];
  const properties: XmpProperty[] = [];
  for (const description of descriptions) {
    for (const [key, value] of Object.entries(description)) {
      const attribute = key.startsWith('@_');
      const qualified = attribute ? key.slice(2) : key;
      if (qualified.startsWith('xmlns:') || qualified === 'rdf:about' || qualified === '#text') continue;
      const [prefix, name] = qualified.split(':');
      if (prefix === undefined || name === undefined) continue;
      properties.push({
        namespace: namespaces.get(prefix) ?? `(undeclared prefix ${prefix})`,
        prefix,
        name,
        element: value,
      });
    }
  }
  const text = (element: unknown): string | undefined => {
    if (typeof element === 'string') return element;
    if (element !== null && typeof element === 'object') {
      const record = element as Record<string, unknown>;
      if (typeof record['#text'] === 'string') return record['#text'];
      for (const container of ['rdf:Alt', 'rdf:Seq', 'rdf:Bag']) {
        const items = (record[container] as Record<string, unknown> | undefined)?.['rdf:li'];
        if (Array.isArray(items) && items.length > 0) {
          const preferred =
            items.find((item) => (item as Record<string, unknown>)['@_xml:lang'] === 'x-default') ?? items[0];
          return text(preferred);
        }
      }
      if (Object.keys(record).every((key) => key.startsWith('@_'))) return '';
    }
    return undefined;
  };
  const find = (namespace: string, name: string): XmpProperty | undefined =>
    properties.find((property) => property.namespace === namespace && property.name === name);

  const part = text(find('http://www.aiim.org/pdfa/ns/id/', 'part')?.element);
  const conformance = text(find('http://www.aiim.org/pdfa/ns/id/', 'conformance')?.element);
  if (part !== '2') problems.identification.push(`pdfaid:part is ${String(part)}, not 2`);
  if (conformance !== 'B') problems.identification.push(`pdfaid:conformance is ${String(conformance)}, not B`);

  // Declared extension schemas: namespace → property names.
  const declared = new Map<string, Set<string>>();
  const schemas = find('http://www.aiim.org/pdfa/ns/extension/', 'schemas')?.element as
    Record<string, unknown> | undefined;
  const schemaItems =
    ((schemas?.['rdf:Bag'] as Record<string, unknown> | undefined)?.['rdf:li'] as
      Record<string, unknown>[] | undefined) ?? [];
  const local = (record: Record<string, unknown>, name: string): unknown =>
    Object.entries(record).find(([key]) => key.endsWith(`:${name}`))?.[1];
  for (const schema of schemaItems) {
    const uri = text(local(schema, 'namespaceURI'));
    const prefix = text(local(schema, 'prefix'));
    if (uri === undefined || prefix === undefined) {
      problems.extensions.push('an extension schema lacks namespaceURI or prefix');
      continue;
    }
    const names = new Set<string>();
    const propertyItems =
      ((
        (local(schema, 'property') as Record<string, unknown> | undefined)?.['rdf:Seq'] as
          Record<string, unknown> | undefined
      )?.['rdf:li'] as Record<string, unknown>[] | undefined) ?? [];
    for (const property of propertyItems) {
      const name = text(local(property, 'name'));
      const valueType = text(local(property, 'valueType'));
      const category = text(local(property, 'category'));
      const description = text(local(property, 'description'));
      if (name === undefined || valueType === undefined || category === undefined || description === undefined) {
        problems.extensions.push(`a property of schema ${uri} lacks name, valueType, category or description`);
        continue;
      }
      if (!['internal', 'external'].includes(category))
        problems.extensions.push(`property ${name} has category ${category}`);
      names.add(name);
    }
    declared.set(uri, names);
  }
  for (const property of properties) {
    if (predefinedNamespaces.has(property.namespace)) continue;
    const names = declared.get(property.namespace);
    if (names === undefined) {
      problems.extensions.push(
        `property ${property.prefix}:${property.name} is in ${property.namespace}, which no extension schema declares`,
      );
    } else if (!names.has(property.name)) {
      problems.extensions.push(`property ${property.prefix}:${property.name} is not declared in its extension schema`);
    }
  }

  const pairs: [string, string, string, 'text' | 'date'][] = [
    ['/Title', 'http://purl.org/dc/elements/1.1/', 'title', 'text'],
    ['/Author', 'http://purl.org/dc/elements/1.1/', 'creator', 'text'],
    ['/Subject', 'http://purl.org/dc/elements/1.1/', 'description', 'text'],
    ['/Keywords', 'http://ns.adobe.com/pdf/1.3/', 'Keywords', 'text'],
    ['/Creator', 'http://ns.adobe.com/xap/1.0/', 'CreatorTool', 'text'],
    ['/Producer', 'http://ns.adobe.com/pdf/1.3/', 'Producer', 'text'],
    ['/CreationDate', 'http://ns.adobe.com/xap/1.0/', 'CreateDate', 'date'],
    ['/ModDate', 'http://ns.adobe.com/xap/1.0/', 'ModifyDate', 'date'],
  ];
  for (const [key, namespace, name, kind] of pairs) {
    const infoValue = textString(info[key]);
    if (infoValue === undefined) continue;
    const xmpValue = text(find(namespace, name)?.element);
    if (xmpValue === undefined) {
      problems.consistency.push(`Info ${key} is set but XMP ${name} is missing`);
      continue;
    }
    if (kind === 'date') {
      const a = pdfDate(infoValue);
      const b = Date.parse(xmpValue);
      if (a === undefined || Number.isNaN(b) || Math.floor(a / 1000) !== Math.floor(b / 1000)) {
        problems.consistency.push(`Info ${key} ${infoValue} differs from XMP ${name} ${xmpValue}`);
      }
    } else if (infoValue !== xmpValue) {
      problems.consistency.push(`Info ${key} "${infoValue}" differs from XMP ${name} "${xmpValue}"`);
    }
  }
}

/** A one-line-per-clause summary for assertion messages. */
export function formatPdfaReport(report: PdfaReport): string {
  return report.clauses
    .map(
      (entry) =>
        `${entry.problems.length === 0 ? 'ok  ' : 'FAIL'} ${entry.clause} ${entry.title}${entry.problems.map((problem) => `\n       - ${problem}`).join('')}`,
    )
    .join('\n');
}
