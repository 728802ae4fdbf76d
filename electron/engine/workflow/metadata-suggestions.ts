import type { MetadataSuggestion } from '../../../shared/domain.js';

/**
 * Values for the index form read from a document's OCR text and the QR codes printed on its pages.
 *
 * Pure rules over text, so they are tested on real-looking lines without images. They propose a
 * value only when the text is clear; the clerk accepts or overwrites it. Every value is NFC.
 */

type Field = MetadataSuggestion['field'];

/** A value for one field, before the page it came from is attached. */
export interface FoundValue {
  field: Field;
  value: string;
}

/** One page of OCR text, in document order. */
export interface PageText {
  pageId: string;
  text: string;
}

/** The dossier code of TT 01/2018 art. 19: `<agency id>-YYMMDD-NNNN` (REQUIREMENTS.md section 4). */
const dossierPattern = /\b(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-(\d{2})(\d{2})(\d{2})-\d{4})\b/u;

const mottoPattern = /(CỘNG\s+H[OÒ]A\s+X[AÃ]\s+H[OỘ]I|C[OỘ]NG\s+H[OÒ]A\s+XÃ|Độc\s+lập\s*[-–—]\s*Tự\s+do)/iu;
/** "Quảng Ngãi, ngày 21 tháng 9 năm 2022": the place and date line of Nghị định 30/2020 layouts. */
const placeDatePattern = /[\p{L}.]+(?:\s+[\p{L}.]+){0,4}\s*,\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/u;
const numberLinePattern = /(?:^|\s)Số\s*[:.]\s*(\d[\p{L}\d.-]*\/[\p{L}\d][\p{L}\d./-]*)/u;
/** Parent bodies printed above the issuing agency in the header's left column. */
const parentPattern = /^(UBND|[ỦU]Y\s+BAN\s+NHÂN\s+DÂN|UỶ\s+BAN\s+NHÂN\s+DÂN|BỘ\s+[A-ZĐ])/u;

function nfc(text: string): string {
  return text.normalize('NFC');
}

function collapse(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** True for a printed line in capitals (at least two words of two letters or more). */
function isUpperLine(line: string): boolean {
  const letters = line.replace(/[^\p{L}]/gu, '');
  if (letters.length < 4) return false;
  if (letters !== letters.toLocaleUpperCase('vi')) return false;
  return line.split(/\s+/u).filter((word) => /\p{L}{2,}/u.test(word)).length >= 2;
}

/** The lines of a page, with the motto cut off lines where OCR joined the header's two columns. */
function linesOf(text: string): string[] {
  return nfc(text)
    .split(/\r?\n/u)
    .flatMap((line) => {
      const motto = mottoPattern.exec(line);
      if (motto === null || motto.index === 0) return [line];
      return [line.slice(0, motto.index), line.slice(motto.index)];
    })
    .map((line) => collapse(line));
}

function validDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1900 || year > 2100) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** "Số: 123/GCN-SKHCN" → "123/GCN-SKHCN"; a line like "Số: /KH-SKHCN" (no number yet) gives nothing. */
export function findDocumentNumber(text: string): string | null {
  for (const line of linesOf(text)) {
    const match = numberLinePattern.exec(line);
    if (match?.[1] !== undefined) return match[1].replace(/[.,;]+$/u, '');
  }
  return null;
}

/** "Quảng Ngãi, ngày 21 tháng 9 năm 2022" → "2022-09-21"; dates inside the body ("Căn cứ … ngày …") are not the issue date. */
export function findIssuedDate(text: string): string | null {
  for (const line of linesOf(text)) {
    if (/^Căn\s+cứ/iu.test(line)) continue;
    const match = placeDatePattern.exec(line);
    if (match === null) continue;
    const date = validDate(Number(match[3]), Number(match[2]), Number(match[1]));
    if (date !== null) return date;
  }
  return null;
}

/**
 * Index of the last header line; -1 when none. The header ends with the motto's lines and the
 * number and place-date lines right after them; without a motto (OCR lost it), with the last
 * number or place-date line among the first lines.
 */
