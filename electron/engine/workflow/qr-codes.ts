import fs from 'node:fs';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import type * as ZXingReader from 'zxing-wasm/reader';
import type * as ZXingWriter from 'zxing-wasm/writer';

/**
 * QR codes (ISO/IEC 18004) in Node through zxing-wasm: read from page images for the index
 * form, written onto the demo scanner's sample pages. The WebAssembly comes from the installed
 * package, never from the network.
 */

type ReaderModule = typeof ZXingReader;
type WriterModule = typeof ZXingWriter;

let reader: Promise<ReaderModule> | undefined;
let writer: Promise<WriterModule> | undefined;

function wasmBinary(specifier: string): ArrayBuffer {
  const file = createRequire(import.meta.url).resolve(specifier);
  const bytes = fs.readFileSync(file);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

function loadReader(): Promise<ReaderModule> {
  reader ??= import('zxing-wasm/reader').then((module) => {
    module.prepareZXingModule({
      overrides: { wasmBinary: wasmBinary('zxing-wasm/reader/zxing_reader.wasm') },
      fireImmediately: false,
    });
    return module;
  });
  return reader;
}

function loadWriter(): Promise<WriterModule> {
  writer ??= import('zxing-wasm/writer').then((module) => {
    module.prepareZXingModule({
      overrides: { wasmBinary: wasmBinary('zxing-wasm/writer/zxing_writer.wasm') },
      fireImmediately: false,
    });
    return module;
  });
  return writer;
}

async function decodeRegion(zxing: ReaderModule, image: Sharp): Promise<string[]> {
  const { data, info } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const results = await zxing.readBarcodes(
    {
      data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      colorSpace: 'srgb',
    },
    { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 4 },
  );
  return results.filter((result) => result.isValid && result.text !== '').map((result) => result.text.normalize('NFC'));
}

/**
 * The texts of the QR codes on a page image (NFC, each once). The whole page is read at a
 * moderate size; when nothing is found there, the top-left quarter (where TT 01/2023 puts the
 * code) is read again at full resolution.
 */
export async function readQrCodes(image: Uint8Array): Promise<string[]> {
  const zxing = await loadReader();
  const source = sharp(image).rotate();
  const metadata = await source.metadata();
  const width = metadata.autoOrient?.width ?? metadata.width ?? 0;
  const height = metadata.autoOrient?.height ?? metadata.height ?? 0;
  const found = new Set<string>();
  const whole = sharp(image).rotate().resize({ width: 2000, height: 2000, fit: 'inside', withoutEnlargement: true });
  for (const text of await decodeRegion(zxing, whole)) found.add(text);
  if (found.size === 0 && width > 0 && height > 0) {
    const corner = sharp(image)
      .rotate()
      .extract({ left: 0, top: 0, width: Math.ceil(width / 2), height: Math.ceil(height / 3) });
    for (const text of await decodeRegion(zxing, corner)) found.add(text);
  }
  return [...found];
}

/** A QR code as a black-on-white PNG, `moduleSize` pixels per module, with the quiet zone. */
export async function writeQrPng(text: string, moduleSize: number): Promise<Buffer> {
  const zxing = await loadWriter();
  const written = await zxing.writeBarcode(text.normalize('NFC'), {
    format: 'QRCode',
    scale: moduleSize,
    ecLevel: 'M',
    addQuietZones: true,
  });
  if (written.image === null || written.error !== '') {
    throw new Error(`QR code could not be written: ${written.error}`);
  }
  return Buffer.from(await written.image.arrayBuffer());
}
