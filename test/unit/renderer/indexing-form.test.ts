import { describe, expect, it } from 'vitest';
import { checkDossierCode, formatDisplayDate, parseDisplayDate } from '../../../shared/metadata-validation.js';
import type { IndexForm } from '../../../renderer/features/indexing/metadata-form.js';
import {
  applySuggestions,
  emptyIndexForm,
  engineFieldIssues,
  indexPatchFromForm,
  validateIndexForm,
} from '../../../renderer/features/indexing/metadata-form.js';

const today = '2025-06-15';

function form(values: Partial<IndexForm>): IndexForm {
  return { ...emptyIndexForm(), ...values };
}

function codes(values: Partial<IndexForm>, mode: 'save' | 'finish' = 'save') {
  return Object.fromEntries(
    Object.entries(validateIndexForm(form(values), { today, mode })).map(([field, issue]) => [field, issue.code]),
  );
}

describe('dates typed dd/MM/yyyy', () => {
  it('reads real dates into YYYY-MM-DD and refuses days that do not exist', () => {
    expect(parseDisplayDate('29/02/2024')).toEqual({ ok: true, iso: '2024-02-29' });
    expect(parseDisplayDate('29/02/2023')).toEqual({ ok: false, code: 'date-invalid' });
    expect(parseDisplayDate('31/04/2024')).toEqual({ ok: false, code: 'date-invalid' });
    expect(parseDisplayDate('29/02/1900')).toEqual({ ok: false, code: 'date-invalid' });
    expect(parseDisplayDate('29/02/2000')).toEqual({ ok: true, iso: '2000-02-29' });
    expect(parseDisplayDate('5/3/2024')).toEqual({ ok: true, iso: '2024-03-05' });
    expect(parseDisplayDate('2024-03-05')).toEqual({ ok: false, code: 'date-format' });
    expect(parseDisplayDate('05/03/24')).toEqual({ ok: false, code: 'date-format' });
    expect(formatDisplayDate('2024-03-05')).toBe('05/03/2024');
  });

  it('flags an issue date that is invalid, in the future, or an end of validity before it', () => {
    expect(codes({ issuedDate: '29/02/2023' })).toEqual({ issuedDate: 'date-invalid' });
    expect(codes({ issuedDate: '29/02/2024' })).toEqual({});
    expect(codes({ issuedDate: '16/06/2025' })).toEqual({ issuedDate: 'date-future' });
    expect(codes({ issuedDate: '15/06/2025' })).toEqual({});
    expect(codes({ issuedDate: '1.2.2024', validUntil: '31/01/2024' })).toEqual({ validUntil: 'date-before-issued' });
    expect(codes({ validUntil: 'mai' })).toEqual({ validUntil: 'date-format' });
    // "Vĩnh viễn" makes the end date irrelevant.
    expect(codes({ validUntil: 'mai', permanent: true })).toEqual({});
  });
});

describe('dossier code', () => {
  it('accepts the TT 01/2018 shape with a real receipt date', () => {
    expect(checkDossierCode('000.00.53.H48-220921-0099')).toBeNull();
    expect(checkDossierCode('000.00.53.H48-240229-0001')).toBeNull();
  });

  it('refuses other shapes and impossible receipt dates', () => {
    expect(checkDossierCode('000.00.53.H48-230229-0001')).toEqual({ code: 'dossier-date' });
    expect(checkDossierCode('000.00.53.H48-221321-0001')).toEqual({ code: 'dossier-date' });
    expect(checkDossierCode('000.00.53.h48-220921-0099')).toEqual({ code: 'dossier-format' });
    expect(checkDossierCode('000.00.53.H48-220921-099')).toEqual({ code: 'dossier-format' });
    expect(checkDossierCode('00.00.53.H48-220921-0099')).toEqual({ code: 'dossier-format' });
    expect(codes({ dossierCode: ' 000.00.53.H48-220921-0099 ' })).toEqual({});
    expect(codes({ dossierCode: 'H48-220921' })).toEqual({ dossierCode: 'dossier-format' });
  });
});