function headerEnd(lines: readonly string[]): number {
  const limit = Math.min(lines.length, 14);
  const isHeaderLine = (line: string): boolean => numberLinePattern.test(line) || placeDatePattern.test(line);
  let motto = -1;
  for (let index = 0; index < limit; index += 1) {
    if (mottoPattern.test(lines[index] ?? '')) motto = index;
  }
  if (motto >= 0) {
    let end = motto;
    while (end + 1 < lines.length && (lines[end + 1] === '' || isHeaderLine(lines[end + 1] ?? ''))) end += 1;
    return end;
  }
  let end = -1;
  for (let index = 0; index < limit; index += 1) if (isHeaderLine(lines[index] ?? '')) end = index;
  return end;
}

/**
 * The issuing agency from the header's left column: the capitals above the motto, the parent body
 * ("UBND TỈNH QUẢNG NGÃI") left out when the agency itself follows it ("SỞ KHOA HỌC VÀ CÔNG NGHỆ").
 */
export function findIssuingAgency(text: string): string | null {
  const lines = linesOf(text).filter((line) => line !== '');
  const candidates: string[] = [];
  for (const line of lines.slice(0, 8)) {
    // The motto is the right column; OCR may give it between the agency's lines. Its second
    // line ("Độc lập - Tự do - Hạnh phúc") ends the header.
    if (/Độc\s+lập\s*[-–—]/u.test(line)) break;
    if (mottoPattern.test(line)) continue;
    if (numberLinePattern.test(line) || placeDatePattern.test(line)) break;
    if (!isUpperLine(line)) break;
    candidates.push(line);
  }
  const first = candidates[0];
  if (first === undefined) return null;
  const second = candidates[1];
  if (parentPattern.test(first) && second !== undefined) return second;
  return first;
}

function sentenceCase(text: string): string {
  const lower = text.toLocaleLowerCase('vi');
  return lower.charAt(0).toLocaleUpperCase('vi') + lower.slice(1);
}

/** Where the title's continuation lines end: a field ("Mã hồ sơ: …"), the grounds ("Căn cứ …"), a number. */
function endsTitle(line: string): boolean {
  return line === '' || line.includes(':') || /^(Căn\s+cứ|Kính\s+gửi|Số\b)/u.test(line);
}

/**
 * The document's subject: a "V/v …" line when there is one, else the title in capitals under the
 * header ("QUYẾT ĐỊNH", "GIẤY CHỨNG NHẬN …") with the line(s) that complete it ("Về việc …").
 */
export function findSummary(text: string): string | null {
  const lines = linesOf(text);
  const subject = lines.findIndex((line) => /^V\/v\b/iu.test(line));
  if (subject >= 0) {
    const parts = [lines[subject] ?? ''];
    for (const line of lines.slice(subject + 1, subject + 3)) {
      if (endsTitle(line) || isUpperLine(line) || mottoPattern.test(line) || placeDatePattern.test(line)) break;
      parts.push(line);
    }
    return collapse(parts.join(' '));
  }
  const start = headerEnd(lines) + 1;
  if (start === 0) return null;
  let titleAt = -1;
  for (let index = start; index < Math.min(lines.length, start + 6); index += 1) {
    const line = lines[index] ?? '';
    if (isUpperLine(line) && !dossierPattern.test(line)) {
      titleAt = index;
      break;
    }
  }
  if (titleAt < 0) return null;
  const title: string[] = [];
  let index = titleAt;
  while (index < lines.length && isUpperLine(lines[index] ?? '') && title.length < 3) {
    title.push(lines[index] ?? '');
    index += 1;
  }
  const rest: string[] = [];
  while (index < lines.length && rest.length < 3) {
    const line = lines[index] ?? '';
    if (endsTitle(line) || isUpperLine(line)) break;
    rest.push(line);
    index += 1;
  }
  let summary = sentenceCase(collapse(title.join(' ')));
  if (rest.length > 0) {
    const continuation = collapse(rest.join(' '));
    // "Về việc …", "Số hóa …" continue the title's sentence; a proper name ("Sở Khoa học") keeps its capital.
    const properName = /^\p{Lu}\p{Ll}*\s+\p{Lu}/u.test(continuation);
    summary += ` ${properName ? continuation : continuation.charAt(0).toLocaleLowerCase('vi') + continuation.slice(1)}`;
  }
  return summary;
}

