import type {
  DocumentDetail,
  MetadataSuggestion,
  OutOfScope,
  QrFinding,
  ResultMetadata,
  SuggestionSource,
  Validity,
} from '../../../shared/domain.js';
import type { FieldIssue } from '../../../shared/errors.js';
import type { MetadataIssue } from '../../../shared/metadata-validation.js';
import {
  checkDossierCode,
  checkLength,
  dossierCodePattern,
  formatDisplayDate,
  metadataMaxLengths,
  parseDisplayDate,
} from '../../../shared/metadata-validation.js';

/** The text boxes of the index form, in the order they are shown; dates are typed as dd/MM/yyyy. */
export const indexTextFields = [
  'documentNumber',
  'issuedDate',
  'validUntil',
  'validityScope',
  'summary',
  'issuingAgency',
  'signer',
  'ownerId',
  'ownerName',
  'dossierCode',
  'procedureCode',
  'sectorCode',
  'resultTypeCode',
] as const;
export type IndexTextField = (typeof indexTextFields)[number];

/** The index form as the clerk edits it: text exactly as typed, choices as their control holds them. */
export type IndexForm = Record<IndexTextField, string> & {
  permanent: boolean;
  /** '' not chosen, '0' dossier component, '1' result. */
  kind: '' | '0' | '1';
  validity: Validity;
  classified: boolean;
  outOfScope: '' | OutOfScope;
};

export type IndexFieldName = keyof IndexForm;

/** Where a field's pre-filled value came from, for the small "từ OCR" / "từ mã QR" chip. */
export interface FieldSource {
  source: SuggestionSource;
  pageId: string;
  /** The value filled in; the chip stays only while the field still holds it. */
  value: string;
}

/** Issues of the form, by field. */
export type IndexIssues = Partial<Record<IndexFieldName, MetadataIssue>>;

/**
 * `save` checks what is typed (shapes, dates, lengths); `finish` also asks for the required fields,
 * as the workflow does at extraction. A draft may be saved half-filled; it may not be finished so.
 */
export type ValidationMode = 'save' | 'finish';

/** The empty form of a document with no metadata yet. */
export function emptyIndexForm(): IndexForm {
  const text = Object.fromEntries(indexTextFields.map((field) => [field, ''])) as Record<IndexTextField, string>;
  return { ...text, permanent: false, kind: '', validity: 'valid', classified: false, outOfScope: '' };
}

/** The form filled from what the engine has stored for the document. */
export function indexFormFromDetail(detail: DocumentDetail): IndexForm {
  const m = detail.metadata;
  const form = emptyIndexForm();
  for (const field of indexTextFields) {
    const value = m[field];
    form[field] = field === 'issuedDate' || field === 'validUntil' ? formatDisplayDate(value) : (value ?? '');
  }
  form.permanent = m.permanent;
  form.kind = m.kind === null ? '' : m.kind === 0 ? '0' : '1';
  form.validity = detail.validity;
  form.classified = detail.classified;
  form.outOfScope = detail.outOfScope ?? '';
  return form;
}

/** Checks every field of the form; an empty result means the form may be sent. */
export function validateIndexForm(form: IndexForm, options: { today: string; mode: ValidationMode }): IndexIssues {
  const issues: IndexIssues = {};
  for (const [field, max] of Object.entries(metadataMaxLengths) as [keyof typeof metadataMaxLengths, number][]) {
    const issue = checkLength(form[field].trim(), max);
    if (issue !== null) issues[field] = issue;
  }
  if (options.mode === 'finish') {
    if (form.documentNumber.trim() === '') issues.documentNumber = { code: 'required' };
    if (form.issuedDate.trim() === '') issues.issuedDate = { code: 'required' };
  }

  let issued: string | null = null;
  if (form.issuedDate.trim() !== '') {
    const parsed = parseDisplayDate(form.issuedDate);
    if (!parsed.ok) issues.issuedDate = { code: parsed.code };
    else if (parsed.iso > options.today) issues.issuedDate = { code: 'date-future' };
    else issued = parsed.iso;
  }
  if (!form.permanent && form.validUntil.trim() !== '') {
    const parsed = parseDisplayDate(form.validUntil);
    if (!parsed.ok) issues.validUntil = { code: parsed.code };
    else if (issued !== null && parsed.iso < issued) issues.validUntil = { code: 'date-before-issued' };
  }
  const dossier = form.dossierCode.trim();
  if (dossier !== '' && issues.dossierCode === undefined) {
    const issue = checkDossierCode(dossier);
    if (issue !== null) issues.dossierCode = issue;
  }
  return issues;
}

/** Text as stored: trimmed, NFC (Telex/VNI and pasted text may arrive decomposed), empty = null. */
export function storedText(value: string): string | null {
  const text = value.normalize('NFC').trim();
  return text === '' ? null : text;
}

function storedDate(value: string): string | null {
  if (value.trim() === '') return null;
  const parsed = parseDisplayDate(value);
  return parsed.ok ? parsed.iso : null;
}

