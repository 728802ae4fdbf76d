import os from 'node:os';
import path from 'node:path';

/**
 * The station's data folder when none is given: the same folder Electron uses as `userData`,
 * so the CLI and the desktop app share one store. `SOHOA_DATA_DIR` overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.SOHOA_DATA_DIR !== undefined && env.SOHOA_DATA_DIR !== '') return path.resolve(env.SOHOA_DATA_DIR);
  const name = 'SoHoa Station';
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), name);
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', name);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), name);
}

/** Where the pieces of an installed or checked-out station are, from its root folder. */
export function appPaths(appRoot: string): { resourcesDir: string; rendererDir: string } {
  return {
    resourcesDir: path.join(appRoot, 'resources'),
    rendererDir: path.join(appRoot, 'dist', 'renderer'),
  };
}
