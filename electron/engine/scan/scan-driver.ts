import type { ColourMode, Device, DeviceKind, PageSize, ScanSource } from '../../../shared/domain.js';
import type { StationError } from '../../../shared/errors.js';

/** How far the device is with the page it is scanning now. */
export interface ScanProgress {
  /** 0-based index of the page being scanned in this request. */
  pageIndex: number;
  /** 0–100 when the device reports it, null when it only says "scanning". */
  percent: number | null;
}

/** What a driver is asked to capture. */
export interface ScanRequest {
  deviceId: string;
  source: ScanSource;
  dpi: number;
  colourMode: ColourMode;
  /** Paper size to scan; `auto` (or absent) = the device's whole area. Clamped to the device's area. */
  pageSize?: PageSize | undefined;
  /** Stop after this many pages; undefined means until the feeder is empty. */
  maxPages: number | undefined;
  /**
   * Backend-specific options passed as they are, from the device's and the profile's settings
   * (SANE: `{ 'read-delay': 'yes' }` becomes `--read-delay=yes`). Tests inject failures this way.
   */
  options?: Readonly<Record<string, string>> | undefined;
  signal: AbortSignal;
  /** Called as the device reports progress on the page it is scanning; never throws into the driver. */
  onProgress?: ((progress: ScanProgress) => void) | undefined;
}

/** One captured page as the driver hands it on, complete, the moment it exists. */
export interface ScannedPage {
  data: Buffer;
  mimeType: 'image/jpeg' | 'image/png' | 'image/tiff';
  widthPx: number;
  heightPx: number;
  dpi: number;
  colourMode: ColourMode;
  /** When the device finished the page (ms since the epoch), when the driver knows: for latency figures. */
  completedAt?: number | undefined;
}

/** A device as its driver sees it: capabilities, but not yet whether policy allows it. */
export type DriverDevice = Omit<Device, 'allowed'>;

/**
 * A way to reach scanners (SANE, eSCL, WIA, the demo scanner).
 *
 * `scan` yields pages as they land and throws a StationError with a `scan/*`
 * code (paper jam, no paper, cancelled…) when the device stops early; pages
 * already yielded stay delivered. Device ids start with the driver's kind and a
 * colon (`sane:…`, `escl:…`, `wia:…`), except the demo scanner's `demo`.
 */
export interface ScanDriver {
  readonly kind: DeviceKind;
  listDevices(signal?: AbortSignal): Promise<DriverDevice[]>;
  scan(request: ScanRequest): AsyncIterable<ScannedPage>;
  /** Why a device this driver was told about is missing from its list (offline, untrusted certificate), if it knows. */
  unavailable?(deviceId: string): StationError | undefined;
}

/** Paper sizes in millimetres (portrait). */
export const pageSizeMm: Record<Exclude<PageSize, 'auto'>, { width: number; height: number }> = {
  a5: { width: 148, height: 210 },
  a4: { width: 210, height: 297 },
  a3: { width: 297, height: 420 },
  letter: { width: 215.9, height: 279.4 },
  legal: { width: 215.9, height: 355.6 },
};

/** The paper sizes that fit an area (1 mm of tolerance, since devices round their limits). */
export function pageSizesFitting(area: { width: number; height: number } | undefined): PageSize[] {
  if (area === undefined) return ['auto'];
  const fitting = (Object.keys(pageSizeMm) as Exclude<PageSize, 'auto'>[]).filter(
    (size) => pageSizeMm[size].width <= area.width + 1 && pageSizeMm[size].height <= area.height + 1,
  );
  return ['auto', ...fitting];
}

/** The area to scan for a page size, clamped to what the device can reach; undefined = the whole area. */
export function scanAreaMm(
  pageSize: PageSize | undefined,
  area: { width: number; height: number } | undefined,
): { width: number; height: number } | undefined {
  if (pageSize === undefined || pageSize === 'auto') return area;
  const wanted = pageSizeMm[pageSize];
  if (area === undefined) return wanted;
  return { width: Math.min(wanted.width, area.width), height: Math.min(wanted.height, area.height) };
}

/** Whether a device id belongs to a driver of this kind. */
export function isDeviceOf(kind: DeviceKind, deviceId: string): boolean {
  return kind === 'demo' ? deviceId === 'demo' : deviceId.startsWith(`${kind}:`);
}

/** Common resolutions inside a device's range, for devices that report a range rather than a list. */
export function resolutionsInRange(min: number, max: number): number[] {
  const common = [75, 100, 150, 200, 240, 300, 400, 600, 1200];
  const inside = common.filter((dpi) => dpi >= min && dpi <= max);
  return inside.length > 0 ? inside : [Math.round(max)];
}
