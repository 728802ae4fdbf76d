import { createHash, randomUUID } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { PDFContext, PDFRef } from 'pdf-lib';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import type { OcrResult, Orientation } from '../../../shared/ocr.js';
import {
  buildGlyphlessFont,
  glyphlessAdvance,
  glyphlessAscent,
  glyphlessDescent,
  glyphlessFontName,
} from './glyphless-font.js';
import { signatureFieldRects, type SignatureFieldLayout } from './signature-fields.js';
import { buildSrgbIccProfile } from './srgb-icc.js';
import { codeUnitsOf, identityToUnicodeCMap, pdfNumber, textLayerOperators } from './text-layer.js';
import type { ResultXmpMetadata } from './xmp.js';
import { buildXmp } from './xmp.js';

/** A page image already encoded the way it goes into the PDF. */
export type PdfPageImage =
  /** Baseline JPEG, 1 (grey) or 3 (YCbCr → RGB) components, embedded as is (DCTDecode). */
  | { encoding: 'jpeg'; data: Uint8Array; components: 1 | 3 }
  /** 1 bit per pixel, rows padded to whole bytes, 1 = white (DeviceGray); stored lossless with Flate. */
  | { encoding: 'bilevel'; data: Uint8Array };

/** One page of the output: the cleaned image, its resolution, and the OCR of that same image. */
export interface PdfPageInput {
  image: PdfPageImage;
  widthPx: number;
  heightPx: number;
  /** The captured resolution; the page is `pixels / dpi` inches, so it prints at 100 %. */
  dpi: number;
  /** Word boxes in this image's pixels; no text layer when absent. */
  ocr?: OcrResult | undefined;
  /**
   * The image shows the text turned this much clockwise (a page the clerk turned sideways); `ocr`
   * is then in the image turned back upright, its width and height swapped for a quarter turn.
   */
  ocrTurn?: Orientation | undefined;
}

export interface PdfDocumentInput {
  pages: PdfPageInput[];
  title: string;
  author?: string | undefined;
  subject?: string | undefined;
  /** Info `Creator` / xmp:CreatorTool, e.g. `SoHoa Station 0.1.0`. */
  creatorTool: string;
  /** Info `Producer` / pdf:Producer. */
  producer?: string | undefined;
  createdAt: Date;
  result?: ResultXmpMetadata | undefined;
  /** Reserve the operator (top-left) and agency (top-right) signature fields on page 1; default true. */
  signatureFields?: boolean | undefined;
  signatureLayout?: Partial<SignatureFieldLayout> | undefined;
}

export const signatureFieldNames = { operator: 'OperatorSignature', agency: 'AgencySignature' } as const;

const fontResource = 'F0';
const imageResource = 'Im0';

function compressed(context: PDFContext, data: Uint8Array, dict: Record<string, unknown>): PDFRef {
  const stream = context.stream(deflateSync(data, { level: 9 }), { ...dict, Filter: 'FlateDecode' });
  return context.register(stream);
}

/** The glyph-less Type0 font, shared by every page of the document. */
function embedGlyphlessFont(context: PDFContext, codeUnits: Set<number>): PDFRef {
  const program = buildGlyphlessFont();
  const fontFile = compressed(context, program, { Length1: program.length });
  const descriptor = context.register(
    context.obj({
      Type: 'FontDescriptor',
      FontName: glyphlessFontName,
      Flags: 5,
      FontBBox: [0, glyphlessDescent, glyphlessAdvance, glyphlessAscent],
      ItalicAngle: 0,
      Ascent: glyphlessAscent,
      Descent: glyphlessDescent,
      CapHeight: glyphlessAscent,
      StemV: 80,
      FontFile2: fontFile,
    }),
  );
  // Every CID in use → glyph 1 (the empty glyph). The map stops after the highest CID the text uses,
  // which no CID beyond it ever needs; two-byte entries, a few dozen bytes once compressed.
  const highest = Math.max(0x20, ...codeUnits);
  const map = new Uint8Array((highest + 1) * 2);
  for (let i = 1; i < map.length; i += 2) map[i] = 1;
  const cidToGid = compressed(context, map, {});
  const cidFont = context.register(
    context.obj({
      Type: 'Font',
      Subtype: 'CIDFontType2',
      BaseFont: glyphlessFontName,
      CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
      FontDescriptor: descriptor,
      DW: glyphlessAdvance,
      CIDToGIDMap: cidToGid,
    }),
  );
  const toUnicode = compressed(context, Buffer.from(identityToUnicodeCMap(codeUnits), 'latin1'), {});
  return context.register(
    context.obj({
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: glyphlessFontName,
      Encoding: 'Identity-H',
      DescendantFonts: [cidFont],
      ToUnicode: toUnicode,
    }),
  );
}

