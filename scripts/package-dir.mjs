// Proves offline what packaging can prove without downloading Electron: electron-builder's
// `--linux dir` run against a placeholder Electron folder, then checks of the app.asar it made.
// Usage: node scripts/package-dir.mjs [--skip-build]. Exits 1 when a check fails.
// docs/packaging.md says what this proves and what only the connected build machine can do.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const asar = require('@electron/asar');
const builder = require('electron-builder');

const outputDir = path.join(root, 'release', 'offline-dir-check');
const electronVersion = require('electron/package.json').version;
const executableName = 'sohoa-station';

// Never let a step reach for the network: an Electron download would hang or fail late.
process.env.ELECTRON_SKIP_BINARY_DOWNLOAD = '1';

function buildApp() {
  if (process.argv.includes('--skip-build')) return;
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--if-stale'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error('package-dir: the build failed, nothing to package');
    process.exit(1);
  }
}

/**
 * A folder shaped like an unpacked Electron for Linux, with a placeholder instead of the binary.
 *
 * electron-builder copies it as the skeleton of the app and renames `electron`
 * to the executable name; it needs nothing else from it for the `dir` target.
 */
function makePlaceholderElectron() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-electron-placeholder-'));
  const executable = path.join(dir, 'electron');
  fs.writeFileSync(
    executable,
    '#!/bin/sh\necho "placeholder from scripts/package-dir.mjs: not a real Electron binary" >&2\nexit 1\n',
  );
  fs.chmodSync(executable, 0o755);
  fs.writeFileSync(path.join(dir, 'version'), `${electronVersion}\n`);
  fs.mkdirSync(path.join(dir, 'resources'));
  fs.mkdirSync(path.join(dir, 'locales'));
  fs.writeFileSync(path.join(dir, 'locales', 'vi.pak'), '');
  return dir;
}

async function packageDir(electronDist) {
  fs.rmSync(outputDir, { recursive: true, force: true });
  await builder.build({
    projectDir: root,
    targets: builder.Platform.LINUX.createTarget('dir', builder.Arch[process.arch] ?? builder.Arch.x64),
    publish: 'never',
    // Merged over electron-builder.yml. Fuses are flipped by patching the real binary,
    // which the placeholder is not; the build machine applies them.
    config: {
      electronDist,
      electronVersion,
      electronFuses: null,
      directories: { output: path.relative(root, outputDir) },
    },
  });
}

function listFiles(dir, prefix = '') {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    );
}

/** Finds an installed package the way Node would from `fromDir`, walking up the node_modules folders. */
function findPackageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === root || dir === path.dirname(dir)) return undefined;
  }
}

/**
 * Every installed package the app needs at run time: the closure of `dependencies` (and
 * installed optional ones, such as sharp's platform binaries), as folders relative to the root.
 */
