import { describe, expect, it } from 'vitest';
import { attachEvents } from '../../../renderer/store/attach-events.js';
import { createStationStore } from '../../../renderer/store/station-store.js';
import { createHealthyFake, demoDevice, makePage, makeSettings, settle } from './fake-station-client.js';

/** A store wired to a healthy fake, with devices loaded and events attached. */
async function setup() {
  const client = createHealthyFake();
  const store = createStationStore(client);
  attachEvents(store, client);
  await store.getState().loadApp();
  await store.getState().loadDevices();
  return { client, store };
}

describe('capture store', () => {
  it('selects the default device from settings and starts a scan with the chosen count', async () => {
    const { client, store } = await setup();
    expect(store.getState().selectedDeviceId).toBe('demo');

    store.getState().setPageCount(5);
    await store.getState().startScan();

    expect(client.calls.find((call) => call.name === 'scan:start')?.args).toEqual({ deviceId: 'demo', count: 5 });
    expect(store.getState()).toMatchObject({ status: 'scanning', batchId: 'b1', expectedPages: 5, error: null });
  });

  it('keeps captured pages in index order and loads each thumbnail as a data URL', async () => {
    const { client, store } = await setup();
    await store.getState().startScan();
    client.emit('scan:started', { batchId: 'b1', deviceId: 'demo', expectedPages: 3 });
    client.emit('scan:page-captured', { batchId: 'b1', page: makePage('b1', 0) });
    client.emit('scan:page-captured', { batchId: 'b1', page: makePage('b1', 2) });
    client.emit('scan:page-captured', { batchId: 'b1', page: makePage('b1', 1) });
    // A repeated event must not duplicate the page.
    client.emit('scan:page-captured', { batchId: 'b1', page: makePage('b1', 1) });
    await settle();

    const state = store.getState();
    expect(state.pages.map((page) => page.index)).toEqual([0, 1, 2]);
    expect(state.expectedPages).toBe(3);
    expect(state.thumbnails['b1-p2']).toEqual({ state: 'ready', src: `data:image/jpeg;base64,${btoa('b1-p2')}` });

    client.emit('scan:finished', { batchId: 'b1', pageCount: 3, cancelled: false });
    expect(store.getState().status).toBe('finished');
  });

  it('sets the error and keeps the pages when the scan fails', async () => {
    const { client, store } = await setup();
    await store.getState().startScan();
    client.emit('scan:page-captured', { batchId: 'b1', page: makePage('b1', 0) });
    client.emit('scan:failed', {
      batchId: 'b1',
      pageCount: 1,
      error: { code: 'scan/paper-jam', message: 'jammed' },
    });

    expect(store.getState()).toMatchObject({ status: 'failed', error: { code: 'scan/paper-jam' } });
    expect(store.getState().pages).toHaveLength(1);
  });

  it('treats a failure with scan/cancelled as a cancel, not an error', async () => {
    const { client, store } = await setup();
    await store.getState().startScan();
    client.emit('scan:failed', { batchId: 'b1', pageCount: 0, error: { code: 'scan/cancelled', message: 'x' } });
    expect(store.getState()).toMatchObject({ status: 'cancelled', error: null });
  });

  it('shows the devices found at once and takes the whole list when discovery ends', async () => {
    const { client, store } = await setup();
    expect(client.calls.find((call) => call.name === 'devices:list')?.args).toEqual({ waitMs: 150 });
    expect(store.getState().selectedDeviceId).toBe('demo');
    const office = { ...demoDevice, id: 'escl:office', kind: 'escl' as const, name: 'Máy quét tầng 2' };
    client.emit('devices:changed', { devices: [demoDevice, office] });
    expect(store.getState().devices.map((device) => device.id)).toEqual(['demo', 'escl:office']);
    expect(store.getState().selectedDeviceId).toBe('demo');

    // The clerk's own choice survives a later list.
    store.getState().selectDevice('escl:office');
    client.emit('devices:changed', { devices: [demoDevice, office] });
    expect(store.getState().selectedDeviceId).toBe('escl:office');
    // A device that disappears is not kept selected.
    client.emit('devices:changed', { devices: [demoDevice] });
    expect(store.getState().selectedDeviceId).toBe('demo');
  });

  it('leaves a scan into a document (insert, capture again) to the review screen', async () => {
    const { client, store } = await setup();
    client.emit('scan:started', { batchId: 'b9', deviceId: 'demo', expectedPages: 1, intoDocumentId: 'd1' });
    client.emit('scan:page-captured', { batchId: 'b9', page: makePage('b9', 0) });
    client.emit('scan:finished', { batchId: 'b9', pageCount: 1, cancelled: false });
    await settle();
    expect(store.getState()).toMatchObject({ batchId: null, status: 'idle', pages: [] });

    client.emit('scan:started', { batchId: 'b10', deviceId: 'demo', expectedPages: 1 });
    expect(store.getState()).toMatchObject({ batchId: 'b10', status: 'scanning' });
  });

  it('adopts events that arrive before the scan:start reply', async () => {
    const { client, store } = await setup();
    let reply: (value: { ok: true; value: { batchId: string } }) => void = () => undefined;
    client.handle('scan:start', () => new Promise((resolve) => (reply = resolve)));

    const starting = store.getState().startScan();
    await settle();
    client.emit('scan:started', { batchId: 'b7', deviceId: 'demo', expectedPages: 2 });
    client.emit('scan:page-captured', { batchId: 'b7', page: makePage('b7', 0) });
    client.emit('scan:page-captured', { batchId: 'b7', page: makePage('b7', 1) });
    client.emit('scan:finished', { batchId: 'b7', pageCount: 2, cancelled: false });
    reply({ ok: true, value: { batchId: 'b7' } });
    await starting;

    expect(store.getState()).toMatchObject({ batchId: 'b7', status: 'finished' });
    expect(store.getState().pages.map((page) => page.id)).toEqual(['b7-p0', 'b7-p1']);
  });

  it('ignores pages of another batch while its own scan runs', async () => {
    const { client, store } = await setup();
    await store.getState().startScan();
    client.emit('scan:page-captured', { batchId: 'other', page: makePage('other', 0) });
    expect(store.getState().pages).toEqual([]);
  });

  it('cancels a scan whose batch id is not known yet as soon as the engine answers', async () => {
    const { client, store } = await setup();
    let reply: (value: { ok: true; value: { batchId: string } }) => void = () => undefined;
    client.handle('scan:start', () => new Promise((resolve) => (reply = resolve)));

    const starting = store.getState().startScan();
    await settle();
    await store.getState().cancelScan();
    expect(store.getState().status).toBe('cancelling');
    reply({ ok: true, value: { batchId: 'b9' } });
    await starting;

    expect(client.calls.filter((call) => call.name === 'scan:cancel').map((call) => call.args)).toEqual([
      { batchId: 'b9' },
    ]);
    client.emit('scan:finished', { batchId: 'b9', pageCount: 0, cancelled: true });
    expect(store.getState().status).toBe('cancelled');
  });

  it('reports a refused scan:start as the error of the scan', async () => {
    const { client, store } = await setup();
    client.handle('scan:start', () => ({ ok: false, error: { code: 'scan/busy', message: 'busy' } }));
    await store.getState().startScan();
    expect(store.getState()).toMatchObject({ status: 'failed', error: { code: 'scan/busy' } });
  });

  it('continues an interrupted scan with the pages still missing', async () => {
    const { client, store } = await setup();
    store.getState().setPageCount(5);
    await store.getState().startScan();
    client.emit('scan:page-captured', { batchId: 'b1', page: makePage('b1', 0) });
    client.emit('scan:page-captured', { batchId: 'b1', page: makePage('b1', 1) });
    client.emit('scan:failed', { batchId: 'b1', pageCount: 2, error: { code: 'scan/paper-jam', message: 'jam' } });

    await store.getState().continueScan();

    const starts = client.calls.filter((call) => call.name === 'scan:start').map((call) => call.args);
    expect(starts).toEqual([
      { deviceId: 'demo', count: 5 },
      { deviceId: 'demo', count: 3 },
    ]);
    expect(store.getState().error).toBeNull();
  });

  it('fetches the pages missed while the link was down when it comes back', async () => {
    const { client, store } = await setup();
    await store.getState().startScan();
    client.emit('scan:page-captured', { batchId: 'b1', page: makePage('b1', 0) });
    client.handle('pages:list', () => ({ ok: true, value: [makePage('b1', 0), makePage('b1', 1), makePage('b1', 2)] }));

    client.setConnection('offline');
    expect(store.getState().connection).toBe('offline');
    client.setConnection('online');
    await settle();

    expect(store.getState().connection).toBe('online');
    expect(store.getState().pages.map((page) => page.index)).toEqual([0, 1, 2]);
  });

  it('asks for the whole device list once the event stream is open, so scanners found before it are not missed', async () => {
    const { client, store } = await setup();
    expect(store.getState().devices.map((device) => device.id)).toEqual(['demo']);
    const sane = { ...demoDevice, id: 'sane:test:0', kind: 'sane' as const, name: 'Noname frontend-tester (test:0)' };
    client.handle('devices:list', () => ({ ok: true, value: [demoDevice, sane] }));
    client.setConnection('online');
    await settle();
    expect(client.calls.filter((call) => call.name === 'devices:list').at(-1)?.args).toEqual({});
    expect(store.getState().devices.map((device) => device.id)).toEqual(['demo', 'sane:test:0']);
    // Only the first contact: a later reconnect resynchronises what it needs, not the whole list again.
    const asked = client.calls.filter((call) => call.name === 'devices:list').length;
    client.setConnection('offline');
    client.setConnection('online');
    await settle();
    expect(client.calls.filter((call) => call.name === 'devices:list').length).toBe(asked);
  });

  it('loads the recent batches after a scan ends', async () => {
    const { client, store } = await setup();
    const batch = {
      id: 'b1',
      deviceId: 'demo',
      state: 'finished' as const,
      pageCount: 1,
      startedAt: 'x',
      endedAt: 'y',
      errorCode: null,
    };
    client.handle('batches:list', () => ({ ok: true, value: [batch] }));
    await store.getState().startScan();
    client.emit('scan:finished', { batchId: 'b1', pageCount: 0, cancelled: false });
    await settle();
    expect(store.getState().recentBatches).toEqual([batch]);
  });
});