/** The first valid dossier code printed in the text ("Mã hồ sơ: 000.00.17.H48-210315-0001"). */
export function findDossierCode(text: string): string | null {
  const pattern = new RegExp(dossierPattern.source, 'gu');
  for (const match of nfc(text).matchAll(pattern)) {
    const [, code, yy, mm, dd] = match;
    if (code !== undefined && validDate(2000 + Number(yy), Number(mm), Number(dd)) !== null) return code;
  }
  return null;
}

/** The person or holder named in the body ("Ông/bà: Nguyễn Thị Thu Hà", "Chủ cơ sở: Bà Phạm Thị Mỹ Linh"). */
export function findOwnerName(text: string): string | null {
  const pattern =
    /(?:Ông\s*\/\s*bà|Ông\s*\(bà\)|Họ\s+và\s+tên|Họ\s+tên|Chủ\s+cơ\s+sở|Người\s+đề\s+nghị)\s*:\s*(?:(?:Ông|Bà)\s+)?((?:\p{Lu}\p{Ll}*)(?:\s+\p{Lu}\p{Ll}*){1,5})/u;
  for (const line of linesOf(text)) {
    const match = pattern.exec(line);
    if (match?.[1] !== undefined) return match[1];
  }
  return null;
}

/** The signer's name: the last line of the document under a position in capitals ("GIÁM ĐỐC"). */
export function findSigner(text: string): string | null {
  const lines = linesOf(text).filter((line) => line !== '');
  const last = lines.at(-1);
  if (last === undefined) return null;
  const name = /^(\p{Lu}\p{Ll}+)(\s+\p{Lu}\p{Ll}*){1,4}$/u;
  if (!name.test(last)) return null;
  const above = lines.slice(-4, -1);
  const position = /(GIÁM\s+ĐỐC|CHỦ\s+TỊCH|TRƯỞNG|THỦ\s+TRƯỞNG|CHÁNH|CỤC\s+TRƯỞNG|BỘ\s+TRƯỞNG)/u;
  return above.some((line) => position.test(line) && isUpperLine(line)) ? last : null;
}

/** The text rules over a document's pages: the first clear value of each field, with the page it was read on. */
export function suggestFromText(pages: readonly PageText[]): MetadataSuggestion[] {
  const found: MetadataSuggestion[] = [];
  const seen = new Set<Field>();
  const add = (field: Field, value: string | null, pageId: string): void => {
    if (value === null || seen.has(field)) return;
    const clean = collapse(nfc(value));
    if (clean === '') return;
    seen.add(field);
    found.push({ field, value: clean, source: 'ocr', pageId });
  };
  const first = pages[0];
  if (first !== undefined) {
    add('issuingAgency', findIssuingAgency(first.text), first.pageId);
    add('summary', findSummary(first.text), first.pageId);
  }
  for (const page of pages) {
    add('documentNumber', findDocumentNumber(page.text), page.pageId);
    add('issuedDate', findIssuedDate(page.text), page.pageId);
    add('dossierCode', findDossierCode(page.text), page.pageId);
    add('ownerName', findOwnerName(page.text), page.pageId);
  }
  const last = pages.at(-1);
  if (last !== undefined) add('signer', findSigner(last.text), last.pageId);
  return found;
}

/** Keys of the provincial QR (TT 01/2023) as the one-stop systems print them, folded (no marks, lower case). */
const qrKeys: Readonly<Record<string, Field | 'issueTime' | 'documentName'>> = {
  mahoso: 'dossierCode',
  dossiercode: 'dossierCode',
  matthc: 'procedureCode',
  mathutuc: 'procedureCode',
  procedurecode: 'procedureCode',
  sodinhdanh: 'ownerId',
  madinhdanh: 'ownerId',
  socccd: 'ownerId',
  ownerid: 'ownerId',
  chuhoso: 'ownerName',
  tenchuhoso: 'ownerName',
  hoten: 'ownerName',
  ownername: 'ownerName',
  tengiayto: 'documentName',
  tenketqua: 'documentName',
  documentname: 'documentName',
  sogiayto: 'documentNumber',
  sovanban: 'documentNumber',
  documentnumber: 'documentNumber',
  thoigiancap: 'issueTime',
  ngaycap: 'issueTime',
  issuetime: 'issueTime',
  issuedat: 'issueTime',
  coquancap: 'issuingAgency',
  issuingagency: 'issuingAgency',
  maketqua: 'resultTypeCode',
  resulttypecode: 'resultTypeCode',
};