/** Size and component count from a JPEG's frame header (SOF0–SOF15 but DHT, JPG, DAC). */
export function jpegFrame(data: Uint8Array): { width: number; height: number; components: number } | undefined {
  let at = 2;
  while (at + 9 < data.length) {
    if (data[at] !== 0xff) return undefined;
    const marker = data[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return {
        height: ((data[at + 5] ?? 0) << 8) | (data[at + 6] ?? 0),
        width: ((data[at + 7] ?? 0) << 8) | (data[at + 8] ?? 0),
        components: data[at + 9] ?? 0,
      };
    }
    at += 2 + (((data[at + 2] ?? 0) << 8) | (data[at + 3] ?? 0));
  }
  return undefined;
}

function embedImage(context: PDFContext, page: PdfPageInput): PDFRef {
  const { image } = page;
  switch (image.encoding) {
    case 'jpeg': {
      // The colour space must say what the JPEG holds, or readers draw garbage.
      const frame = jpegFrame(image.data);
      if (frame?.components !== image.components || frame.width !== page.widthPx || frame.height !== page.heightPx) {
        throw new Error(
          `the page JPEG is ${frame?.width}×${frame?.height} with ${frame?.components} components, not ${page.widthPx}×${page.heightPx} with ${image.components}`,
        );
      }
      return context.register(
        context.stream(image.data, {
          Type: 'XObject',
          Subtype: 'Image',
          Width: page.widthPx,
          Height: page.heightPx,
          ColorSpace: image.components === 3 ? 'DeviceRGB' : 'DeviceGray',
          BitsPerComponent: 8,
          Filter: 'DCTDecode',
        }),
      );
    }
    case 'bilevel':
      return compressed(context, image.data, {
        Type: 'XObject',
        Subtype: 'Image',
        Width: page.widthPx,
        Height: page.heightPx,
        ColorSpace: 'DeviceGray',
        BitsPerComponent: 1,
      });
  }
}

function embedOutputIntent(context: PDFContext): PDFRef {
  const profile = buildSrgbIccProfile();
  const iccStream = compressed(context, profile, { N: 3 });
  return context.register(
    context.obj({
      Type: 'OutputIntent',
      S: 'GTS_PDFA1',
      OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
      Info: PDFString.of('sRGB IEC61966-2.1'),
      RegistryName: PDFString.of('http://www.color.org'),
      DestOutputProfile: iccStream,
    }),
  );
}

/**
 * Two unsigned signature fields on page 1 (REQUIREMENTS.md section 3): the operator's top-left and
 * the agency's top-right. Each is a merged field/widget with the Print flag (PDF/A 6.3.2) and an
 * empty normal appearance (6.3.3), so a signer fills an existing field in an incremental update and
 * the file stays PDF/A.
 */
function addSignatureFields(
  document: PDFDocument,
  pageRef: PDFRef,
  pageSize: { width: number; height: number },
  layout: Partial<SignatureFieldLayout> | undefined,
): PDFRef[] {
  const { context } = document;
  const rects = signatureFieldRects(pageSize, layout);
  const fields = (
    [
      ['operator', signatureFieldNames.operator, 'Chữ ký của người số hóa'],
      ['agency', signatureFieldNames.agency, 'Chữ ký của cơ quan'],
    ] as const
  ).map(([role, name, tooltip]) => {
    const rect = rects[role];
    const width = rect[2] - rect[0];
    const height = rect[3] - rect[1];
    const appearance = context.register(
      context.stream('', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, width, height], Resources: {} }),
    );
    return context.register(
      context.obj({
        Type: 'Annot',
        Subtype: 'Widget',
        FT: 'Sig',
        T: PDFString.of(name),
        TU: PDFHexString.fromText(tooltip),
        Rect: rect,
        F: 4,
        P: pageRef,
        AP: { N: appearance },
      }),
    );
  });
  document.catalog.set(PDFName.of('AcroForm'), context.obj({ Fields: fields }));
  return fields;
}

/** The `D:YYYYMMDDHHmmSSZ` date of the Info dictionary, to the second like the XMP dates. */
function infoDate(date: Date): PDFString {
  const iso = date.toISOString();
  return PDFString.of(
    `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`,
  );
}

/** The matrix that shows a `size` frame turned `turn` clockwise on the page (PDF coordinates, y up). */
function turnMatrix(turn: 90 | 180 | 270, size: { width: number; height: number }): string {
  const values =
    turn === 90
      ? [0, -1, 1, 0, 0, size.width]
      : turn === 180
        ? [-1, 0, 0, -1, size.width, size.height]
        : [0, 1, -1, 0, size.height, 0];
  return values.map((value) => pdfNumber(value)).join(' ');
}

