import { describe, expect, it } from 'vitest';
import { Settings } from '../../../shared/settings.js';
import { createSilentLogger } from '../../../electron/engine/logging/logger.js';
import { createDefaultDrivers, demoFailureOf } from '../../../electron/engine/scan/default-drivers.js';

describe('the drivers of each OS', () => {
  const options = (platform: NodeJS.Platform) => ({
    dataDir: '/tmp/sohoa-unused',
    resourcesDir: '/tmp/sohoa-unused/resources',
    settings: () => Settings.parse({}),
    logger: createSilentLogger(),
    platform,
  });

  it('uses SANE off Windows and WIA on Windows; eSCL and the demo scanner everywhere', () => {
    expect(createDefaultDrivers(options('linux')).map((driver) => driver.kind)).toEqual(['demo', 'sane', 'escl']);
    expect(createDefaultDrivers(options('darwin')).map((driver) => driver.kind)).toEqual(['demo', 'sane', 'escl']);
    expect(createDefaultDrivers(options('win32')).map((driver) => driver.kind)).toEqual(['demo', 'wia', 'escl']);
  });

  it('turns scan.demoFailure into the demo scanner’s simulated jam or empty feeder', () => {
    expect(demoFailureOf(Settings.parse({}))).toBeUndefined();
    expect(demoFailureOf(Settings.parse({ scan: { demoFailure: 'paper-jam' } }))).toEqual({
      pages: 2,
      code: 'scan/paper-jam',
    });
    expect(demoFailureOf(Settings.parse({ scan: { demoFailure: 'no-paper', demoFailureAfter: 0 } }))).toEqual({
      pages: 0,
      code: 'scan/no-paper',
    });
  });
});
