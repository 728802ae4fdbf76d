import type { DocumentSummary, OutboxItem, QueueItem, SearchHit, SyncStatus } from '../../../shared/domain.js';
import type { FakeStationClient } from './fake-station-client.js';

/** A document summary as the engine lists it; `minute` orders documents by when their state changed. */
export function makeSummary(id: string, overrides: Partial<DocumentSummary> = {}, minute = 0): DocumentSummary {
  const at = new Date(Date.UTC(2026, 10, 26, 8, minute)).toISOString();
  return {
    id,
    batchId: 'b1',
    state: 'captured',
    validity: 'valid',
    classified: false,
    outOfScope: null,
    pageCount: 2,
    documentNumber: null,
    summary: null,
    pdfSha256: null,
    createdAt: at,
    updatedAt: at,
    stateChangedAt: at,
    purgedAt: null,
    ...overrides,
  };
}

/** An outbox row of `documentId`. */
export function makeDelivery(documentId: string, overrides: Partial<OutboxItem> = {}): OutboxItem {
  return {
    documentId,
    state: 'queued',
    step: 'upload',
    sha256: 'a'.repeat(64),
    bytes: 2_000_000,
    uploadedBytes: 0,
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    source: 'station',
    queuedAt: '2026-11-26T08:30:00.000Z',
    updatedAt: '2026-11-26T08:30:00.000Z',
    verifiedAt: null,
    warehouseRecordId: null,
    purgedAt: null,
    ...overrides,
  };
}

export function makeQueueItem(document: DocumentSummary, delivery: OutboxItem | null = null): QueueItem {
  return {
    ...document,
    blocked: document.classified ? 'classified' : document.outOfScope === null ? null : 'out-of-scope',
    delivery,
  };
}

export function makeSyncStatus(overrides: Partial<SyncStatus> = {}): SyncStatus {
  return {
    configured: true,
    running: true,
    paused: false,
    online: true,
    inSendWindow: true,
    nextWindowAt: null,
    counts: {
      queued: 0,
      token: 0,
      uploading: 0,
      registering: 0,
      verifying: 0,
      waiting: 0,
      verified: 0,
      failed: 0,
      blocked: 0,
    },
    lastError: null,
    current: null,
    ...overrides,
  };
}

export function makeHit(
  document: DocumentSummary,
  snippet: SearchHit['snippet'],
  field: SearchHit['field'] = 'text',
): SearchHit {
  return { document, score: -1, field, snippet };
}

/**
 * Serves `items` as the engine's queue:list does (filtered by workflow state) and the sync calls
 * over a status the test may change.
 */
export function handleQueue(
  client: FakeStationClient,
  items: readonly QueueItem[],
  status: SyncStatus = makeSyncStatus(),
  foreign: readonly OutboxItem[] = [],
) {
  let current = status;
  const outbox = [...items.flatMap((item) => (item.delivery === null ? [] : [item.delivery])), ...foreign];
  client
    .handle('sync:list', ({ states, limit }) => ({
      ok: true,
      value: outbox.filter((item) => states === undefined || states.includes(item.state)).slice(0, limit ?? 1000),
    }))
    .handle('queue:list', ({ states, limit }) => ({
      ok: true,
      value: items.filter((item) => states === undefined || states.includes(item.state)).slice(0, limit ?? 200),
    }))
    .handle('sync:status', () => ({ ok: true, value: current }))
    .handle('sync:send-now', () => ({ ok: true, value: current }))
    .handle('sync:pause', () => {
      current = { ...current, paused: true };
      return { ok: true, value: current };
    })
    .handle('sync:resume', () => {
      current = { ...current, paused: false };
      return { ok: true, value: current };
    })
    .handle('sync:retry', ({ documentId }) => ({
      ok: true,
      value: makeDelivery(documentId, { state: 'queued', attempts: 0, updatedAt: '2026-11-26T09:59:00.000Z' }),
    }));
  return {
    setStatus(next: SyncStatus) {
      current = next;
    },
  };
}
