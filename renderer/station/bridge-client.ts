import type { CallName, EventName } from '../../shared/contract.js';
import { isEventName } from '../../shared/contract.js';
import type { CallResult } from '../../shared/errors.js';
import type { ConnectionState, StationClient } from './station-client.js';

/** Where the bridge token lives for the rest of the tab's life once it has left the address bar. */
export const tokenStorageKey = 'sohoa.bridge-token';

/** The browser pieces the bridge client needs, injected so tests run without a browser. */
export interface BridgeEnvironment {
  location: Pick<Location, 'href'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  fetch: (input: string, init: RequestInit) => Promise<Pick<Response, 'json' | 'status'>>;
  WebSocket: new (url: string) => WebSocket;
  /** Back-off before reconnect attempt n (0-based), in ms; defaults to 0.5 s doubling up to 10 s, with jitter. */
  retryDelay?: (attempt: number) => number;
  setTimeout?: (callback: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

/**
 * Takes the token out of the address bar and keeps it in session storage.
 *
 * The token must not linger in the URL where history, screenshots and
 * bookmarks would keep it; session storage survives a reload of the tab only.
 */
export function takeBridgeToken(
  environment: Pick<BridgeEnvironment, 'location' | 'history' | 'storage'>,
): string | null {
  const url = new URL(environment.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null && fromUrl !== '') {
    environment.storage.setItem(tokenStorageKey, fromUrl);
    url.searchParams.delete('token');
    environment.history.replaceState(environment.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  return environment.storage.getItem(tokenStorageKey);
}

function defaultRetryDelay(attempt: number): number {
  const base = Math.min(10_000, 500 * 2 ** attempt);
  // Jitter keeps several windows from hammering a restarted engine in step.
  return base / 2 + Math.random() * (base / 2);
}

function failure(message: string): CallResult<never> {
  return { ok: false, error: { code: 'internal', message } };
}

function isCallResult(value: unknown): value is CallResult<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

/** A StationClient over the browser bridge: `POST /api/<call>` with the bearer token, events over a reconnecting WebSocket. */
export function createBridgeClient(environment: BridgeEnvironment): StationClient {
  const token = takeBridgeToken(environment);
  const origin = new URL(environment.location.href);
  const retryDelay = environment.retryDelay ?? defaultRetryDelay;
  const schedule = environment.setTimeout ?? ((callback, ms) => setTimeout(callback, ms));
  const cancel = environment.clearTimeout ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));

  const eventListeners = new Map<EventName, Set<(payload: never) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let connection: ConnectionState = 'connecting';
  let socket: WebSocket | null = null;
  let attempt = 0;
  let retryHandle: unknown = null;
  let closed = false;

  function setConnection(next: ConnectionState): void {
    if (next === connection) return;
    connection = next;
    for (const listener of connectionListeners) listener(next);
  }

  function dispatch(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const { event, payload } = message as { event?: unknown; payload?: unknown };
    if (typeof event !== 'string' || !isEventName(event)) return;
    for (const listener of eventListeners.get(event) ?? []) listener(payload as never);
  }

  function connect(): void {
    if (closed) return;
    const url = new URL('/events', origin);
    url.protocol = origin.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token ?? '');
    const current = new environment.WebSocket(url.toString());
    socket = current;
    current.addEventListener('open', () => {
      attempt = 0;
      setConnection('online');
    });
    current.addEventListener('message', (message: MessageEvent) => dispatch(message.data));
    current.addEventListener('close', () => {
      if (socket !== current) return;
      socket = null;
      if (closed) return;
      setConnection('offline');
      retryHandle = schedule(() => {
        retryHandle = null;
        connect();
      }, retryDelay(attempt));
      attempt += 1;
    });
  }

  connect();

  return {
    transport: 'bridge',
    async call(name: CallName, args: unknown) {
      let response: Pick<Response, 'json' | 'status'>;
      try {
        response = await environment.fetch(new URL(`/api/${name}`, origin).toString(), {
          method: 'POST',
          headers: { Authorization: `Bearer ${token ?? ''}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(args),
        });
      } catch (error) {
        return failure(`bridge unreachable: ${error instanceof Error ? error.message : String(error)}`);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        return failure(`bridge answered ${response.status} without JSON`);
      }
      // The bridge answers 401/403 with the same `{ ok: false, error }` shape as a failed call.
      return (
        isCallResult(body) ? body : failure(`bridge answered ${response.status} with an unexpected body`)
      ) as never;
    },
    on(event: EventName, listener: (payload: never) => void) {
      let listeners = eventListeners.get(event);
      if (listeners === undefined) {
        listeners = new Set();
        eventListeners.set(event, listeners);
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    onConnectionChange(listener) {
      connectionListeners.add(listener);
      listener(connection);
      return () => {
        connectionListeners.delete(listener);
      };
    },
    close() {
      closed = true;
      if (retryHandle !== null) cancel(retryHandle);
      socket?.close();
      socket = null;
      eventListeners.clear();
      connectionListeners.clear();
    },
  } satisfies StationClient;
}
