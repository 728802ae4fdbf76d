// Builds the station: the CLI, the Electron main and preload bundles (esbuild), the renderer (vite),
// and copies bundled resources from npm packages into resources/. `--if-stale` skips an up-to-date build.
import { build as esbuild } from 'esbuild';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const outputs = [
  'dist/cli/sohoa.cjs',
  'dist/main/main.cjs',
  'dist/preload/preload.cjs',
  'dist/renderer/index.html',
  'resources/ocr/manifest.json',
];
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

/**
 * OCR assets into resources/ocr (read by the engine's Node pool) and, after the renderer build,
 * into dist/renderer/ocr (served to the renderer's web workers from the app's own origin; never a
 * CDN): tesseract.js's browser worker script, the tesseract.js-core WebAssembly build with the
 * legacy engine (orientation detection needs it) in SIMD and fallback form, `vie`, `eng` and `osd`
 * traineddata of both variants, our Node worker-thread script bundled with what it needs, and a
 * manifest of versions and SHA-256 hashes that both hosts put into the engine label of a result.
 */
async function copyOcrAssets() {
  const ocrDir = path.join(root, 'resources', 'ocr');
  const modules = path.join(root, 'node_modules');
  const files = {
    'worker.min.js': path.join(modules, 'tesseract.js', 'dist', 'worker.min.js'),
    'core/tesseract-core-simd.wasm.js': path.join(modules, 'tesseract.js-core', 'tesseract-core-simd.wasm.js'),
    'core/tesseract-core.wasm.js': path.join(modules, 'tesseract.js-core', 'tesseract-core.wasm.js'),
  };
  const traineddata = (lang, variant) =>
    path.join(modules, '@tesseract.js-data', lang, variant, `${lang}.traineddata.gz`);
  for (const variant of ['4.0.0_best_int', '4.0.0']) {
    for (const lang of ['vie', 'eng']) files[`lang/${variant}/${lang}.traineddata.gz`] = traineddata(lang, variant);
    // Orientation detection uses the legacy osd model, the same in both variants: one file, twice.
    files[`lang/${variant}/osd.traineddata.gz`] = traineddata('osd', '4.0.0_best_int');
  }
  const sha256 = (data) => createHash('sha256').update(data).digest('hex');
  const manifest = {
    tesseractJs: JSON.parse(fs.readFileSync(path.join(modules, 'tesseract.js', 'package.json'), 'utf8')).version,
    tesseractCore: JSON.parse(fs.readFileSync(path.join(modules, 'tesseract.js-core', 'package.json'), 'utf8')).version,
    files: {},
  };
  const writeIfChanged = (relative, data) => {
    const to = path.join(ocrDir, relative);
    manifest.files[relative] = sha256(data);
    // Only when different, and by rename, because a running station may be reading it.
    const same = fs.existsSync(to) && fs.statSync(to).size === data.length;
    if (same && sha256(fs.readFileSync(to)) === manifest.files[relative]) return;
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(`${to}.tmp`, data);
    fs.renameSync(`${to}.tmp`, to);
  };
  for (const [relative, from] of Object.entries(files)) writeIfChanged(relative, fs.readFileSync(from));
  const bundled = await esbuild({
    entryPoints: [path.join(root, 'electron/engine/ocr/tesseract-worker.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    logLevel: 'error',
    // tesseract.js's worker script carries a fetch fallback for old Node; ours never fetches.
    external: ['node-fetch'],
  });
  writeIfChanged('tesseract-worker.cjs', bundled.outputFiles[0].contents);
  // The core's .js files are CommonJS; without this they would inherit the repository's "type": "module".
  fs.writeFileSync(path.join(ocrDir, 'package.json'), '{ "type": "commonjs" }\n');
  writeIfChanged('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
}

/** Hard-links (or copies) the browser's OCR assets into the renderer build, which vite has just emptied. */
function linkOcrAssetsIntoRenderer() {
  const from = path.join(root, 'resources', 'ocr');
  const to = path.join(root, 'dist', 'renderer', 'ocr');
  const walk = (relative) => {
    for (const entry of fs.readdirSync(path.join(from, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (!['tesseract-worker.cjs', 'package.json'].includes(entry.name) && !entry.name.endsWith('.tmp')) {
        fs.mkdirSync(path.join(to, relative), { recursive: true });
        fs.rmSync(path.join(to, child), { force: true });
        try {
          fs.linkSync(path.join(from, child), path.join(to, child));
        } catch {
          fs.copyFileSync(path.join(from, child), path.join(to, child));
        }
      }
    }
  };
  walk('');
}

const native = ['electron', 'better-sqlite3', 'sharp', 'bufferutil', 'utf-8-validate', 'pkcs11js', 'node-hid'];
// Loaded with import() only when a PDF is read; left out of the bundle (3.4 MB of its 8) so the
// station starts without compiling it. It ships in node_modules as a runtime dependency.
const loadedLater = ['pdfjs-dist'];
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  // Half the bytes to read and compile at every start (names kept for logs and stack traces).
  minify: true,
  keepNames: true,
  external: [...native, ...loadedLater],
  // Engine modules are ESM in source (tests run them as such); in the CJS bundle import.meta.url
  // is rebuilt from __filename so createRequire and file URLs keep working.
  define: { __SOHOA_VERSION__: JSON.stringify(pkg.version), 'import.meta.url': '__sohoaImportMetaUrl' },
  banner: { js: "const __sohoaImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
};

const started = Date.now();
copyResources();
await copyOcrAssets();
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
  linkOcrAssetsIntoRenderer();
}
console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