describe('required fields and lengths', () => {
  it('asks for the number and the issue date only when finishing', () => {
    expect(codes({}, 'save')).toEqual({});
    expect(codes({}, 'finish')).toEqual({ documentNumber: 'required', issuedDate: 'required' });
    expect(codes({ documentNumber: '  ', issuedDate: '01/01/2024' }, 'finish')).toEqual({
      documentNumber: 'required',
    });
  });

  it('counts lengths on the NFC text, at the limits of REQUIREMENTS.md section 5', () => {
    expect(codes({ documentNumber: 'a'.repeat(60) })).toEqual({});
    const issues = validateIndexForm(form({ documentNumber: 'a'.repeat(61), signer: 'b'.repeat(51) }), {
      today,
      mode: 'save',
    });
    expect(issues.documentNumber).toEqual({ code: 'too-long', max: 60 });
    expect(issues.signer).toEqual({ code: 'too-long', max: 50 });
    // 50 Vietnamese letters typed decomposed (e + combining marks) are 50 letters once stored as NFC.
    expect(codes({ signer: 'ế'.normalize('NFD').repeat(50) })).toEqual({});
    expect(codes({ summary: 'x'.repeat(1001) })).toEqual({ summary: 'too-long' });
    expect(codes({ ownerName: 'x'.repeat(501), ownerId: '1'.repeat(51) })).toEqual({
      ownerName: 'too-long',
      ownerId: 'too-long',
    });
  });
});

describe('what is saved', () => {
  it('sends NFC text, ISO dates, null for empty and no end date when permanent', () => {
    const decomposed = 'Quyết định'.normalize('NFD');
    expect(decomposed).not.toBe('Quyết định');
    const patch = indexPatchFromForm(
      form({
        documentNumber: ' 123/QĐ-UBND ',
        summary: decomposed,
        issuedDate: '5/3/2024',
        validUntil: '01/01/2030',
        permanent: true,
        kind: '1',
        classified: true,
        outOfScope: 'photocopy',
        validity: 'cancelled',
      }),
    );
    expect(patch.metadata.summary).toBe('Quyết định');
    expect(patch.metadata.documentNumber).toBe('123/QĐ-UBND');
    expect(patch.metadata.issuedDate).toBe('2024-03-05');
    expect(patch.metadata.validUntil).toBeNull();
    expect(patch.metadata.permanent).toBe(true);
    expect(patch.metadata.kind).toBe(1);
    expect(patch.metadata.signer).toBeNull();
    expect(patch).toMatchObject({ validity: 'cancelled', classified: true, outOfScope: 'photocopy' });
  });

  it('puts engine field paths on the form fields', () => {
    expect(
      engineFieldIssues([
        { path: 'metadata.issuedDate', message: 'required' },
        { path: 'documentNumber', message: 'Too big' },
        { path: 'metadata.digitizationCode', message: 'required' },
        { path: 'documentId', message: 'bad' },
      ]),
    ).toEqual({ issuedDate: 'required', documentNumber: 'Too big', digitizationCode: 'required' });
  });
});

describe('suggestions', () => {
  it('fill empty untouched fields only, QR before OCR, and never overwrite what was typed', () => {
    const start = form({ documentNumber: '9/GP', signer: '' });
    const { form: next, sources } = applySuggestions(
      start,
      { signer: true },
      [
        { field: 'documentNumber', value: '123/GCN', source: 'ocr', pageId: 'p1' },
        { field: 'issuedDate', value: '2024-03-05', source: 'ocr', pageId: 'p1' },
        { field: 'issuingAgency', value: 'Sở Khoa học', source: 'ocr', pageId: 'p1' },
        { field: 'issuingAgency', value: 'UBND tỉnh', source: 'qr', pageId: 'p2' },
        { field: 'signer', value: 'Nguyễn Văn A', source: 'ocr', pageId: 'p1' },
      ],
      [{ pageId: 'p3', text: '079203001234|123456789|Trần Thị Bình|01012000|Nữ|Quảng Ngãi|01012021' }],
    );
    expect(next.documentNumber).toBe('9/GP');
    expect(next.issuedDate).toBe('05/03/2024');
    expect(next.issuingAgency).toBe('UBND tỉnh');
    expect(next.signer).toBe('');
    expect(next.ownerId).toBe('079203001234');
    expect(next.ownerName).toBe('Trần Thị Bình');
    expect(sources).toEqual({
      issuedDate: { source: 'ocr', pageId: 'p1', value: '05/03/2024' },
      issuingAgency: { source: 'qr', pageId: 'p2', value: 'UBND tỉnh' },
      ownerId: { source: 'qr', pageId: 'p3', value: '079203001234' },
      ownerName: { source: 'qr', pageId: 'p3', value: 'Trần Thị Bình' },
    });
  });
});
