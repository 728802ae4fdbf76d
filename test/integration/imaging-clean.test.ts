import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImagingPool } from '../../electron/engine/imaging/imaging-pool.js';
import { createImagingPool } from '../../electron/engine/imaging/imaging-pool.js';
import type { PageAnalysis } from '../../electron/engine/imaging/page-cleaner.js';
import { renderDemoPage } from '../../electron/engine/scan/demo-pages.js';
import type { Degradation, FixturePage } from '../unit/imaging/page-fixtures.js';
import { blankPage, degrade, renderTextPage } from '../unit/imaging/page-fixtures.js';

const decree =
  'Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; căn cứ Nghị định số 45/2020/NĐ-CP ngày 08 tháng 4 năm 2020 của Chính phủ về thực hiện thủ tục hành chính trên môi trường điện tử; xét đề nghị của Giám đốc Sở Khoa học và Công nghệ tỉnh Quảng Ngãi tại Tờ trình số 123/TTr-SKHCN ngày 02 tháng 3 năm 2026.';
const receipt =
  'Giấy tiếp nhận hồ sơ và hẹn trả kết quả. Mã hồ sơ: 000.00.17.H48-210315-0001. Tên thủ tục: Đăng ký hoạt động khoa học và công nghệ. Ngày hẹn trả kết quả: 29 tháng 3 năm 2026. Người tiếp nhận ký và ghi rõ họ tên.';

/** The clockwise turn that makes a sheet fed `turn` degrees clockwise read upright. */
function correctionOf(turn: 0 | 90 | 180 | 270): 0 | 90 | 180 | 270 {
  return ((360 - turn) % 360) as 0 | 90 | 180 | 270;
}

