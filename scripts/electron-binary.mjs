// Finds the Electron executable the way `require('electron')` does, without calling it:
// when the binary is missing, `require('electron')` starts a download, which must never
// happen on machines that cannot reach it.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The Electron executable if it is on disk, else undefined. */
export function findElectronBinary(env = process.env) {
  const require = createRequire(import.meta.url);
  let packageDir;
  try {
    packageDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate =
    override !== undefined && override !== ''
      ? path.join(override, relative ?? 'electron')
      : relative === undefined
        ? undefined
        : path.join(packageDir, 'dist', relative);
  return candidate !== undefined && fs.existsSync(candidate) ? candidate : undefined;
}
