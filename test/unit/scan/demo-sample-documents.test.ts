import { describe, expect, it } from 'vitest';
import {
  pageText,
  sampleDocuments,
  samplePage,
  samplePageText,
  samplePages,
  type DocumentBlock,
} from '../../../electron/engine/scan/sample-documents.js';
import { parseQrText } from '../../../electron/engine/workflow/metadata-suggestions.js';

function allStrings(block: DocumentBlock): string[] {
  switch (block.kind) {
    case 'header':
      return [...block.left, ...block.right].map((line) => line.text);
    case 'title':
      return block.lines.map((line) => line.text);
    case 'paragraph':
      return [block.text];
    case 'signatures':
      return [block.left, block.right].flatMap((column) =>
        column === undefined
          ? []
          : [...column.lines.map((line) => line.text), column.signer?.name ?? '', column.signer?.stamp ?? ''],
      );
  }
}

describe('sample documents', () => {
  it('are four to six documents with at least one page each', () => {
    expect(sampleDocuments.length).toBeGreaterThanOrEqual(4);
    expect(sampleDocuments.length).toBeLessThanOrEqual(6);
    for (const document of sampleDocuments) expect(document.pages.length).toBeGreaterThan(0);
    expect(samplePages.length).toBe(sampleDocuments.reduce((sum, d) => sum + d.pages.length, 0));
  });

  it('cover a decision, a certificate, a receipt, a permit and a blank separator', () => {
    const kinds = new Set(sampleDocuments.map((document) => document.kind));
    expect([...kinds].sort()).toEqual(['blank', 'certificate', 'decision', 'permit', 'receipt']);
  });

  it('hold every string in NFC', () => {
    for (const page of samplePages) {
      for (const text of page.blocks.flatMap(allStrings)) expect(text).toBe(text.normalize('NFC'));
      const printed = pageText(page);
      expect(printed).toBe(printed.normalize('NFC'));
    }
  });

  it('have printed text on every page but the blank separator', () => {
    const blank = samplePages.filter((page) => page.blank);
    expect(blank).toHaveLength(1);
    expect(pageText(blank[0]!)).toBe('');
    for (const page of samplePages.filter((p) => !p.blank)) {
      expect(pageText(page).length).toBeGreaterThan(200);
      for (const text of page.blocks.flatMap(allStrings)) expect(text.trim()).toBe(text);
    }
  });

  it('carry the national motto, Quảng Ngãi agency codes and dossier codes', () => {
    const signed = sampleDocuments.filter((document) => document.kind !== 'blank');
    for (const document of signed) {
      expect(document.agencyCode).toMatch(/^000\.00\.\d{2}\.H48$/);
      expect(document.dossierCode).toMatch(/^000\.00\.\d{2}\.H48-\d{6}-\d{4}$/);
      expect(document.dossierCode?.startsWith(`${document.agencyCode ?? ''}-`)).toBe(true);
      const first = pageText({ ...samplePages.find((p) => p.documentId === document.id)! });
      expect(first).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc');
    }
    const decision = sampleDocuments.find((document) => document.kind === 'decision')!;
    expect(decision.pages.length).toBeGreaterThanOrEqual(2);
  });

  it('lays a page out as blocks separated by blank lines, header left column first', () => {
    const text = samplePageText(0);
    const blocks = text.split('\n\n');
    expect(blocks[0]).toBe(
      'UBND TỈNH QUẢNG NGÃI\nSỞ Y TẾ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc',
    );
    expect(blocks[1]).toBe('GIẤY CHỨNG NHẬN\nCƠ SỞ ĐỦ ĐIỀU KIỆN AN TOÀN THỰC PHẨM\nSố: 27/2024/ATTP-CNĐK');
    // Stamps are not printed text.
    expect(text).not.toContain('•');
    expect(blocks.at(-1)).toBe('Quảng Ngãi, ngày 08 tháng 4 năm 2024\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nVõ Thị Kim Chi');
  });

  it('print the provincial QR code (TT 01/2023) on the first page of the permit, holding what the index form needs', () => {
    const withQr = samplePages.filter((page) => page.qrCode !== undefined);
    expect(withQr.map((page) => [page.documentId, page.pageNumber])).toEqual([['giay-phep-xay-dung', 1]]);
    const permit = sampleDocuments.find((document) => document.kind === 'permit')!;
    const text = withQr[0]!.qrCode!;
    expect(text).toBe(text.normalize('NFC'));
    // Dossier code, procedure code, owner ID, document name, issuing system, issue time.
    expect(text.split('\n').map((line) => line.split(':')[0])).toEqual([
      'MaHoSo',
      'MaTTHC',
      'SoDinhDanh',
      'TenGiayTo',
      'HeThong',
      'ThoiGianCap',
    ]);
    expect(parseQrText(text)).toEqual([
      { field: 'dossierCode', value: permit.dossierCode },
      { field: 'procedureCode', value: '1.009972' },
      { field: 'ownerId', value: '051085003127' },
      { field: 'summary', value: 'Giấy phép xây dựng' },
      { field: 'issuedDate', value: '2024-07-01' },
    ]);
    // The code is not printed text: the page's text is its blocks only.
    expect(pageText(withQr[0]!)).not.toContain('MaHoSo');
    expect(pageText(withQr[0]!)).toContain('Quảng Ngãi, ngày 01 tháng 7 năm 2024');
  });

  it('cycles through the pages as the feeder does', () => {
    expect(samplePage(samplePages.length)).toBe(samplePages[0]);
    expect(samplePageText(samplePages.length + 1)).toBe(samplePageText(1));
    expect(() => samplePage(-1)).toThrow(RangeError);
    expect(() => samplePage(1.5)).toThrow(RangeError);
  });
});
