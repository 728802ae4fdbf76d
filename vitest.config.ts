import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests never load the machine's SANE backends: some of them probe the network for scanners.
// A SANE config of no backends is the default; SANE tests point at their own `test` backend.
if (process.env.SANE_CONFIG_DIR === undefined) {
  const saneConfigDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-sane-none-'));
  fs.writeFileSync(path.join(saneConfigDir, 'dll.conf'), '');
  process.env.SANE_CONFIG_DIR = saneConfigDir;
}

// One project per test folder of STYLE.md; `npm test` runs them in order of cost.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          exclude: ['test/unit/shell/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'shell',
          include: ['test/unit/shell/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'electron',
          include: ['test/electron/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
        },
      },
    ],
  },
});
