import crypto from 'node:crypto';
import fs from 'node:fs';
import type { DeliveryState, OutboxItem, SyncStatus } from '../../../shared/domain.js';
import type { ErrorCode } from '../../../shared/errors.js';
import { StationError } from '../../../shared/errors.js';
import type { Settings } from '../../../shared/settings.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logging/logger.js';
import { DeliveryError, asStationError, isRetryable, isStationWide } from './delivery-error.js';
import type { OutboxRepository, OutboxRow } from './outbox-repository.js';
import { toOutboxItem } from './outbox-repository.js';
import type { ResultRecord, WarehouseRecord } from './result-record.js';
import { backoffDelayMs, isInSendWindow, nextWindowOpen, parseSendWindow } from './schedule.js';
import type { UploadJournal } from './tus-client.js';
import type { WarehouseConnector } from './warehouse-connector.js';

type WarehouseSettings = Settings['warehouse'];

/**
 * How the document workflow takes part in delivery (electron/engine/workflow/ wires these).
 *
 * Without hooks the outbox row alone decides (its own "mật" flag), so bags imported from
 * another station, which have no local document, deliver the same way.
 */
export interface DeliveryHooks {
  /** null when the document may go now; a code (e.g. `sync/classified`) when the workflow refuses. */
  checkDeliverable?(documentId: string): ErrorCode | null;
  /** The warehouse registered the record (workflow: queued → delivered). */
  delivered?(documentId: string, record: WarehouseRecord): void;
  /** The read-back matched (workflow: delivered → verified). */
  verified?(documentId: string, record: WarehouseRecord): void;
  /**
   * Removes the local copy of a verified document past its retention time (the workflow drops
   * its pages and PDF). Returns false when it has no such document, and the worker removes the file.
   */
  purge?(documentId: string, sha256: string): boolean;
}

export interface OutboxWorkerOptions {
  repository: OutboxRepository;
  /** Where the file of a row is (the content-addressed store). */
  fileOf: (sha256: string) => string;
  /** The connector for the settings in force; throws `sync/not-configured` and the like. */
  connector: () => WarehouseConnector;
  settings: () => WarehouseSettings;
  clock: Clock;
  logger: Logger;
  hooks?: DeliveryHooks | undefined;
  onItem?: (item: OutboxItem) => void;
  onStatus?: (status: SyncStatus) => void;
  random?: () => number;
}

/** What one `runOnce` pass did and what is left. */
export interface SyncSummary {
  attempted: number;
  verified: number;
  /** Documents not yet verified (queued, waiting or in progress), excluding blocked and failed. */
  remaining: number;
  failed: number;
  blocked: number;
  /** Why the pass stopped early (paused, outside the send window, station-wide error), when it did. */
  stoppedBy: { code: string; message: string } | null;
  counts: Record<DeliveryState, number>;
}

/** The outbox worker: takes due rows one at a time through token → upload → register → verify. */
export interface OutboxWorker {
  /** Starts the background loop (Electron app, `sohoa sync`). */
  start(): void;
  /** Stops the loop and aborts the document in progress (it resumes from its step next time). */
  stop(): Promise<void>;
  /** One pass over everything due now, one attempt each; for `sohoa sync --once`. */
  runOnce(signal?: AbortSignal, options?: { ignoreWindow?: boolean }): Promise<SyncSummary>;
  /**
   * A round now, inside or outside the send window (the clerk's "Gửi ngay"): waiting rows become
   * due, and the running loop (or, without one, a pass in the background) delivers until nothing is due.
   */
  sendNow(): void;
  pause(): void;
  resume(): void;
  /** Something changed (a new row, settings): look again now. */
  wake(): void;
  /** Stops the attempt on this document if one is running (it was just marked "mật"). */
  cancel(documentId: string): void;
  status(): SyncStatus;
  /** Removes the local copies of verified documents past the retention time; returns how many. */
  purgeVerified(): number;
}

