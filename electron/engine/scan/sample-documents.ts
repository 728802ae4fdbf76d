/**
 * Fictional Vietnamese administrative documents that the demo scanner "scans".
 *
 * They follow the layout of Nghị định 30/2020/NĐ-CP (two-column header with the
 * national motto, centred title, justified body, signer block with a round
 * stamp) so that clerks train on pages that look like the dossiers they will
 * digitize, and so that OCR, blank-page detection and barcode-free splitting can
 * be exercised without a scanner. All names, numbers and codes are invented.
 */

/** Font face of a run of text; each maps to one Noto Serif TTF. */
export type TextStyle = 'regular' | 'bold' | 'italic' | 'bold-italic';

/** Horizontal placement of a paragraph inside the text area. */
export type TextAlign = 'justify' | 'centre' | 'left';

/** One line of a header, title or signer column. */
export interface TextLine {
  text: string;
  style: TextStyle;
  /** Font size in points; 13 when absent, the size Nghị định 30 prescribes for body text. */
  sizePt?: number;
  /** The short rule printed under the agency name and the full-width one under the motto. */
  rule?: 'short' | 'full';
}

/** A signer (or the list of recipients) in one half of the signature area. */
export interface SignatureColumn {
  /** Recipient lists ("Nơi nhận") are left-aligned; signer columns are centred. */
  align: 'left' | 'centre';
  lines: TextLine[];
  signer?: {
    name: string;
    /** Ring text of the round red stamp; absent for documents that are signed but not stamped. */
    stamp?: string;
  };
}

/** A piece of a page in reading order. */
export type DocumentBlock =
  | { kind: 'header'; left: TextLine[]; right: TextLine[] }
  | { kind: 'title'; lines: TextLine[] }
  | {
      kind: 'paragraph';
      text: string;
      style: TextStyle;
      align: TextAlign;
      /** First-line indent, as body paragraphs of administrative documents have. */
      indent: boolean;
      sizePt?: number;
    }
  | { kind: 'signatures'; left?: SignatureColumn; right: SignatureColumn };

/** What kind of administrative result a sample represents. */
export type SampleDocumentKind = 'certificate' | 'receipt' | 'decision' | 'permit' | 'blank';

/** One sample document; a blank separator sheet has one page without blocks. */
export interface SampleDocument {
  id: string;
  kind: SampleDocumentKind;
  /** Agency identifier of the issuing department in the national catalogue. */
  agencyCode: string | null;
  dossierCode: string | null;
  /**
   * Text of the QR code (ISO/IEC 18004) that the provincial one-stop system prints at the
   * top-left of the first page of a result it issues (TT 01/2023); absent on other papers.
   */
  qrCode?: string;
  pages: DocumentBlock[][];
}

/** One page of a sample document, as the demo scanner cycles through them. */
export interface SamplePage {
  documentId: string;
  kind: SampleDocumentKind;
  /** 1-based page number inside its document. */
  pageNumber: number;
  blank: boolean;
  /** The QR code printed at the top-left of this page (first pages of provincial results only). */
  qrCode?: string;
  blocks: DocumentBlock[];
}

