import type { Unsubscribe } from '../../shared/api-shape.js';
import type {
  DeliveryState,
  DocumentSummary,
  OutboxItem,
  QueueItem,
  SyncStatus,
  WorkflowState,
} from '../../shared/domain.js';
import type { CallResult, StationErrorShape } from '../../shared/errors.js';
import type { StationClient } from '../station/station-client.js';
import type { SliceGet, SliceSet, StationStore } from './station-store.js';

/** The tabs of the queue screen; a row may show under more than one of them besides `all`. */
export const queueFilters = ['all', 'processing', 'waiting', 'sent', 'problems'] as const;
export type QueueFilter = (typeof queueFilters)[number];

/** A document as the queue holds it, without its delivery (kept apart so events may arrive in any order). */
export type QueueDocument = Omit<QueueItem, 'delivery'>;

/** A delivery action the clerk started and the engine has not answered yet. */
export type SyncAction = 'send-now' | 'pause' | 'resume';

/** Rows shown per page: the table stays fast with thousands of documents in the store. */
export const queuePageSize = 100;

/**
 * The queue is read per group of workflow states, each group capped by the contract's limit, so
 * one call for everything cannot hide new documents behind old deliveries: the work still to do
 * longest waiting first, what has gone out newest first (the last thousand deliveries).
 */
const loadGroups: readonly { states: readonly WorkflowState[]; newest: boolean }[] = [
  { states: ['captured', 'reviewed', 'operator-signed', 'extracted', 'coded', 'sealed'], newest: false },
  { states: ['queued'], newest: false },
  { states: ['delivered', 'verified'], newest: true },
];
export const queueLoadLimit = 1000;
const outboxLoadLimit = 5000;
const unverifiedStates: DeliveryState[] = [
  'queued',
  'token',
  'uploading',
  'registering',
  'verifying',
  'waiting',
  'failed',
  'blocked',
];

/** The delivery states of a row on its way; `waiting` is a retry the worker will make by itself. */
const sendingStates: ReadonlySet<DeliveryState> = new Set([
  'queued',
  'token',
  'uploading',
  'registering',
  'verifying',
  'waiting',
]);

/** The documents of the queue screen, their deliveries, the delivery worker's status, and the filter shown. */
export interface QueueSlice {
  queueDocuments: Record<string, QueueDocument>;
  /** Outbox rows by document id. */
  queueDeliveries: Record<string, OutboxItem>;
  queueStatus: 'idle' | 'loading' | 'ready' | 'failed';
  queueError: StationErrorShape | null;
  /** Whether a group reached the load limit, so older documents are not listed. */
  queueTruncated: boolean;
  syncStatus: SyncStatus | null;
  /** The last delivery action that failed (Send now, Pause, Resume, Retry). */
  syncActionError: StationErrorShape | null;
  syncAction: SyncAction | null;
  /** Documents whose retry was asked and not yet answered. */
  retrying: Record<string, true>;
  queueFilter: QueueFilter;
  /** 0-based page of the filtered rows. */
  queuePage: number;

  /** Reads the queue and the delivery status; call when the screen opens and after a reconnect. */
  loadQueue: () => Promise<void>;
  loadSyncStatus: () => Promise<void>;
  setQueueFilter: (filter: QueueFilter) => void;
  setQueuePage: (page: number) => void;
  /** Starts a delivery round now ("Gửi ngay"). */
  sendNow: () => Promise<void>;
  pauseSync: () => Promise<void>;
  resumeSync: () => Promise<void>;
  /** Sends a failed delivery again ("Thử lại"). */
  retryDelivery: (documentId: string) => Promise<void>;
  dismissSyncActionError: () => void;
}

/** Why a document may not be uploaded, as the engine's workflow decides it. */
export function blockReasonOf(document: Pick<DocumentSummary, 'classified' | 'outOfScope'>): QueueDocument['blocked'] {
  if (document.classified) return 'classified';
  if (document.outOfScope !== null) return 'out-of-scope';
  return null;
}

/**
 * A document with its delivery, as one row of the table. `document` is null for a delivery whose
 * document this station does not hold (a result imported from another station's bag).
 */
