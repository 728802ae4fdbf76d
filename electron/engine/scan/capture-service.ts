import crypto from 'node:crypto';
import type { Device } from '../../../shared/domain.js';
import type { StationErrorShape } from '../../../shared/errors.js';
import { StationError, isStationError } from '../../../shared/errors.js';
import type { Settings } from '../../../shared/settings.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../event-bus.js';
import type { Logger } from '../logging/logger.js';
import { makeThumbnail } from '../imaging/thumbnail.js';
import type { CaptureRepository } from '../store/capture-repository.js';
import type { FileStore } from '../store/file-store.js';
import type { ScanDriver } from './scan-driver.js';

export interface CaptureServiceOptions {
  drivers: ScanDriver[];
  repository: CaptureRepository;
  files: FileStore;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  settings: () => Settings;
}

/** Runs scans: every page goes to the file store and the database, then is announced, as it arrives. */
export interface CaptureService {
  listDevices(): Promise<Device[]>;
  /** Starts a batch and returns at once; progress comes as `scan:*` events. */
  start(request: { deviceId: string; count: number | undefined }): Promise<{ batchId: string }>;
  cancel(batchId: string): boolean;
  /** Resolves when every running batch has ended (for shutdown and tests). */
  idle(): Promise<void>;
}

export function createCaptureService(options: CaptureServiceOptions): CaptureService {
  const { repository, files, events, clock, logger } = options;
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();

  async function findDevice(deviceId: string): Promise<{ driver: ScanDriver; device: Device }> {
    for (const driver of options.drivers) {
      const devices = await driver.listDevices();
      const found = devices.find((device) => device.id === deviceId);
      if (found !== undefined) return { driver, device: { ...found, allowed: isAllowed(found.id) } };
    }
    throw new StationError('scan/device-not-found', `No scanner with id ${deviceId}`);
  }

  function isAllowed(deviceId: string): boolean {
    const allowed = options.settings().scan.allowedDevices;
    return allowed.length === 0 || allowed.includes(deviceId);
  }

  async function run(
    batchId: string,
    driver: ScanDriver,
    device: Device,
    count: number | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    const settings = options.settings().scan;
    let index = 0;
    const log = logger.child('capture');
    try {
      const pages = driver.scan({
        deviceId: device.id,
        source: device.sources.includes('adf') ? 'adf' : (device.sources[0] ?? 'flatbed'),
        dpi: device.resolutions.includes(settings.dpi) ? settings.dpi : (device.resolutions.at(-1) ?? settings.dpi),
        colourMode: device.colourModes.includes('color') ? 'color' : (device.colourModes[0] ?? 'color'),
        maxPages: count,
        signal,
      });
      for await (const scanned of pages) {
        const [sha256, thumbSha256] = await Promise.all([
          files.put(scanned.data),
          makeThumbnail(scanned.data).then((thumb) => files.put(thumb)),
        ]);
        const page = {
          id: crypto.randomUUID(),
          batchId,
          index,
          sha256,
          thumbSha256,
          mimeType: scanned.mimeType,
          widthPx: scanned.widthPx,
          heightPx: scanned.heightPx,
          dpi: scanned.dpi,
          colourMode: scanned.colourMode,
          deviceId: device.id,
          capturedAt: clock.now().toISOString(),
        };
        repository.addPage(page);
        index += 1;
        const { thumbSha256: _thumb, ...announced } = page;
        events.emit('scan:page-captured', { batchId, page: announced });
      }
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
    async listDevices() {
      const lists = await Promise.all(
        options.drivers.map(async (driver) => {
          try {
            return await driver.listDevices();
          } catch (error) {
            logger.warn('device listing failed', { driver: driver.kind, error });
            return [];
          }
        }),
      );
      return lists.flat().map((device) => ({ ...device, allowed: isAllowed(device.id) }));
    },
    async start({ deviceId, count }) {
      const { driver, device } = await findDevice(deviceId);
      if (!device.allowed) {
        throw new StationError('scan/device-not-found', `Scanner ${deviceId} is not allowed by machine policy`);
      }
      for (const [id, job] of running) {
        if (job.controller.signal.aborted) continue;
        throw new StationError('scan/busy', `Batch ${id} is still scanning`);
      }
      const batchId = crypto.randomUUID();
      repository.createBatch({ id: batchId, deviceId, startedAt: clock.now().toISOString() });
      events.emit('scan:started', { batchId, deviceId, expectedPages: count ?? null });
      const controller = new AbortController();
      const done = run(batchId, driver, device, count, controller.signal).finally(() => running.delete(batchId));
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
