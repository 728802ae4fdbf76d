import type {
  DeliveryFile,
  Registration,
  WarehouseConnector,
} from '../../../electron/engine/sync/warehouse-connector.js';
import type { RecordRegistration, WarehouseRecord } from '../../../electron/engine/sync/result-record.js';
import type { UploadJournal } from '../../../electron/engine/sync/tus-client.js';

type Step = 'probe' | 'authenticate' | 'upload' | 'register' | 'fetchRecord';

/**
 * A warehouse in memory that follows the protocol's outcomes (idempotent registration, read-back)
 * and fails a step on demand: `failNext('register', error)` makes the next registration throw.
 */
export class FakeWarehouseConnector implements WarehouseConnector {
  readonly held = new Map<string, WarehouseRecord>();
  readonly uploads = new Map<string, { sha256: string; bytes: number }>();
  readonly journals: { documentId: string; uploadUrl: string | null }[] = [];
  private readonly failures = new Map<Step, Error[]>();
  private nextUpload = 1;
  /** Set to make read-back report another hash than the one registered. */
  corruptReadBack = false;

  failNext(step: Step, error: Error, times = 1): void {
    this.failures.set(step, [...(this.failures.get(step) ?? []), ...Array.from({ length: times }, () => error)]);
  }

  private maybeFail(step: Step): void {
    const error = this.failures.get(step)?.shift();
    if (error !== undefined) throw error;
  }

  probe(): Promise<void> {
    return Promise.resolve().then(() => this.maybeFail('probe'));
  }

  authenticate(): Promise<void> {
    return Promise.resolve().then(() => this.maybeFail('authenticate'));
  }

  upload(documentId: string, file: DeliveryFile, journal: UploadJournal): Promise<string> {
    return Promise.resolve().then(() => {
      this.journals.push({ documentId, uploadUrl: journal.uploadUrl });
      let url = journal.uploadUrl;
      if (url === null) {
        url = `https://warehouse.test/files/${this.nextUpload++}`;
        journal.created(url);
      }
      journal.sending(0, file.bytes);
      this.maybeFail('upload');
      journal.sent(file.bytes);
      this.uploads.set(url, { sha256: file.sha256, bytes: file.bytes });
      return url;
    });
  }

  register(registration: RecordRegistration): Promise<Registration> {
    return Promise.resolve().then(() => {
      this.maybeFail('register');
      const existing = this.held.get(registration.documentId);
      if (existing !== undefined) return { record: existing, created: false };
      const { upload, ...record } = registration;
      const stored = this.uploads.get(upload);
      const held: WarehouseRecord = {
        id: `rec-${registration.documentId}`,
        documentId: registration.documentId,
        sha256: stored?.sha256 ?? 'missing',
        bytes: stored?.bytes ?? 0,
        receivedAt: '2026-03-02T02:00:00.000Z',
        record,
      };
      this.held.set(registration.documentId, held);
      return { record: held, created: true };
    });
  }

  fetchRecord(documentId: string): Promise<WarehouseRecord | null> {
    return Promise.resolve().then(() => {
      this.maybeFail('fetchRecord');
      const held = this.held.get(documentId);
      if (held === undefined) return null;
      return this.corruptReadBack ? { ...held, sha256: '0'.repeat(64) } : held;
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
