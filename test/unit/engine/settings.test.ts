import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StationError } from '../../../shared/errors.js';
import { createSettingsService, defaultPolicyFile } from '../../../electron/engine/settings/settings-service.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

function setup(user?: unknown, policy?: unknown) {
  const dir = tempDir();
  const paths = {
    userFile: path.join(dir, 'settings.json'),
    policyFile: path.join(dir, 'policy.json'),
    lastGoodFile: path.join(dir, 'settings.last-good.json'),
  };
  if (user !== undefined) fs.writeFileSync(paths.userFile, typeof user === 'string' ? user : JSON.stringify(user));
  if (policy !== undefined)
    fs.writeFileSync(paths.policyFile, typeof policy === 'string' ? policy : JSON.stringify(policy));
  return { dir, paths };
}

describe('settings', () => {
  it('starts on the built-in defaults: Vietnamese UI, demo scanner, 300 dpi, signing off', () => {
    const { paths } = setup();
    const { values, locked, problems } = createSettingsService(paths).current();
    expect(values.ui.language).toBe('vi');
    expect(values.scan.defaultDevice).toBe('demo');
    expect(values.scan.dpi).toBe(300);
    expect(values.signing.enabled).toBe(false);
    expect(locked).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('layers defaults < user < policy and locks the policy keys', () => {
    const { paths } = setup({ ui: { language: 'en' }, scan: { dpi: 400, demoPageCount: 7 } }, { scan: { dpi: 200 } });
    const { values, locked } = createSettingsService(paths).current();
    expect(values.ui.language).toBe('en');
    expect(values.scan.dpi).toBe(200);
    expect(values.scan.demoPageCount).toBe(7);
    expect(locked).toEqual(['scan.dpi']);
  });

  it('refuses to change a locked key and keeps the file as it was', () => {
    const { paths } = setup({ scan: { demoPageCount: 7 } }, { station: { agencyId: '000.00.53.H48' } });
    const service = createSettingsService(paths);
    const before = fs.readFileSync(paths.userFile, 'utf8');
    expect(() => service.update({ station: { agencyId: '000.00.00.H48' } })).toThrow(StationError);
    try {
      service.update({ station: { agencyId: '000.00.00.H48' } });
    } catch (error) {
      expect((error as StationError).code).toBe('settings/locked');
      expect((error as StationError).fields).toEqual([
        { path: 'station.agencyId', message: 'locked by machine policy' },
      ]);
    }
    expect(fs.readFileSync(paths.userFile, 'utf8')).toBe(before);
    expect(service.current().values.station.agencyId).toBe('000.00.53.H48');
  });

  it('saves an update to the user file and validates it', () => {
    const { paths } = setup();
    const service = createSettingsService(paths);
    expect(service.update({ ui: { language: 'en' } }).values.ui.language).toBe('en');
    expect(JSON.parse(fs.readFileSync(paths.userFile, 'utf8'))).toEqual({ ui: { language: 'en' } });
    expect(() => service.update({ scan: { dpi: 75 } })).toThrow(/Invalid settings/);
    expect(createSettingsService(paths).current().values.ui.language).toBe('en');
  });

  it('names the bad key of a broken user file and starts on the last good settings', () => {
    const { paths } = setup({ scan: { demoPageCount: 9 } });
    expect(createSettingsService(paths).current().values.scan.demoPageCount).toBe(9);
    fs.writeFileSync(paths.userFile, JSON.stringify({ scan: { demoPageCount: 'nine' } }));
    const { values, problems } = createSettingsService(paths).current();
    expect(values.scan.demoPageCount).toBe(9);
    expect(problems).toEqual([
      expect.objectContaining({ source: 'user', key: 'scan.demoPageCount', file: paths.userFile }),
    ]);
  });

  it('reports unknown keys and JSON syntax errors by name', () => {
    const unknown = setup({ scan: { colour: 'red' } });
    expect(createSettingsService(unknown.paths).current().problems).toEqual([
      expect.objectContaining({ key: 'scan.colour', message: 'unknown key' }),
    ]);
    const broken = setup('{ "ui": ');
    const { problems, values } = createSettingsService(broken.paths).current();
    expect(problems[0]).toMatchObject({ key: '(file)', source: 'user' });
    expect(values.ui.language).toBe('vi');
  });

  it('runs on defaults and reports a broken policy file rather than guessing', () => {
    const { paths } = setup({ ui: { language: 'en' } }, { station: { agencyId: 'not valid!' } });
    const { values, locked, problems } = createSettingsService(paths).current();
    expect(values.ui.language).toBe('en');
    expect(locked).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ source: 'policy', key: 'station.agencyId' })]);
  });

  it('finds the policy file in the OS place unless SOHOA_POLICY_FILE says otherwise', () => {
    expect(defaultPolicyFile({}, 'linux')).toBe('/etc/sohoa/policy.json');
    expect(defaultPolicyFile({ ProgramData: 'D:\\PD' }, 'win32')).toBe(path.join('D:\\PD', 'SoHoa', 'policy.json'));
    expect(defaultPolicyFile({ SOHOA_POLICY_FILE: '/x/p.json' }, 'linux')).toBe('/x/p.json');
  });
});