describe('app store', () => {
  it('switches the language at once and keeps it when the engine saves it', async () => {
    const { client, store } = await setup();
    expect(store.getState().language).toBe('vi');
    const switching = store.getState().setLanguage('en');
    expect(store.getState().language).toBe('en');
    await switching;
    expect(client.calls.find((call) => call.name === 'settings:update')?.args).toEqual({
      patch: { ui: { language: 'en' } },
    });
    expect(store.getState().settings?.values.ui.language).toBe('en');
  });

  it('goes back to the previous language when the engine refuses', async () => {
    const { client, store } = await setup();
    client.handle('settings:update', () => ({ ok: false, error: { code: 'settings/locked', message: 'locked' } }));
    await store.getState().setLanguage('en');
    expect(store.getState()).toMatchObject({ language: 'vi', appError: { code: 'settings/locked' } });
  });

  it('does not try to switch a language locked by policy', async () => {
    const { client, store } = await setup();
    client.emit('settings:changed', makeSettings('vi', ['ui.language']));
    await store.getState().setLanguage('en');
    expect(store.getState().language).toBe('vi');
    expect(client.callNames()).not.toContain('settings:update');
  });

  it('follows settings:changed from the engine', async () => {
    const { client, store } = await setup();
    client.emit('settings:changed', makeSettings('en'));
    expect(store.getState().language).toBe('en');
  });
});
