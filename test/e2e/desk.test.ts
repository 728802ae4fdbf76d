// The whole clerk's desk in Chromium through the browser bridge (issue 8): demo scanner, 20 pages →
// split at the blank separator sheets → rotate one page, delete one, reorder two → index with
// invalid values (errors shown) then valid ones → queue → delivered to the reference warehouse →
// found by a search typed without diacritics. Every screen is checked with axe-core and saved as a
// screenshot under test-results/e2e/desk-*.png.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallArgs, CallName, CallValue } from '../../shared/contract.js';
import type { CallResult } from '../../shared/errors.js';
import { seriousAxeViolations } from '../support/axe.js';
import { repoRoot, startServe } from '../support/built-cli.js';
import type { LaunchedChromium } from '../support/chromium.js';
import { launchChromium } from '../support/chromium.js';
import type { ReferenceWarehouse } from '../support/warehouse/reference-warehouse.js';
import { startReferenceWarehouse } from '../support/warehouse/reference-warehouse.js';
import { writeStationConfig } from '../support/warehouse/station-fixture.js';

const shots = path.join(repoRoot, 'test-results', 'e2e');
const pageCount = 20;

async function stopServe(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') child.kill('SIGKILL');
}

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the clerk’s desk, end to end', () => {
  let dataDir = '';
  let warehouse: ReferenceWarehouse | undefined;
  let serve: { child: ChildProcess; url: string; port: number; token: string } | undefined;
  let chromium: LaunchedChromium | undefined;
  let page: Page;
  const problems: string[] = [];

  /** The engine's own answer, for checking what the UI claims (same bridge, same token). */
  async function api<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallValue<N>> {
    if (serve === undefined) throw new Error('no station');
    const response = await fetch(`http://127.0.0.1:${serve.port}/api/${name}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${serve.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(args),
    });
    const result = (await response.json()) as CallResult<CallValue<N>>;
    if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
    return result.value;
  }

  async function look(name: string): Promise<void> {
    await page.screenshot({ path: path.join(shots, `desk-${name}.png`), fullPage: false });
    expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
  }

  beforeAll(async () => {
    for (const built of ['dist/renderer/index.html', 'dist/cli/sohoa.cjs']) {
      if (!fs.existsSync(path.join(repoRoot, built))) {
        throw new Error(`${built} is missing: run \`npm run build\` (or \`npm run test:e2e\`, which builds first)`);
      }
    }
    fs.mkdirSync(shots, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-e2e-desk-'));
    warehouse = await startReferenceWarehouse({ dataDir: path.join(dataDir, 'warehouse') });
    const stationDir = path.join(dataDir, 'station');
    fs.mkdirSync(stationDir);
    writeStationConfig(stationDir, { url: warehouse.url, clientId: warehouse.client.id });
    serve = await startServe(stationDir);
    chromium = await launchChromium();
    const context = await chromium.browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
  }, 60_000);

  afterAll(async () => {
    if (page !== undefined && problems.length > 0) console.error(problems.join('\n'));
    await chromium?.cleanup();
    if (serve !== undefined) await stopServe(serve.child);
    await warehouse?.close();
    if (dataDir !== '') fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('sets the warehouse secret on the settings screen, where it is never shown again', async () => {
    if (serve === undefined || warehouse === undefined) throw new Error('no station');
    await page.goto(serve.url);
    await page.getByRole('status', { name: 'Kết nối với bộ máy xử lý' }).getByText('Đã kết nối').waitFor();
    await page.keyboard.press('Alt+6');
    const secret = page.getByRole('textbox', { name: 'Mật khẩu kết nối kho (client secret)' });
    await secret.fill(warehouse.client.secret);
    await page.getByRole('button', { name: 'Lưu mật khẩu kết nối' }).click();
    await page.getByText('Đã lưu mật khẩu kết nối.').waitFor();
    expect(await secret.inputValue()).toBe('');
    await look('settings');
  });

  it('scans 20 demo pages and shows each as it arrives', async () => {
    await page.keyboard.press('Alt+1');
    await page.getByLabel('Máy quét', { exact: true }).selectOption('demo');
    await page.getByLabel('Số trang', { exact: true }).fill(String(pageCount));
    await page.getByRole('button', { name: 'Quét', exact: true }).click();
    await page.getByRole('img', { name: `Trang ${pageCount}`, exact: true }).waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Kiểm tra lô này' }).waitFor({ timeout: 60_000 });
    await look('capture');
  }, 180_000);

  let documentIds: string[] = [];

  it('offers the split at the blank separator sheets and splits the batch into its documents', async () => {
    await page.getByRole('button', { name: 'Kiểm tra lô này' }).click();
    // The blank flags come from the imaging step after capture; the offer appears once they are in.
    const offer = page.getByText(/Phát hiện \d+ trang trắng phân cách — tách thành \d+ tài liệu\?/);
    await offer.waitFor({ timeout: 90_000 });
    expect(await offer.textContent()).toContain('Phát hiện 9 trang trắng phân cách — tách thành 9 tài liệu?');
    await look('review-offer');
    await page.getByRole('button', { name: 'Tách tài liệu', exact: true }).click();
    await offer.waitFor({ state: 'detached', timeout: 30_000 });

    const batches = await api('batches:list', { limit: 1 });
    const batchId = batches[0]?.id;
    if (batchId === undefined) throw new Error('no batch');
    const documents = await until('nine documents', async () => {
      const list = await api('documents:list', { batchId });
      return list.length === 9 ? list : undefined;
    });
    // Paper order (by the capture index of each document's first page): a certificate, a receipt,
    // a two-page decision, a permit, and again.
    const unordered = await Promise.all(documents.map((document) => api('documents:get', { documentId: document.id })));
    const first = (detail: (typeof unordered)[number]): number => Math.min(...detail.pages.map((p) => p.index));
    const details = unordered.sort((a, b) => first(a) - first(b));
    documentIds = details.map((detail) => detail.id);
    expect(details.map((detail) => detail.pages.length)).toEqual([1, 1, 2, 1, 1, 1, 2, 1, 1]);
    expect(details.every((detail) => detail.pages.every((p) => !p.blank))).toBe(true);
  }, 150_000);

  function documentButton(number: number): Locator {
    return page
      .getByRole('navigation', { name: 'Tài liệu của lô' })
      .getByRole('button', { name: new RegExp(`Tài liệu ${number}\\b`) });
  }

  function pageCell(number: number): Locator {
    return page.getByRole('option', { name: new RegExp(`^Trang ${number}\\b`) });
  }

  it('rotates a page, reorders the two pages of the decision, and deletes a page of another document', async () => {
    const decision = documentIds[2];
    const second = documentIds[6];
    if (decision === undefined || second === undefined) throw new Error('documents missing');
    const before = await api('documents:get', { documentId: decision });

    await documentButton(3).click();
    await pageCell(2).waitFor();
    await pageCell(1).click();
    await page.keyboard.press('r');
    await page.getByText('Xoay 90°').first().waitFor();
    await pageCell(2).click();
    await page.keyboard.press('Alt+ArrowLeft');
    const reordered = await until('the new page order', async () => {
      const detail = await api('documents:get', { documentId: decision });
      return detail.pages[0]?.id === before.pages[1]?.id ? detail : undefined;
    });
    expect(reordered.pages.map((p) => p.id)).toEqual([before.pages[1]?.id, before.pages[0]?.id]);
    expect(reordered.pages[1]?.transforms).toEqual([{ kind: 'rotate', degrees: 90 }]);
    await look('review');

    // The turned page is read again that way up by the window's workers; the OCR view shows its words.
    await pageCell(2).click();
    await page.keyboard.press('t');
    await page.getByText(/Độ tin cậy OCR trung bình/).waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: /^Nhận dạng lại/ }).waitFor();
    await look('review-ocr');
    await page.keyboard.press('t');

    await documentButton(7).click();
    await pageCell(2).click();
    await page.keyboard.press('Delete');
    await page.getByRole('alertdialog').waitFor();
    await page.getByRole('alertdialog').getByRole('button', { name: /^Xóa/ }).click();
    const pruned = await until('the page removed', async () => {
      const detail = await api('documents:get', { documentId: second });
      return detail.pages.length === 1 ? detail : undefined;
    });
    expect(pruned.pages).toHaveLength(1);
  }, 120_000);

  it('indexes the decision: invalid values are shown on their fields, valid ones finish it into the queue', async () => {
    const decision = documentIds[2];
    if (decision === undefined) throw new Error('no decision');
    await documentButton(3).click();
    await pageCell(2).waitFor();
    // Extraction needs the OCR of every page; the window's own workers read them.
    await until(
      'the OCR of the decision',
      async () => {
        const detail = await api('documents:get', { documentId: decision });
        return detail.pages.every((p) => p.ocrState === 'done') ? true : undefined;
      },
      240_000,
    );
    await page.keyboard.press('Control+Enter');
    await page.getByRole('heading', { name: 'Biên mục tài liệu' }).waitFor();

    const summary = page.getByLabel('Trích yếu nội dung');
    // Telex typed into a field is text: no shortcut fires (S would split, D delete, J…).
    await summary.fill('');
    await summary.pressSequentially('Quyeets ddinhj');
    expect(await summary.inputValue()).toBe('Quyeets ddinhj');
    await expect.poll(() => page.getByRole('heading', { name: 'Biên mục tài liệu' }).isVisible()).toBe(true);
    await summary.fill('Quyết định cho phép hoạt động cơ sở giáo dục');

    await page.getByLabel('Số, ký hiệu', { exact: false }).first().fill('15/QĐ-SXD');
    await page.getByLabel('Ngày ban hành').fill('31/02/2024');
    await page.getByLabel('Mã hồ sơ').fill('000.00.53.H48-241399-0015');
    await page.getByRole('button', { name: 'Lưu', exact: true }).click();
    // Each error stands under its field and again in the summary at the top.
    await page.getByText('Ngày này không có thật (ví dụ 29/02 chỉ có trong năm nhuận).').first().waitFor();
    await page.getByText('Phần ngày tiếp nhận (YYMMDD) trong mã hồ sơ không phải ngày có thật.').first().waitFor();
    expect(await page.getByText('Ngày này không có thật (ví dụ 29/02 chỉ có trong năm nhuận).').count()).toBe(2);
    expect(await page.getByLabel('Ngày ban hành').getAttribute('aria-invalid')).toBe('true');
    await look('index-invalid');
    expect((await api('documents:get', { documentId: decision })).metadata.issuedDate).toBeNull();

    await page.getByLabel('Ngày ban hành').fill('12/03/2024');
    await page.getByLabel('Mã hồ sơ').fill('000.00.53.H48-240312-0015');
    await page.getByLabel('Mã loại kết quả').fill('KQ.1.003241');
    await page.getByLabel('Tên chủ giấy tờ').fill('Trường Mầm non Hoa Sen');
    await page.getByRole('button', { name: /Hoàn tất và gửi/ }).click();
    await page.getByText(/Đã hoàn tất\. Bước hiện tại:/).waitFor({ timeout: 120_000 });
    await look('index');

    const detail = await api('documents:get', { documentId: decision });
    expect(['queued', 'delivered', 'verified']).toContain(detail.state);
    expect(detail.metadata).toMatchObject({
      documentNumber: '15/QĐ-SXD',
      issuedDate: '2024-03-12',
      dossierCode: '000.00.53.H48-240312-0015',
      ownerName: 'Trường Mầm non Hoa Sen',
      summary: 'Quyết định cho phép hoạt động cơ sở giáo dục',
    });
    expect(detail.metadata.digitizationCode).toBe('.KQ.1.003241.15/QĐ-SXD.01');
  }, 420_000);

  it('delivers it from the queue to the reference warehouse, which verifies it', async () => {
    const decision = documentIds[2];
    if (decision === undefined || warehouse === undefined) throw new Error('no decision');
    await page.keyboard.press('Alt+4');
    await page.getByRole('heading', { name: 'Hàng đợi gửi kết quả' }).waitFor();
    await page.getByRole('button', { name: 'Gửi ngay' }).click();
    const row = page.getByRole('row').filter({ hasText: '15/QĐ-SXD' });
    await row.getByText('Kho đã xác nhận').first().waitFor({ timeout: 120_000 });
    await look('queue');
    const held = warehouse.records().find((record) => record.documentId === decision);
    const detail = await api('documents:get', { documentId: decision });
    expect(detail.state).toBe('verified');
    expect(held?.sha256).toBe(detail.pdfSha256);
  }, 180_000);

  it('finds the decision by a search typed without diacritics and opens it', async () => {
    await page.keyboard.press('Alt+5');
    const box = page.getByRole('searchbox');
    await box.fill('truong mam non hoa sen');
    const hit = page.getByRole('listitem').filter({ hasText: '15/QĐ-SXD' }).first();
    await hit.waitFor({ timeout: 30_000 });
    expect(await hit.locator('mark').count()).toBeGreaterThan(0);
    await look('search');
    await hit.getByRole('button').first().click();
    await page.getByRole('heading', { name: 'Kiểm tra tài liệu' }).waitFor();
  }, 60_000);

  it('lists every shortcut in the help overlay (F1)', async () => {
    await page.keyboard.press('F1');
    const help = page.getByRole('dialog', { name: 'Phím tắt' });
    await help.waitFor();
    await expect.poll(() => help.getByText('Alt+4').count()).toBeGreaterThan(0);
    await look('help');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    expect(problems).toEqual([]);
  }, 30_000);
});
