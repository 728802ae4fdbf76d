import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StationError } from '../../../shared/errors.js';
import { ResultRecord, isNfc } from './result-record.js';

/**
 * BagIt (RFC 8493) hand-over of results on removable media: one bag per result.
 *
 * ```
 * sohoa-<station>-<document>/
 *   bagit.txt  bag-info.txt  manifest-sha256.txt  tagmanifest-sha256.txt
 *   data/<document>.pdf  data/record.json
 * ```
 */

export interface BagSource {
  record: ResultRecord;
  /** The PDF on disk. */
  file: string;
  stationId: string;
  agencyId: string;
  agencyName: string;
  softwareAgent: string;
  baggingDate: Date;
}

export interface ReadBag {
  dir: string;
  record: ResultRecord;
  /** The PDF inside the bag, already checked against both manifests and the record. */
  file: string;
  info: Map<string, string>;
}

const recordName = 'record.json';

/** A name that is safe on FAT32/exFAT/NTFS USB sticks and in a manifest without percent-encoding. */
function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);
}

function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** RFC 8493 §2.1.3: CR, LF and % in a manifest path are percent-encoded. */
function encodePath(relative: string): string {
  return relative.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function decodePath(encoded: string): string {
  return encoded.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The folder name of a result's bag. */
export function bagName(stationId: string, documentId: string): string {
  return `sohoa-${safeName(stationId)}-${safeName(documentId)}`;
}

/**
 * Writes one bag under `outDir` and returns its folder.
 *
 * Built in a hidden `.partial` folder, fsynced, then renamed, so a stick pulled out mid-copy
 * never holds a half bag under the final name; a bag already there is replaced.
 */
export function writeBag(outDir: string, source: BagSource): string {
  const name = bagName(source.stationId, source.record.documentId);
  const finalDir = path.join(outDir, name);
  const temp = path.join(outDir, `.${name}.partial`);
  fs.rmSync(temp, { recursive: true, force: true });
  fs.mkdirSync(path.join(temp, 'data'), { recursive: true });

  const pdfName = `data/${safeName(source.record.documentId)}.pdf`;
  fs.copyFileSync(source.file, path.join(temp, pdfName));
  fs.writeFileSync(path.join(temp, 'data', recordName), `${JSON.stringify(source.record, null, 2)}\n`, 'utf8');
  const payload = [pdfName, `data/${recordName}`];
  const manifest = payload.map((file) => `${sha256File(path.join(temp, file))}  ${encodePath(file)}\n`).join('');
  const octets = payload.reduce((sum, file) => sum + fs.statSync(path.join(temp, file)).size, 0);

  fs.writeFileSync(path.join(temp, 'bagit.txt'), 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n', 'utf8');
  const info: [string, string][] = [
    ['Source-Organization', source.agencyName === '' ? source.agencyId : source.agencyName],
    ['Internal-Sender-Identifier', source.stationId],
    ['External-Identifier', source.record.documentId],
    ['Bagging-Date', source.baggingDate.toISOString().slice(0, 10)],
    ['Bag-Software-Agent', source.softwareAgent],
    ['Payload-Oxum', `${octets}.${payload.length}`],
    ['SoHoa-Station-Id', source.stationId],
    ['SoHoa-Agency-Id', source.agencyId],
    ['SoHoa-Document-Id', source.record.documentId],
    ['SoHoa-File-SHA256', source.record.sha256],
  ];
  fs.writeFileSync(
    path.join(temp, 'bag-info.txt'),
    info.map(([label, value]) => `${label}: ${value.replace(/[\r\n]+/g, ' ').normalize('NFC')}\n`).join(''),
    'utf8',
  );
  fs.writeFileSync(path.join(temp, 'manifest-sha256.txt'), manifest, 'utf8');
  const tagFiles = ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt'];
  fs.writeFileSync(
    path.join(temp, 'tagmanifest-sha256.txt'),
    tagFiles.map((file) => `${sha256File(path.join(temp, file))}  ${file}\n`).join(''),
    'utf8',
  );
  for (const file of [...payload, ...tagFiles, 'tagmanifest-sha256.txt']) fsyncFile(path.join(temp, file));

  fs.rmSync(finalDir, { recursive: true, force: true });
  fs.renameSync(temp, finalDir);
  return finalDir;
}

function refuse(dir: string, problem: string): never {
  throw new StationError('sync/bag-invalid', `Bag ${path.basename(dir)} refused: ${problem}`);
}

function readTagFile(dir: string, name: string): string {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) refuse(dir, `${name} is missing`);
  const text = fs.readFileSync(file);
  const decoded = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  try {
    return decoded.decode(text);
  } catch {
    return refuse(dir, `${name} is not UTF-8`);
  }
}

/** Parses `Label: value` lines with indented continuation lines (RFC 8493 §2.2.2). */
function parseTags(text: string): Map<string, string> {
  const tags = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') continue;
    if (/^[ \t]/.test(line) && last !== undefined) {
      tags.set(last, `${tags.get(last) ?? ''} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim();
    tags.set(last, line.slice(colon + 1).trim());
  }
  return tags;
}

/** Reads `checksum path` lines; a path must stay inside the bag. */
function parseManifest(dir: string, name: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of readTagFile(dir, name).split(/\r\n|\n/)) {
    if (line.trim() === '') continue;
    const match = /^([0-9a-fA-F]{64})[ \t]+(.+)$/.exec(line);
    if (match === null) refuse(dir, `${name} has a malformed line: ${JSON.stringify(line.slice(0, 80))}`);
    const relative = decodePath(match[2] ?? '');
    const normal = path.posix.normalize(relative);
    if (normal.startsWith('../') || normal === '..' || path.posix.isAbsolute(normal) || normal !== relative) {
      refuse(dir, `${name} names a path outside the bag: ${relative}`);
    }
    entries.set(relative, (match[1] ?? '').toLowerCase());
  }
  return entries;
}

function listFiles(root: string, relative: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
    const child = `${relative}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listFiles(root, child));
    else out.push(child);
  }
  return out;
}

/**
 * Validates a bag the way RFC 8493 §3 asks (complete and valid) plus what the station needs,
 * and returns its record and PDF. Any difference is refused with `sync/bag-invalid` naming
 * the file and the problem.
 */
export function readBag(dir: string): ReadBag {
  const declaration = parseTags(readTagFile(dir, 'bagit.txt'));
  const version = declaration.get('BagIt-Version');
  if (version === undefined || !/^(1\.0|0\.9[67])$/.test(version)) {
    refuse(dir, `unsupported BagIt-Version ${String(version)}`);
  }
  if ((declaration.get('Tag-File-Character-Encoding') ?? '').toUpperCase() !== 'UTF-8') {
    refuse(dir, 'Tag-File-Character-Encoding must be UTF-8');
  }
  const tagManifest = parseManifest(dir, 'tagmanifest-sha256.txt');
  for (const [file, expected] of tagManifest) {
    if (!fs.existsSync(path.join(dir, file))) refuse(dir, `${file} is listed in tagmanifest-sha256.txt but missing`);
    if (sha256File(path.join(dir, file)) !== expected) {
      refuse(dir, `${file} does not match tagmanifest-sha256.txt (changed after export)`);
    }
  }
  for (const required of ['bag-info.txt', 'manifest-sha256.txt', 'bagit.txt']) {
    if (!tagManifest.has(required)) refuse(dir, `tagmanifest-sha256.txt does not cover ${required}`);
  }
  const manifest = parseManifest(dir, 'manifest-sha256.txt');
  if (!fs.existsSync(path.join(dir, 'data'))) refuse(dir, 'the data/ folder is missing');
  const present = listFiles(dir, 'data');
  for (const file of present) {
    if (!manifest.has(file)) refuse(dir, `${file} is in data/ but not in manifest-sha256.txt (added after export)`);
  }
  let octets = 0;
  for (const [file, expected] of manifest) {
    if (!file.startsWith('data/')) refuse(dir, `manifest-sha256.txt lists ${file}, outside data/`);
    const full = path.join(dir, file);
    if (!fs.existsSync(full)) refuse(dir, `${file} is listed in manifest-sha256.txt but missing`);
    octets += fs.statSync(full).size;
    if (sha256File(full) !== expected) refuse(dir, `${file} does not match its SHA-256 in manifest-sha256.txt`);
  }
  const info = parseTags(readTagFile(dir, 'bag-info.txt'));
  const oxum = info.get('Payload-Oxum');
  if (oxum !== undefined && oxum !== `${octets}.${manifest.size}`) {
    refuse(dir, `Payload-Oxum ${oxum} does not match the payload (${octets}.${manifest.size})`);
  }

  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(path.join(dir, 'data', recordName), 'utf8'));
  } catch {
    refuse(dir, `data/${recordName} is missing or not JSON`);
  }
  const parsed = ResultRecord.safeParse(json);
  if (!parsed.success) {
    refuse(
      dir,
      `data/${recordName} is not a result record: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  }
  const record = parsed.data;
  if (!isNfc(record)) refuse(dir, `data/${recordName} has text that is not Unicode NFC`);
  const pdfs = [...manifest.entries()].filter(([file]) => file.endsWith('.pdf'));
  const pdf = pdfs[0];
  if (pdfs.length !== 1 || pdf === undefined) refuse(dir, 'the bag must hold exactly one PDF in data/');
  if (pdf[1] !== record.sha256) refuse(dir, `${pdf[0]} has another SHA-256 than data/${recordName} records`);
  const file = path.join(dir, pdf[0]);
  if (fs.statSync(file).size !== record.bytes)
    refuse(dir, `${pdf[0]} has another size than data/${recordName} records`);
  return { dir, record, file, info };
}

/** The bag folders in `dir`: `dir` itself when it is a bag, else its sub-folders that are. */
export function findBags(dir: string): string[] {
  if (!fs.existsSync(dir)) throw new StationError('sync/bag-invalid', `No folder ${dir}`);
  if (fs.existsSync(path.join(dir, 'bagit.txt'))) return [dir];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => path.join(dir, entry.name))
    .filter((candidate) => fs.existsSync(path.join(candidate, 'bagit.txt')))
    .sort();
}
