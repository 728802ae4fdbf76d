// `npm run bench store`: the offline store at the size of years of records (issue 3).
//
// Seeds 100,000 documents of 10 pages (1,000,000 page rows) through the store's own code — the
// capture repository for pages, the workflow for documents — with OCR text and metadata for every
// document, then measures: page ingest (rows), the file store (on a sample of files: a million real
// files only measure the disk), listing the queue by state, search, bytes of database per page, and
// peak memory. The reference column is the same work done the plainest possible way (bare inserts,
// unsynced writes), to show what the store's safety costs. Everything lives in one folder under
// /tmp and is deleted at the end.
import BetterSqlite3 from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultSettings } from '../shared/settings.js';
import type { WorkflowState } from '../shared/domain.js';
import { systemClock } from '../electron/engine/clock.js';
import { foldText, reindexAllDocuments } from '../electron/engine/store/search-index.js';
import { openStore } from '../electron/engine/store/store.js';

const documents = Number(process.env.BENCH_DOCUMENTS ?? 100_000);
const pagesPerDocument = 10;
const totalPages = documents * pagesPerDocument;
const sampleFiles = Number(process.env.BENCH_FILES ?? 10_000);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-bench-store-'));

// A Vietnamese vocabulary with a skewed frequency, so some words are in most documents and others
// in few, as in real records.
const vocabulary = `ủy ban nhân dân tỉnh quảng ngãi sở khoa học công nghệ quyết định về việc cấp giấy chứng nhận đăng ký
hoạt động kinh doanh doanh nghiệp hộ gia đình cá nhân quyền sử dụng đất nhà ở tài sản gắn liền với xây dựng công trình
giấy phép môi trường y tế giáo dục đào tạo lao động thương binh xã hội tư pháp hộ tịch khai sinh kết hôn khai tử
chứng thực bản sao điện tử số hóa thủ tục hành chính hồ sơ kết quả giải quyết tiếp nhận trả kết quả một cửa liên thông
điều khoản thi hành hiệu lực kể từ ngày ký chánh văn phòng giám đốc phó chủ tịch thủ trưởng các cơ quan đơn vị
liên quan chịu trách nhiệm nơi nhận lưu vt huyện xã phường thị trấn thành phố bình sơn đức phổ mộ đức nghĩa hành
sơn tịnh tư nghĩa trà bồng ba tơ minh long lý sơn năm hai nghìn hai mươi mốt báo cáo kế hoạch thông báo tờ trình
nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý văn thị minh thanh hương lan đức anh`
  .split(/\s+/)
  .filter(Boolean);
function word(): string {
  // Zipf-like: low indexes far more often.
  const index = Math.floor(vocabulary.length * Math.pow(Math.random(), 2.2));
  return vocabulary[index] ?? 'số';
}
function sentence(words: number): string {
  return Array.from({ length: words }, word).join(' ');
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
function time<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}
const log = (text: string): void => void process.stderr.write(`${text}\n`);

