import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ElectronApplication } from 'playwright-core';
import { _electron } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const mainBundle = path.join(repoRoot, 'dist', 'main', 'main.cjs');
const skipMessage = 'Electron binary not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD); smoke test skipped';

const electronBinary = findElectronBinary();

if (electronBinary === undefined) {
  console.warn(skipMessage);
  it.skip(skipMessage, () => undefined);
} else {
  const executablePath = electronBinary;
  describe('packaged shell smoke', () => {
    let app: ElectronApplication | undefined;
    let home: string;

    beforeAll(async () => {
      if (!fs.existsSync(mainBundle)) {
        throw new Error(`${mainBundle} is missing: run \`npm run build\` before \`npm run test:electron\``);
      }
      home = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-electron-'));
      const args = [mainBundle, `--data-dir=${path.join(home, 'data')}`];
      // Chromium refuses to run as root with its sandbox (CI containers); the page sandbox stays on.
      if (process.getuid?.() === 0) args.push('--no-sandbox');
      app = await _electron.launch({
        executablePath,
        args,
        env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home, ELECTRON_ENABLE_LOGGING: '1' },
        timeout: 60_000,
      });
    });

    afterAll(async () => {
      await app?.close();
      if (home !== undefined) fs.rmSync(home, { recursive: true, force: true });
    });

    it('opens the station window with window.station answering app.info', async () => {
      if (app === undefined) throw new Error('Electron did not start');
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      expect(await page.title()).toContain('Trạm Số hóa');

      const members = await page.evaluate(() => {
        const station = (globalThis as { station?: Record<string, object> }).station;
        return station === undefined ? null : Object.keys(station).sort();
      });
      expect(members).toContain('app');

      const info = await page.evaluate(async () => {
        const station = (
          globalThis as unknown as {
            station: { app: { info(args: object): Promise<unknown> } };
          }
        ).station;
        return station.app.info({});
      });
      expect(info).toMatchObject({ ok: true, value: { transport: 'electron' } });

      // The page must not have Node: the sandbox and contextIsolation hold.
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    });
  });
}