/**
 * Builds a PDF/A-2b document: one page per image at 100 % scale, an invisible text layer from the
 * OCR words in a glyph-less embedded font with ToUnicode, XMP metadata mirrored in the Info
 * dictionary, an sRGB OutputIntent, a trailer ID, no encryption, and the two reserved signature
 * fields. Saved with a classic cross-reference table so a signer can append an incremental update.
 */
export async function buildPdfA(input: PdfDocumentInput): Promise<Uint8Array> {
  if (input.pages.length === 0) throw new Error('a PDF needs at least one page');
  const document = await PDFDocument.create({ updateMetadata: false });
  const { context } = document;
  const codeUnits = new Set<number>();
  for (const page of input.pages) {
    for (const line of page.ocr?.lines ?? [])
      for (const word of line.words) codeUnitsOf(`${word.text.normalize('NFC')} `, codeUnits);
  }
  const font = codeUnits.size > 0 ? embedGlyphlessFont(context, codeUnits) : undefined;

  const pageRefs: PDFRef[] = [];
  const pageSizes: { width: number; height: number }[] = [];
  for (const page of input.pages) {
    const scale = 72 / page.dpi;
    const width = page.widthPx * scale;
    const height = page.heightPx * scale;
    const pdfPage = document.addPage([width, height]);
    const image = embedImage(context, page);
    let content = `q\n${pdfNumber(width)} 0 0 ${pdfNumber(height)} 0 0 cm\n/${imageResource} Do\nQ\n`;
    const resources: Record<string, unknown> = { XObject: { [imageResource]: image } };
    if (page.ocr !== undefined && font !== undefined) {
      const turn = page.ocrTurn ?? 0;
      const upright = turn % 180 === 0 ? { width, height } : { width: height, height: width };
      const ocrScale = (turn % 180 === 0 ? page.widthPx : page.heightPx) / page.ocr.widthPx;
      const text = textLayerOperators(
        page.ocr,
        { pointsPerPixel: scale * ocrScale, pageHeightPt: upright.height },
        fontResource,
      );
      if (text !== '') {
        content += turn === 0 ? text : `q\n${turnMatrix(turn, upright)} cm\n${text}Q\n`;
        resources.Font = { [fontResource]: font };
      }
    }
    pdfPage.node.set(PDFName.of('Resources'), context.obj(resources as never));
    pdfPage.node.set(PDFName.of('Contents'), compressed(context, Buffer.from(content, 'latin1'), {}));
    pageRefs.push(pdfPage.ref);
    pageSizes.push({ width, height });
  }

  const firstPage = pageRefs[0];
  const firstSize = pageSizes[0];
  if (input.signatureFields !== false && firstPage !== undefined && firstSize !== undefined) {
    const fields = addSignatureFields(document, firstPage, firstSize, input.signatureLayout);
    document.getPage(0).node.set(PDFName.of('Annots'), context.obj(fields));
  }

  const producer = input.producer ?? input.creatorTool;
  const title = input.title.normalize('NFC');
  document.setTitle(title);
  document.setCreator(input.creatorTool);
  document.setProducer(producer);
  if (input.author !== undefined) document.setAuthor(input.author.normalize('NFC'));
  if (input.subject !== undefined) document.setSubject(input.subject.normalize('NFC'));
  const info = context.lookup(context.trailerInfo.Info, PDFDict);
  info.set(PDFName.of('CreationDate'), infoDate(input.createdAt));
  info.set(PDFName.of('ModDate'), infoDate(input.createdAt));

  const uuid = randomUUID();
  const xmp = buildXmp({
    title,
    author: input.author?.normalize('NFC'),
    subject: input.subject?.normalize('NFC'),
    creatorTool: input.creatorTool,
    producer,
    createdAt: input.createdAt,
    modifiedAt: input.createdAt,
    documentId: `uuid:${uuid}`,
    instanceId: `uuid:${uuid}`,
    result: input.result,
  });
  // Uncompressed, as PDF/A readers and archive tools expect to find the packet by scanning.
  const metadata = context.register(context.stream(Buffer.from(xmp, 'utf8'), { Type: 'Metadata', Subtype: 'XML' }));
  document.catalog.set(PDFName.of('Metadata'), metadata);
  document.catalog.set(PDFName.of('OutputIntents'), context.obj([embedOutputIntent(context)]));

  const id = PDFHexString.of(createHash('md5').update(uuid).update(title).digest('hex'));
  context.trailerInfo.ID = context.obj([id, id]);
  return document.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}
