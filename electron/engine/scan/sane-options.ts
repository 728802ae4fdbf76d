import type { ColourMode, ScanSource } from '../../../shared/domain.js';
import { resolutionsInRange } from './scan-driver.js';

/** One line of `scanimage -f "%d\t%v\t%m\t%t%n"`. */
export interface SaneDeviceLine {
  name: string;
  vendor: string;
  model: string;
  type: string;
}

/** The device list format we ask scanimage for: tab-separated, one device a line. */
export const saneListFormat = '%d\t%v\t%m\t%t%n';

/** Parses the output of `scanimage -f saneListFormat`; lines that do not fit are ignored. */
export function parseSaneDeviceList(output: string): SaneDeviceLine[] {
  return output
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((fields): fields is [string, string, string, string] => fields.length === 4 && fields[0] !== '')
    .map(([name, vendor, model, type]) => ({ name, vendor, model, type }));
}

/** What `scanimage -A` says a device can do, mapped onto the station's words. */
export interface SaneCapabilities {
  /** Our source → the backend's value for `--source` (absent when the device has no source option). */
  sources: Partial<Record<ScanSource, string>>;
  /** Our colour mode → the backend's value for `--mode`. */
  modes: Partial<Record<ColourMode, string>>;
  resolutions: number[];
  /** Largest scan area from the `-x`/`-y` ranges. */
  maxAreaMm: { width: number; height: number } | undefined;
  /** Backends with a sheet-feeder page size (fujitsu, canon_dr…) name it with these options. */
  hasPageWidth: boolean;
  hasPageHeight: boolean;
  /** Every backend option the device lists (long names), to refuse a wrong extra option early. */
  optionNames: Set<string>;
}

interface ParsedOption {
  name: string;
  values: string;
  inactive: boolean;
}

/** Option lines look like `    --mode Gray|Color [Gray]` or `    -x 0..215.9mm (in steps of 1) [215.9]`. */
function parseOptionLines(output: string): ParsedOption[] {
  const options: ParsedOption[] = [];
  for (const line of output.split('\n')) {
    const match = /^\s+(--?[A-Za-z0-9][A-Za-z0-9-]*)(?:\[=\([^)]*\)\])?\s*(.*)$/.exec(line);
    if (match === null) continue;
    const [, flag = '', rest = ''] = match;
    const name = flag.replace(/^--?/, '');
    const inactive = /\[inactive\]\s*$/.test(rest);
    // The value part ends where the current value in brackets starts.
    const values = rest.replace(/\s*\[[^\]]*\]\s*$/, '').trim();
    options.push({ name, values, inactive });
  }
  return options;
}

function listValues(values: string): string[] {
  return values
    .replace(/\s*\(in steps of [^)]*\)/, '')
    .split('|')
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

function rangeOf(values: string): { min: number; max: number } | undefined {
  const match = /^(-?\d+(?:\.\d+)?)\.\.(-?\d+(?:\.\d+)?)/.exec(values);
  if (match === null) return undefined;
  return { min: Number(match[1]), max: Number(match[2]) };
}

/** Maps a backend source name onto ours: platen, feeder, feeder both sides. */
export function classifySource(value: string): ScanSource | undefined {
  const lower = value.toLowerCase();
  if (/duplex/.test(lower)) return 'adf-duplex';
  // "ADF Back" scans only the backs: not something a clerk would choose as a feeder.
  if (/\bback\b/.test(lower)) return undefined;
  if (/adf|feeder|automatic document|\bfront\b/.test(lower)) return 'adf';
  if (/flatbed|platen|normal|document table|glass/.test(lower)) return 'flatbed';
  return undefined;
}

/** Maps a backend mode name onto ours. */
export function classifyMode(value: string): ColourMode | undefined {
  const lower = value.toLowerCase();
  if (/colou?r|rgb/.test(lower)) return 'color';
  if (/gr[ae]y/.test(lower)) return 'gray';
  if (/lineart|binary|black ?& ?white|^bw$|monochrome/.test(lower)) return 'lineart';
  return undefined;
}

/** Reads the output of `scanimage -d DEV -A`. */
export function parseSaneCapabilities(output: string): SaneCapabilities {
  const options = parseOptionLines(output);
  const byName = new Map(options.map((option) => [option.name, option]));
  const sources: Partial<Record<ScanSource, string>> = {};
  const sourceOption = byName.get('source');
  if (sourceOption !== undefined) {
    for (const value of listValues(sourceOption.values)) {
      const ours = classifySource(value);
      if (ours !== undefined && sources[ours] === undefined) sources[ours] = value;
    }
  }
  const modes: Partial<Record<ColourMode, string>> = {};
  const modeOption = byName.get('mode');
  if (modeOption !== undefined) {
    for (const value of listValues(modeOption.values)) {
      const ours = classifyMode(value);
      // "Lineart" beats "Halftone" and the first colour name wins over later variants.
      if (ours !== undefined && modes[ours] === undefined) modes[ours] = value;
    }
  }
  let resolutions: number[] = [];
  const resolutionOption = byName.get('resolution') ?? byName.get('x-resolution');
  if (resolutionOption !== undefined) {
    const range = rangeOf(resolutionOption.values);
    resolutions =
      range !== undefined
        ? resolutionsInRange(range.min, range.max)
        : listValues(resolutionOption.values.replace(/dpi/g, ''))
            .map(Number)
            .filter((dpi) => Number.isFinite(dpi) && dpi > 0)
            .map((dpi) => Math.round(dpi));
  }
  const width = rangeOf(byName.get('x')?.values ?? '');
  const height = rangeOf(byName.get('y')?.values ?? '');
  return {
    sources,
    modes,
    resolutions: [...new Set(resolutions)].sort((a, b) => a - b),
    maxAreaMm:
      width !== undefined && height !== undefined && width.max > 0 && height.max > 0
        ? { width: width.max, height: height.max }
        : undefined,
    hasPageWidth: byName.has('page-width'),
    hasPageHeight: byName.has('page-height'),
    optionNames: new Set(options.map((option) => option.name)),
  };
}

/** Turns backend-specific options into scanimage arguments: `{ 'read-delay': 'yes', l: '0' }` → `--read-delay=yes -l 0`. */
export function extraOptionArgs(options: Readonly<Record<string, string>> | undefined): string[] {
  const args: string[] = [];
  for (const [name, value] of Object.entries(options ?? {})) {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(name)) throw new RangeError(`Not a SANE option name: ${name}`);
    if (name.length === 1) args.push(`-${name}`, value);
    else args.push(value === '' ? `--${name}` : `--${name}=${value}`);
  }
  return args;
}
