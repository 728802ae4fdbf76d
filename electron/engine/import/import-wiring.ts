import type { HotFolder, HotFolderEvent } from './hot-folder.js';
import { createHotFolder } from './hot-folder.js';
import type { ImportService, ImportServiceOptions } from './import-service.js';
import { createImportService } from './import-service.js';

/** File import as the engine holds it: the service, and the hot folder of the settings when watched. */
export interface EngineImports {
  readonly service: ImportService;
  /** Watches `dir` (the `sohoa watch` command, or the setting); one hot folder per engine. */
  watch(dir: string, onEvent?: (event: HotFolderEvent) => void): Promise<HotFolder>;
  readonly hotFolder: HotFolder | undefined;
  close(): Promise<void>;
}

/**
 * Builds import and, for a long-running engine (app, browser mode), starts the hot folder named by
 * `import.hotFolder`. One-shot CLI commands never watch it, so `sohoa devices` does not import files.
 */
export function createEngineImports(options: ImportServiceOptions & { watchConfiguredFolder: boolean }): EngineImports {
  const service = createImportService(options);
  const log = options.logger.child('import');
  let hotFolder: HotFolder | undefined;

  const imports: EngineImports = {
    service,
    get hotFolder() {
      return hotFolder;
    },
    async watch(dir, onEvent) {
      await hotFolder?.stop();
      const folder = createHotFolder({
        dir,
        imports: service,
        settings: () => options.settings().import,
        logger: options.logger,
        ...(onEvent === undefined ? {} : { onEvent }),
      });
      await folder.start();
      hotFolder = folder;
      return folder;
    },
    async close() {
      await hotFolder?.stop();
      hotFolder = undefined;
    },
  };

  const configured = options.settings().import.hotFolder;
  if (options.watchConfiguredFolder && configured !== '') {
    // The station runs without its hot folder rather than not at all (a share that is not mounted yet).
    imports
      .watch(configured)
      .catch((error: unknown) => log.error('cannot watch the hot folder', { dir: configured, error }));
  }
  return imports;
}
