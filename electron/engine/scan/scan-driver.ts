import type { ColourMode, Device, DeviceKind, ScanSource } from '../../../shared/domain.js';

/** What a driver is asked to capture. */
export interface ScanRequest {
  deviceId: string;
  source: ScanSource;
  dpi: number;
  colourMode: ColourMode;
  /** Stop after this many pages; undefined means until the feeder is empty. */
  maxPages: number | undefined;
  signal: AbortSignal;
}

/** One captured page as the driver hands it on, complete, the moment it exists. */
export interface ScannedPage {
  data: Buffer;
  mimeType: 'image/jpeg' | 'image/png' | 'image/tiff';
  widthPx: number;
  heightPx: number;
  dpi: number;
  colourMode: ColourMode;
}

export type DriverDevice = Omit<Device, 'allowed'>;

/**
 * A way to reach scanners (SANE, eSCL, WIA, the demo scanner).
 *
 * `scan` yields pages as they land and throws a StationError with a `scan/*`
 * code (paper jam, no paper, cancelled…) when the device stops early; pages
 * already yielded stay delivered.
 */
export interface ScanDriver {
  readonly kind: DeviceKind;
  listDevices(signal?: AbortSignal): Promise<DriverDevice[]>;
  scan(request: ScanRequest): AsyncIterable<ScannedPage>;
}
