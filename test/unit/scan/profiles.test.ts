import { describe, expect, it } from 'vitest';
import type { SettingsFile } from '../../../shared/settings.js';
import { Settings, leafPaths } from '../../../shared/settings.js';
import { mergeLayers } from '../../../electron/engine/settings/settings-service.js';
import { listProfiles, planScan, resolveProfile } from '../../../electron/engine/scan/profiles.js';

function settings(user: SettingsFile = {}, policy: SettingsFile = {}) {
  return { values: Settings.parse(mergeLayers(user, policy)), locked: leafPaths(policy) };
}

const feeder = {
  sources: ['flatbed', 'adf'] as const,
  resolutions: [150, 200, 300, 600],
  colourModes: ['color', 'gray'] as const,
};
const device = (overrides: Partial<{ sources: string[]; resolutions: number[]; colourModes: string[] }> = {}) =>
  ({ ...feeder, ...overrides }) as Parameters<typeof planScan>[1];

describe('scan profiles', () => {
  it('always has the standard profile: colour, 300 dpi, A4, feeder first (REQUIREMENTS.md §2)', () => {
    const { values, locked } = settings();
    expect(listProfiles(values, locked)).toEqual([
      {
        name: 'standard',
        label: 'Tiêu chuẩn (màu, A4)',
        source: 'auto',
        duplex: false,
        dpi: 300,
        colourMode: 'color',
        pageSize: 'a4',
        blankPages: 'keep',
        locked: false,
        isDefault: true,
      },
    ]);
    expect(planScan(resolveProfile(values, undefined), device())).toEqual({
      source: 'adf',
      dpi: 300,
      colourMode: 'color',
      pageSize: 'a4',
    });
  });

  it('lists the profiles IT and the user define, the default first, and marks those the policy sets as locked', () => {
    const { values, locked } = settings(
      { profiles: { default: 'fast', items: { fast: { label: 'Nhanh', dpi: 200, colourMode: 'gray' } } } },
      { profiles: { items: { archive: { label: 'Lưu trữ', dpi: 400, duplex: true, blankPages: 'remove' } } } },
    );
    const profiles = listProfiles(values, locked);
    expect(profiles.map((profile) => [profile.name, profile.isDefault, profile.locked])).toEqual([
      ['fast', true, false],
      ['standard', false, false],
      ['archive', false, true],
    ]);
    expect(profiles.find((profile) => profile.name === 'archive')).toMatchObject({
      dpi: 400,
      duplex: true,
      blankPages: 'remove',
    });
  });

  it('takes scan.dpi for profiles without their own, and locks them with it', () => {
    const { values, locked } = settings({}, { scan: { dpi: 400 } });
    expect(listProfiles(values, locked)[0]).toMatchObject({ name: 'standard', dpi: 400, locked: true });
  });

  it('names a missing profile in its error, and falls back to standard when the default names none', () => {
    const { values } = settings({ profiles: { default: 'gone' } });
    expect(resolveProfile(values, undefined).name).toBe('standard');
    expect(() => resolveProfile(values, 'nope')).toThrow(expect.objectContaining({ code: 'scan/profile-not-found' }));
  });

  it('fits a profile to the device: nearest resolution at or above, duplex only where offered', () => {
    const { values } = settings({
      profiles: {
        items: {
          both: { duplex: true },
          glass: { source: 'flatbed' },
          fine: { dpi: 250 },
          huge: { dpi: 1200 },
          bw: { colourMode: 'lineart' },
          feeder: { source: 'adf' },
        },
      },
    });
    const plan = (name: string, overrides = {}) => planScan(resolveProfile(values, name), device(overrides));
    expect(plan('fine').dpi).toBe(300);
    expect(plan('glass').source).toBe('flatbed');
    expect(plan('both', { sources: ['adf', 'adf-duplex'] }).source).toBe('adf-duplex');
    expect(plan('standard', { sources: ['flatbed'] }).source).toBe('flatbed');
    for (const [name, overrides] of [
      ['both', {}],
      ['huge', {}],
      ['bw', {}],
      ['feeder', { sources: ['flatbed'] }],
      ['glass', { sources: ['adf'] }],
    ] as const) {
      expect(() => plan(name, overrides), name).toThrow(expect.objectContaining({ code: 'scan/unsupported-setting' }));
    }
  });

  it('refuses a profile that asks for less than 200 dpi or an unknown key', () => {
    expect(Settings.safeParse({ profiles: { items: { low: { dpi: 150 } } } }).success).toBe(false);
    expect(Settings.safeParse({ profiles: { items: { x: { color: 'gray' } } } }).success).toBe(false);
    expect(Settings.safeParse({ profiles: { items: { 'Bad Name': {} } } }).success).toBe(false);
  });
});
