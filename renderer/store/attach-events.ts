import type { Unsubscribe } from '../../shared/api-shape.js';
import type { StationClient } from '../station/station-client.js';
import { insertPage, isScanBusy } from './capture-slice.js';
import { attachIndexingEvents } from './indexing-slice.js';
import { attachQueueEvents } from './queue-slice.js';
import { attachReviewEvents } from './review-slice.js';
import { attachSearchEvents } from './search-slice.js';
import { attachSettingsScreenEvents } from './settings-screen-slice.js';
import type { StationState, StationStore } from './station-store.js';

/** Whether an event about `batchId` belongs to the scan on screen, adopting it while we still wait for the start reply. */
function isCurrentBatch(state: StationState, batchId: string): boolean {
  return state.batchId === batchId || (state.batchId === null && state.status === 'starting');
}

/** Re-reads what events may have been missed while the link was down. */
async function resynchronise(store: StationStore, client: StationClient): Promise<void> {
  const state = store.getState();
  await state.loadApp();
  if (state.devices.length === 0) await state.loadDevices();
  await state.loadRecentBatches();
  const { batchId } = store.getState();
  if (batchId !== null) await syncPages(store, client, batchId);
}

/**
 * The whole device list, once the event stream is open: scanners found before it opened (SANE,
 * the network) were announced by a `devices:changed` nobody could hear. A listing still running
 * is shared, not started again.
 */
async function completeDeviceList(store: StationStore, client: StationClient): Promise<void> {
  const result = await client.call('devices:list', {});
  if (result.ok) store.getState().applyDevices(result.value);
}

/** Merges the engine's page list of a batch into the store, for pages whose events never arrived. */
async function syncPages(store: StationStore, client: StationClient, batchId: string): Promise<void> {
  const result = await client.call('pages:list', { batchId });
  if (!result.ok || store.getState().batchId !== batchId) return;
  store.setState((current) => ({ pages: result.value.reduce(insertPage, current.pages) }));
  for (const page of result.value) void store.getState().loadThumbnail(page.id);
}

/**
 * The one place engine events change the store.
 *
 * Returns a function that detaches every listener, for tests and hot reload.
 */
export function attachEvents(store: StationStore, client: StationClient): Unsubscribe {
  let wasOffline = false;
  let firstContact = true;

  const unsubscribes: Unsubscribe[] = [
    client.onConnectionChange((connection) => {
      store.setState({ connection });
      if (connection === 'online' && firstContact) {
        firstContact = false;
        void completeDeviceList(store, client);
      }
      if (connection === 'offline') wasOffline = true;
      if (connection === 'online' && wasOffline) {
        wasOffline = false;
        void resynchronise(store, client);
      }
    }),

    client.on('scan:started', ({ batchId, expectedPages, intoDocumentId }) => {
      const state = store.getState();
      // A scan into a document (insert, capture again) belongs to the review screen, not to capture.
      if (intoDocumentId !== undefined && state.batchId !== batchId) return;
      // A scan started elsewhere (another window, the CLI) is shown too, unless ours is running.
      if (!isCurrentBatch(state, batchId) && isScanBusy(state.status)) return;
      const adopting = state.batchId !== batchId;
      store.setState({
        batchId,
        status: state.status === 'cancelling' ? 'cancelling' : 'scanning',
        expectedPages: expectedPages ?? state.expectedPages,
        ...(adopting && state.status !== 'starting' ? { pages: [], thumbnails: {}, error: null } : {}),
      });
    }),

    client.on('scan:page-captured', ({ batchId, page }) => {
      const state = store.getState();
      if (!isCurrentBatch(state, batchId)) return;
      store.setState({ batchId, pages: insertPage(state.pages, page) });
      void store.getState().loadThumbnail(page.id);
    }),

    client.on('scan:finished', ({ batchId, pageCount, cancelled }) => {
      const state = store.getState();
      if (!isCurrentBatch(state, batchId)) return;
      store.setState({ batchId, status: cancelled ? 'cancelled' : 'finished' });
      if (pageCount > state.pages.length) void syncPages(store, client, batchId);
      void store.getState().loadRecentBatches();
    }),

    client.on('scan:failed', ({ batchId, pageCount, error }) => {
      const state = store.getState();
      if (!isCurrentBatch(state, batchId)) return;
      // A cancel the clerk asked for is an outcome, not an error to explain.
      store.setState(
        error.code === 'scan/cancelled' ? { batchId, status: 'cancelled' } : { batchId, status: 'failed', error },
      );
      if (pageCount > state.pages.length) void syncPages(store, client, batchId);
      void store.getState().loadRecentBatches();
    }),

    client.on('devices:changed', ({ devices }) => {
      store.getState().applyDevices(devices);
    }),

    client.on('settings:changed', (settings) => {
      store.getState().applySettings(settings);
    }),

    // Each screen's slice follows the events it shows; they are attached here, once.
    ...attachReviewEvents(store, client),
    ...attachIndexingEvents(store, client),
    ...attachQueueEvents(store, client),
    ...attachSearchEvents(store, client),
    ...attachSettingsScreenEvents(store, client),
  ];

  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
