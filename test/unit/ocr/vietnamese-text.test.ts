import { describe, expect, it } from 'vitest';
import { isRepairedVietnameseText, repairVietnameseText } from '../../../shared/vietnamese-text.js';

/** Clean Vietnamese administrative text (NFC), with every vowel-mark and tone combination. */
const clean = [
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'Độc lập - Tự do - Hạnh phúc',
  'Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;',
  'Quyết định số 20/2020/QĐ-TTg về mã định danh điện tử của các cơ quan, tổ chức.',
  'ấ ầ ẩ ẫ ậ ắ ằ ẳ ẵ ặ ế ề ể ễ ệ ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ ứ ừ ử ữ ự ý ỳ ỷ ỹ ỵ',
  'Ấ Ầ Ẩ Ẫ Ậ Ắ Ằ Ẳ Ẵ Ặ Ế Ề Ể Ễ Ệ Ố Ồ Ổ Ỗ Ộ Ớ Ờ Ở Ỡ Ợ Ứ Ừ Ử Ữ Ự Đ đ',
  'Email: vanthu@quangngai.gov.vn, mã hồ sơ 000.00.17.H48-210315-0001',
  'Greek α, β and the word Ελλάδα; Russian слово стоит; a plain ASCII sentence.',
];

describe('repairVietnameseText', () => {
  it('leaves clean NFC text exactly as it is (it never invents or drops a letter)', () => {
    for (const line of clean) {
      expect(repairVietnameseText(line), line).toBe(line);
      expect(isRepairedVietnameseText(line)).toBe(true);
    }
  });

  it('composes decomposed (NFD) text into NFC', () => {
    for (const line of clean) expect(repairVietnameseText(line.normalize('NFD'))).toBe(line);
  });

  it('puts the vowel mark before the tone mark when they come in the wrong order', () => {
    // a + acute + circumflex renders as á with a stray circumflex; Vietnamese means ấ.
    expect(repairVietnameseText('quye\u0301\u0302t \u0111i\u0323nh')).toBe('quyết định');
    expect(repairVietnameseText('Vie\u0323\u0302t')).toBe('Việt');
    expect(repairVietnameseText('ta\u0300\u0306ng')).toBe('tằng');
    expect(repairVietnameseText('nu\u031bo\u0301\u031bc')).toBe('nước');
  });

  it('moves a tone typed before its vowel onto the vowel, and counts a doubled mark once', () => {
    expect(repairVietnameseText('\u0301a')).toBe('á');
    expect(repairVietnameseText('ha\u0323\u0323nh')).toBe('hạnh');
    // Before a consonant the mark has no vowel to go to and stays where it is.
    expect(repairVietnameseText('\u0301b')).toBe('\u0301b');
  });

  it('turns a spacing accent right after a vowel into the combining tone', () => {
    expect(repairVietnameseText('ca´c')).toBe('các');
    expect(repairVietnameseText('to\u02cbn')).toBe('tòn');
    expect(repairVietnameseText('nga\u02dc')).toBe('ngã');
    // Not after a consonant, and not on a vowel that already has a tone.
    expect(repairVietnameseText('n´t')).toBe('n´t');
    expect(repairVietnameseText('á´')).toBe('á´');
  });

  it('replaces Cyrillic and Greek look-alikes inside a Latin word, and Ð by Đ', () => {
    // Cyrillic о, с, а, у, Н, Т inside Vietnamese words.
    expect(repairVietnameseText('Qu\u0443\u1ebft \u0111\u1ecbnh s\u043e 12')).toBe('Quyết định so 12');
    expect(repairVietnameseText('\u0441\u01a1 quan')).toBe('cơ quan');
    expect(repairVietnameseText('\u041d\u1ed8I \u0110\u1ed2NG')).toBe('HỘI ĐỒNG');
    // Greek capital omicron and kappa.
    expect(repairVietnameseText('S\u039f KH\u039fA H\u1eccC')).toBe('SO KHOA HỌC');
    expect(repairVietnameseText('\u00d0\u1ed9c l\u1eadp')).toBe('Độc lập');
    expect(repairVietnameseText('\u00d0')).toBe('Đ');
  });

  it('leaves words wholly in another script alone', () => {
    expect(repairVietnameseText('слово')).toBe('слово');
    expect(repairVietnameseText('ΚΟΣΜΟΣ')).toBe('ΚΟΣΜΟΣ');
    expect(repairVietnameseText('α')).toBe('α');
  });

  it('drops zero-width characters and soft hyphens inside words', () => {
    expect(repairVietnameseText('Vi\u200b\u1ec7t\u00ad Nam\ufeff')).toBe('Việt Nam');
  });

  it('is idempotent and keeps the word count', () => {
    const damaged = [
      'Qu\u0443e\u0301\u0302t \u0111i\u0323nh ca´c \u00d0\u1ed9c \u200bl\u1eadp',
      '\u0301a b c\u0323\u0323 \u0441\u043e',
      clean.join(' ').normalize('NFD'),
    ];
    for (const text of damaged) {
      const once = repairVietnameseText(text);
      expect(repairVietnameseText(once)).toBe(once);
      expect(once).toBe(once.normalize('NFC'));
      expect(once.split(/\s+/).length).toBe(text.split(/\s+/).length);
    }
  });
});
