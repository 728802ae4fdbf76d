import type { Batch, Device, Page } from '../../shared/domain.js';
import type { StationErrorShape } from '../../shared/errors.js';
import type { StationClient } from '../station/station-client.js';
import type { SliceGet, SliceSet } from './station-store.js';

/**
 * Where the current scan stands.
 *
 * `starting` until the engine confirms, `cancelling` after Stop until the
 * engine reports the end; the last three are the outcome of the last scan.
 */
export type ScanStatus = 'idle' | 'starting' | 'scanning' | 'cancelling' | 'finished' | 'cancelled' | 'failed';

/** A page preview: being fetched, ready as a `data:` URL, or failed. */
export type Thumbnail = { state: 'loading' } | { state: 'ready'; src: string } | { state: 'failed' };

/** Scanning state: devices, the request being prepared, and the batch being captured. */
export interface CaptureSlice {
  devices: Device[];
  devicesLoaded: boolean;
  selectedDeviceId: string | null;
  /** Pages to scan; null scans until the feeder is empty. */
  pageCount: number | null;
  status: ScanStatus;
  batchId: string | null;
  /** Pages the engine expects, or the count asked for; null when open-ended. */
  expectedPages: number | null;
  /** Pages of the current batch in capture order. */
  pages: Page[];
  thumbnails: Record<string, Thumbnail>;
  error: StationErrorShape | null;
  recentBatches: Batch[];

  /** Whether the clerk picked the device (then a late device list does not change it). */
  deviceChosenByClerk: boolean;
  loadDevices: () => Promise<void>;
  /** Takes a device list (from `devices:list` or `devices:changed`), keeping a usable selection. */
  applyDevices: (devices: Device[]) => void;
  selectDevice: (deviceId: string) => void;
  setPageCount: (count: number | null) => void;
  /** Starts a scan with the chosen device and count; ignored while one is running. */
  startScan: () => Promise<void>;
  /** Asks the engine to stop the running scan; pages already captured stay. */
  cancelScan: () => Promise<void>;
  /** After an interrupted scan: scans the pages still missing (or the same count when open-ended). */
  continueScan: () => Promise<void>;
  loadThumbnail: (pageId: string) => Promise<void>;
  loadRecentBatches: () => Promise<void>;
  dismissError: () => void;
}

/** Whether a scan is under way, so a second one must not start. */
export function isScanBusy(status: ScanStatus): boolean {
  return status === 'starting' || status === 'scanning' || status === 'cancelling';
}

/** Inserts a page by its index, replacing one with the same id, so late or repeated events keep the order. */
export function insertPage(pages: readonly Page[], page: Page): Page[] {
  const others = pages.filter((existing) => existing.id !== page.id);
  const at = others.findIndex((existing) => existing.index > page.index);
  return at === -1 ? [...others, page] : [...others.slice(0, at), page, ...others.slice(at)];
}

const recentBatchLimit = 10;
/** How long the device list may take before the screen shows the devices found so far. */
const deviceListWaitMs = 150;

/** Creates the capture slice. */
export function createCaptureSlice(client: StationClient, set: SliceSet, get: SliceGet): CaptureSlice {
  async function requestCancel(batchId: string): Promise<void> {
    const result = await client.call('scan:cancel', { batchId });
    if (!result.ok) set({ error: result.error });
  }

  return {
    devices: [],
    devicesLoaded: false,
    selectedDeviceId: null,
    deviceChosenByClerk: false,
    pageCount: null,
    status: 'idle',
    batchId: null,
    expectedPages: null,
    pages: [],
    thumbnails: {},
    error: null,
    recentBatches: [],

    async loadDevices() {
      // The demo and configured scanners answer at once; USB probing and network discovery follow
      // as `devices:changed`, so the screen is usable while they take their seconds.
      const result = await client.call('devices:list', { waitMs: deviceListWaitMs });
      if (!result.ok) {
        set({ devicesLoaded: true, error: result.error });
        return;
      }
      get().applyDevices(result.value);
    },

    applyDevices(devices) {
      const { selectedDeviceId, settings } = get();
      const usable = devices.filter((device) => device.allowed);
      const keep = usable.find((device) => device.id === selectedDeviceId);
      const preferred = usable.find((device) => device.id === settings?.values.scan.defaultDevice);
      // A slow scanner named as the default takes over from the one chosen while it was missing,
      // unless the clerk chose one meanwhile.
      const chosen = get().deviceChosenByClerk ? (keep ?? preferred) : (preferred ?? keep);
      set({ devices, devicesLoaded: true, selectedDeviceId: (chosen ?? usable[0])?.id ?? null });
    },

    selectDevice(deviceId) {
      set({ selectedDeviceId: deviceId, deviceChosenByClerk: true });
    },

    setPageCount(count) {
      set({ pageCount: count });
    },

    async startScan() {
      const { selectedDeviceId: deviceId, pageCount, status } = get();
      if (deviceId === null || isScanBusy(status)) return;
      set({ status: 'starting', batchId: null, expectedPages: pageCount, pages: [], thumbnails: {}, error: null });
      const result = await client.call(
        'scan:start',
        pageCount === null ? { deviceId } : { deviceId, count: pageCount },
      );
      if (!result.ok) {
        set({ status: 'failed', error: result.error });
        return;
      }
      // Events travel separately from the reply and may already have adopted the batch, or even finished it.
      const now = get();
      if (now.batchId === null) set({ batchId: result.value.batchId });
      if (now.status === 'starting') set({ status: 'scanning' });
      if (now.status === 'cancelling') await requestCancel(result.value.batchId);
    },

    async cancelScan() {
      const { status, batchId } = get();
      if (status !== 'starting' && status !== 'scanning') return;
      set({ status: 'cancelling' });
      // Without a batch id yet, startScan sends the cancel as soon as the engine answers.
      if (batchId !== null) await requestCancel(batchId);
    },

    async continueScan() {
      const { expectedPages, pages, status } = get();
      if (isScanBusy(status)) return;
      const remaining = expectedPages === null ? null : Math.max(1, expectedPages - pages.length);
      set({ pageCount: remaining });
      await get().startScan();
    },

    async loadThumbnail(pageId) {
      const existing = get().thumbnails[pageId];
      if (existing !== undefined && existing.state !== 'failed') return;
      set((state) => ({ thumbnails: { ...state.thumbnails, [pageId]: { state: 'loading' } } }));
      const result = await client.call('pages:thumbnail', { pageId });
      const thumbnail: Thumbnail = result.ok
        ? { state: 'ready', src: `data:${result.value.mimeType};base64,${result.value.dataBase64}` }
        : { state: 'failed' };
      set((state) => ({ thumbnails: { ...state.thumbnails, [pageId]: thumbnail } }));
    },

    async loadRecentBatches() {
      const result = await client.call('batches:list', { limit: recentBatchLimit });
      if (result.ok) set({ recentBatches: result.value });
    },

    dismissError() {
      set({ error: null });
    },
  };
}
