import type { ColourMode, Device, PageSize, ScanProfile, ScanSource } from '../../../shared/domain.js';
import { StationError } from '../../../shared/errors.js';
import type { ScanProfileSettings, Settings } from '../../../shared/settings.js';
import { ScanProfileSettings as ScanProfileSchema } from '../../../shared/settings.js';

/** The profile that always exists: colour, `scan.dpi` (300 by default), A4, from the feeder when there is one. */
export const standardProfileName = 'standard';

/** A profile with every value filled in, ready to plan a scan from. */
export interface ResolvedProfile extends Omit<ScanProfile, 'locked' | 'isDefault'> {
  driverOptions: Record<string, string>;
}

/** What the driver is asked for once a profile meets a device. */
export interface ScanPlan {
  source: ScanSource;
  dpi: number;
  colourMode: ColourMode;
  pageSize: PageSize;
}

function profileEntries(settings: Settings): [string, ScanProfileSettings][] {
  const items = { ...settings.profiles.items };
  // The built-in profile is there even when IT defines others; a definition under its name overrides it.
  items[standardProfileName] ??= ScanProfileSchema.parse({ label: 'Tiêu chuẩn (màu, A4)' });
  return Object.entries(items).sort(([a], [b]) =>
    a === standardProfileName ? -1 : b === standardProfileName ? 1 : a.localeCompare(b),
  );
}

function resolve(name: string, entry: ScanProfileSettings, settings: Settings): ResolvedProfile {
  return {
    name,
    label: entry.label === '' ? name : entry.label,
    source: entry.source,
    duplex: entry.duplex,
    dpi: entry.dpi ?? settings.scan.dpi,
    colourMode: entry.colourMode,
    pageSize: entry.pageSize,
    blankPages: entry.blankPages,
    driverOptions: { ...entry.driverOptions },
  };
}

/** Whether the machine policy sets any part of a profile (its own keys, the whole list, or `scan.dpi` it falls back on). */
function isLocked(name: string, entry: ScanProfileSettings | undefined, locked: readonly string[]): boolean {
  const prefix = `profiles.items.${name}`;
  return locked.some(
    (key) =>
      key === 'profiles' ||
      key === 'profiles.items' ||
      key === prefix ||
      key.startsWith(`${prefix}.`) ||
      (key === 'scan.dpi' && entry?.dpi === undefined),
  );
}

/** Every profile as the UI lists it: the default first, then by name. */
export function listProfiles(settings: Settings, locked: readonly string[]): ScanProfile[] {
  const defaultName = defaultProfileName(settings);
  return profileEntries(settings)
    .map(([name, entry]) => {
      const { driverOptions: _options, ...profile } = resolve(name, entry, settings);
      return {
        ...profile,
        locked: isLocked(name, settings.profiles.items[name] ?? entry, locked),
        isDefault: name === defaultName,
      };
    })
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
}

/** The default profile's name; `standard` when the setting names a profile that does not exist. */
export function defaultProfileName(settings: Settings): string {
  const wanted = settings.profiles.default;
  return profileEntries(settings).some(([name]) => name === wanted) ? wanted : standardProfileName;
}

/** A profile by name (the default when undefined or empty). */
export function resolveProfile(settings: Settings, name: string | undefined): ResolvedProfile {
  const wanted = name === undefined || name === '' ? defaultProfileName(settings) : name;
  const entry = profileEntries(settings).find(([candidate]) => candidate === wanted);
  if (entry === undefined) {
    throw new StationError('scan/profile-not-found', `No scan profile named ${wanted}`, [
      {
        path: 'profile',
        message: `expected one of ${profileEntries(settings)
          .map(([n]) => n)
          .join(', ')}`,
      },
    ]);
  }
  return resolve(entry[0], entry[1], settings);
}

/**
 * Fits a profile to a device: which source, resolution and colour mode to ask for.
 *
 * The feeder is preferred when the profile says `auto`. A profile asking for
 * two-sided scanning on a one-sided device is refused rather than silently
 * losing the backs; an unlisted resolution becomes the nearest one at or above
 * it (never below the profile's, which keeps REQUIREMENTS.md's 200 dpi floor).
 */
export function planScan(
  profile: ResolvedProfile,
  device: Pick<Device, 'sources' | 'resolutions' | 'colourModes'>,
): ScanPlan {
  const unsupported = (what: string, path: string): StationError =>
    new StationError('scan/unsupported-setting', `Scan profile ${profile.name}: ${what}`, [{ path, message: what }]);

  let source: ScanSource;
  const hasAdf = device.sources.includes('adf') || device.sources.includes('adf-duplex');
  if (profile.source === 'flatbed') {
    if (profile.duplex) throw unsupported('a flatbed cannot scan both sides', 'duplex');
    if (!device.sources.includes('flatbed')) throw unsupported('the device has no flatbed', 'source');
    source = 'flatbed';
  } else if (profile.duplex) {
    if (!device.sources.includes('adf-duplex')) throw unsupported('the device cannot scan both sides', 'duplex');
    source = 'adf-duplex';
  } else if (profile.source === 'adf' || hasAdf) {
    if (device.sources.includes('adf')) source = 'adf';
    else throw unsupported('the device has no document feeder', 'source');
  } else if (device.sources.includes('flatbed')) {
    source = 'flatbed';
  } else {
    throw unsupported('the device reports no source', 'source');
  }

  if (!device.colourModes.includes(profile.colourMode)) {
    throw unsupported(`the device does not scan in ${profile.colourMode}`, 'colourMode');
  }

  const sorted = [...device.resolutions].sort((a, b) => a - b);
  const dpi = sorted.find((candidate) => candidate >= profile.dpi) ?? sorted.at(-1);
  if (dpi === undefined) throw unsupported('the device reports no resolution', 'dpi');
  if (dpi < profile.dpi) throw unsupported(`the device scans at most ${dpi} dpi`, 'dpi');

  return { source, dpi, colourMode: profile.colourMode, pageSize: profile.pageSize };
}
