import * as electron from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { callNames } from '../../../shared/contract.js';
import { StationError } from '../../../shared/errors.js';
import type { CallHandlers } from '../../../electron/engine/dispatcher.js';
import { createDispatcher } from '../../../electron/engine/dispatcher.js';
import { createEventBus } from '../../../electron/engine/event-bus.js';
import { createSilentLogger } from '../../../electron/engine/logging/logger.js';
import { forwardEvents, registerContract } from '../../../electron/main/ipc-adaptor.js';
import { createTrustedSenderCheck } from '../../../electron/main/trusted-sender.js';
import type { FakeIpcMain } from './fake-electron.js';
import { createFakeIpcMain, createFakeWebContents, senderEvent } from './fake-electron.js';

vi.mock('electron', async () => {
  const fakes = await import('./fake-electron.js');
  return { ipcMain: fakes.createFakeIpcMain() };
});

const appUrl = 'app://station/index.html';
const isTrustedSender = createTrustedSenderCheck({ rendererUrl: appUrl });

/** Small handlers that record what reached the engine. */
function createRecordingHandlers() {
  const reached: { call: string; args: unknown }[] = [];
  const unused = (call: string) => (args: unknown) => {
    reached.push({ call, args });
    throw new Error(`${call} is not used in this test`);
  };
  const handlers: CallHandlers = {
    'app:info': (args) => {
      reached.push({ call: 'app:info', args });
      return {
        name: 'SoHoa Station',
        version: '0.0.0-test',
        transport: 'electron',
        dataDir: '/tmp/x',
        platform: 'linux',
      };
    },
    'settings:get': unused('settings:get'),
    'settings:update': unused('settings:update'),
    'devices:list': unused('devices:list'),
    'profiles:list': unused('profiles:list'),
    'scan:start': (args) => {
      reached.push({ call: 'scan:start', args });
      return { batchId: `batch-for-${args.deviceId}` };
    },
    'scan:cancel': (args) => {
      reached.push({ call: 'scan:cancel', args });
      throw new StationError('store/not-found', `No batch ${args.batchId}`);
    },
    'batches:list': unused('batches:list'),
    'pages:list': unused('pages:list'),
    'pages:thumbnail': unused('pages:thumbnail'),
    'documents:split': unused('documents:split'),
    'documents:split-at-blanks': unused('documents:split-at-blanks'),
    'documents:merge': unused('documents:merge'),
    'documents:reorder-pages': unused('documents:reorder-pages'),
    'documents:suggest': unused('documents:suggest'),
    'documents:propose-code': unused('documents:propose-code'),
    'documents:finish': unused('documents:finish'),
    'pages:remove': unused('pages:remove'),
    'pages:set-transforms': unused('pages:set-transforms'),
    'pages:set-blank': unused('pages:set-blank'),
    'pages:image': unused('pages:image'),
    'scan:insert': unused('scan:insert'),
    'sync:send-now': unused('sync:send-now'),
    'ocr:claim': unused('ocr:claim'),
    'ocr:save-result': unused('ocr:save-result'),
    'ocr:release': unused('ocr:release'),
    'ocr:get': unused('ocr:get'),
    'ocr:rerun': unused('ocr:rerun'),
    'ocr:prioritize': unused('ocr:prioritize'),
    'ocr:status': unused('ocr:status'),
    'documents:list': unused('documents:list'),
    'documents:get': unused('documents:get'),
    'documents:update': unused('documents:update'),
    'documents:transition': unused('documents:transition'),
    'queue:list': unused('queue:list'),
    'search:query': unused('search:query'),
    'sync:status': unused('sync:status'),
    'sync:list': unused('sync:list'),
    'sync:pause': unused('sync:pause'),
    'sync:resume': unused('sync:resume'),
    'sync:retry': unused('sync:retry'),
    'sync:set-secret': unused('sync:set-secret'),
  };
  return { handlers, reached };
}

let ipcMain: FakeIpcMain;
let reached: { call: string; args: unknown }[];

beforeEach(() => {
  ipcMain = createFakeIpcMain();
  const recording = createRecordingHandlers();
  reached = recording.reached;
  registerContract({
    ipcMain,
    dispatcher: createDispatcher(recording.handlers, createSilentLogger()),
    isTrustedSender,
  });
});