const motto: TextLine[] = [
  { text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', style: 'bold', sizePt: 12.5 },
  { text: 'Độc lập - Tự do - Hạnh phúc', style: 'bold', sizePt: 13.5, rule: 'full' },
];

function body(text: string, style: TextStyle = 'regular'): DocumentBlock {
  return { kind: 'paragraph', text, style, align: 'justify', indent: true };
}

function centred(text: string, style: TextStyle = 'bold'): DocumentBlock {
  return { kind: 'paragraph', text, style, align: 'centre', indent: false };
}

const certificate: SampleDocument = {
  id: 'giay-chung-nhan-attp',
  kind: 'certificate',
  agencyCode: '000.00.21.H48',
  dossierCode: '000.00.21.H48-240318-0042',
  pages: [
    [
      {
        kind: 'header',
        left: [
          { text: 'UBND TỈNH QUẢNG NGÃI', style: 'regular' },
          { text: 'SỞ Y TẾ', style: 'bold', rule: 'short' },
        ],
        right: motto,
      },
      {
        kind: 'title',
        lines: [
          { text: 'GIẤY CHỨNG NHẬN', style: 'bold', sizePt: 16 },
          { text: 'CƠ SỞ ĐỦ ĐIỀU KIỆN AN TOÀN THỰC PHẨM', style: 'bold', sizePt: 14 },
          { text: 'Số: 27/2024/ATTP-CNĐK', style: 'regular' },
        ],
      },
      centred('SỞ Y TẾ TỈNH QUẢNG NGÃI CHỨNG NHẬN'),
      body('Cơ sở: Cơ sở sản xuất nước mắm Hòa Hiệp Phổ Thạnh'),
      body('Chủ cơ sở: Bà Phạm Thị Mỹ Linh'),
      body('Địa chỉ cơ sở sản xuất: Thôn Thạnh Đức 1, xã Phổ Thạnh, thị xã Đức Phổ, tỉnh Quảng Ngãi.'),
      body('Điện thoại: 0255 3859 214'),
      body('Mã hồ sơ: 000.00.21.H48-240318-0042'),
      body(
        'Đủ điều kiện an toàn thực phẩm để sản xuất nước mắm và các sản phẩm chế biến từ cá cơm theo quy định của pháp luật về an toàn thực phẩm; cơ sở có trách nhiệm duy trì các điều kiện đã được thẩm định trong suốt thời gian hoạt động.',
      ),
      body('Giấy chứng nhận này có hiệu lực đến ngày 08 tháng 4 năm 2027.', 'italic'),
      {
        kind: 'signatures',
        right: {
          align: 'centre',
          lines: [
            { text: 'Quảng Ngãi, ngày 08 tháng 4 năm 2024', style: 'italic' },
            { text: 'KT. GIÁM ĐỐC', style: 'bold' },
            { text: 'PHÓ GIÁM ĐỐC', style: 'bold' },
          ],
          signer: { name: 'Võ Thị Kim Chi', stamp: 'SỞ Y TẾ • TỈNH QUẢNG NGÃI •' },
        },
      },
    ],
  ],
};

const receipt: SampleDocument = {
  id: 'giay-tiep-nhan-ho-so',
  kind: 'receipt',
  agencyCode: '000.00.17.H48',
  dossierCode: '000.00.17.H48-240611-0027',
  pages: [
    [
      {
        kind: 'header',
        left: [
          { text: 'UBND TỈNH QUẢNG NGÃI', style: 'regular' },
          { text: 'SỞ XÂY DỰNG', style: 'bold', rule: 'short' },
          { text: 'Số: 0027/TNHS', style: 'regular' },
        ],
        right: [...motto, { text: 'Quảng Ngãi, ngày 11 tháng 6 năm 2024', style: 'italic' }],
      },
      {
        kind: 'title',
        lines: [
          { text: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', style: 'bold', sizePt: 14 },
          { text: 'Mã hồ sơ: 000.00.17.H48-240611-0027', style: 'bold' },
          { text: '(Liên: Lưu tại Bộ phận Một cửa)', style: 'italic' },
        ],
      },
      body('Bộ phận Tiếp nhận và Trả kết quả Sở Xây dựng tỉnh Quảng Ngãi tiếp nhận hồ sơ của:'),
      body('Ông/bà: Trần Quốc Bảo'),
      body('Địa chỉ: Tổ dân phố 3, phường Trương Quang Trọng, thành phố Quảng Ngãi, tỉnh Quảng Ngãi'),
      body('Số điện thoại: 0914 552 871'),
      body('Nội dung yêu cầu giải quyết: Cấp giấy phép xây dựng đối với công trình nhà ở riêng lẻ.'),
      body('1. Thành phần hồ sơ nộp gồm:'),
      body('a) Đơn đề nghị cấp giấy phép xây dựng: 01 bản chính;'),
      body('b) Giấy chứng nhận quyền sử dụng đất: 01 bản sao có chứng thực;'),
      body('c) Bản vẽ thiết kế xây dựng công trình: 02 bộ.'),
      body('2. Thời gian giải quyết hồ sơ theo quy định là: 15 ngày làm việc.'),
      body('3. Thời gian nhận hồ sơ: 14 giờ 10 phút, ngày 11 tháng 6 năm 2024.'),
      body('4. Thời gian trả kết quả giải quyết hồ sơ: 14 giờ 10 phút, ngày 02 tháng 7 năm 2024.'),
      body(
        '5. Đăng ký nhận kết quả tại: Trung tâm Phục vụ hành chính công tỉnh Quảng Ngãi hoặc qua dịch vụ bưu chính công ích.',
      ),
      {
        kind: 'signatures',
        left: {
          align: 'centre',
          lines: [
            { text: 'NGƯỜI NỘP HỒ SƠ', style: 'bold' },
            { text: '(Ký và ghi rõ họ tên)', style: 'italic' },
          ],
          signer: { name: 'Trần Quốc Bảo' },
        },
        right: {
          align: 'centre',
          lines: [
            { text: 'NGƯỜI TIẾP NHẬN HỒ SƠ', style: 'bold' },
            { text: '(Ký và ghi rõ họ tên)', style: 'italic' },
          ],
          signer: { name: 'Lê Thị Thanh Tâm' },
        },
      },
    ],
  ],
};

const decision: SampleDocument = {
  id: 'quyet-dinh-cho-phep-hoat-dong',
  kind: 'decision',
  agencyCode: '000.00.19.H48',
  dossierCode: '000.00.19.H48-240702-0015',
  pages: [
    [
      {
        kind: 'header',
        left: [
          { text: 'UBND TỈNH QUẢNG NGÃI', style: 'regular' },
          { text: 'SỞ GIÁO DỤC VÀ ĐÀO TẠO', style: 'bold', rule: 'short' },
          { text: 'Số: 1186/QĐ-SGDĐT', style: 'regular' },
        ],
        right: [...motto, { text: 'Quảng Ngãi, ngày 19 tháng 7 năm 2024', style: 'italic' }],
      },
      {
        kind: 'title',
        lines: [
          { text: 'QUYẾT ĐỊNH', style: 'bold', sizePt: 14 },
          {
            text: 'Cho phép hoạt động giáo dục đối với Trung tâm Ngoại ngữ - Tin học Thiên Ấn',
            style: 'bold',
            rule: 'short',
          },
        ],
      },
      centred('GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH QUẢNG NGÃI'),
      body('Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019;', 'italic'),
      body(
        'Căn cứ Nghị định số 46/2017/NĐ-CP ngày 21 tháng 4 năm 2017 của Chính phủ quy định về điều kiện đầu tư và hoạt động trong lĩnh vực giáo dục;',
        'italic',
      ),
      body(
        'Căn cứ Quyết định số 25/2021/QĐ-UBND ngày 20 tháng 5 năm 2021 của Ủy ban nhân dân tỉnh Quảng Ngãi quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Giáo dục và Đào tạo;',
        'italic',
      ),
      body(
        'Xét hồ sơ đề nghị cho phép hoạt động giáo dục của Trung tâm Ngoại ngữ - Tin học Thiên Ấn (mã hồ sơ 000.00.19.H48-240702-0015) và đề nghị của Trưởng phòng Giáo dục chuyên nghiệp - Giáo dục thường xuyên,',
        'italic',
      ),
      centred('QUYẾT ĐỊNH:'),
      body(
        'Điều 1. Cho phép Trung tâm Ngoại ngữ - Tin học Thiên Ấn hoạt động giáo dục kể từ ngày ký Quyết định này, cụ thể như sau:',
      ),
      body(
        '1. Địa chỉ trụ sở: Số 45 đường Lê Trung Đình, phường Trần Hưng Đạo, thành phố Quảng Ngãi, tỉnh Quảng Ngãi.',
      ),
      body('2. Người đứng đầu trung tâm: Ông Huỳnh Văn Khoa.'),
      body(
        '3. Nội dung hoạt động: dạy tiếng Anh theo Khung năng lực ngoại ngữ 6 bậc dùng cho Việt Nam; dạy tin học ứng dụng cơ bản và nâng cao cho học viên từ đủ 15 tuổi trở lên.',
      ),
      body('4. Quy mô đào tạo: tối đa 300 học viên tại cùng một thời điểm.'),
    ],
    [
      { kind: 'paragraph', text: '2', style: 'regular', align: 'centre', indent: false },
      body(
        'Điều 2. Trung tâm Ngoại ngữ - Tin học Thiên Ấn có trách nhiệm tổ chức hoạt động giáo dục theo đúng nội dung được cho phép; thực hiện chế độ báo cáo định kỳ với Sở Giáo dục và Đào tạo; chịu sự kiểm tra, thanh tra của cơ quan quản lý nhà nước có thẩm quyền.',
      ),
      body(
        'Điều 3. Chánh Văn phòng Sở, Trưởng phòng Giáo dục chuyên nghiệp - Giáo dục thường xuyên, Giám đốc Trung tâm Ngoại ngữ - Tin học Thiên Ấn và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.',
      ),
      {
        kind: 'signatures',
        left: {
          align: 'left',
          lines: [
            { text: 'Nơi nhận:', style: 'bold-italic', sizePt: 12 },
            { text: '- Như Điều 3;', style: 'regular', sizePt: 11 },
            { text: '- UBND tỉnh (b/c);', style: 'regular', sizePt: 11 },
            { text: '- Giám đốc, các PGĐ Sở;', style: 'regular', sizePt: 11 },
            { text: '- Cổng Thông tin điện tử Sở;', style: 'regular', sizePt: 11 },
            { text: '- Lưu: VT, GDCN-GDTX.', style: 'regular', sizePt: 11 },
          ],
        },
        right: {
          align: 'centre',
          lines: [
            { text: 'KT. GIÁM ĐỐC', style: 'bold' },
            { text: 'PHÓ GIÁM ĐỐC', style: 'bold' },
          ],
          signer: {
            name: 'Nguyễn Đình Phúc',
            stamp: 'SỞ GIÁO DỤC VÀ ĐÀO TẠO • TỈNH QUẢNG NGÃI •',
          },
        },
      },
    ],
  ],
};

/**
 * The QR text of a result issued from the provincial one-stop system (TT 01/2023): dossier code,
 * procedure code, owner ID, document name, issuing system and issue time, one `key: value` a line,
 * keys without diacritics as the provincial systems print them. Kept short so that the code stays
 * at QR version 9 and decodes from a 200 dpi scan.
 */
function provincialQr(fields: {
  dossierCode: string;
  procedureCode: string;
  ownerId: string;
  documentName: string;
  issuingSystem: string;
  issuedAt: string;
}): string {
  return [
    `MaHoSo:${fields.dossierCode}`,
    `MaTTHC:${fields.procedureCode}`,
    `SoDinhDanh:${fields.ownerId}`,
    `TenGiayTo:${fields.documentName}`,
    `HeThong:${fields.issuingSystem}`,
    `ThoiGianCap:${fields.issuedAt}`,
  ]
    .join('\n')
    .normalize('NFC');
}

const permit: SampleDocument = {
  id: 'giay-phep-xay-dung',
  kind: 'permit',
  agencyCode: '000.00.17.H48',
  dossierCode: '000.00.17.H48-240611-0027',
  qrCode: provincialQr({
    dossierCode: '000.00.17.H48-240611-0027',
    procedureCode: '1.009972',
    ownerId: '051085003127',
    documentName: 'Giấy phép xây dựng',
    issuingSystem: 'HTTTGQTTHC Quảng Ngãi',
    issuedAt: '01/07/2024 09:15',
  }),
  pages: [
    [
      {
        kind: 'header',
        left: [
          { text: 'UBND TỈNH QUẢNG NGÃI', style: 'regular' },
          { text: 'SỞ XÂY DỰNG', style: 'bold', rule: 'short' },
          { text: 'Số: 214/GPXD', style: 'regular' },
        ],
        right: [...motto, { text: 'Quảng Ngãi, ngày 01 tháng 7 năm 2024', style: 'italic' }],
      },
      {
        kind: 'title',
        lines: [
          { text: 'GIẤY PHÉP XÂY DỰNG', style: 'bold', sizePt: 16 },
          { text: '(Sử dụng cho nhà ở riêng lẻ)', style: 'italic' },
        ],
      },
      body('1. Cấp cho: Ông Trần Quốc Bảo.'),
      body('Địa chỉ: Tổ dân phố 3, phường Trương Quang Trọng, thành phố Quảng Ngãi, tỉnh Quảng Ngãi.'),
      body('2. Được phép xây dựng công trình: Nhà ở riêng lẻ.'),
      body('- Theo thiết kế do Công ty TNHH Tư vấn Thiết kế Trà Khúc lập, ký hiệu bản vẽ từ KT-01 đến KT-09.'),
      body('- Vị trí xây dựng: thửa đất số 186, tờ bản đồ số 12, phường Trương Quang Trọng, thành phố Quảng Ngãi.'),
      body('- Cốt nền xây dựng công trình: +0,45 m so với mặt đường hiện trạng.'),
      body('- Mật độ xây dựng: 78%; hệ số sử dụng đất: 2,3 lần.'),
      body('- Diện tích xây dựng tầng 1: 96,5 m²; tổng diện tích sàn: 289,5 m².'),
      body('- Chiều cao công trình: 12,6 m; số tầng: 03 tầng.'),
      body(
        '3. Giấy tờ về đất đai: Giấy chứng nhận quyền sử dụng đất số CS 04127 do Sở Tài nguyên và Môi trường tỉnh Quảng Ngãi cấp ngày 14 tháng 3 năm 2022.',
      ),
      body(
        '4. Giấy phép này có hiệu lực khởi công xây dựng trong thời hạn 12 tháng kể từ ngày cấp; quá thời hạn trên thì phải đề nghị gia hạn giấy phép xây dựng.',
      ),
      body('Mã hồ sơ: 000.00.17.H48-240611-0027.'),
      {
        kind: 'signatures',
        left: {
          align: 'left',
          lines: [
            { text: 'Nơi nhận:', style: 'bold-italic', sizePt: 12 },
            { text: '- Như trên;', style: 'regular', sizePt: 11 },
            { text: '- UBND phường Trương Quang Trọng;', style: 'regular', sizePt: 11 },
            { text: '- Lưu: VT, QLXD.', style: 'regular', sizePt: 11 },
          ],
        },
        right: {
          align: 'centre',
          lines: [{ text: 'GIÁM ĐỐC', style: 'bold' }],
          signer: { name: 'Phan Thanh Hải', stamp: 'SỞ XÂY DỰNG • TỈNH QUẢNG NGÃI •' },
        },
      },
    ],
  ],
};

const separator: SampleDocument = {
  id: 'to-phan-cach',
  kind: 'blank',
  agencyCode: null,
  dossierCode: null,
  pages: [[]],
};

/** The sample documents in the order the demo feeder delivers them; the blank sheet separates one round from the next. */
export const sampleDocuments: readonly SampleDocument[] = [certificate, receipt, decision, permit, separator];

/** Every page of every sample document, flattened in feeder order. */
export const samplePages: readonly SamplePage[] = sampleDocuments.flatMap((document) =>
  document.pages.map((blocks, pageIndex) => ({
    documentId: document.id,
    kind: document.kind,
    pageNumber: pageIndex + 1,
    blank: blocks.length === 0,
    ...(pageIndex === 0 && document.qrCode !== undefined ? { qrCode: document.qrCode } : {}),
    blocks,
  })),
);

/**
 * The feeder order with separators: every page of each sample document, then the blank separator
 * sheet, so a stack splits into its documents at the blank sheets. Positions in `samplePages`.
 */
export const separatedFeeder: readonly number[] = (() => {
  const separator = samplePages.findIndex((page) => page.blank);
  const order: number[] = [];
  samplePages.forEach((page, index) => {
    if (page.blank) return;
    order.push(index);
    const next = samplePages[index + 1];
    if (next === undefined || next.documentId !== page.documentId) order.push(separator);
  });
  return order;
})();

/** Position in `samplePages` of the `index`-th sheet of the feeder that separates documents with blank sheets. */
export function separatedSampleIndex(index: number): number {
  if (!Number.isInteger(index) || index < 0) {
    throw new RangeError(`Page index must be a non-negative integer, got ${index}`);
  }
  return separatedFeeder[index % separatedFeeder.length] ?? 0;
}

/** Position in `samplePages` of the page the feeder delivers as its `index`-th sheet (the feeder cycles). */
export function samplePageIndex(index: number): number {
  if (!Number.isInteger(index) || index < 0) {
    throw new RangeError(`Page index must be a non-negative integer, got ${index}`);
  }
  return index % samplePages.length;
}

/** The sample page delivered as the `index`-th sheet. */
export function samplePage(index: number): SamplePage {
  const page = samplePages[samplePageIndex(index)];
  if (page === undefined) throw new RangeError(`No sample page at ${index}`);
  return page;
}

/**
 * Exact printed text of a page, NFC.
 *
 * Blocks in reading order separated by a blank line; header and signature
 * columns left column first, one printed line per line; a paragraph as one
 * line however it wraps. Stamps, signatures and QR codes are not text. A blank page is ''.
 */
export function pageText(page: SamplePage): string {
  return page.blocks
    .map((block) => blockText(block))
    .join('\n\n')
    .normalize('NFC');
}

/** Exact printed text of the `index`-th sheet the demo feeder delivers. */
export function samplePageText(index: number): string {
  return pageText(samplePage(index));
}

function blockText(block: DocumentBlock): string {
  switch (block.kind) {
    case 'header':
      return [...block.left, ...block.right].map((line) => line.text).join('\n');
    case 'title':
      return block.lines.map((line) => line.text).join('\n');
    case 'paragraph':
      return block.text;
    case 'signatures':
      return [block.left, block.right]
        .filter((column) => column !== undefined)
        .map((column) => columnText(column))
        .join('\n');
  }
}

function columnText(column: SignatureColumn): string {
  const lines = column.lines.map((line) => line.text);
  if (column.signer !== undefined) lines.push(column.signer.name);
  return lines.join('\n');
}
