import { describe, expect, it } from 'vitest';
import {
  findDocumentNumber,
  findDossierCode,
  findIssuedDate,
  findIssuingAgency,
  findOwnerName,
  findSigner,
  findSummary,
  mergeSuggestions,
  parseQrText,
  suggestFromQr,
  suggestFromText,
} from '../../../electron/engine/workflow/metadata-suggestions.js';

// Lines shaped like the scanned results of Sở KH&CN Quảng Ngãi (a plan, a receipt, a certificate, a decision).
const plan = [
  'UBND TỈNH QUẢNG NGÃI',
  'SỞ KHOA HỌC VÀ CÔNG NGHỆ',
  'Số: 05/KH-SKHCN',
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'Độc lập - Tự do - Hạnh phúc',
  'Quảng Ngãi, ngày 15 tháng 01 năm 2021',
  '',
  'KẾ HOẠCH',
  'Số hóa kết quả giải quyết thủ tục hành chính thuộc thẩm quyền giải quyết của',
  'Sở Khoa học và Công nghệ tỉnh Quảng Ngãi giai đoạn 2021 - 2025',
  '',
  'Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ về thực',
].join('\n');

const receipt = [
  'SỞ KHOA HỌC VÀ CÔNG NGHỆ',
  'BỘ PHẬN TIẾP NHẬN VÀ',
  'TRẢ KẾT QUẢ',
  'Số: 0001/TNHS',
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'Độc lập - Tự do - Hạnh phúc',
  'Quảng Ngãi, ngày 15 tháng 3 năm 2021',
  '',
  '000.00.17.H48-210315-0001',
  'Quét mã QR để tra cứu hồ sơ',
  '',
  'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
  'Mã hồ sơ: 000.00.17.H48-210315-0001',
  'Ông/bà: Nguyễn Thị Thu Hà',
  'Số điện thoại: 0905 214 367',
].join('\n');

// OCR often joins the header's two columns into one line.
const certificate = [
  'UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'SỞ KHOA HỌC VÀ CÔNG NGHỆ Độc lập - Tự do - Hạnh phúc',
  'GIẤY CHỨNG NHẬN',
  'ĐĂNG KÝ HOẠT ĐỘNG KHOA HỌC VÀ CÔNG NGHỆ',
  'Số: 12/ĐK-KHCN',
  'Đăng ký lần đầu: ngày 05 tháng 4 năm 2021',
  'Căn cứ Luật Khoa học và Công nghệ ngày 18 tháng 6 năm 2013;',
  'Quảng Ngãi, ngày 21 tháng 9 năm 2022',
  'KT. GIÁM ĐỐC',
  'PHÓ GIÁM ĐỐC',
  'Trần Thanh Trường',
].join('\n');

const letter = [
  'ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI',
  'Số: 123/UBND-KGVX',
  'V/v cấp Giấy chứng nhận đăng ký hoạt động',
  'khoa học và công nghệ',
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'Độc lập - Tự do - Hạnh phúc',
  'Quảng Ngãi, ngày 02 tháng 3 năm 2024',
].join('\n');