/** What `documents:update` receives for a valid form (its `documentId` aside). */
export interface IndexPatch {
  metadata: Partial<ResultMetadata>;
  validity: Validity;
  classified: boolean;
  outOfScope: OutOfScope | null;
}

/** The form as the engine stores it: NFC text, ISO dates, null for empty. Call on a validated form. */
export function indexPatchFromForm(form: IndexForm): IndexPatch {
  const metadata: Partial<ResultMetadata> = {};
  for (const field of indexTextFields) {
    if (field === 'issuedDate' || field === 'validUntil') continue;
    metadata[field] = storedText(form[field]);
  }
  metadata.issuedDate = storedDate(form.issuedDate);
  metadata.validUntil = form.permanent ? null : storedDate(form.validUntil);
  metadata.permanent = form.permanent;
  metadata.kind = form.kind === '' ? null : form.kind === '0' ? 0 : 1;
  return {
    metadata,
    validity: form.validity,
    classified: form.classified,
    outOfScope: form.outOfScope === '' ? null : form.outOfScope,
  };
}

/** Fields of the form an engine error path names, or the digitization code box. */
export type EngineFieldName = IndexFieldName | 'digitizationCode';

const formFieldNames = new Set<string>([
  ...indexTextFields,
  'permanent',
  'kind',
  'validity',
  'classified',
  'outOfScope',
  'digitizationCode',
]);

/**
 * Puts the engine's field issues on the form's fields: `metadata.issuedDate` (the contract's
 * check), `issuedDate` (the store's), `validity`, … Paths of no field are left out (shown in the
 * details at the top).
 */
export function engineFieldIssues(fields: readonly FieldIssue[] | undefined): Partial<Record<EngineFieldName, string>> {
  const result: Partial<Record<EngineFieldName, string>> = {};
  for (const issue of fields ?? []) {
    const parts = issue.path.split('.');
    const name = parts[0] === 'metadata' ? parts[1] : parts[0];
    if (name !== undefined && formFieldNames.has(name) && result[name as EngineFieldName] === undefined) {
      result[name as EngineFieldName] = issue.message;
    }
  }
  return result;
}

/** Owner fields read from a citizen ID card's QR (`ID|old ID|name|DDMMYYYY|sex|address|DDMMYYYY`). */
function suggestionsFromCitizenId(finding: QrFinding): MetadataSuggestion[] {
  const parts = finding.text.split('|');
  if (parts.length < 6 || !/^\d{9,12}$/.test(parts[0] ?? '')) return [];
  const found: MetadataSuggestion[] = [
    { field: 'ownerId', value: parts[0] ?? '', source: 'qr', pageId: finding.pageId },
  ];
  const name = (parts[2] ?? '').trim();
  if (name !== '')
    found.push({ field: 'ownerName', value: name.normalize('NFC'), source: 'qr', pageId: finding.pageId });
  return found;
}

/** A dossier code anywhere in a QR's text (papers of the provincial system carry it). */
function suggestionsFromDossierQr(finding: QrFinding): MetadataSuggestion[] {
  const unanchored = new RegExp(dossierCodePattern.source.slice(1, -1));
  const match = unanchored.exec(finding.text);
  return match === null ? [] : [{ field: 'dossierCode', value: match[0], source: 'qr', pageId: finding.pageId }];
}

/**
 * Pre-fills the form: each empty field the clerk has not touched takes the first suggestion for it,
 * those read from a QR code before those read by OCR. What the clerk typed is never overwritten.
 * QR codes the engine did not turn into suggestions are read here too (ID cards, dossier codes).
 */
export function applySuggestions(
  form: IndexForm,
  touched: Readonly<Partial<Record<IndexFieldName, boolean>>>,
  suggestions: readonly MetadataSuggestion[],
  qr: readonly QrFinding[],
): { form: IndexForm; sources: Partial<Record<IndexTextField, FieldSource>> } {
  const fromQr = qr.flatMap((finding) => [...suggestionsFromCitizenId(finding), ...suggestionsFromDossierQr(finding)]);
  const ordered = [
    ...suggestions.filter((item) => item.source === 'qr'),
    ...fromQr,
    ...suggestions.filter((item) => item.source !== 'qr'),
  ];
  const next = { ...form };
  const sources: Partial<Record<IndexTextField, FieldSource>> = {};
  for (const suggestion of ordered) {
    const field = suggestion.field;
    if (touched[field] === true || next[field].trim() !== '' || sources[field] !== undefined) continue;
    const value =
      field === 'issuedDate' ? formatDisplayDate(suggestion.value) : suggestion.value.normalize('NFC').trim();
    if (value === '') continue;
    next[field] = value;
    sources[field] = { source: suggestion.source, pageId: suggestion.pageId, value };
  }
  return { form: next, sources };
}

/** Whether the form differs from what is stored. */
export function isIndexFormDirty(form: IndexForm, stored: IndexForm): boolean {
  return (Object.keys(form) as IndexFieldName[]).some((key) => form[key] !== stored[key]);
}
