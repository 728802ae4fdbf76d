// Builds the station: the CLI, the Electron main and preload bundles (esbuild), the renderer (vite),
// and copies bundled resources from npm packages into resources/. `--if-stale` skips an up-to-date build.
import { build as esbuild } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const outputs = ['dist/cli/sohoa.cjs', 'dist/main/main.cjs', 'dist/preload/preload.cjs', 'dist/renderer/index.html'];
const sources = ['shared', 'electron', 'renderer', 'scripts/build.mjs', 'vite.config.ts', 'package.json'];

function newestMtime(target) {
  const full = path.join(root, target);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(full)
    .reduce((max, entry) => Math.max(max, newestMtime(path.join(target, entry))), stat.mtimeMs);
}

function isStale() {
  const built = outputs.map((output) => {
    const full = path.join(root, output);
    return fs.existsSync(full) ? fs.statSync(full).mtimeMs : 0;
  });
  return Math.min(...built) < Math.max(...sources.map(newestMtime));
}

if (process.argv.includes('--if-stale') && !isStale()) {
  process.exit(0);
}

/** Fonts the demo scanner renders with, copied so a packaged app needs no node_modules lookup. */
function copyResources() {
  const fontsDir = path.join(root, 'resources', 'fonts');
  fs.mkdirSync(fontsDir, { recursive: true });
  const fontPackage = path.join(root, 'node_modules', '@expo-google-fonts', 'noto-serif');
  for (const [folder, file] of [
    ['400Regular', 'NotoSerif_400Regular.ttf'],
    ['700Bold', 'NotoSerif_700Bold.ttf'],
    ['400Regular_Italic', 'NotoSerif_400Regular_Italic.ttf'],
    ['700Bold_Italic', 'NotoSerif_700Bold_Italic.ttf'],
  ]) {
    const from = path.join(fontPackage, folder, file);
    const to = path.join(fontsDir, file);
    // Copied only when different, and by rename, because a running station may be reading it.
    if (fs.existsSync(to) && fs.readFileSync(to).equals(fs.readFileSync(from))) continue;
    fs.copyFileSync(from, `${to}.tmp`);
    fs.renameSync(`${to}.tmp`, to);
  }
}

const native = ['electron', 'better-sqlite3', 'sharp', 'bufferutil', 'utf-8-validate', 'pkcs11js', 'node-hid'];
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  external: native,
  // Engine modules are ESM in source (tests run them as such); in the CJS bundle import.meta.url
  // is rebuilt from __filename so createRequire and file URLs keep working.
  define: { __SOHOA_VERSION__: JSON.stringify(pkg.version), 'import.meta.url': '__sohoaImportMetaUrl' },
  banner: { js: "const __sohoaImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
};

const started = Date.now();
copyResources();
await Promise.all([
  esbuild({
    ...common,
    entryPoints: [path.join(root, 'electron/engine/cli/cli-main.ts')],
    outfile: path.join(root, 'dist/cli/sohoa.cjs'),
  }),
  fs.existsSync(path.join(root, 'electron/main/main.ts'))
    ? esbuild({
        ...common,
        entryPoints: [path.join(root, 'electron/main/main.ts')],
        outfile: path.join(root, 'dist/main/main.cjs'),
      })
    : Promise.resolve(),
  fs.existsSync(path.join(root, 'electron/preload/preload.ts'))
    ? esbuild({
        ...common,
        platform: 'browser',
        target: 'chrome130',
        define: {},
        banner: {},
        external: ['electron'],
        entryPoints: [path.join(root, 'electron/preload/preload.ts')],
        outfile: path.join(root, 'dist/preload/preload.cjs'),
      })
    : Promise.resolve(),
]);
if (fs.existsSync(path.join(root, 'renderer/index.html'))) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}
console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
