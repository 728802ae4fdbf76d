import crypto from 'node:crypto';
import type { Device, ScanProfile } from '../../../shared/domain.js';
import type { StationErrorShape } from '../../../shared/errors.js';
import { StationError, isStationError } from '../../../shared/errors.js';
import type { Settings } from '../../../shared/settings.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../event-bus.js';
import type { Logger } from '../logging/logger.js';
import type { CaptureRepository, NewPage } from '../store/capture-repository.js';
import type { FileStore } from '../store/file-store.js';
import type { PageStoredHook, PageWriter } from './page-writer.js';
import { createPageWriter } from './page-writer.js';
import { listProfiles, planScan, resolveProfile } from './profiles.js';
import type { DriverDevice, ScanDriver, ScanProgress } from './scan-driver.js';
import { isDeviceOf } from './scan-driver.js';

export interface CaptureServiceOptions {
  drivers: ScanDriver[];
  repository: CaptureRepository;
  files: FileStore;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  settings: () => Settings;
  /** Keys the machine policy locks, to mark locked profiles. */
  lockedKeys?: () => readonly string[];
  /** Runs after each page is stored and before it is announced (the imaging/OCR pipeline's entry). */
  onPageStored?: PageStoredHook;
  /** Refuses a capture before it writes (the store's disk-space guard); throws a StationError. */
  beforeCapture?: () => void;
  /** How long a driver's device list is reused (listing SANE devices takes seconds). */
  deviceListTtlMs?: number;
}

/** Runs scans: every page goes to the file store and the database, then is announced, as it arrives. */
export interface CaptureService {
  /**
   * Every driver's devices. With `waitMs`, resolves by then with the devices of the drivers that
   * have answered, and hands the complete list to `onComplete` if some had not.
   */
  listDevices(options?: { waitMs?: number | undefined; onComplete?: (devices: Device[]) => void }): Promise<Device[]>;
  listProfiles(): ScanProfile[];
  /** Starts a batch and returns at once; progress comes as `scan:*` events. */
  start(request: {
    deviceId: string;
    count: number | undefined;
    profile?: string | undefined;
    /**
     * Runs right after each page's row is added, before it is announced (in the same tick): a scan
     * into an existing document places the page there, so the batch never becomes a document of its own.
     */
    onPageCommitted?: ((page: NewPage) => void) | undefined;
    /** The document a scan into a document fills, announced with `scan:started`. */
    intoDocumentId?: string | undefined;
  }): Promise<{
    batchId: string;
  }>;
  cancel(batchId: string): boolean;
  /** Resolves when every running batch has ended (for shutdown and tests). */
  idle(): Promise<void>;
  /** The one path of a page into the store, shared with file import. */
  readonly pages: PageWriter;
}

/** Pages being written at once: two cores, and a page spends much of its writing waiting for fsync. */
const pipelineDepth = 2;

/** At most this many progress events per second and batch: enough for a progress bar, little for the bridge. */
const progressIntervalMs = 200;

