import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';

/** Debian's Chromium (apt); Playwright's own browser downloads are never used. */
export const chromiumPath = process.env.SOHOA_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep Chromium hermetic: no sandbox (containers), no GPU, and no calls home of its own. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** A running headless Chromium and the function that closes it and removes its profile. */
export interface LaunchedChromium {
  browser: Browser;
  cleanup(): Promise<void>;
}

/** Whether the Debian Chromium is installed, so e2e suites can skip with a clear message when it is not. */
export function hasChromium(): boolean {
  return fs.existsSync(chromiumPath);
}

/**
 * Launches headless Chromium with a fresh profile, HOME and cache.
 *
 * Fresh folders per launch so no earlier run's cache, cookies or service
 * workers change what a test sees. The profile is Playwright's: `launch()`
 * always passes Chromium a new temporary `--user-data-dir` and deletes it on
 * close (it refuses one of ours and would want a persistent context instead).
 */
export async function launchChromium(): Promise<LaunchedChromium> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-chromium-'));
  const home = path.join(root, 'home');
  const cache = path.join(root, 'cache');
  for (const dir of [home, cache]) fs.mkdirSync(dir);

  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    env: { ...process.env, HOME: home, XDG_CACHE_HOME: cache, XDG_CONFIG_HOME: path.join(home, '.config') },
  });

  return {
    browser,
    async cleanup() {
      await browser.close().catch(() => undefined);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
