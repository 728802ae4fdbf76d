import path from 'node:path';

/** Where the shell finds its files and keeps its data. */
export interface AppPaths {
  /** The station's data folder: database, page store, settings, logs. */
  dataDir: string;
  logsDir: string;
  /** Bundled resources: OCR data, ICC profile, fonts, WIA script, default settings. */
  resourcesDir: string;
  rendererIndexPath: string;
  preloadPath: string;
}

export interface AppPathInputs {
  isPackaged: boolean;
  /** `app.getAppPath()`: the asar root when packaged. */
  appPath: string;
  /** `process.resourcesPath`: the folder beside the asar when packaged. */
  resourcesPath: string;
  /** Folder of the running `main.cjs` (`dist/main`), used in development. */
  mainDir: string;
  /** `app.getPath('userData')`. */
  userDataDir: string;
  argv: readonly string[];
}

/**
 * Resolves every path of the shell from Electron's facts.
 *
 * In development the app root is found from `dist/main` rather than
 * `app.getAppPath()`, because Electron started as `electron dist/main/main.cjs`
 * reports `dist/main` as its app path.
 */
export function resolveAppPaths(inputs: AppPathInputs): AppPaths {
  const appRoot = inputs.isPackaged ? inputs.appPath : path.resolve(inputs.mainDir, '..', '..');
  const dataDir = dataDirSwitch(inputs.argv) ?? inputs.userDataDir;
  return {
    dataDir,
    logsDir: path.join(dataDir, 'logs'),
    resourcesDir: inputs.isPackaged ? path.join(inputs.resourcesPath, 'resources') : path.join(appRoot, 'resources'),
    rendererIndexPath: path.join(appRoot, 'dist', 'renderer', 'index.html'),
    preloadPath: path.join(appRoot, 'dist', 'preload', 'preload.cjs'),
  };
}

/**
 * Reads `--data-dir=DIR` or `--data-dir DIR`, for IT and for hermetic tests.
 *
 * Relative folders are resolved against the working directory so a shortcut's
 * "Start in" folder means what IT expects.
 */
export function dataDirSwitch(argv: readonly string[]): string | undefined {
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (arg.startsWith('--data-dir=')) return nonEmpty(arg.slice('--data-dir='.length));
    if (arg === '--data-dir') return nonEmpty(argv[index + 1]);
  }
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' || value.startsWith('--') ? undefined : path.resolve(value);
}
