// Typechecks every layer with its own tsconfig, so a layer cannot use what it may not import.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const projects = ['shared', 'electron/engine', 'electron/main', 'electron/preload', 'renderer', 'test', 'bench'];
let failed = false;
for (const project of projects) {
  const result = spawnSync(process.execPath, [tsc, '-p', `${project}/tsconfig.json`], { stdio: 'inherit' });
  const ok = result.status === 0;
  console.log(`${ok ? 'ok  ' : 'FAIL'} typecheck ${project}`);
  failed ||= !ok;
}
process.exit(failed ? 1 : 0);
