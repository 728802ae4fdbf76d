import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { layerRules } from '../../eslint.layers.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Lints one source text as if it stood at `file`, with exactly the layer rules the build uses. */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: repoRoot,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.{ts,tsx}'], languageOptions: { parser: tseslint.parser } }, ...layerRules],
  });
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  return (result?.messages ?? []).map((message) => `${message.ruleId ?? 'parse'}: ${message.message}`);
}

describe('layer rules', () => {
  it.each([
    ['shared/fixture.ts', "import fs from 'node:fs';\nexport const x = fs;", /no node:\*/],
    ['shared/fixture.ts', "import path from 'path';\nexport const x = path;", /no Node built-ins/],
    ['shared/fixture.ts', "import { useState } from 'react';\nexport const x = useState;", /only zod/],
    ['renderer/fixture.tsx', "import { readFile } from 'node:fs/promises';\nexport const x = readFile;", /no node/],
    [
      'renderer/fixture.ts',
      "import { createEngine } from '../electron/engine/engine.js';\nexport const x = createEngine;",
      /through the contract/,
    ],
    ['renderer/fixture.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;", /electron/],
    [
      'electron/engine/fixture.ts',
      "import { app } from 'electron';\nexport const x = app;",
      /Only electron\/main and electron\/preload/,
    ],
    ['electron/main/window.ts', "import { ipcMain } from 'electron';\nexport const x = ipcMain;", /Raw IPC/],
  ])('%s: refuses %s', async (file, code, expected) => {
    const errors = await layerErrors(file, code);
    expect(errors.join('\n')).toMatch(expected);
  });

  it.each([
    ['shared/fixture.ts', "import { z } from 'zod';\nexport const x = z;"],
    ['electron/engine/fixture.ts', "import fs from 'node:fs';\nexport const x = fs;"],
    ['electron/main/ipc-adaptor.ts', "import { ipcMain } from 'electron';\nexport const x = ipcMain;"],
    ['renderer/fixture.ts', "import { calls } from '../shared/contract.js';\nexport const x = calls;"],
  ])('%s: allows what the layer may import', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });

  it('is part of the configuration the build lints with', async () => {
    const eslint = new ESLint({ cwd: repoRoot });
    const config = (await eslint.calculateConfigForFile(path.join(repoRoot, 'shared/contract.ts'))) as {
      rules: Record<string, unknown>;
    };
    expect(JSON.stringify(config.rules['no-restricted-imports'])).toContain('node:*');
  });
});