async function main(): Promise<void> {
  const dataDir = path.join(root, 'station');
  const store = openStore({ dataDir, clock: systemClock, settings: () => defaultSettings() });
  const { db } = store;
  const rows: [string, string, string, string][] = [];

  // 1. Page rows through the capture repository, 10,000 pages per transaction (a scanner's pages
  //    arrive one by one; batching here measures what the schema costs, the per-page commit below
  //    what durability costs).
  log(`seeding ${documents.toLocaleString()} documents, ${totalPages.toLocaleString()} pages in ${root}`);
  const fakeSha = (n: number, salt: string) => crypto.createHash('sha256').update(`${salt}${n}`).digest('hex');
  const startedAt = new Date().toISOString();
  let pageNumber = 0;
  const ingest = time(() => {
    const chunk = db.transaction((from: number, to: number) => {
      for (let d = from; d < to; d += 1) {
        const batchId = `b${d}`;
        store.captures.createBatch({ id: batchId, deviceId: 'bench', startedAt });
        for (let index = 0; index < pagesPerDocument; index += 1) {
          pageNumber += 1;
          store.captures.addPage({
            id: `p${pageNumber}`,
            batchId,
            index,
            sha256: fakeSha(pageNumber, 'page'),
            thumbSha256: fakeSha(pageNumber, 'thumb'),
            mimeType: 'image/jpeg',
            widthPx: 2480,
            heightPx: 3508,
            dpi: 300,
            colourMode: 'color',
            deviceId: 'bench',
            capturedAt: startedAt,
            source: 'adf',
            bytes: 400_000,
          });
        }
        store.captures.endBatch(batchId, 'finished', startedAt, null);
      }
    });
    for (let d = 0; d < documents; d += 1000) chunk(d, Math.min(documents, d + 1000));
  });
  const ingestRate = totalPages / (ingest.ms / 1000);
  log(`  pages: ${ingestRate.toFixed(0)} rows/s`);

  // The same rows into a bare table, no checks, no indexes: the floor of what SQLite can do here.
  const bare = new BetterSqlite3(path.join(root, 'bare.db'));
  bare.pragma('journal_mode = WAL');
  bare.exec(`CREATE TABLE pages (id TEXT, batch_id TEXT, idx INTEGER, sha256 TEXT, thumb TEXT, meta TEXT)`);
  const bareInsert = bare.prepare(`INSERT INTO pages VALUES (?, ?, ?, ?, ?, ?)`);
  const bareRows = Math.min(totalPages, 200_000);
  const bareTime = time(() =>
    bare.transaction(() => {
      for (let n = 0; n < bareRows; n += 1)
        bareInsert.run(`p${n}`, `b${n}`, n % 10, fakeSha(n, 'page'), fakeSha(n, 'thumb'), 'x');
    })(),
  );
  bare.close();
  const bareRate = bareRows / (bareTime.ms / 1000);

  // One page per transaction, synchronous=FULL: the live capture path, on a sample.
  const livePages = 500;
  store.captures.createBatch({ id: 'live', deviceId: 'bench', startedAt });
  const live = time(() => {
    for (let index = 0; index < livePages; index += 1) {
      store.captures.addPage({
        id: `live${index}`,
        batchId: 'live',
        index,
        sha256: fakeSha(index, 'live'),
        thumbSha256: fakeSha(index, 'live-thumb'),
        mimeType: 'image/jpeg',
        widthPx: 2480,
        heightPx: 3508,
        dpi: 300,
        colourMode: 'color',
        deviceId: 'bench',
        capturedAt: startedAt,
      });
    }
  });
  store.captures.endBatch('live', 'finished', startedAt, null);
  const liveRate = livePages / (live.ms / 1000);
  log(`  live (one commit per page): ${liveRate.toFixed(0)} pages/s`);

  // 2. Documents through the workflow (audit row, search entry), then OCR text and metadata in bulk.
  const docTime = time(() => {
    const chunk = db.transaction((from: number, to: number) => {
      for (let d = from; d < to; d += 1) store.workflow.createFromBatch(`b${d}`, 'bench');
    });
    for (let d = 0; d < documents; d += 1000) chunk(d, Math.min(documents, d + 1000));
    store.workflow.createFromBatch('live', 'bench');
  });
  log(`  documents: ${(documents / (docTime.ms / 1000)).toFixed(0)} /s`);

  const ocrInsert = db.prepare(
    `INSERT INTO ocr_results (page_id, text, lines, orientation, confidence, languages, engine, width_px, height_px, recognized_at)
     VALUES (?, ?, '[]', 0, 90, 'vie+eng', 'bench', 2480, 3508, ?)`,
  );
  const metaInsert = db.prepare(
    `INSERT INTO metadata (document_id, document_number, issued_date, summary, issuing_agency, owner_name, updated_at)
     VALUES (?, ?, '2021-09-22', ?, ?, ?, ?)`,
  );
  const docIds = db.prepare(`SELECT id, batch_id FROM documents ORDER BY seq`).all() as {
    id: string;
    batch_id: string;
  }[];
  const seedText = time(() => {
    db.transaction(() => {
      for (let n = 1; n <= pageNumber; n += 1)
        ocrInsert.run(`p${n}`, `${sentence(8)}\n${sentence(14)}\n${sentence(14)}`, startedAt);
      db.exec(`UPDATE pages SET ocr_state = 'done' WHERE id IN (SELECT page_id FROM ocr_results)`);
      for (const doc of docIds) {
        metaInsert.run(
          doc.id,
          `${crypto.randomInt(9999)}/QĐ-UBND`,
          sentence(10),
          'Sở Khoa học và Công nghệ',
          `${word()} ${word()} ${word()}`,
          startedAt,
        );
      }
    })();
  });
  const index = time(() => db.transaction(() => reindexAllDocuments(db))());
  // What the running station does in the background, 200 ms every few minutes, done here at once.
  const merged = time(() => {
    while (store.maintainSearch(1000));
  });
  log(
    `  OCR text and metadata: ${(seedText.ms / 1000).toFixed(1)} s; search index: ${(index.ms / 1000).toFixed(1)} s,` +
      ` merged in ${(merged.ms / 1000).toFixed(1)} s`,
  );

  // Spread documents over the workflow states (direct writes that satisfy the schema's CHECKs).
  const states: WorkflowState[] = [
    'captured',
    'reviewed',
    'operator-signed',
    'extracted',
    'coded',
    'sealed',
    'queued',
    'delivered',
    'verified',
  ];
  db.exec(`
    UPDATE documents SET
      workflow_state = CASE seq % 9 WHEN 0 THEN 'captured' WHEN 1 THEN 'reviewed' WHEN 2 THEN 'operator-signed' WHEN 3 THEN 'extracted'
        WHEN 4 THEN 'coded' WHEN 5 THEN 'sealed' WHEN 6 THEN 'queued' WHEN 7 THEN 'delivered' ELSE 'verified' END,
      operator_signature = CASE WHEN seq % 9 >= 2 THEN '{"skipped":true}' END,
      pdf_sha256 = CASE WHEN seq % 9 >= 5 THEN '${'a'.repeat(64)}' END,
      receipt = CASE WHEN seq % 9 >= 7 THEN '{}' END,
      state_changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (seq % 1000) || ' minutes')`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');

  // 3. Queue by state: the first 100 documents of one or two states, as the queue screen asks.
  const queueTimes: number[] = [];
  for (let run = 0; run < 300; run += 1) {
    const wanted = run % 3 === 0 ? [states[run % 9]!, states[(run + 3) % 9]!] : [states[run % 9]!];
    queueTimes.push(time(() => store.queue({ states: wanted, limit: 100 })).ms);
  }

  // 4. Search: one to three words typed without diacritics, 20 hits with snippets.
  const searchTimes: number[] = [];
  let hitsSeen = 0;
  for (let run = 0; run < 300; run += 1) {
    const query = foldText(Array.from({ length: 1 + (run % 3) }, word).join(' '));
    const result = time(() => store.search.query(query, { limit: 20 }));
    searchTimes.push(result.ms);
    hitsSeen += result.value.hits.length;
  }

  // 5. Size.
  const dbBytes = fs.statSync(path.join(dataDir, 'station.db')).size;
  let breakdown = '';
  try {
    const parts = db
      .prepare(
        `SELECT CASE WHEN name LIKE 'search_fts%' THEN 'search' WHEN name IN ('ocr_results') OR name LIKE 'sqlite_autoindex_ocr%' THEN 'ocr'
                     WHEN name LIKE '%page%' THEN 'pages' ELSE 'other' END AS part, sum(pgsize) AS bytes FROM dbstat GROUP BY part`,
      )
      .all() as { part: string; bytes: number }[];
    breakdown = parts.map((part) => `${part.part} ${(part.bytes / totalPages).toFixed(0)}`).join(', ');
  } catch {
    breakdown = 'dbstat not compiled in';
  }
  store.close();

  // 6. The file store on a sample: put() writes, fsyncs the file and its folder, renames.
  const files = openStore({ dataDir: path.join(root, 'files'), clock: systemClock, settings: () => defaultSettings() });
  const blobs = Array.from({ length: sampleFiles }, () => crypto.randomBytes(20_000 + crypto.randomInt(20_000)));
  const sampleBytes = blobs.reduce((sum, blob) => sum + blob.length, 0);
  const putStart = performance.now();
  for (let i = 0; i < blobs.length; i += 4)
    await Promise.all(blobs.slice(i, i + 4).map((blob) => files.files.put(blob)));
  const putSeconds = (performance.now() - putStart) / 1000;
  const readStart = performance.now();
  for (const blob of blobs.slice(0, 2000))
    await files.files.read(crypto.createHash('sha256').update(blob).digest('hex'));
  const readSeconds = (performance.now() - readStart) / 1000;
  files.close();
  // Reference: the same bytes with plain writeFileSync, no fsync, no rename.
  const plainDir = path.join(root, 'plain');
  fs.mkdirSync(plainDir);
  const plainStart = performance.now();
  blobs.forEach((blob, i) => fs.writeFileSync(path.join(plainDir, String(i)), blob));
  const plainSeconds = (performance.now() - plainStart) / 1000;

  const rssMb = process.resourceUsage().maxRSS / 1024;
  const table: [string, string, string, string][] = [
    [
      'page ingest, rows (10,000 per commit)',
      `${ingestRate.toFixed(0)} pages/s`,
      `${bareRate.toFixed(0)} rows/s bare table`,
      '≥ 5,000 pages/s',
    ],
    ['page ingest, one commit per page (live)', `${liveRate.toFixed(0)} pages/s`, '', 'scanner speed (~1–2/s)'],
    ['documents via the workflow', `${(documents / (docTime.ms / 1000)).toFixed(0)} /s`, '', ''],
    [
      `file store put, ${sampleFiles.toLocaleString()} files of 20–40 KB`,
      `${(sampleFiles / putSeconds).toFixed(0)} files/s, ${(sampleBytes / 1e6 / putSeconds).toFixed(1)} MB/s`,
      `${(sampleFiles / plainSeconds).toFixed(0)} files/s unsynced writeFileSync`,
      'disk-bound',
    ],
    ['file store read + verify', `${(2000 / readSeconds).toFixed(0)} files/s`, '', ''],
    [
      'queue by state, p95 (100 rows)',
      `${percentile(queueTimes, 95).toFixed(2)} ms`,
      `p50 ${percentile(queueTimes, 50).toFixed(2)} ms`,
      '< 20 ms',
    ],
    [
      'search, p95 (20 hits + snippets)',
      `${percentile(searchTimes, 95).toFixed(2)} ms`,
      `p50 ${percentile(searchTimes, 50).toFixed(2)} ms, ${(hitsSeen / 300).toFixed(1)} hits/query`,
      '< 50 ms',
    ],
    ['database bytes per page', `${(dbBytes / totalPages).toFixed(0)} B`, breakdown, ''],
    [
      'database size',
      `${(dbBytes / 1e9).toFixed(2)} GB`,
      `${totalPages.toLocaleString()} pages, ${documents.toLocaleString()} documents`,
      '',
    ],
    ['peak memory (RSS)', `${rssMb.toFixed(0)} MB`, '', ''],
  ];
  rows.push(...table);
  const header: [string, string, string, string] = ['metric', 'station', 'reference', 'goal'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, load ${os
      .loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')}, /tmp on ${fs.statfsSync(root).type === 0x01021994 ? 'tmpfs' : 'disk'}`,
  );
  console.log(line(header));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) console.log(line(row));
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    // BENCH_KEEP=1 leaves the folder for a closer look (the path is printed on stderr).
    if (process.env.BENCH_KEEP === '1') log(`kept ${root}`);
    else fs.rmSync(root, { recursive: true, force: true });
  });
