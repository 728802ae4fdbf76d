import fs from 'node:fs';
import path from 'node:path';
import type { Settings } from '../../../shared/settings.js';
import type { Logger } from '../logging/logger.js';
import type { DemoFailure } from './demo-driver.js';
import { DemoScanDriver } from './demo-driver.js';
import { EsclScanDriver } from './escl-driver.js';
import { SaneScanDriver } from './sane-driver.js';
import type { ScanDriver } from './scan-driver.js';
import { WiaScanDriver } from './wia-driver.js';

export interface DefaultDriversOptions {
  dataDir: string;
  resourcesDir: string;
  settings: () => Settings;
  logger: Logger;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
}

/** The simulated failure `scan.demoFailure` asks the demo scanner for, if any. */
export function demoFailureOf(settings: Settings): DemoFailure | undefined {
  const { demoFailure, demoFailureAfter } = settings.scan;
  if (demoFailure === 'none') return undefined;
  return { pages: demoFailureAfter, code: demoFailure === 'paper-jam' ? 'scan/paper-jam' : 'scan/no-paper' };
}

/**
 * The drivers of this OS: the demo scanner everywhere, SANE off Windows, WIA on Windows, eSCL everywhere.
 *
 * Which of them are used is the setting `scan.drivers`, read at each listing.
 */
export function createDefaultDrivers(options: DefaultDriversOptions): ScanDriver[] {
  const platform = options.platform ?? process.platform;
  const fontDir = path.join(options.resourcesDir, 'fonts');
  const cache = path.join(options.dataDir, 'cache');
  const drivers: ScanDriver[] = [
    new DemoScanDriver({
      cacheDir: path.join(cache, 'demo'),
      fontDir: fs.existsSync(fontDir) ? fontDir : undefined,
      failAfter: () => demoFailureOf(options.settings()),
      separators: () => options.settings().scan.demoSeparators,
    }),
  ];
  if (platform !== 'win32') {
    drivers.push(
      new SaneScanDriver({
        workDir: path.join(cache, 'sane'),
        env: options.env ?? process.env,
        logger: options.logger,
        // Network scanners go through the station's own eSCL driver unless it is switched off.
        skipBackends: options.settings().scan.drivers.includes('escl') ? ['airscan', 'escl'] : [],
      }),
    );
  }
  if (platform === 'win32') {
    drivers.push(
      new WiaScanDriver({
        script: path.join(options.resourcesDir, 'wia', 'wia-scan.ps1'),
        workDir: path.join(cache, 'wia'),
        logger: options.logger,
      }),
    );
  }
  drivers.push(
    new EsclScanDriver({
      devices: () => options.settings().scan.esclDevices,
      discovery: () => options.settings().scan.esclDiscovery,
      logger: options.logger,
    }),
  );
  return drivers;
}