describe('metadata suggestions from OCR text', () => {
  it('reads the document number after "Số:", never an empty number or a phone number', () => {
    expect(findDocumentNumber(plan)).toBe('05/KH-SKHCN');
    expect(findDocumentNumber(receipt)).toBe('0001/TNHS');
    expect(findDocumentNumber(certificate)).toBe('12/ĐK-KHCN');
    expect(findDocumentNumber('Số: 123/GCN-SKHCN')).toBe('123/GCN-SKHCN');
    expect(findDocumentNumber('Số: /KH-SKHCN\nSố điện thoại: 0905 214 367')).toBeNull();
    expect(findDocumentNumber('theo Nghị định số 45/2020/NĐ-CP')).toBeNull();
  });

  it('reads the issue date from the place-and-date line, not from the grounds', () => {
    expect(findIssuedDate(plan)).toBe('2021-01-15');
    expect(findIssuedDate(receipt)).toBe('2021-03-15');
    expect(findIssuedDate(certificate)).toBe('2022-09-21');
    expect(findIssuedDate('Quảng Ngãi, ngày 21 tháng 9 năm 2022')).toBe('2022-09-21');
    expect(findIssuedDate('Căn cứ Luật Khoa học và Công nghệ ngày 18 tháng 6 năm 2013;')).toBeNull();
    expect(findIssuedDate('Quảng Ngãi, ngày 31 tháng 2 năm 2022')).toBeNull();
  });

  it('reads the issuing agency from the header, leaving out the parent body', () => {
    expect(findIssuingAgency(plan)).toBe('SỞ KHOA HỌC VÀ CÔNG NGHỆ');
    expect(findIssuingAgency(receipt)).toBe('SỞ KHOA HỌC VÀ CÔNG NGHỆ');
    expect(findIssuingAgency(certificate)).toBe('SỞ KHOA HỌC VÀ CÔNG NGHỆ');
    expect(findIssuingAgency(letter)).toBe('ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI');
    expect(findIssuingAgency('Căn cứ Luật Khoa học')).toBeNull();
  });

  it('reads the subject: the V/v line, else the title with the lines completing it', () => {
    expect(findSummary(letter)).toBe('V/v cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ');
    expect(findSummary(plan)).toBe(
      'Kế hoạch số hóa kết quả giải quyết thủ tục hành chính thuộc thẩm quyền giải quyết của Sở Khoa học và Công nghệ tỉnh Quảng Ngãi giai đoạn 2021 - 2025',
    );
    expect(findSummary(receipt)).toBe('Giấy tiếp nhận hồ sơ và hẹn trả kết quả');
    expect(findSummary(certificate)).toBe('Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ');
    expect(findSummary('QUYẾT ĐỊNH')).toBeNull();
  });

  it('reads dossier codes with a real receipt date, the holder and the signer', () => {
    expect(findDossierCode(receipt)).toBe('000.00.17.H48-210315-0001');
    expect(findDossierCode('Mã hồ sơ: 000.00.17.H48-211399-0001')).toBeNull();
    expect(findOwnerName(receipt)).toBe('Nguyễn Thị Thu Hà');
    expect(findOwnerName('Chủ cơ sở: Bà Phạm Thị Mỹ Linh')).toBe('Phạm Thị Mỹ Linh');
    expect(findSigner(certificate)).toBe('Trần Thanh Trường');
    expect(findSigner(plan)).toBeNull();
  });

  it('gives NFC values with their page, the first clear value of each field', () => {
    const decomposed = plan.normalize('NFD');
    const suggestions = suggestFromText([
      { pageId: 'p1', text: decomposed },
      { pageId: 'p2', text: receipt },
    ]);
    for (const suggestion of suggestions) {
      expect(suggestion.value).toBe(suggestion.value.normalize('NFC'));
      expect(suggestion.source).toBe('ocr');
    }
    expect(suggestions).toContainEqual({ field: 'documentNumber', value: '05/KH-SKHCN', source: 'ocr', pageId: 'p1' });
    expect(suggestions).toContainEqual({
      field: 'dossierCode',
      value: '000.00.17.H48-210315-0001',
      source: 'ocr',
      pageId: 'p2',
    });
    expect(suggestions.filter((suggestion) => suggestion.field === 'issuedDate')).toHaveLength(1);
  });
});

describe('QR codes', () => {
  it('reads the citizen ID card QR into owner fields', () => {
    expect(
      parseQrText(
        '051234567890|212345678|Nguyễn Thị Hằng|12081978|Nữ|Thôn Phú Lộc, Tịnh Ấn Tây, Sơn Tịnh, Quảng Ngãi|01092021',
      ),
    ).toEqual([
      { field: 'ownerId', value: '051234567890' },
      { field: 'ownerName', value: 'Nguyễn Thị Hằng' },
    ]);
  });

  it('reads the provincial result QR as JSON or as key: value lines', () => {
    const json = JSON.stringify({
      maHoSo: '000.00.17.H48-210315-0001',
      maTTHC: '1.004477',
      soDinhDanh: '051234567890',
      tenGiayTo: 'Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ',
      heThong: 'Hệ thống thông tin giải quyết TTHC tỉnh Quảng Ngãi',
      thoiGianCap: '2021-04-05T08:30:00+07:00',
    });
    expect(parseQrText(json)).toEqual([
      { field: 'dossierCode', value: '000.00.17.H48-210315-0001' },
      { field: 'procedureCode', value: '1.004477' },
      { field: 'ownerId', value: '051234567890' },
      { field: 'summary', value: 'Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ' },
      { field: 'issuedDate', value: '2021-04-05' },
    ]);
    expect(parseQrText('Mã hồ sơ: 000.00.17.H48-210315-0001\nMã TTHC: 1.004477\nNgày cấp: 05/04/2021')).toEqual([
      { field: 'dossierCode', value: '000.00.17.H48-210315-0001' },
      { field: 'procedureCode', value: '1.004477' },
      { field: 'issuedDate', value: '2021-04-05' },
    ]);
    expect(parseQrText('000.00.17.H48-210315-0001')).toEqual([
      { field: 'dossierCode', value: '000.00.17.H48-210315-0001' },
    ]);
    expect(parseQrText('https://example.invalid/x')).toEqual([]);
  });

  it('puts QR values before the OCR values of the same field', () => {
    const qr = suggestFromQr([{ pageId: 'p1', text: '000.00.17.H48-210315-0001' }]);
    const merged = mergeSuggestions(qr, [
      { field: 'dossierCode', value: '000.00.17.H48-210315-0002', source: 'ocr', pageId: 'p1' },
      { field: 'documentNumber', value: '12/ĐK-KHCN', source: 'ocr', pageId: 'p1' },
    ]);
    expect(merged).toEqual([
      { field: 'dossierCode', value: '000.00.17.H48-210315-0001', source: 'qr', pageId: 'p1' },
      { field: 'documentNumber', value: '12/ĐK-KHCN', source: 'ocr', pageId: 'p1' },
    ]);
  });
});