export type QueueRow =
  | { id: string; document: QueueDocument; delivery: OutboxItem | null }
  | { id: string; document: null; delivery: OutboxItem };

/** Whether a row belongs under a tab. */
export function matchesQueueFilter(row: QueueRow, filter: QueueFilter): boolean {
  const { document, delivery } = row;
  const state = document?.state ?? null;
  switch (filter) {
    case 'all':
      return true;
    case 'processing':
      return delivery === null && state !== 'queued' && state !== 'delivered' && state !== 'verified';
    case 'waiting':
      return delivery === null ? state === 'queued' : sendingStates.has(delivery.state);
    case 'sent':
      return delivery === null ? state === 'delivered' || state === 'verified' : delivery.state === 'verified';
    case 'problems':
      return (
        delivery !== null &&
        (delivery.state === 'failed' || (delivery.state === 'waiting' && delivery.lastError !== null))
      );
  }
}

/** When a row last changed its workflow state (or was queued, for a delivery without a document). */
function rowTime(row: QueueRow): string {
  return row.document?.stateChangedAt ?? row.delivery?.queuedAt ?? '';
}

/** Every row, the most recently changed first (a delivery's progress does not move its row). */
export function queueRows(state: Pick<QueueSlice, 'queueDocuments' | 'queueDeliveries'>): QueueRow[] {
  const rows: QueueRow[] = Object.values(state.queueDocuments).map((document) => ({
    id: document.id,
    document,
    delivery: state.queueDeliveries[document.id] ?? null,
  }));
  for (const delivery of Object.values(state.queueDeliveries)) {
    if (state.queueDocuments[delivery.documentId] === undefined) {
      rows.push({ id: delivery.documentId, document: null, delivery });
    }
  }
  return rows.sort((a, b) => {
    const at = rowTime(a);
    const bt = rowTime(b);
    return at === bt ? a.id.localeCompare(b.id) : at < bt ? 1 : -1;
  });
}

/** How many rows each tab holds. */
export function queueCounts(rows: readonly QueueRow[]): Record<QueueFilter, number> {
  const counts = { all: 0, processing: 0, waiting: 0, sent: 0, problems: 0 };
  for (const row of rows) {
    for (const filter of queueFilters) if (matchesQueueFilter(row, filter)) counts[filter] += 1;
  }
  return counts;
}

/** Takes a document summary (from a list or a `documents:changed` event) into the queue. */
function toQueueDocument(document: DocumentSummary): QueueDocument {
  return { ...document, blocked: blockReasonOf(document) };
}

/** Whether `incoming` is not older than what we hold, so a late reply never undoes a newer event. */
function isNewer(held: { updatedAt: string } | undefined, incoming: { updatedAt: string }): boolean {
  return held === undefined || incoming.updatedAt >= held.updatedAt;
}

