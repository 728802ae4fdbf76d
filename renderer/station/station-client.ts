import type { CallArgs, CallName, CallValue, EventName, EventPayload } from '../../shared/contract.js';
import type { CallResult } from '../../shared/errors.js';
import type { StationApi, Unsubscribe } from '../../shared/api-shape.js';
import { createBridgeClient } from './bridge-client.js';
import { createElectronClient } from './electron-client.js';

/** Whether the engine can be reached: `connecting` before the first contact, `offline` while reconnecting. */
export type ConnectionState = 'connecting' | 'online' | 'offline';

/**
 * The renderer's only way to the engine, whatever carries it.
 *
 * Stores and components receive one of these, so tests hand them a fake and
 * nothing else in the renderer knows about `window.station` or the bridge.
 */
export interface StationClient {
  /** Which transport carries the contract, for diagnostics. */
  readonly transport: 'electron' | 'bridge';
  /** Calls the engine; expected failures come back as `{ ok: false, error }`, never as a throw. */
  call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallResult<CallValue<N>>>;
  /** Subscribes to one engine event. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe;
  /** Subscribes to changes of the connection; the listener is called at once with the current state. */
  onConnectionChange(listener: (state: ConnectionState) => void): Unsubscribe;
  /** Stops reconnecting and drops every listener. */
  close(): void;
}

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent when the UI runs in a browser through the bridge. */
    station?: StationApi;
  }
}

/** Picks the transport: the preload's `window.station` under Electron, otherwise the browser bridge. */
export function createStationClient(): StationClient {
  if (window.station !== undefined) {
    return createElectronClient(window.station);
  }
  return createBridgeClient({
    location: window.location,
    history: window.history,
    storage: window.sessionStorage,
    fetch: window.fetch.bind(window),
    WebSocket: window.WebSocket,
  });
}
