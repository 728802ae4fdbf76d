import { describe, expect, it } from 'vitest';
import { attachEvents } from '../../../renderer/store/attach-events.js';
import { matchesQueueFilter, queueCounts, queueRows } from '../../../renderer/store/queue-slice.js';
import { createStationStore } from '../../../renderer/store/station-store.js';
import { createHealthyFake, settle } from './fake-station-client.js';
import { handleQueue, makeDelivery, makeQueueItem, makeSummary, makeSyncStatus } from './queue-fixtures.js';

function setup(items = [makeQueueItem(makeSummary('d1'))], status = makeSyncStatus()) {
  const client = createHealthyFake();
  const queue = handleQueue(client, items, status);
  const store = createStationStore(client);
  attachEvents(store, client);
  return { client, store, queue };
}

describe('queue store', () => {
  it('loads every group of workflow states with the delivery status, newest change first', async () => {
    const { client, store } = setup([
      makeQueueItem(makeSummary('old', { state: 'verified' }, 1), makeDelivery('old', { state: 'verified' })),
      makeQueueItem(makeSummary('mid', { state: 'queued' }, 2), makeDelivery('mid', { state: 'uploading' })),
      makeQueueItem(makeSummary('new', { state: 'captured' }, 3)),
    ]);
    await store.getState().loadQueue();

    const state = store.getState();
    expect(state.queueStatus).toBe('ready');
    expect(state.syncStatus?.online).toBe(true);
    const rows = queueRows(state);
    expect(rows.map((row) => row.id)).toEqual(['new', 'mid', 'old']);
    expect(rows.map((row) => row.delivery?.state ?? null)).toEqual([null, 'uploading', 'verified']);
    const listed = client.calls.filter((call) => call.name === 'queue:list').map((call) => call.args);
    expect(listed).toContainEqual({ states: ['queued'], limit: 1000 });
    expect(listed).toContainEqual({ states: ['delivered', 'verified'], limit: 1000, newest: true });
    expect(queueCounts(rows)).toEqual({ all: 3, processing: 1, waiting: 1, sent: 1, problems: 0 });
  });

  it('follows documents:changed, sync:item-changed and sync:status-changed, ignoring older events', async () => {
    const { client, store } = setup();
    await store.getState().loadQueue();

    const sealed = makeSummary('d1', { state: 'queued', updatedAt: '2026-11-26T09:00:00.000Z' });
    client.emit('documents:changed', sealed);
    client.emit('documents:changed', makeSummary('d2', { state: 'captured', documentNumber: '12/QĐ-UBND' }));
    client.emit(
      'sync:item-changed',
      makeDelivery('d1', { state: 'uploading', uploadedBytes: 500_000, updatedAt: '2026-11-26T09:01:00.000Z' }),
    );
    // An older event arriving late never undoes a newer one.
    client.emit('sync:item-changed', makeDelivery('d1', { state: 'queued', updatedAt: '2026-11-26T08:59:00.000Z' }));
    client.emit('documents:changed', makeSummary('d1', { state: 'sealed', updatedAt: '2026-11-26T08:00:00.000Z' }));
    client.emit('sync:status-changed', makeSyncStatus({ online: false, paused: true }));

    const state = store.getState();
    expect(state.queueDocuments['d1']?.state).toBe('queued');
    expect(state.queueDocuments['d2']?.documentNumber).toBe('12/QĐ-UBND');
    expect(state.queueDeliveries['d1']).toMatchObject({ state: 'uploading', uploadedBytes: 500_000 });
    expect(state.syncStatus).toMatchObject({ online: false, paused: true });
  });

  it('lists a delivery whose document this station does not hold (an imported bag) as its own row', async () => {
    const client = createHealthyFake();
    handleQueue(client, [makeQueueItem(makeSummary('mine'))], makeSyncStatus(), [
      makeDelivery('bag-doc', { state: 'waiting', source: 'bag:qn-02' }),
    ]);
    const store = createStationStore(client);
    attachEvents(store, client);
    await store.getState().loadQueue();
    const rows = queueRows(store.getState());
    expect(rows.map((row) => [row.id, row.document === null, row.delivery?.state ?? null])).toEqual([
      ['bag-doc', true, 'waiting'],
      ['mine', false, null],
    ]);
    expect(client.calls.find((call) => call.name === 'sync:list')?.args).toMatchObject({ limit: 5000 });
  });

  it('marks a classified document as blocked when it arrives by event', async () => {
    const { client, store } = setup([]);
    await store.getState().loadQueue();
    client.emit('documents:changed', makeSummary('secret', { classified: true }));
    expect(store.getState().queueDocuments['secret']?.blocked).toBe('classified');
  });

  it('sends now, pauses, resumes and retries through the sync calls, taking their answers', async () => {
    const { client, store } = setup([
      makeQueueItem(
        makeSummary('d1', { state: 'queued' }),
        makeDelivery('d1', { state: 'failed', attempts: 5, lastError: { code: 'sync/auth-failed', message: '401' } }),
      ),
    ]);
    await store.getState().loadQueue();

    await store.getState().sendNow();
    await store.getState().pauseSync();
    expect(store.getState().syncStatus?.paused).toBe(true);
    await store.getState().resumeSync();
    expect(store.getState().syncStatus?.paused).toBe(false);
    await store.getState().retryDelivery('d1');

    expect(
      client.callNames().filter((name) => name.startsWith('sync:') && name !== 'sync:status' && name !== 'sync:list'),
    ).toEqual(['sync:send-now', 'sync:pause', 'sync:resume', 'sync:retry']);
    expect(client.calls.at(-1)?.args).toEqual({ documentId: 'd1' });
    expect(store.getState().queueDeliveries['d1']).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it('keeps a refused action as an error to show', async () => {
    const { client, store } = setup();
    client.handle('sync:send-now', () => ({ ok: false, error: { code: 'sync/not-configured', message: 'no url' } }));
    await store.getState().sendNow();
    expect(store.getState()).toMatchObject({ syncAction: null, syncActionError: { code: 'sync/not-configured' } });
  });

  it('reads the queue again after the link to the engine comes back', async () => {
    const { client, store } = setup();
    await store.getState().loadQueue();
    const before = client.callNames().filter((name) => name === 'queue:list').length;
    client.setConnection('offline');
    client.setConnection('online');
    await settle();
    expect(client.callNames().filter((name) => name === 'queue:list').length).toBeGreaterThan(before);
  });

  it('puts a failed delivery, and a retry that waits after an error, under "problems"', () => {
    const document = { ...makeQueueItem(makeSummary('d', { state: 'queued' })) };
    const failed = { id: 'd', document, delivery: makeDelivery('d', { state: 'failed' }) };
    const waitingAfterError = {
      id: 'd',
      document,
      delivery: makeDelivery('d', { state: 'waiting', lastError: { code: 'sync/offline', message: 'x' } }),
    };
    const uploading = { id: 'd', document, delivery: makeDelivery('d', { state: 'uploading' }) };
    expect(matchesQueueFilter(failed, 'problems')).toBe(true);
    expect(matchesQueueFilter(waitingAfterError, 'problems')).toBe(true);
    expect(matchesQueueFilter(waitingAfterError, 'waiting')).toBe(true);
    expect(matchesQueueFilter(uploading, 'problems')).toBe(false);
    expect(matchesQueueFilter(uploading, 'sent')).toBe(false);
  });
});
