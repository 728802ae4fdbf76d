import { describe, expect, it } from 'vitest';
import type { BridgeEnvironment } from '../../../renderer/station/bridge-client.js';
import { createBridgeClient, tokenStorageKey } from '../../../renderer/station/bridge-client.js';

interface FetchRecord {
  url: string;
  init: RequestInit;
}

/** A WebSocket stand-in the test drives by hand: open, deliver messages, drop. */
class FakeSocket {
  static instances: FakeSocket[] = [];
  readonly listeners = new Map<string, ((event: { data?: unknown }) => void)[]>();
  closed = false;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }

  addEventListener(type: string, listener: (event: { data?: unknown }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  fire(type: string, event: { data?: unknown } = {}): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }

  close(): void {
    this.closed = true;
  }
}

/** A browser environment at `href` with a fake fetch answering `body`, recording what it sends. */
function environment(href: string, body: unknown = { ok: true, value: [] }, status = 200) {
  const storage = new Map<string, string>();
  const requests: FetchRecord[] = [];
  const replaced: string[] = [];
  const timers: { callback: () => void; ms: number }[] = [];
  FakeSocket.instances = [];
  const env: BridgeEnvironment = {
    location: { href },
    history: {
      state: { kept: true },
      replaceState: (_state: unknown, _title: string, url?: string | URL | null) => {
        replaced.push(String(url));
      },
    },
    storage: {
      getItem: (key) => storage.get(key) ?? null,
      setItem: (key, value) => storage.set(key, value),
    },
    fetch: (url, init) => {
      requests.push({ url, init });
      return Promise.resolve({ status, json: () => Promise.resolve(body) });
    },
    WebSocket: FakeSocket as unknown as BridgeEnvironment['WebSocket'],
    retryDelay: (attempt) => 1000 * (attempt + 1),
    setTimeout: (callback, ms) => timers.push({ callback, ms }),
    clearTimeout: () => undefined,
  };
  return { env, storage, requests, replaced, timers };
}

describe('bridge client', () => {
  it('sends calls as POST /api/<name> with the bearer token from the URL', async () => {
    const { env, requests } = environment('http://127.0.0.1:4000/?token=abc123');
    const client = createBridgeClient(env);

    const result = await client.call('devices:list', {});

    expect(result).toEqual({ ok: true, value: [] });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe('http://127.0.0.1:4000/api/devices:list');
    expect(requests[0]?.init.method).toBe('POST');
    expect(new Headers(requests[0]?.init.headers).get('Authorization')).toBe('Bearer abc123');
    expect(requests[0]?.init.body).toBe('{}');
    client.close();
  });

  it('strips the token from the address bar, keeps other parameters, and remembers it for reloads', async () => {
    const first = environment('http://127.0.0.1:4000/?lang=vi&token=abc123#pages');
    createBridgeClient(first.env).close();

    expect(first.replaced).toEqual(['/?lang=vi#pages']);
    expect(first.storage.get(tokenStorageKey)).toBe('abc123');

    // After a reload the URL has no token; the session copy is used.
    const reload = environment('http://127.0.0.1:4000/');
    reload.storage.set(tokenStorageKey, 'abc123');
    const client = createBridgeClient(reload.env);
    await client.call('app:info', {});
    expect(reload.replaced).toEqual([]);
    expect(new Headers(reload.requests[0]?.init.headers).get('Authorization')).toBe('Bearer abc123');
    client.close();
  });

  it('passes on the bridge refusal as an ok:false result', async () => {
    const refusal = { ok: false, error: { code: 'bridge/unauthorized', message: 'bad token' } };
    const { env } = environment('http://127.0.0.1:4000/', refusal, 401);
    const client = createBridgeClient(env);
    expect(await client.call('app:info', {})).toEqual(refusal);
    client.close();
  });

  it('turns a network failure into an ok:false result instead of throwing', async () => {
    const { env } = environment('http://127.0.0.1:4000/?token=t');
    env.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    const client = createBridgeClient(env);
    const result = await client.call('app:info', {});
    expect(result.ok).toBe(false);
    client.close();
  });

  it('delivers WebSocket events to subscribers and reconnects with growing back-off', () => {
    const { env, timers } = environment('http://127.0.0.1:4000/?token=t0k');
    const client = createBridgeClient(env);
    const states: string[] = [];
    const received: unknown[] = [];
    client.onConnectionChange((state) => states.push(state));
    client.on('scan:finished', (payload) => received.push(payload));

    const socket = FakeSocket.instances[0];
    expect(socket?.url).toBe('ws://127.0.0.1:4000/events?token=t0k');
    socket?.fire('open');
    const payload = { batchId: 'b1', pageCount: 2, cancelled: false };
    socket?.fire('message', { data: JSON.stringify({ event: 'scan:finished', payload }) });
    socket?.fire('message', { data: JSON.stringify({ event: 'scan:unknown', payload }) });
    socket?.fire('message', { data: 'not json' });
    expect(received).toEqual([payload]);

    socket?.fire('close');
    expect(timers.map((timer) => timer.ms)).toEqual([1000]);
    timers[0]?.callback();
    FakeSocket.instances[1]?.fire('close');
    expect(timers.map((timer) => timer.ms)).toEqual([1000, 2000]);
    timers[1]?.callback();
    FakeSocket.instances[2]?.fire('open');

    expect(FakeSocket.instances).toHaveLength(3);
    expect(states).toEqual(['connecting', 'online', 'offline', 'online']);
    client.close();
    expect(FakeSocket.instances[2]?.closed).toBe(true);
  });
});