describe('registerContract', () => {
  it('registers exactly one channel per contract call and no other', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...callNames].sort());
  });

  it('uses Electron’s ipcMain when none is given', () => {
    const electronIpcMain = electron.ipcMain as unknown as FakeIpcMain;
    const unregister = registerContract({
      dispatcher: createDispatcher(createRecordingHandlers().handlers, createSilentLogger()),
      isTrustedSender,
    });
    expect([...electronIpcMain.handlers.keys()].sort()).toEqual([...callNames].sort());
    unregister();
    expect(electronIpcMain.handlers.size).toBe(0);
  });

  it('passes a trusted call with valid arguments to the engine and answers its value', async () => {
    const reply = await ipcMain.invoke('scan:start', senderEvent(appUrl), { deviceId: 'demo', count: 2 });
    expect(reply).toEqual({ ok: true, value: { batchId: 'batch-for-demo' } });
    expect(reached).toEqual([{ call: 'scan:start', args: { deviceId: 'demo', count: 2 } }]);
  });

  it('accepts the renderer document with a hash route', async () => {
    const reply = await ipcMain.invoke('app:info', senderEvent(`${appUrl}#/review`), {});
    expect(reply).toMatchObject({ ok: true, value: { name: 'SoHoa Station' } });
  });

  it.each([
    ['a foreign web page', senderEvent('https://evil.example/index.html')],
    ['another local file', senderEvent('file:///tmp/downloaded/index.html')],
    ['the app URL on another host', senderEvent('file://server/opt/sohoa/resources/app.asar/dist/renderer/index.html')],
    ['a sub-frame showing the app URL', senderEvent(appUrl, { url: appUrl })],
    ['a frame already destroyed', { senderFrame: null }],
    ['a data: URL', senderEvent('data:text/html,<script>station.scan.start()</script>')],
  ])('refuses %s with ipc/untrusted-sender before the engine sees it', async (_label, event) => {
    const reply = await ipcMain.invoke('scan:start', event, { deviceId: 'demo' });
    expect(reply).toEqual({
      ok: false,
      error: { code: 'ipc/untrusted-sender', message: expect.stringContaining('scan:start') as string },
    });
    expect(reached).toEqual([]);
  });

  it('answers malformed arguments with ipc/invalid-args and the field paths', async () => {
    const reply = await ipcMain.invoke('scan:start', senderEvent(appUrl), { deviceId: '', count: 'many' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'ipc/invalid-args' } });
    const paths = (reply as { error: { fields: { path: string }[] } }).error.fields.map((field) => field.path);
    expect(paths.sort()).toEqual(['count', 'deviceId']);
    expect(reached).toEqual([]);
  });

  it('refuses unknown keys, so nothing unvalidated reaches the engine', async () => {
    const reply = await ipcMain.invoke('scan:start', senderEvent(appUrl), { deviceId: 'demo', shell: 'rm -rf /' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'ipc/invalid-args' } });
    expect(reached).toEqual([]);
  });

  it('answers an expected engine failure with its code', async () => {
    const reply = await ipcMain.invoke('scan:cancel', senderEvent(appUrl), { batchId: 'nope' });
    expect(reply).toEqual({ ok: false, error: { code: 'store/not-found', message: 'No batch nope' } });
  });

  it('answers an unexpected throw as internal without its message', async () => {
    const reply = await ipcMain.invoke('devices:list', senderEvent(appUrl), {});
    expect(reply).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error' } });
  });
});

describe('forwardEvents', () => {
  const payload = { batchId: 'b1', pageCount: 3, cancelled: false };

  it('sends each engine event on its own channel with its payload', () => {
    const events = createEventBus((error) => {
      throw error;
    });
    const contents = createFakeWebContents();
    forwardEvents(events, contents);
    events.emit('scan:finished', payload);
    expect(contents.sent).toEqual([{ channel: 'scan:finished', args: [payload] }]);
  });

  it('stops when the window contents are destroyed', () => {
    const errors: unknown[] = [];
    const events = createEventBus((error) => errors.push(error));
    const contents = createFakeWebContents();
    forwardEvents(events, contents);
    contents.destroy();
    events.emit('scan:finished', payload);
    expect(contents.sent).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('stops when unsubscribed', () => {
    const events = createEventBus(() => undefined);
    const contents = createFakeWebContents();
    const unsubscribe = forwardEvents(events, contents);
    unsubscribe();
    events.emit('scan:finished', payload);
    expect(contents.sent).toEqual([]);
  });
});