function foldKey(key: string): string {
  return key
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/giu, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]/gu, '');
}

/** "2022-09-21T08:30:00+07:00", "21/09/2022", "21092022" → "2022-09-21". */
function dateOf(value: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})/u.exec(value);
  if (iso !== null) return validDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})/u.exec(value);
  if (dmy !== null) return validDate(Number(dmy[3]), Number(dmy[2]), Number(dmy[1]));
  const packed = /^(\d{2})(\d{2})(\d{4})$/u.exec(value);
  if (packed !== null) return validDate(Number(packed[3]), Number(packed[2]), Number(packed[1]));
  return null;
}

function fromPairs(pairs: readonly [string, string][]): FoundValue[] {
  const values: FoundValue[] = [];
  for (const [rawKey, rawValue] of pairs) {
    const key = qrKeys[foldKey(rawKey)];
    const value = collapse(nfc(rawValue));
    if (key === undefined || value === '') continue;
    if (key === 'issueTime') {
      const date = dateOf(value);
      if (date !== null) values.push({ field: 'issuedDate', value: date });
    } else if (key === 'documentName') {
      values.push({ field: 'summary', value });
    } else {
      values.push({ field: key, value });
    }
  }
  return values;
}

/**
 * What a QR code's text says, in the shapes the station meets: the citizen ID card (CCCD:
 * `ID|old ID|full name|DDMMYYYY birth|sex|address|DDMMYYYY issue`), the provincial result QR as
 * JSON or as `key: value` lines or `key=value;` pairs, and a bare dossier code.
 */
export function parseQrText(text: string): FoundValue[] {
  const clean = nfc(text).trim();
  const fields = clean.split('|');
  if (fields.length >= 6 && /^\d{9,12}$/u.test(fields[0] ?? '')) {
    const values: FoundValue[] = [{ field: 'ownerId', value: fields[0] ?? '' }];
    const name = collapse(fields[2] ?? '');
    if (name !== '') values.push({ field: 'ownerName', value: name });
    return values;
  }
  if (clean.startsWith('{')) {
    try {
      const parsed = JSON.parse(clean) as unknown;
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        return fromPairs(
          Object.entries(parsed as Record<string, unknown>)
            .filter((entry): entry is [string, string | number] => ['string', 'number'].includes(typeof entry[1]))
            .map(([key, value]) => [key, String(value)]),
        );
      }
    } catch {
      // Not JSON after all: read it as text below.
    }
  }
  const pairs = clean
    .split(/[\n;|]/u)
    .map((part) => /^\s*([^:=]{2,40}?)\s*[:=]\s*(.+)$/u.exec(part))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1] ?? '', match[2] ?? ''] as [string, string]);
  const values = fromPairs(pairs);
  if (values.length > 0) return values;
  const dossier = findDossierCode(clean);
  return dossier === null ? [] : [{ field: 'dossierCode', value: dossier }];
}

/** Suggestions from the QR codes found, first code first; QR values go before the OCR's (they are exact). */
export function suggestFromQr(found: readonly { pageId: string; text: string }[]): MetadataSuggestion[] {
  const seen = new Set<Field>();
  const suggestions: MetadataSuggestion[] = [];
  for (const { pageId, text } of found) {
    for (const { field, value } of parseQrText(text)) {
      if (seen.has(field)) continue;
      seen.add(field);
      suggestions.push({ field, value, source: 'qr', pageId });
    }
  }
  return suggestions;
}

/** QR values first, then the OCR's for the fields no QR gave. */
export function mergeSuggestions(
  qr: readonly MetadataSuggestion[],
  text: readonly MetadataSuggestion[],
): MetadataSuggestion[] {
  const fromQr = new Set(qr.map((suggestion) => suggestion.field));
  return [...qr, ...text.filter((suggestion) => !fromQr.has(suggestion.field))];
}
