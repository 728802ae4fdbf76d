import * as electron from 'electron';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { stationApiPaths } from '../../../shared/api-shape.js';
import { callNames, eventNames } from '../../../shared/contract.js';
import type { FakeContextBridge, FakeIpcRenderer } from './fake-electron.js';

vi.mock('electron', async () => {
  const fakes = await import('./fake-electron.js');
  return { contextBridge: fakes.createFakeContextBridge(), ipcRenderer: fakes.createFakeIpcRenderer() };
});

const bridge = electron.contextBridge as unknown as FakeContextBridge;
const ipcRenderer = electron.ipcRenderer as unknown as FakeIpcRenderer;

type ApiTree = Record<string, Record<string, (...args: unknown[]) => unknown>>;

/** Every leaf of the exposed object as `domain.member`, whatever its type, so extras show up. */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.keys(value).flatMap((key) =>
    leafPaths((value as Record<string, unknown>)[key], prefix === '' ? key : `${prefix}.${key}`),
  );
}

function station(): ApiTree {
  return bridge.exposed.get('station') as ApiTree;
}

function member(path: string): (...args: unknown[]) => unknown {
  const [domain = '', name = ''] = path.split('.');
  const fn = station()[domain]?.[name];
  if (typeof fn !== 'function') throw new Error(`station.${path} is not a function`);
  return fn;
}

beforeAll(async () => {
  await import('../../../electron/preload/preload.js');
});

beforeEach(() => {
  ipcRenderer.invoked.length = 0;
});

describe('preload', () => {
  it('exposes only window.station', () => {
    expect([...bridge.exposed.keys()]).toEqual(['station']);
  });

  it('exposes exactly the contract paths, each a function, and nothing else', () => {
    expect(leafPaths(station()).sort()).toEqual(stationApiPaths());
    for (const path of stationApiPaths()) expect(typeof member(path)).toBe('function');
  });

  it('has no generic invoke or send a page could use to reach any channel', () => {
    const members = leafPaths(station()).map((path) => path.split('.')[1]);
    expect(members).not.toContain('invoke');
    expect(members).not.toContain('send');
    expect(members).not.toContain('on');
  });

  it('invokes the channel of the call with the arguments and returns its reply', async () => {
    const args = { deviceId: 'demo', count: 3 };
    const reply = await member('scan.start')(args);
    expect(ipcRenderer.invoked).toEqual([{ channel: 'scan:start', args: [args] }]);
    expect(reply).toEqual({ ok: true, value: { channel: 'scan:start' } });
  });

  it.each(callNames)('maps %s to its own channel', async (name) => {
    const [domain = '', method = ''] = name.split(':');
    const camel = method.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    await member(`${domain}.${camel}`)({});
    expect(ipcRenderer.invoked.map((call) => call.channel)).toEqual([name]);
  });

  it('delivers event payloads (without the Electron event) until unsubscribed', () => {
    const received: unknown[] = [];
    const unsubscribe = member('scan.onPageCaptured')((payload: unknown) => received.push(payload)) as () => void;
    ipcRenderer.emit('scan:page-captured', { batchId: 'b1', n: 1 });
    ipcRenderer.emit('scan:finished', { batchId: 'b1' });
    unsubscribe();
    ipcRenderer.emit('scan:page-captured', { batchId: 'b1', n: 2 });
    expect(received).toEqual([{ batchId: 'b1', n: 1 }]);
    expect(ipcRenderer.listeners.get('scan:page-captured')).toEqual([]);
  });

  it.each(eventNames)('subscribes %s on its own channel', (name) => {
    const [domain = '', method = ''] = name.split(':');
    const camel = method.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    const received: unknown[] = [];
    const unsubscribe = member(`${domain}.on${camel.charAt(0).toUpperCase()}${camel.slice(1)}`)((payload: unknown) =>
      received.push(payload),
    ) as () => void;
    ipcRenderer.emit(name, 'payload');
    unsubscribe();
    expect(received).toEqual(['payload']);
  });
});