function productionClosure() {
  // better-sqlite3's install-time downloader; never required at run time, and electron-builder
  // drops some of its nested copies, which would otherwise read as missing.
  const installTimeOnly = new Set(['prebuild-install']);
  const seen = new Map();
  const queue = [{ dir: root, optional: false }];
  while (queue.length > 0) {
    const { dir } = queue.shift();
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const wanted = [
      ...Object.keys(manifest.dependencies ?? {}).map((name) => ({ name, optional: false })),
      ...Object.keys(manifest.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ];
    for (const { name, optional } of wanted) {
      if (installTimeOnly.has(name)) continue;
      const found = findPackageDir(name, dir);
      if (found === undefined) {
        if (!optional) seen.set(`(missing from node_modules) ${name}`, false);
        continue;
      }
      const relative = path.relative(root, found).split(path.sep).join('/');
      if (seen.has(relative)) continue;
      seen.set(relative, true);
      queue.push({ dir: found, optional });
    }
  }
  return seen;
}

/**
 * Extracts the asar (with its unpacked part) and loads better-sqlite3 and sharp from it in Node.
 *
 * Proves the shipped module trees are complete (bindings, libvips next to sharp), not that
 * they match Electron's ABI: that rebuild happens on the build machine.
 */
function loadShippedNatives(archive) {
  if (!fs.existsSync(archive)) return { ok: false, detail: 'no app.asar' };
  const extracted = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-asar-'));
  try {
    asar.extractAll(archive, extracted);
    const probe = [
      "const Database = require('better-sqlite3');",
      "const version = new Database(':memory:').prepare('select sqlite_version() as v').get().v;",
      "require('sharp')({ create: { width: 2, height: 2, channels: 3, background: '#fff' } }).png().toBuffer()",
      '  .then((png) => console.log(`sqlite ${version}, sharp png ${png.length} bytes`))',
      '  .catch((error) => { console.error(error.message); process.exit(1); });',
    ].join('\n');
    const result = spawnSync(process.execPath, ['-e', probe], {
      cwd: extracted,
      encoding: 'utf8',
      env: { ...process.env, NODE_PATH: '' },
    });
    const detail = `${result.stdout}${result.stderr}`.trim().split('\n').slice(-1)[0] ?? '';
    return { ok: result.status === 0, detail };
  } finally {
    fs.rmSync(extracted, { recursive: true, force: true });
  }
}

function runChecks() {
  const appOutDir = fs.readdirSync(outputDir).find((name) => name.startsWith('linux') && name.endsWith('unpacked'));
  const unpackedDir = appOutDir === undefined ? outputDir : path.join(outputDir, appOutDir);
  const resourcesDir = path.join(unpackedDir, 'resources');
  const archive = path.join(resourcesDir, 'app.asar');
  const asarUnpacked = path.join(resourcesDir, 'app.asar.unpacked');
  const checks = [];
  const check = (label, ok, detail = '') => checks.push({ label, ok: Boolean(ok), detail });

  check('app.asar was produced', fs.existsSync(archive), path.relative(root, archive));
  const entries = fs.existsSync(archive)
    ? asar.listPackage(archive, { isPack: false }).map((entry) => entry.replaceAll('\\', '/'))
    : [];
  const inAsar = new Set(entries);
  for (const file of [
    '/dist/main/main.cjs',
    '/dist/preload/preload.cjs',
    '/dist/renderer/index.html',
    '/package.json',
  ]) {
    check(`${file} is inside app.asar`, inAsar.has(file));
  }
  const packageJson = inAsar.has('/package.json')
    ? JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8'))
    : {};
  check(
    'package.json "main" points at dist/main/main.cjs',
    packageJson.main === 'dist/main/main.cjs',
    String(packageJson.main),
  );

  const sources = entries.filter((entry) => /^\/(electron|renderer|shared|test|scripts)\//.test(entry));
  check('no source folders inside app.asar', sources.length === 0, sources.slice(0, 3).join(', '));
  const devOnly = ['electron', 'electron-builder', 'vitest', 'typescript', 'vite', 'playwright-core', 'react'];
  const leaked = devOnly.filter(
    (name) => inAsar.has(`/node_modules/${name}`) || inAsar.has(`/node_modules/${name}/package.json`),
  );
  check('no dev dependencies inside app.asar', leaked.length === 0, leaked.join(', '));

  const closure = productionClosure();
  const notShipped = [...closure.keys()].filter(
    (relative) =>
      !inAsar.has(`/${relative}/package.json`) && !fs.existsSync(path.join(asarUnpacked, relative, 'package.json')),
  );
  // electron-builder 26 drops some nested copies (node_modules/a/node_modules/b) while shipping
  // the hoisted one. A missing top-level package is fatal; a missing nested copy is a known gap
  // (docs/packaging.md) printed here so it stays visible until the build machine's packaging fixes it.
  const nestedGaps = notShipped.filter((relative) => relative.split('node_modules').length > 2);
  const topLevelGaps = notShipped.filter((relative) => !nestedGaps.includes(relative));
  check(
    `every run-time dependency is shipped (${closure.size} packages)`,
    topLevelGaps.length === 0,
    topLevelGaps.slice(0, 6).join(', '),
  );
  if (nestedGaps.length > 0) {
    console.log(`  KNOWN GAP nested copies not shipped by electron-builder: ${nestedGaps.join(', ')}`);
  }

  const sqliteNode = path.join(
    asarUnpacked,
    'node_modules',
    'better-sqlite3',
    'build',
    'Release',
    'better_sqlite3.node',
  );
  check('better_sqlite3.node is in app.asar.unpacked', fs.existsSync(sqliteNode), path.relative(root, sqliteNode));
  const sqliteJs = path.join('/node_modules', 'better-sqlite3', 'lib', 'index.js');
  check(
    'better-sqlite3 JS is reachable (asar or unpacked)',
    inAsar.has(sqliteJs) || fs.existsSync(path.join(asarUnpacked, sqliteJs)),
  );
  const sharpNodes = listFiles(path.join(asarUnpacked, 'node_modules', '@img')).filter((file) =>
    file.endsWith('.node'),
  );
  check('sharp native binding (@img/*) is in app.asar.unpacked', sharpNodes.length > 0, sharpNodes.join(', '));
  const packedNatives = entries.filter(
    (entry) => entry.endsWith('.node') && !fs.existsSync(path.join(asarUnpacked, entry)),
  );
  check('no .node file is left packed inside the asar', packedNatives.length === 0, packedNatives.join(', '));
  const sqliteSources = entries.filter((entry) => entry.startsWith('/node_modules/better-sqlite3/deps/'));
  check(
    'SQLite sources are not shipped',
    sqliteSources.length === 0 && !fs.existsSync(path.join(asarUnpacked, 'node_modules', 'better-sqlite3', 'deps')),
  );

  const loaded = loadShippedNatives(archive);
  check('shipped better-sqlite3 and sharp load from the extracted app (Node ABI)', loaded.ok, loaded.detail);

  const expectedResources = listFiles(path.join(root, 'resources')).sort();
  const shippedResources = new Set(listFiles(path.join(resourcesDir, 'resources')));
  const missing = expectedResources.filter((file) => !shippedResources.has(file));
  check(
    `resources/ shipped as extra resources (${expectedResources.length} files)`,
    fs.existsSync(path.join(resourcesDir, 'resources')) && missing.length === 0,
    missing.slice(0, 5).join(', '),
  );
  check(`executable renamed to ${executableName}`, fs.existsSync(path.join(unpackedDir, executableName)));
  return { checks, entries, unpackedDir };
}

/** Prints the checks and returns how many failed. */
function report() {
  const { checks, entries, unpackedDir } = runChecks();
  console.log('');
  console.log(`Offline packaging check (electron-builder --linux dir, Electron ${electronVersion} placeholder)`);
  console.log(`  output: ${path.relative(root, unpackedDir)}   app.asar entries: ${entries.length}`);
  for (const { label, ok, detail } of checks) {
    console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${label}${detail === '' ? '' : `  (${detail})`}`);
  }
  const failed = checks.filter((item) => !item.ok).length;
  const electronAbi = fs.readFileSync(require.resolve('electron/abi_version'), 'utf8').trim();
  console.log(
    `  note native modules here are built for Node ${process.versions.node} (ABI ${process.versions.modules}); ` +
      `Electron ${electronVersion} needs ABI ${electronAbi}: the build machine rebuilds them before packaging`,
  );
  console.log('');
  console.log(
    failed === 0
      ? 'All checks passed. Not proved here: a real Electron binary, fuses, installers (deb, AppImage, NSIS, MSI), signing, native modules rebuilt for Electron (see docs/packaging.md).'
      : `${failed} check(s) failed.`,
  );
  return failed;
}

buildApp();
const electronDist = makePlaceholderElectron();
try {
  await packageDir(electronDist);
} catch (error) {
  console.error(`package-dir: electron-builder failed: ${error instanceof Error ? error.stack : String(error)}`);
  fs.rmSync(electronDist, { recursive: true, force: true });
  process.exit(1);
}
fs.rmSync(electronDist, { recursive: true, force: true });

// Explicit exit: after electron-builder has run, a failing process.exitCode was seen to end as 0.
process.exit(report() === 0 ? 0 : 1);
