// The layer rules of STYLE.md, kept apart so a test can prove they fail the build when broken.
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));
const noNode = [
  { group: ['node:*'], message: 'This layer runs outside Node: no node:* imports.' },
  ...nodeBuiltins.map((name) => ({
    group: [name, `${name}/*`],
    message: 'This layer runs outside Node: no Node built-ins.',
  })),
];
const noElectron = {
  regex: '^electron(/.*)?$',
  message: 'Only electron/main and electron/preload may import electron.',
};
const noEngine = {
  group: ['**/electron/**', '**/engine/**'],
  message: 'The renderer sees the engine only through the contract.',
};
const noRenderer = { group: ['**/renderer/**'], message: 'Only the renderer imports renderer code.' };
const noMainOrEngineInShared = {
  group: ['**/electron/**', '**/renderer/**'],
  message: 'shared/ imports only zod and shared/.',
};
const noRawIpc = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Raw IPC lives only in electron/main/ipc-adaptor.ts and the preload.',
};

export const layerRules = [
  {
    name: 'layers/no-electron-outside-shell',
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    ignores: ['electron/main/**', 'electron/preload/**', 'test/unit/shell/**', 'test/electron/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noElectron] }] },
  },
  {
    name: 'layers/shared',
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noNode,
            noElectron,
            noMainOrEngineInShared,
            {
              group: ['react', 'react-dom', 'zustand', 'better-sqlite3', 'sharp', 'ws'],
              message: 'shared/ imports only zod and shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    name: 'layers/renderer',
    files: ['renderer/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...noNode, noElectron, noEngine] }] },
  },
  {
    name: 'layers/engine',
    files: ['electron/engine/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noElectron, noRenderer] }] },
  },
  {
    name: 'layers/main-raw-ipc',
    files: ['electron/main/**/*.ts'],
    ignores: ['electron/main/ipc-adaptor.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noRawIpc], patterns: [noRenderer] }] },
  },
];
