import path from 'node:path';
import type { Engine } from '../../electron/engine/engine.js';
import { createEngine } from '../../electron/engine/engine.js';
import { createSilentLogger } from '../../electron/engine/logging/logger.js';
import type { DemoScanDriverOptions } from '../../electron/engine/scan/demo-driver.js';
import { DemoScanDriver } from '../../electron/engine/scan/demo-driver.js';

/**
 * An engine on `dataDir` as the integration tests open it: silent, no machine policy, and the demo
 * scanner without a pause between pages (its rendered pages cached in `dataDir` unless `driver`
 * names another cache).
 */
export function openDemoEngine(dataDir: string, driver: Partial<DemoScanDriverOptions> = {}): Promise<Engine> {
  return createEngine({
    dataDir,
    resourcesDir: 'resources',
    transport: 'direct',
    policyFile: null,
    logger: createSilentLogger(),
    drivers: [new DemoScanDriver({ cacheDir: path.join(dataDir, 'demo-cache'), pageDelayMs: 0, ...driver })],
  });
}
