import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vi } from '../../renderer/i18n/vi.js';
import { repoRoot, startServe } from '../support/built-cli.js';
import type { LaunchedChromium } from '../support/chromium.js';
import { launchChromium } from '../support/chromium.js';
import type { SaneConfig } from '../support/sane.js';
import { hasScanimage, makeSaneTestConfig } from '../support/sane.js';

// The clerk scans from a real SANE device (the SANE test backend through scanimage) in the UI:
// pages appear as they are scanned, and a paper jam on the second device is explained in Vietnamese.

const shots = path.join(repoRoot, 'test-results', 'e2e');

async function stopServe(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') child.kill('SIGKILL');
}

describe.skipIf(!hasScanimage())('capture from a SANE scanner in the browser', () => {
  let dataDir = '';
  let sane: SaneConfig | undefined;
  let serve: { child: ChildProcess; url: string } | undefined;
  let chromium: LaunchedChromium | undefined;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    for (const built of ['dist/renderer/index.html', 'dist/cli/sohoa.cjs']) {
      if (!fs.existsSync(path.join(repoRoot, built))) {
        throw new Error(`${built} is missing: run \`npm run build\` (or \`npm run test:e2e\`, which builds first)`);
      }
    }
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-e2e-sane-'));
    sane = makeSaneTestConfig();
    const config = path.join(dataDir, 'settings.json');
    // test:1 jams on every sheet: the test backend's error injection, given as a device option.
    fs.writeFileSync(
      config,
      JSON.stringify({
        scan: {
          defaultDevice: 'sane:test:0',
          esclDiscovery: false,
          deviceOptions: {
            'sane:test:0': { 'test-picture': 'Color pattern' },
            'sane:test:1': { 'read-return-value': 'SANE_STATUS_JAMMED' },
          },
        },
      }),
    );
    serve = await startServe(dataDir, ['--config', config], { SANE_CONFIG_DIR: sane.dir });
    chromium = await launchChromium();
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
  });

  afterAll(async () => {
    await chromium?.cleanup();
    if (serve !== undefined) await stopServe(serve.child);
    sane?.cleanup();
    if (dataDir !== '') fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('scans three pages from sane:test:0 and shows each as it arrives', async () => {
    if (serve === undefined) throw new Error('sohoa serve did not start');
    await page.goto(serve.url);
    await page.getByRole('status', { name: 'Kết nối với bộ máy xử lý' }).getByText('Đã kết nối').waitFor();
    const device = page.getByLabel('Máy quét', { exact: true });
    await device.selectOption('sane:test:0');
    expect(await device.locator('option').allTextContents()).toEqual(
      expect.arrayContaining(['Noname frontend-tester (test:0)', 'Noname frontend-tester (test:1)']),
    );
    await page.getByLabel('Số trang', { exact: true }).fill('3');
    await page.getByRole('button', { name: 'Quét', exact: true }).click();
    for (let number = 1; number <= 3; number += 1) {
      await page
        .getByRole('img', { name: `Trang ${number}`, exact: true })
        .waitFor({ state: 'visible', timeout: 60_000 });
    }
    await page.getByText('Xong: đã quét 3 trang.').waitFor();
    const images = await page.locator('.page-grid img').evaluateAll((elements) =>
      (elements as HTMLImageElement[]).map((image) => ({
        alt: image.alt,
        width: image.naturalWidth,
        complete: image.complete,
      })),
    );
    expect(images.map((image) => image.alt)).toEqual(['Trang 1', 'Trang 2', 'Trang 3']);
    for (const image of images) expect(image.width).toBeGreaterThan(0);
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'sane-capture.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('explains a jam on sane:test:1 in Vietnamese, with what to do next', async () => {
    await page.getByLabel('Máy quét', { exact: true }).selectOption('sane:test:1');
    await page.getByLabel('Số trang', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Quét', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.getByText(vi['error.scan/paper-jam']).waitFor({ timeout: 60_000 });
    expect(await alert.innerText()).toContain('Kẹt giấy. Mở nắp máy quét, gỡ tờ bị kẹt rồi bấm Tiếp tục.');
    await alert.getByRole('button', { name: 'Tiếp tục' }).waitFor();
    await page.getByText('Quét bị gián đoạn sau 0 trang.').waitFor();
    await page.screenshot({ path: path.join(shots, 'sane-capture-jam.png'), fullPage: true });
    const recent = page.getByRole('region', { name: 'Lượt quét gần đây' });
    await recent.getByRole('row').filter({ hasText: 'Lỗi' }).first().waitFor();
    expect(problems.filter((problem) => !problem.includes('paper-jam'))).toEqual([]);
  });
});
