import { afterEach, describe, expect, it } from 'vitest';
import { foldText, parseQuery, snippetOf } from '../../../electron/engine/store/search-index.js';
import type { Store } from '../../../electron/engine/store/store.js';
import { documentWithText, openTestStore } from '../../support/store-fixtures.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();
const open: Store[] = [];
afterEach(() => {
  for (const store of open.splice(0)) store.close();
});
function store(): Store {
  const opened = openTestStore(tempDir('sohoa-search-'));
  open.push(opened);
  return opened;
}

const snippetText = (parts: { text: string; hit: boolean }[]) =>
  parts.map((part) => (part.hit ? `[${part.text}]` : part.text)).join('');

describe('diacritics folding', () => {
  it('folds every Vietnamese letter to its base, đ/Đ included, keeping the length', () => {
    const text = 'Quyết định Đăng ký ƯỚC TÍNH ỹ ở ạ — CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
    const folded = foldText(text);
    expect(folded).toBe('quyet dinh dang ky uoc tinh y o a — cong hoa xa hoi chu nghia viet nam');
    expect(folded.length).toBe(text.length);
  });

  it('keeps the length for text outside Vietnamese too (emoji, ligatures, dotted İ)', () => {
    for (const text of ['ﬁle 😀 İstanbul Straße', 'x\u0301y']) expect(foldText(text).length).toBe(text.length);
  });

  it('turns what the clerk typed into a safe FTS query, the last word a prefix', () => {
    expect(parseQuery('Quyết  định')?.match).toBe('"quyet" AND "dinh"*');
    expect(parseQuery('"dang ky" kinh')?.match).toBe('"dang ky" AND "kinh"*');
    expect(parseQuery('a) OR NEAR(x*')?.match).toBe('"a" AND "or" AND "near" AND "x"');
    expect(parseQuery(' -- ** ')).toBeUndefined();
  });

  it('cuts snippets from the original text and marks the words that matched', () => {
    const text = 'UỶ BAN NHÂN DÂN\nQUYẾT ĐỊNH\nVề việc cấp Giấy chứng nhận đăng ký hoạt động khoa học';
    const query = parseQuery('dang ky hoat')!;
    const { parts, hits } = snippetOf(text, query);
    expect(hits).toBe(3);
    expect(snippetText(parts)).toContain('[đăng ký hoạt]');
    expect(snippetText(parts)).toContain('Giấy chứng nhận');
  });
});

describe('search over the store', () => {
  it('finds Vietnamese documents typed without diacritics, ranked, with snippets in the original spelling', async () => {
    const s = store();
    const decision = await documentWithText(s, [
      'ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI\nQUYẾT ĐỊNH\nVề việc phê duyệt kế hoạch số hóa',
      'Điều 1. Quyết định này có hiệu lực kể từ ngày ký.',
    ]);
    const registration = await documentWithText(s, ['GIẤY CHỨNG NHẬN\nĐăng ký hoạt động khoa học và công nghệ'], {
      documentNumber: '123/GCN-SKHCN',
      summary: 'Đăng ký hoạt động',
    });
    const unrelated = await documentWithText(s, ['Báo cáo tình hình thực hiện nhiệm vụ năm 2021']);

    const decisions = s.search.query('quyet dinh');
    expect(decisions.hits.map((hit) => hit.document.id)).toEqual([decision]);
    expect(snippetText(decisions.hits[0]!.snippet)).toMatch(/\[QUYẾT ĐỊNH\]/);

    const registrations = s.search.query('dang ky');
    expect(registrations.hits[0]?.document.id).toBe(registration);
    expect(snippetText(registrations.hits[0]!.snippet)).toContain('[Đăng ký]');
    expect(registrations.hits.map((hit) => hit.document.id)).not.toContain(unrelated);

    // With diacritics, upper case, and a word still being typed.
    expect(s.search.query('ĐĂNG KÝ').hits[0]?.document.id).toBe(registration);
    expect(s.search.query('bao ca').hits.map((hit) => hit.document.id)).toEqual([unrelated]);
    // Metadata alone: the document number.
    const byNumber = s.search.query('123 gcn skhcn');
    expect(byNumber.hits.map((hit) => hit.document.id)).toEqual([registration]);
    expect(s.search.query('khong co tu nay').hits).toEqual([]);
  });

  it('ranks the document where the words weigh more first (bm25), and pages with offset', async () => {
    const s = store();
    const many = await documentWithText(s, ['giấy phép giấy phép giấy phép xây dựng']);
    const once = await documentWithText(s, [
      'một giấy phép trong một văn bản dài về nhiều việc khác nhau của ủy ban nhân dân',
    ]);
    const first = s.search.query('giay phep', { limit: 1 });
    expect(first.hits.map((hit) => hit.document.id)).toEqual([many]);
    expect(first.more).toBe(true);
    expect(s.search.query('giay phep', { limit: 1, offset: 1 }).hits.map((hit) => hit.document.id)).toEqual([once]);
  });

  it('follows changes: new OCR text, metadata edits, page moves and purges', async () => {
    const s = store();
    const id = await documentWithText(s, ['Văn bản cũ']);
    expect(s.search.query('van ban cu').hits).toHaveLength(1);
    const page = s.workflow.documents.pages(id)[0]!;
    s.ocr.save(page.id, { ...s.ocr.get(page.id)!, text: 'Hợp đồng mới', lines: [] }, new Date().toISOString());
    expect(s.search.query('van ban cu').hits).toHaveLength(0);
    expect(s.search.query('hop dong moi').hits).toHaveLength(1);
    s.workflow.updateMetadata(id, { issuingAgency: 'Sở Khoa học và Công nghệ' }, 'test');
    expect(s.search.query('so khoa hoc').hits[0]?.field).toBe('metadata');
  });
});

describe('snippets of long documents', () => {
  it('look around the first match of a long text and still mark it in the original spelling', () => {
    const filler = 'Điều khoản thi hành và các quy định chung của văn bản. '.repeat(400);
    const text = `${filler}Giấy phép xây dựng số 12/GPXD được cấp cho ông Trần Văn Đức. ${filler}`;
    const { parts, hits } = snippetOf(text, parseQuery('tran van duc')!);
    expect(hits).toBeGreaterThanOrEqual(3);
    const rendered = parts.map((part) => (part.hit ? `[${part.text}]` : part.text)).join('');
    expect(rendered).toMatch(/^…/);
    expect(rendered).toMatch(/…$/);
    expect(rendered).toContain('cho ông [Trần Văn Đức]');
  });
});