/** Station-wide errors caused by the link; a probe tells when it is back. */
const linkCodes: readonly string[] = ['sync/offline'];
const pausedKey = 'paused';

/** A sleep that `wake()` ends early. */
function createWaker(): { wait(ms: number): Promise<void>; wake(): void } {
  let resolveWait: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  return {
    wait(ms) {
      return new Promise((resolve) => {
        resolveWait = resolve;
        timer = setTimeout(resolve, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
      });
    },
    wake() {
      if (timer !== undefined) clearTimeout(timer);
      resolveWait?.();
      resolveWait = undefined;
    },
  };
}

/** Why the worker aborted an attempt itself; not a failure of the document. */
class Interruption extends Error {
  constructor(readonly why: 'paused' | 'stopped' | 'window') {
    super(`delivery interrupted: ${why}`);
  }
}

function sha256OfFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = crypto.createHash('sha256');
    fs.createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { repository, clock, logger } = options;
  const hooks = options.hooks ?? {};
  const random = options.random ?? Math.random;
  const waker = createWaker();
  let running = false;
  let loop: Promise<void> | undefined;
  let current: { documentId: string; controller: AbortController } | undefined;
  /** null = not known yet; false = a probe failed; true = the last contact worked. */
  let online: boolean | null = null;
  let lastError: { code: string; message: string } | null = null;
  let lastPurgeAt = 0;
  /** A round the clerk asked for: the send window does not hold it back until nothing is due. */
  let forcedRound = false;
  let manualRound: Promise<unknown> | undefined;
  let manualAbort: AbortController | undefined;

  const nowIso = (): string => clock.now().toISOString();
  const later = (ms: number): string => new Date(clock.now().getTime() + ms).toISOString();
  const isPaused = (): boolean => repository.getControl(pausedKey) === '1';

  function emitItem(row: OutboxRow): void {
    options.onItem?.(toOutboxItem(row));
  }

  function status(): SyncStatus {
    const settings = options.settings();
    let windows: ReturnType<typeof parseSendWindow> = [];
    try {
      windows = parseSendWindow(settings.sendWindow);
    } catch {
      windows = [];
    }
    const now = clock.now();
    const next = nextWindowOpen(windows, now);
    return {
      configured: settings.url !== '' && settings.clientId !== '',
      running,
      paused: isPaused(),
      online,
      inSendWindow: isInSendWindow(windows, now),
      nextWindowAt: next === null ? null : next.toISOString(),
      counts: repository.counts(),
      lastError,
      current: current?.documentId ?? null,
    };
  }

  const emitStatus = (): void => options.onStatus?.(status());

  function update(documentId: string, fields: Partial<Omit<OutboxRow, 'document_id'>>): OutboxRow {
    const row = repository.update(documentId, { ...fields, updated_at: nowIso() });
    emitItem(row);
    return row;
  }

  /** The journal of one upload, written to the row before and after every PATCH. */
  function journalFor(row: OutboxRow): UploadJournal {
    let inflightEnd = row.inflight_end;
    let sent = row.sent_bytes;
    return {
      uploadUrl: row.upload_url,
      inflightEnd: row.inflight_end,
      created(url) {
        inflightEnd = null;
        update(row.document_id, { state: 'uploading', upload_url: url, uploaded_bytes: 0, inflight_end: null });
      },
      sending(offset, end) {
        inflightEnd = end;
        // Counted before it goes: after a kill the whole chunk is the upper bound of what went out.
        sent += end - offset;
        update(row.document_id, { state: 'uploading', uploaded_bytes: offset, inflight_end: end, sent_bytes: sent });
      },
      sent() {
        inflightEnd = null;
      },
      interrupted(reached) {
        logger.info('upload interrupted', { documentId: row.document_id, reached, inflightEnd });
        if (inflightEnd !== null) sent -= Math.max(0, inflightEnd - reached);
        inflightEnd = reached;
        repository.update(row.document_id, { inflight_end: reached, sent_bytes: sent, updated_at: nowIso() });
      },
      resumed(serverOffset, reached) {
        // What went out but the server does not hold is what must go again: sent - offset, in total.
        // Counted from the totals (not from `reached`), so a server that kept more of a cut PATCH
        // than its first HEAD said is settled at the next resume, and sent - size = re-sent at the end.
        const fresh = repository.require(row.document_id);
        const waste = Math.max(0, sent - serverOffset);
        const again = Math.max(0, waste - fresh.resent_bytes);
        inflightEnd = null;
        logger.info('upload resumed', { documentId: row.document_id, serverOffset, reached, sent, resentBytes: again });
        update(row.document_id, {
          state: 'uploading',
          uploaded_bytes: serverOffset,
          inflight_end: null,
          interruptions: fresh.interruptions + 1,
          resent_bytes: waste,
          max_resent_bytes: Math.max(fresh.max_resent_bytes, again),
        });
      },
      lost() {
        // Everything sent to an upload the server forgot goes again.
        const fresh = repository.require(row.document_id);
        logger.warn('upload no longer known to the warehouse; starting again', { documentId: row.document_id });
        inflightEnd = null;
        update(row.document_id, {
          upload_url: null,
          inflight_end: null,
          uploaded_bytes: 0,
          interruptions: fresh.interruptions + 1,
          resent_bytes: sent,
          max_resent_bytes: Math.max(fresh.max_resent_bytes, sent - fresh.resent_bytes),
        });
      },
    };
  }

  type AttemptOutcome =
    | { kind: 'verified' }
    | { kind: 'interrupted' }
    | { kind: 'failed'; error: StationError }
    | { kind: 'waiting'; error: StationError; delayMs: number };

  async function deliver(row: OutboxRow, connector: WarehouseConnector, signal: AbortSignal): Promise<void> {
    const id = row.document_id;
    update(id, { state: 'token', attempts: row.attempts + 1 });
    await connector.authenticate(signal);
    let step = row.step;
    if (step === 'upload') {
      const file = options.fileOf(row.file_sha256);
      if (!fs.existsSync(file)) {
        throw new DeliveryError(
          'sync/file-missing',
          `The file ${row.file_sha256} of document ${id} is not in the store`,
        );
      }
      const record = JSON.parse(row.record_json) as ResultRecord;
      // Each state change rides on a write the step makes anyway: every commit is an fsync.
      const url = await connector.upload(
        id,
        { path: file, bytes: row.file_bytes, sha256: row.file_sha256, fileName: record.fileName },
        journalFor(row),
        signal,
      );
      update(id, {
        state: 'registering',
        step: 'register',
        upload_url: url,
        uploaded_bytes: row.file_bytes,
        inflight_end: null,
      });
      step = 'register';
    }
    if (step === 'register') {
      const before = repository.require(id);
      const fresh = before.state === 'registering' ? before : update(id, { state: 'registering' });
      if (fresh.upload_url === null) throw new DeliveryError('sync/protocol', 'No upload to register');
      const record = JSON.parse(fresh.record_json) as ResultRecord;
      const registration = await connector.register({ ...record, upload: fresh.upload_url }, signal);
      if (registration.record.sha256 !== row.file_sha256) {
        throw new DeliveryError(
          'sync/conflict',
          `The warehouse holds document ${id} with SHA-256 ${registration.record.sha256}, not ${row.file_sha256}`,
        );
      }
      update(id, {
        state: 'verifying',
        step: 'verify',
        warehouse_record_id: registration.record.id,
        delivered_at: nowIso(),
      });
      logger.info('record registered', { documentId: id, created: registration.created });
      hooks.delivered?.(id, registration.record);
      step = 'verify';
    } else if (step === 'verify') {
      update(id, { state: 'verifying' });
    }
    if (step === 'verify') {
      const held = await connector.fetchRecord(id, signal);
      if (held === null) {
        update(id, { step: 'register' });
        throw new DeliveryError('sync/protocol', `The warehouse does not return record ${id} after registering it`);
      }
      if (held.sha256 !== row.file_sha256 || held.bytes !== row.file_bytes) {
        throw new DeliveryError(
          'sync/verify-failed',
          `Read-back of ${id}: ${held.sha256}/${held.bytes} B, expected ${row.file_sha256}/${row.file_bytes} B`,
        );
      }
      const at = nowIso();
      update(id, {
        state: 'verified',
        step: 'done',
        verified_at: at,
        next_attempt_at: null,
        last_error_code: null,
        last_error_message: null,
        inflight_end: null,
      });
      hooks.verified?.(id, held);
    }
  }

  async function attempt(row: OutboxRow, outer?: AbortSignal): Promise<AttemptOutcome> {
    const id = row.document_id;
    const gate = row.classified === 1 ? 'sync/classified' : (hooks.checkDeliverable?.(id) ?? null);
    if (gate !== null) {
      const error = new StationError(gate, `Document ${id} may not be delivered (${gate})`);
      update(id, {
        state: 'blocked',
        next_attempt_at: null,
        last_error_code: error.code,
        last_error_message: error.message,
      });
      return { kind: 'failed', error };
    }
    const controller = new AbortController();
    const signal = outer === undefined ? controller.signal : AbortSignal.any([outer, controller.signal]);
    current = { documentId: id, controller };
    const settings = options.settings();
    const windowTimer = setInterval(() => {
      if (!forcedRound && !isInSendWindow(parseSendWindow(options.settings().sendWindow), clock.now())) {
        controller.abort(new Interruption('window'));
      }
    }, 30_000);
    try {
      const connector = options.connector();
      await deliver(row, connector, signal);
      online = true;
      return { kind: 'verified' };
    } catch (thrown) {
      if (signal.aborted) {
        const reason: unknown = signal.reason;
        const why = reason instanceof Interruption ? reason.why : 'stopped';
        const fresh = repository.require(id);
        if (fresh.state !== 'verified' && fresh.classified === 0)
          update(id, { state: 'waiting', next_attempt_at: nowIso() });
        logger.info('delivery interrupted', { documentId: id, why });
        return { kind: 'interrupted' };
      }
      const error = asStationError(thrown);
      const fresh = repository.require(id);
      if (fresh.classified === 1) return { kind: 'interrupted' };
      const fields: Partial<OutboxRow> = { last_error_code: error.code, last_error_message: error.message };
      if (error.code === 'sync/hash-mismatch' && (error as DeliveryError).reason === 'sha256_mismatch') {
        // The local file is hashed only now, not before every upload: the warehouse checks every file anyway.
        const local = await sha256OfFile(options.fileOf(fresh.file_sha256)).catch(() => 'unreadable');
        if (local !== fresh.file_sha256) {
          const corrupt = new StationError(
            'store/corrupt',
            `The stored file of document ${id} no longer matches its SHA-256`,
          );
          update(id, {
            state: 'failed',
            next_attempt_at: null,
            last_error_code: corrupt.code,
            last_error_message: corrupt.message,
          });
          logger.error('local file of a queued document is damaged', { documentId: id });
          return { kind: 'failed', error: corrupt };
        }
      }
      if (error.code === 'sync/hash-mismatch') {
        // The warehouse found the upload incomplete, missing or different: upload again (resume when incomplete).
        fields.step = 'upload';
        if ((error as DeliveryError).reason !== 'upload_incomplete') {
          fields.upload_url = null;
          fields.uploaded_bytes = 0;
          fields.inflight_end = null;
          // The whole upload goes again.
          fields.interruptions = fresh.interruptions + 1;
          fields.resent_bytes = fresh.sent_bytes;
          fields.max_resent_bytes = Math.max(fresh.max_resent_bytes, fresh.sent_bytes - fresh.resent_bytes);
        }
      }
      if (!isRetryable(error)) {
        update(id, { ...fields, state: 'failed', next_attempt_at: null });
        logger.warn('delivery failed for good', { documentId: id, code: error.code, message: error.message });
        return { kind: 'failed', error };
      }
      const retryAfter = error instanceof DeliveryError ? error.retryAfterMs : undefined;
      const backoff = backoffDelayMs(
        fresh.attempts,
        settings.retryBaseSeconds * 1000,
        settings.retryMaxSeconds * 1000,
        random,
      );
      const delayMs =
        retryAfter === undefined ? backoff : Math.min(Math.max(retryAfter, 0), settings.retryMaxSeconds * 1000);
      update(id, { ...fields, state: 'waiting', next_attempt_at: later(delayMs) });
      if (error.code === 'internal') logger.error('delivery attempt failed', { documentId: id, error: thrown });
      else logger.info('delivery attempt failed', { documentId: id, code: error.code, message: error.message });
      return { kind: 'waiting', error, delayMs };
    } finally {
      clearInterval(windowTimer);
      current = undefined;
    }
  }

  /** After a station-wide error every due row waits with it, so the clerk sees why nothing moves. */
  function holdEveryone(error: StationError, delayMs: number): void {
    lastError = { code: error.code, message: error.message };
    if (linkCodes.includes(error.code)) online = false;
    repository.holdAllDue(nowIso(), later(delayMs), error.code, error.message);
    emitStatus();
  }

  async function probe(signal?: AbortSignal): Promise<boolean> {
    let connector: WarehouseConnector;
    try {
      connector = options.connector();
    } catch {
      return false;
    }
    try {
      await connector.probe(signal);
      const wasOffline = online === false;
      online = true;
      if (wasOffline) {
        const released = repository.releaseHeld(linkCodes, nowIso());
        logger.info('warehouse reachable again', { released });
      }
      emitStatus();
      return true;
    } catch (error) {
      online = false;
      lastError = { code: asStationError(error).code, message: asStationError(error).message };
      emitStatus();
      return false;
    }
  }

  function purgeVerified(): number {
    const retention = options.settings().retentionDays;
    if (retention === null) return 0;
    const before = new Date(clock.now().getTime() - retention * 86_400_000).toISOString();
    let purged = 0;
    for (const row of repository.verifiedDueForPurge(before)) {
      update(row.document_id, { purged_at: nowIso() });
      let handled = false;
      try {
        handled = hooks.purge?.(row.document_id, row.file_sha256) ?? false;
      } catch (error) {
        logger.error('the workflow could not purge a verified document', { documentId: row.document_id, error });
        handled = true;
      }
      if (!handled && !repository.fileStillNeeded(row.file_sha256, row.document_id)) {
        fs.rmSync(options.fileOf(row.file_sha256), { force: true });
      }
      purged += 1;
    }
    if (purged > 0) logger.info('local copies purged after verification', { purged, retentionDays: retention });
    return purged;
  }

  function windows(): ReturnType<typeof parseSendWindow> {
    return parseSendWindow(options.settings().sendWindow);
  }

  async function runLoop(): Promise<void> {
    const recovered = repository.recoverInterrupted(nowIso());
    if (recovered > 0) logger.info('resuming deliveries interrupted by a stop', { count: recovered });
    emitStatus();
    while (running) {
      const settings = options.settings();
      if (Date.now() - lastPurgeAt > 60_000) {
        lastPurgeAt = Date.now();
        purgeVerified();
      }
      if (isPaused()) {
        await waker.wait(settings.probeIntervalSeconds * 1000);
        continue;
      }
      const nextOpen = nextWindowOpen(windows(), clock.now());
      if (nextOpen !== null && !forcedRound) {
        emitStatus();
        await waker.wait(Math.min(nextOpen.getTime() - clock.now().getTime(), settings.probeIntervalSeconds * 1000));
        continue;
      }
      if (online === false) {
        if (!(await probe())) {
          await waker.wait(settings.probeIntervalSeconds * 1000);
          continue;
        }
      }
      const row = repository.nextDue(nowIso(), new Set());
      if (row === undefined) {
        forcedRound = false;
        const wakeAt = repository.nextWakeAt();
        const untilNext = wakeAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(wakeAt) - clock.now().getTime();
        await waker.wait(Math.max(10, Math.min(untilNext, settings.probeIntervalSeconds * 1000)));
        continue;
      }
      const outcome = await attempt(row);
      if (outcome.kind === 'waiting' && isStationWide(outcome.error)) {
        holdEveryone(outcome.error, outcome.delayMs);
        // A cut link is probed at once: one lost connection is not an outage.
        if (linkCodes.includes(outcome.error.code) && running) {
          online = null;
          if (!(await probe())) online = false;
        }
      } else if (outcome.kind === 'verified') {
        lastError = null;
      }
      emitStatus();
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = runLoop().catch((error: unknown) => {
        logger.error('outbox worker stopped on an unexpected error', { error });
        running = false;
      });
    },
    async stop() {
      running = false;
      current?.controller.abort(new Interruption('stopped'));
      waker.wake();
      await loop;
      loop = undefined;
      manualAbort?.abort(new Interruption('stopped'));
      await manualRound;
      emitStatus();
    },
    async runOnce(signal, runOptions = {}) {
      const ignoreWindow = runOptions.ignoreWindow === true;
      if (ignoreWindow) forcedRound = true;
      const recovered = repository.recoverInterrupted(nowIso());
      if (recovered > 0) logger.info('resuming deliveries interrupted by a stop', { count: recovered });
      let attempted = 0;
      let verified = 0;
      let stoppedBy: SyncSummary['stoppedBy'] = null;
      const tried = new Set<string>();
      const nextOpen = nextWindowOpen(windows(), clock.now());
      if (isPaused()) stoppedBy = { code: 'paused', message: 'Delivery is paused' };
      else if (nextOpen !== null && !ignoreWindow) {
        stoppedBy = { code: 'outside-window', message: `Outside the send window; next at ${nextOpen.toISOString()}` };
      }
      while (stoppedBy === null && signal?.aborted !== true) {
        const row = repository.nextDue(nowIso(), tried);
        if (row === undefined) break;
        tried.add(row.document_id);
        attempted += 1;
        const outcome = await attempt(row, signal);
        if (outcome.kind === 'verified') verified += 1;
        if (outcome.kind === 'waiting' && isStationWide(outcome.error)) {
          holdEveryone(outcome.error, outcome.delayMs);
          stoppedBy = { code: outcome.error.code, message: outcome.error.message };
        }
      }
      if (ignoreWindow) forcedRound = false;
      purgeVerified();
      const counts = repository.counts();
      const remaining =
        counts.queued + counts.token + counts.uploading + counts.registering + counts.verifying + counts.waiting;
      emitStatus();
      return { attempted, verified, remaining, failed: counts.failed, blocked: counts.blocked, stoppedBy, counts };
    },
    sendNow() {
      const released = repository.releaseWaiting(nowIso());
      logger.info('delivery round asked for now', { released, running });
      forcedRound = true;
      if (running) {
        waker.wake();
        return;
      }
      if (manualRound !== undefined) return;
      manualAbort = new AbortController();
      manualRound = this.runOnce(manualAbort.signal, { ignoreWindow: true })
        .catch((error: unknown) => logger.error('delivery round failed', { error }))
        .finally(() => {
          manualRound = undefined;
          manualAbort = undefined;
        });
    },
    pause() {
      repository.setControl(pausedKey, '1');
      current?.controller.abort(new Interruption('paused'));
      emitStatus();
    },
    resume() {
      repository.setControl(pausedKey, '0');
      waker.wake();
      emitStatus();
    },
    wake: () => waker.wake(),
    cancel(documentId) {
      if (current?.documentId === documentId) current.controller.abort(new Interruption('stopped'));
    },
    status,
    purgeVerified,
  };
}
