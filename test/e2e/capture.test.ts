import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startServe } from '../support/built-cli.js';
import type { LaunchedChromium } from '../support/chromium.js';
import { launchChromium } from '../support/chromium.js';

const screenshotPath = path.join(repoRoot, 'test-results', 'e2e', 'capture.png');
const failurePath = path.join(repoRoot, 'test-results', 'e2e', 'capture-failure.png');
const cancelledPath = path.join(repoRoot, 'test-results', 'e2e', 'capture-cancelled.png');
const pageCount = 5;

/** Stops `sohoa serve` the way a user would (SIGTERM) and waits until it has exited. */
async function stopServe(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') child.kill('SIGKILL');
}

describe('capture through the browser bridge', () => {
  let dataDir = '';
  let serve: { child: ChildProcess; url: string; port: number; token: string } | undefined;
  let chromium: LaunchedChromium | undefined;
  let page: Page;
  const requests: string[] = [];
  const sockets: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    for (const built of ['dist/renderer/index.html', 'dist/cli/sohoa.cjs']) {
      if (!fs.existsSync(path.join(repoRoot, built))) {
        throw new Error(`${built} is missing: run \`npm run build\` (or \`npm run test:e2e\`, which builds first)`);
      }
    }
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-e2e-'));
    serve = await startServe(dataDir);
    chromium = await launchChromium();
    const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'vi-VN' });
    page = await context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    page.on('websocket', (socket) => sockets.push(socket.url()));
    // CSP violations and uncaught exceptions show up here; a clean page has none.
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
  });

  afterAll(async () => {
    await chromium?.cleanup();
    if (serve !== undefined) await stopServe(serve.child);
    if (dataDir !== '') fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('scans five demo pages from the UI and shows each thumbnail live', async () => {
    if (serve === undefined) throw new Error('sohoa serve did not start');
    const origin = new URL(serve.url).origin;
    expect(origin).toBe(`http://127.0.0.1:${serve.port}`);

    await page.goto(serve.url);
    await page.getByRole('heading', { level: 1, name: 'Trạm Số hóa' }).waitFor();
    // The token leaves the address bar once the page has it.
    expect(page.url()).not.toContain(serve.token);
    await page.getByRole('status', { name: 'Kết nối với bộ máy xử lý' }).getByText('Đã kết nối').waitFor();

    await page.getByLabel('Máy quét', { exact: true }).selectOption('demo');
    await page.getByLabel('Số trang', { exact: true }).fill(String(pageCount));
    await page.getByRole('button', { name: 'Quét', exact: true }).click();

    try {
      for (let number = 1; number <= pageCount; number += 1) {
        await page
          .getByRole('img', { name: `Trang ${number}`, exact: true })
          .waitFor({ state: 'visible', timeout: 60_000 });
      }
      await page.getByText(`Xong: đã quét ${pageCount} trang.`).waitFor();
    } catch (error) {
      // What the clerk would have seen explains a timeout better than the locator does.
      fs.mkdirSync(path.dirname(failurePath), { recursive: true });
      await page.screenshot({ path: failurePath, fullPage: true });
      throw new Error(`pages did not appear (screen: ${failurePath}; console: ${JSON.stringify(problems)})`, {
        cause: error,
      });
    }

    const images = await page.locator('.page-grid img').evaluateAll((elements) =>
      (elements as HTMLImageElement[]).map((image) => ({
        alt: image.alt,
        complete: image.complete,
        naturalWidth: image.naturalWidth,
        naturalHeight: image.naturalHeight,
        src: image.src.slice(0, 23),
        visible: image.getBoundingClientRect().width > 0,
      })),
    );
    expect(images.map((image) => image.alt)).toEqual(['Trang 1', 'Trang 2', 'Trang 3', 'Trang 4', 'Trang 5']);
    for (const image of images) {
      expect(image, image.alt).toMatchObject({ complete: true, visible: true, src: 'data:image/jpeg;base64,' });
      expect(image.naturalWidth, image.alt).toBeGreaterThan(0);
      expect(image.naturalHeight, image.alt).toBeGreaterThan(0);
    }

    // The batch appears in the recent list with its five pages.
    const recent = page.getByRole('region', { name: 'Lượt quét gần đây' });
    await recent.getByRole('row').filter({ hasText: 'Hoàn tất' }).first().waitFor();
    expect(
      await recent.getByRole('row').filter({ hasText: 'Hoàn tất' }).first().getByRole('cell').nth(2).textContent(),
    ).toBe(String(pageCount));

    fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });

    expect(await page.title()).toBe('Quét · Trạm Số hóa');
    expect(await page.locator('body').innerText()).toContain('Trạm Số hóa');
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');

    // Nothing left the bridge: every request and the event socket went to its own origin.
    const foreign = requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin);
    expect(foreign).toEqual([]);
    expect(requests.some((url) => url.startsWith(`${origin}/api/scan:start`))).toBe(true);
    expect(sockets.map((url) => new URL(url).host)).toEqual([`127.0.0.1:${serve.port}`]);
    expect(problems).toEqual([]);
  });

  it('starts with F2 and stops with Esc, keeping the pages already scanned', async () => {
    await page.getByLabel('Số trang', { exact: true }).fill('20');
    // Focus must not matter: the clerk's hands are on the paper.
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('F2');
    // Progress out of 20 belongs to the new scan only; the five pages of the last one are gone from the grid.
    await page
      .getByRole('status')
      .filter({ hasText: /^Đã quét [1-9]\d*\/20 trang$/ })
      .waitFor({ timeout: 60_000 });
    await page.keyboard.press('Escape');

    const stopped = page.getByRole('status').filter({ hasText: /^Đã dừng: giữ lại \d+ trang đã quét\.$/ });
    await stopped.waitFor({ timeout: 30_000 });
    const kept = Number(/(\d+)/.exec((await stopped.textContent()) ?? '')?.[1]);
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(kept).toBeLessThan(20);
    // The last kept page's thumbnail may still be on its way when the stop is reported.
    await expect.poll(() => page.locator('.page-grid img').count(), { timeout: 10_000 }).toBe(kept);
    await page.getByRole('button', { name: 'Quét', exact: true }).waitFor();
    await page.screenshot({ path: cancelledPath, fullPage: true });

    const origin = new URL(serve?.url ?? '').origin;
    expect(requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin)).toEqual([]);
    expect(requests.some((url) => url.startsWith(`${origin}/api/scan:cancel`))).toBe(true);
    expect(problems).toEqual([]);
  });
});
