import type { RecordRegistration, WarehouseRecord } from './result-record.js';
import type { UploadJournal } from './tus-client.js';

/** The file of a result as it goes out: where it is on disk, its size and hash. */
export interface DeliveryFile {
  path: string;
  bytes: number;
  sha256: string;
  fileName: string;
}

/** What a registration answered: the record the warehouse holds, and whether this call created it. */
export interface Registration {
  record: WarehouseRecord;
  /** false when the warehouse already had the record (a duplicate answered with the existing one). */
  created: boolean;
}

/**
 * The warehouse as the outbox sees it: the four steps of the station's protocol
 * (docs/warehouse-protocol.md) plus a reachability probe.
 *
 * Every failure is a `DeliveryError` whose code says whether retrying can heal it.
 */
export interface WarehouseConnector {
  /** Cheap reachability check without credentials. */
  probe(signal?: AbortSignal): Promise<void>;
  /** Makes sure a valid access token is at hand (discovery and token request when needed). */
  authenticate(signal?: AbortSignal): Promise<void>;
  /** Uploads the file (resuming from the journal's URL) and returns the upload URL. */
  upload(documentId: string, file: DeliveryFile, journal: UploadJournal, signal?: AbortSignal): Promise<string>;
  /** Registers the record; idempotent on the document id. */
  register(registration: RecordRegistration, signal?: AbortSignal): Promise<Registration>;
  /** Reads the record back, or null when the warehouse does not hold it. */
  fetchRecord(documentId: string, signal?: AbortSignal): Promise<WarehouseRecord | null>;
  close(): Promise<void>;
}