describe('imaging pool on generated scans', () => {
  let pool: ImagingPool;
  let letter: FixturePage;
  let notice: FixturePage;

  beforeAll(async () => {
    pool = createImagingPool({ size: 2 });
    letter = await renderTextPage({
      blocks: ['ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI', 'QUYẾT ĐỊNH', decree, decree],
      dpi: 200,
      stamp: true,
    });
    notice = await renderTextPage({
      blocks: ['SỞ KHOA HỌC VÀ CÔNG NGHỆ', receipt, receipt],
      dpi: 300,
      widthMm: 148,
      heightMm: 160,
    });
  }, 120_000);

  afterAll(async () => {
    await pool.close();
  });

  const cases: {
    name: string;
    page: () => FixturePage;
    degradation: Degradation & { skewDeg: number; turnDeg: 0 | 90 | 180 | 270 };
  }[] = [
    {
      name: 'upright, skewed 2.3°',
      page: () => letter,
      degradation: { skewDeg: 2.3, turnDeg: 0, noise: 8, format: 'jpeg' },
    },
    {
      name: 'turned 90°, skewed −3.7°',
      page: () => letter,
      degradation: { skewDeg: -3.7, turnDeg: 90, speckles: 300, format: 'jpeg' },
    },
    {
      name: 'upside down, skewed 0.6°',
      page: () => letter,
      degradation: { skewDeg: 0.6, turnDeg: 180, border: 14, grey: true },
    },
    {
      name: 'turned 270°, skewed −1.2°',
      page: () => letter,
      degradation: { skewDeg: -1.2, turnDeg: 270, noise: 12, format: 'jpeg' },
    },
    {
      name: 'upright, skewed 4.8°',
      page: () => notice,
      degradation: { skewDeg: 4.8, turnDeg: 0, speckles: 200, grey: true },
    },
    {
      name: 'upside down, skewed −4.4°',
      page: () => notice,
      degradation: { skewDeg: -4.4, turnDeg: 180, noise: 8, format: 'jpeg' },
    },
    {
      name: 'turned 90°, not skewed',
      page: () => notice,
      degradation: { skewDeg: 0, turnDeg: 90, border: 10, format: 'jpeg' },
    },
    {
      name: 'upright, skewed −0.35°',
      page: () => notice,
      degradation: { skewDeg: -0.35, turnDeg: 0, noise: 6, grey: true },
    },
  ];

  for (const { name, page, degradation } of cases) {
    it(`finds skew and orientation of a page ${name}`, async () => {
      const scan = await degrade(page().png, degradation);
      const analysis = await pool.analyse(scan);
      expect(analysis.blank).toBe(false);
      expect(analysis.orientation).toBe(correctionOf(degradation.turnDeg));
      expect(Math.abs(analysis.skewDeg - degradation.skewDeg)).toBeLessThanOrEqual(0.3);

      // The suggested transforms applied to the scan leave an upright, straight page.
      const rendered = await pool.render(scan, analysis.transforms, { mode: 'gray', jpegQuality: 90 });
      const again = await pool.analyse(rendered.data, { dpi: analysis.dpi });
      expect(again.orientation).toBe(0);
      expect(Math.abs(again.skewDeg)).toBeLessThanOrEqual(0.3);
      const upright = degradation.turnDeg === 90 || degradation.turnDeg === 270;
      const width = upright ? analysis.heightPx : analysis.widthPx;
      expect(Math.abs(rendered.width - width)).toBeLessThanOrEqual(width * 0.05);
    });
  }

  it('crops the dark scanner-lid band around a page and keeps the page', async () => {
    const scan = await degrade(letter.png, { border: 24, skewDeg: 1.1, turnDeg: 0 });
    const analysis = await pool.analyse(scan);
    expect(analysis.crop).not.toBeNull();
    expect(analysis.transforms.map((transform) => transform.kind)).toEqual(['crop', 'deskew']);
    const rendered = await pool.render(scan, analysis.transforms, { mode: 'gray', jpegQuality: 90 });
    const { data, info } = await sharp(rendered.data).greyscale().raw().toBuffer({ resolveWithObject: true });
    const edgeMean = (pixels: number[]): number => pixels.reduce((sum, value) => sum + value, 0) / pixels.length;
    const top = [...data.subarray(0, info.width)];
    const left = Array.from({ length: info.height }, (_, y) => data[y * info.width] ?? 0);
    expect(edgeMean(top)).toBeGreaterThan(200);
    expect(edgeMean(left)).toBeGreaterThan(200);
    expect(rendered.width).toBeGreaterThan(letter.widthPx - 60);
  });

  it('finds every blank page, speckled or showing the back side through, and marks no text page blank', async () => {
    const size = { widthPx: letter.widthPx, heightPx: letter.heightPx, dpi: 200 };
    const blanks = await Promise.all([
      blankPage({ ...size }),
      blankPage({ ...size, speckles: 600, seed: 3 }),
      blankPage({ ...size, speckles: 80, showThrough: letter.png, seed: 5 }),
      blankPage({ ...size, speckles: 200, showThrough: notice.png, seed: 9 }).then((png) =>
        degrade(png, { border: 12, format: 'jpeg' }),
      ),
    ]);
    const blankResults = await Promise.all(blanks.map((png) => pool.analyse(png)));
    expect(blankResults.map((result) => result.blank)).toEqual([true, true, true, true]);
    // The quick check the station runs on every captured page agrees with the full analysis.
    expect(await Promise.all(blanks.map((png) => pool.isBlank(png)))).toEqual([true, true, true, true]);

    // Text pages, including the demo scanner's documents (real layouts with stamps and signatures),
    // sparse ones, and a faint grey scan.
    const demo = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((index) =>
        renderDemoPage({ index, dpi: 150, colourMode: index % 2 === 0 ? 'color' : 'gray' }),
      ),
    );
    const sparse = await renderTextPage({ blocks: ['Trang 2', 'Ghi chú: không có.'], dpi: 200 });
    const faint = await sharp(notice.png)
      .linear(0.45, 255 * 0.55)
      .png()
      .toBuffer();
    const texts: { name: string; png: Buffer }[] = [
      ...demo
        .map((page, index) => ({ name: `demo ${index}: ${page.text.slice(0, 30)}`, png: page.data, text: page.text }))
        .filter((page) => page.text.trim() !== '')
        .map(({ name, png }) => ({ name, png })),
      { name: 'sparse', png: sparse.png },
      { name: 'faint', png: faint },
    ];
    const textResults: PageAnalysis[] = await Promise.all(texts.map((page) => pool.analyse(page.png)));
    textResults.forEach((result, index) => expect(result.blank, texts[index]!.name).toBe(false));
    const quick = await Promise.all(texts.map((page) => pool.isBlank(page.png)));
    quick.forEach((blank, index) => expect(blank, `quick check of ${texts[index]!.name}`).toBe(false));
    // A full A4 scan at 300 dpi, as JPEG (decoded shrunk on load): text is still text, a blank still blank.
    const scanned = await renderDemoPage({ index: 0, dpi: 300, colourMode: 'color' });
    expect(await pool.isBlank(scanned.data, { dpi: 300 })).toBe(false);
    const blankScan = await sharp(blanks[2])
      .resize({ width: Math.round((letter.widthPx * 300) / 200) })
      .jpeg()
      .toBuffer();
    expect(await pool.isBlank(blankScan, { dpi: 300 })).toBe(true);
    // The demo documents are upright; their orientation must be found as such.
    textResults
      .slice(0, texts.length - 2)
      .forEach((result, index) => expect(result.orientation, texts[index]!.name).toBe(0));
  });

  it('measures colour, grey and bi-level pages', async () => {
    const colour = await pool.analyse(letter.png);
    expect(colour.colourMode).toBe('color');
    const grey = await pool.analyse(
      await sharp(notice.png).greyscale().blur(0.8).toColourspace('b-w').png().toBuffer(),
    );
    expect(grey.colourMode).toBe('gray');
    expect(grey.captureMode).toBe('gray');
    const bilevel = await pool.analyse(
      await sharp(notice.png).greyscale().threshold(128).toColourspace('b-w').png({ palette: false }).toBuffer(),
    );
    expect(bilevel.colourMode).toBe('lineart');
  });

  it('drops a queued task when its signal aborts', async () => {
    const controller = new AbortController();
    const busy = [pool.analyse(letter.png), pool.analyse(letter.png)];
    const queued = pool.analyse(notice.png, {}, controller.signal);
    controller.abort();
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    await Promise.all(busy);
  });
});
