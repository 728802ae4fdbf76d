import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDirSwitch, resolveAppPaths } from '../../../electron/main/app-paths.js';

const packaged = {
  isPackaged: true,
  appPath: '/opt/SoHoa Station/resources/app.asar',
  resourcesPath: '/opt/SoHoa Station/resources',
  mainDir: '/opt/SoHoa Station/resources/app.asar/dist/main',
  userDataDir: '/home/clerk/.config/SoHoa Station',
  argv: ['/opt/SoHoa Station/sohoa-station'],
};

describe('resolveAppPaths', () => {
  it('keeps data under userData and reads renderer and preload from the asar when packaged', () => {
    expect(resolveAppPaths(packaged)).toEqual({
      dataDir: '/home/clerk/.config/SoHoa Station',
      logsDir: '/home/clerk/.config/SoHoa Station/logs',
      resourcesDir: '/opt/SoHoa Station/resources/resources',
      rendererIndexPath: '/opt/SoHoa Station/resources/app.asar/dist/renderer/index.html',
      preloadPath: '/opt/SoHoa Station/resources/app.asar/dist/preload/preload.cjs',
    });
  });

  it('finds the repository from dist/main in development, whatever Electron reports as app path', () => {
    const paths = resolveAppPaths({
      ...packaged,
      isPackaged: false,
      appPath: '/work/repo/dist/main',
      resourcesPath: '/work/repo/node_modules/electron/dist/resources',
      mainDir: '/work/repo/dist/main',
      argv: ['electron', '/work/repo/dist/main/main.cjs'],
    });
    expect(paths.resourcesDir).toBe('/work/repo/resources');
    expect(paths.rendererIndexPath).toBe('/work/repo/dist/renderer/index.html');
    expect(paths.preloadPath).toBe('/work/repo/dist/preload/preload.cjs');
  });

  it('puts data and logs under --data-dir when IT gives one', () => {
    const paths = resolveAppPaths({ ...packaged, argv: [...packaged.argv, '--data-dir=/srv/station-7'] });
    expect(paths.dataDir).toBe('/srv/station-7');
    expect(paths.logsDir).toBe('/srv/station-7/logs');
  });
});

describe('dataDirSwitch', () => {
  it('reads both spellings', () => {
    expect(dataDirSwitch(['x', '--data-dir=/a'])).toBe('/a');
    expect(dataDirSwitch(['x', '--data-dir', '/b'])).toBe('/b');
  });

  it('resolves a relative folder against the working directory', () => {
    expect(dataDirSwitch(['--data-dir', 'station'])).toBe(path.resolve('station'));
  });

  it('ignores a missing or empty value instead of taking the next switch', () => {
    expect(dataDirSwitch(['x'])).toBeUndefined();
    expect(dataDirSwitch(['--data-dir='])).toBeUndefined();
    expect(dataDirSwitch(['--data-dir', '--inspect'])).toBeUndefined();
    expect(dataDirSwitch(['--data-dir'])).toBeUndefined();
  });
});