export function createCaptureService(options: CaptureServiceOptions): CaptureService {
  const { repository, events, clock, logger } = options;
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  const pages = createPageWriter({
    repository,
    files: options.files,
    events,
    clock,
    logger,
    onPageStored: options.onPageStored,
  });
  const ttl = options.deviceListTtlMs ?? 15_000;
  const listings = new Map<ScanDriver, { at: number; devices: Promise<DriverDevice[]>; settled: boolean }>();

  /**
   * A driver's devices. A listing in progress is shared; a finished one is reused for a while when
   * a scan starts (listing SANE or the network takes seconds), while the device list the clerk
   * asks for is always fresh.
   */
  function devicesOf(driver: ScanDriver, fresh = false): Promise<DriverDevice[]> {
    const cached = listings.get(driver);
    if (cached !== undefined && (!cached.settled || (!fresh && Date.now() - cached.at < ttl))) return cached.devices;
    const entry = {
      at: Date.now(),
      settled: false,
      devices: driver
        .listDevices()
        .catch((error: unknown) => {
          logger.warn('device listing failed', { driver: driver.kind, error });
          listings.delete(driver);
          return [];
        })
        .finally(() => {
          entry.settled = true;
        }),
    };
    listings.set(driver, entry);
    return entry.devices;
  }

  function enabledDrivers(): ScanDriver[] {
    const enabled: readonly string[] = options.settings().scan.drivers;
    return options.drivers.filter((driver) => enabled.includes(driver.kind));
  }

  function isAllowed(deviceId: string): boolean {
    const allowed = options.settings().scan.allowedDevices;
    return allowed.length === 0 || allowed.includes(deviceId);
  }

  async function findDevice(deviceId: string): Promise<{ driver: ScanDriver; device: Device }> {
    const drivers = enabledDrivers();
    // The id names its driver, so only that driver is asked; a device not in the cached list is looked for again.
    const owners = drivers.filter((driver) => isDeviceOf(driver.kind, deviceId));
    for (const fresh of [false, true]) {
      for (const driver of owners.length > 0 ? owners : drivers) {
        const found = (await devicesOf(driver, fresh)).find((device) => device.id === deviceId);
        if (found !== undefined) return { driver, device: { ...found, allowed: isAllowed(found.id) } };
      }
    }
    for (const driver of owners) {
      const reason = driver.unavailable?.(deviceId);
      if (reason !== undefined) throw reason;
    }
    throw new StationError('scan/device-not-found', `No scanner with id ${deviceId}`);
  }

  function progressReporter(batchId: string): (progress: ScanProgress) => void {
    let lastAt = 0;
    let lastPage = -1;
    return (progress) => {
      const now = Date.now();
      if (progress.pageIndex === lastPage && now - lastAt < progressIntervalMs) return;
      lastAt = now;
      lastPage = progress.pageIndex;
      events.emit('scan:progressed', { batchId, pageIndex: progress.pageIndex, percent: progress.percent });
    };
  }

  async function run(
    batchId: string,
    driver: ScanDriver,
    device: Device,
    request: {
      count: number | undefined;
      profile: string | undefined;
      onPageCommitted?: ((page: NewPage) => void) | undefined;
    },
    signal: AbortSignal,
  ): Promise<void> {
    let index = 0;
    const log = logger.child('capture');
    try {
      const settings = options.settings();
      const profile = resolveProfile(settings, request.profile);
      const plan = planScan(profile, device);
      const scanned = driver.scan({
        deviceId: device.id,
        ...plan,
        maxPages: request.count,
        // Device options first, so a profile made for a test or a special batch can override them.
        options: { ...settings.scan.deviceOptions[device.id], ...profile.driverOptions },
        signal,
        onProgress: progressReporter(batchId),
      });
      log.info('scan started', { batchId, deviceId: device.id, profile: profile.name, ...plan });
      // Two pages are written side by side (hashing, thumbnail and fsync wait on I/O more than on
      // the CPU); each is added and announced, in scan order, the moment it and those before it
      // are written. A failure stops the batch; the pages added before it stay.
      let failure: { error: unknown } | undefined;
      let chain: Promise<void> = Promise.resolve();
      const steps: Promise<void>[] = [];
      let queued = 0;
      try {
        for await (const page of scanned) {
          if (failure !== undefined) break;
          options.beforeCapture?.();
          const prepared = pages.prepare(page, { batchId, index: queued, deviceId: device.id, source: plan.source });
          // Awaited in order below; until then a rejection must not count as unhandled.
          prepared.catch(() => undefined);
          queued += 1;
          chain = chain.then(async () => {
            if (failure !== undefined) return;
            try {
              const stored = await prepared;
              pages.commit(stored);
              index += 1;
              request.onPageCommitted?.(stored);
              await pages.announce(stored, { profile: profile.name, blankPages: profile.blankPages });
            } catch (error) {
              failure = { error };
            }
          });
          steps.push(chain);
          if (steps.length >= pipelineDepth) await steps.shift();
        }
      } finally {
        // The pages the scanner delivered before a stop or an error are kept, in order.
        await chain;
      }
      if (failure !== undefined) throw failure.error;
      if (signal.aborted) throw new StationError('scan/cancelled', 'Scan cancelled');
      repository.endBatch(batchId, 'finished', clock.now().toISOString(), null);
      events.emit('scan:finished', { batchId, pageCount: index, cancelled: false });
    } catch (error) {
      const shape: StationErrorShape = isStationError(error)
        ? error.toShape()
        : { code: 'internal', message: 'Internal error' };
      if (!isStationError(error)) log.error('scan failed', { batchId, deviceId: device.id, error });
      if (shape.code === 'scan/cancelled') {
        repository.endBatch(batchId, 'cancelled', clock.now().toISOString(), shape.code);
        events.emit('scan:finished', { batchId, pageCount: index, cancelled: true });
      } else {
        log.warn('scan ended with an error', { batchId, deviceId: device.id, code: shape.code, pages: index });
        repository.endBatch(batchId, 'failed', clock.now().toISOString(), shape.code);
        events.emit('scan:failed', { batchId, pageCount: index, error: shape });
      }
    }
  }

  return {
    pages,
    async listDevices(listOptions = {}) {
      const answered: (DriverDevice[] | undefined)[] = [];
      const lists = enabledDrivers().map((driver, index) =>
        devicesOf(driver, true).then((devices) => {
          answered[index] = devices;
          return devices;
        }),
      );
      const withPolicy = (devices: DriverDevice[]): Device[] =>
        devices.map((device) => ({ ...device, allowed: isAllowed(device.id) }));
      const all = Promise.all(lists).then((found) => withPolicy(found.flat()));
      const { waitMs, onComplete } = listOptions;
      if (waitMs === undefined) return all;
      let timer: NodeJS.Timeout | undefined;
      const early = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), waitMs);
      });
      const first = await Promise.race([all, early]);
      clearTimeout(timer);
      if (first !== undefined) return first;
      all.then(onComplete, (error: unknown) => logger.warn('device discovery failed', { error }));
      return withPolicy(answered.flatMap((devices) => devices ?? []));
    },
    listProfiles() {
      return listProfiles(options.settings(), options.lockedKeys?.() ?? []);
    },
    async start({ deviceId, count, profile, onPageCommitted, intoDocumentId }) {
      const { driver, device } = await findDevice(deviceId);
      if (!device.allowed) {
        throw new StationError('scan/device-not-found', `Scanner ${deviceId} is not allowed by machine policy`);
      }
      // A wrong profile or one the device cannot do is refused before a batch exists.
      planScan(resolveProfile(options.settings(), profile), device);
      options.beforeCapture?.();
      for (const [id, job] of running) {
        if (job.controller.signal.aborted) continue;
        throw new StationError('scan/busy', `Batch ${id} is still scanning`);
      }
      const batchId = crypto.randomUUID();
      repository.createBatch({ id: batchId, deviceId, startedAt: clock.now().toISOString() });
      events.emit('scan:started', {
        batchId,
        deviceId,
        expectedPages: count ?? null,
        ...(intoDocumentId === undefined ? {} : { intoDocumentId }),
      });
      const controller = new AbortController();
      const done = run(batchId, driver, device, { count, profile, onPageCommitted }, controller.signal).finally(() =>
        running.delete(batchId),
      );
      running.set(batchId, { controller, done });
      return { batchId };
    },
    cancel(batchId) {
      const job = running.get(batchId);
      if (job === undefined) return false;
      job.controller.abort();
      return true;
    },
    async idle() {
      await Promise.all([...running.values()].map((job) => job.done));
    },
  };
}