/** Creates the queue slice. */
export function createQueueSlice(client: StationClient, set: SliceSet, get: SliceGet): QueueSlice {
  /** Runs one of the worker-wide actions; a second click while one runs is ignored. */
  async function syncCall(action: SyncAction, run: () => Promise<CallResult<SyncStatus>>): Promise<void> {
    if (get().syncAction !== null) return;
    set({ syncAction: action, syncActionError: null });
    const result = await run();
    set(
      result.ok ? { syncAction: null, syncStatus: result.value } : { syncAction: null, syncActionError: result.error },
    );
  }

  return {
    queueDocuments: {},
    queueDeliveries: {},
    queueStatus: 'idle',
    queueError: null,
    queueTruncated: false,
    syncStatus: null,
    syncActionError: null,
    syncAction: null,
    retrying: {},
    queueFilter: 'all',
    queuePage: 0,

    async loadQueue() {
      if (get().queueStatus === 'loading') return;
      set({ queueStatus: 'loading', queueError: null });
      const [, outbox, ...groups] = await Promise.all([
        get().loadSyncStatus(),
        // Deliveries not yet verified, also those whose document is not in this store (imported bags).
        client.call('sync:list', { states: unverifiedStates, limit: outboxLoadLimit }),
        ...loadGroups.map(({ states, newest }) =>
          client.call('queue:list', { states: [...states], limit: queueLoadLimit, ...(newest ? { newest } : {}) }),
        ),
      ]);
      const failed = groups.find((result) => !result.ok);
      if (failed !== undefined && !failed.ok) {
        set({ queueStatus: 'failed', queueError: failed.error });
        return;
      }
      const documents: Record<string, QueueDocument> = {};
      const deliveries: Record<string, OutboxItem> = {};
      let truncated = false;
      const held = get();
      // The outbox list is a help, not a need: without it the documents still come with their deliveries.
      for (const delivery of outbox.ok ? outbox.value : []) {
        const heldDelivery = held.queueDeliveries[delivery.documentId];
        deliveries[delivery.documentId] = isNewer(heldDelivery, delivery) ? delivery : (heldDelivery ?? delivery);
      }
      for (const result of groups) {
        if (!result.ok) continue;
        if (result.value.length >= queueLoadLimit) truncated = true;
        for (const { delivery, ...document } of result.value) {
          const newer = held.queueDocuments[document.id];
          documents[document.id] = newer !== undefined && !isNewer(newer, document) ? newer : document;
          const known = deliveries[document.id] ?? held.queueDeliveries[document.id];
          const chosen = delivery === null || !isNewer(known, delivery) ? known : delivery;
          if (chosen !== undefined) deliveries[document.id] = chosen;
        }
      }
      set({ queueDocuments: documents, queueDeliveries: deliveries, queueStatus: 'ready', queueTruncated: truncated });
    },

    async loadSyncStatus() {
      const result = await client.call('sync:status', {});
      if (result.ok) set({ syncStatus: result.value });
    },

    setQueueFilter(filter) {
      set({ queueFilter: filter, queuePage: 0 });
    },

    setQueuePage(page) {
      set({ queuePage: Math.max(0, page) });
    },

    sendNow: () => syncCall('send-now', () => client.call('sync:send-now', {})),
    pauseSync: () => syncCall('pause', () => client.call('sync:pause', {})),
    resumeSync: () => syncCall('resume', () => client.call('sync:resume', {})),

    async retryDelivery(documentId) {
      if (get().retrying[documentId] === true) return;
      set((state) => ({ retrying: { ...state.retrying, [documentId]: true }, syncActionError: null }));
      const result = await client.call('sync:retry', { documentId });
      set((state) => {
        const { [documentId]: _done, ...retrying } = state.retrying;
        if (!result.ok) return { retrying, syncActionError: result.error };
        const held = state.queueDeliveries[documentId];
        return isNewer(held, result.value)
          ? { retrying, queueDeliveries: { ...state.queueDeliveries, [documentId]: result.value } }
          : { retrying };
      });
    },

    dismissSyncActionError() {
      set({ syncActionError: null });
    },
  };
}

/** The engine events the queue slice follows; attachEvents calls this once. */
export function attachQueueEvents(store: StationStore, client: StationClient): Unsubscribe[] {
  let wasOffline = false;
  return [
    client.on('documents:changed', (document) => {
      const held = store.getState().queueDocuments[document.id];
      if (!isNewer(held, document)) return;
      store.setState((state) => ({
        queueDocuments: { ...state.queueDocuments, [document.id]: toQueueDocument(document) },
      }));
    }),

    client.on('sync:item-changed', (item) => {
      const held = store.getState().queueDeliveries[item.documentId];
      if (!isNewer(held, item)) return;
      store.setState((state) => ({ queueDeliveries: { ...state.queueDeliveries, [item.documentId]: item } }));
    }),

    client.on('sync:status-changed', (syncStatus) => {
      store.setState({ syncStatus });
    }),

    // Events missed while the link was down are read again, if the queue was ever shown.
    client.onConnectionChange((connection) => {
      if (connection === 'offline') wasOffline = true;
      if (connection === 'online' && wasOffline) {
        wasOffline = false;
        if (store.getState().queueStatus !== 'idle') void store.getState().loadQueue();
      }
    }),
  ];
}
