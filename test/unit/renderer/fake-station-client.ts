import type { Unsubscribe } from '../../../shared/api-shape.js';
import type { CallArgs, CallName, CallValue, EventName, EventPayload } from '../../../shared/contract.js';
import type { CallResult } from '../../../shared/errors.js';
import type { Device, Page } from '../../../shared/domain.js';
import type { EffectiveSettings } from '../../../shared/settings.js';
import { defaultSettings } from '../../../shared/settings.js';
import type { ConnectionState, StationClient } from '../../../renderer/station/station-client.js';

type Handler<N extends CallName> = (args: CallArgs<N>) => CallResult<CallValue<N>> | Promise<CallResult<CallValue<N>>>;

/** A call the renderer made, in order. */
export interface RecordedCall {
  name: CallName;
  args: unknown;
}

/**
 * An in-memory StationClient: answers calls from handlers a test sets, and lets
 * the test emit engine events and connection changes.
 */
export class FakeStationClient implements StationClient {
  readonly transport = 'bridge' as const;
  readonly calls: RecordedCall[] = [];
  private readonly handlers = new Map<CallName, unknown>();
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();
  private connection: ConnectionState = 'connecting';

  /** Answers `name` with `handler` from now on. */
  handle<N extends CallName>(name: N, handler: Handler<N>): this {
    this.handlers.set(name, handler);
    return this;
  }

  call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallResult<CallValue<N>>> {
    this.calls.push({ name, args });
    const handler = this.handlers.get(name) as Handler<N> | undefined;
    if (handler === undefined) {
      return Promise.resolve({ ok: false, error: { code: 'ipc/unknown-call', message: `no fake for ${name}` } });
    }
    return Promise.resolve(handler(args));
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Delivers an engine event to every listener, as the transport would. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (payload: EventPayload<E>) => void)(payload);
  }

  onConnectionChange(listener: (state: ConnectionState) => void): Unsubscribe {
    this.connectionListeners.add(listener);
    listener(this.connection);
    return () => this.connectionListeners.delete(listener);
  }

  setConnection(state: ConnectionState): void {
    this.connection = state;
    for (const listener of this.connectionListeners) listener(state);
  }

  close(): void {
    this.listeners.clear();
    this.connectionListeners.clear();
  }

  /** Names of the calls made so far, for asserting what reached the engine. */
  callNames(): CallName[] {
    return this.calls.map((call) => call.name);
  }
}

/** Lets pending promise chains (store actions awaiting fake calls) run to completion. */
export async function settle(): Promise<void> {
  for (let round = 0; round < 10; round += 1) await Promise.resolve();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

export const demoDevice: Device = {
  id: 'demo',
  kind: 'demo',
  name: 'Máy quét mẫu',
  sources: ['adf'],
  resolutions: [300],
  colourModes: ['color'],
  allowed: true,
};

/** A page of batch `batchId` at `index`, with a distinct hash per index. */
export function makePage(batchId: string, index: number): Page {
  return {
    id: `${batchId}-p${index}`,
    batchId,
    index,
    sha256: index.toString(16).padStart(64, '0'),
    mimeType: 'image/jpeg',
    widthPx: 2480,
    heightPx: 3508,
    dpi: 300,
    colourMode: 'color',
    deviceId: 'demo',
    capturedAt: '2025-01-01T08:00:00.000Z',
  };
}

/** Engine settings as the engine would report them, with optional locked keys. */
export function makeSettings(language: 'vi' | 'en' = 'vi', locked: string[] = []): EffectiveSettings {
  const values = defaultSettings();
  values.ui.language = language;
  return { values, locked, problems: [] };
}

/** A fake with the calls of a healthy station: one demo scanner, thumbnails named after the page id. */
export function createHealthyFake(): FakeStationClient {
  let settings = makeSettings();
  return new FakeStationClient()
    .handle('app:info', () => ({
      ok: true,
      value: { name: 'SoHoa Station', version: '0.1.0', transport: 'bridge', dataDir: '/tmp/x', platform: 'linux' },
    }))
    .handle('settings:get', () => ({ ok: true, value: settings }))
    .handle('settings:update', ({ patch }) => {
      settings = makeSettings(patch.ui?.language ?? settings.values.ui.language);
      return { ok: true, value: settings };
    })
    .handle('devices:list', () => ({ ok: true, value: [demoDevice] }))
    .handle('scan:start', () => ({ ok: true, value: { batchId: 'b1' } }))
    .handle('scan:cancel', () => ({ ok: true, value: { cancelled: true } }))
    .handle('batches:list', () => ({ ok: true, value: [] }))
    .handle('pages:list', () => ({ ok: true, value: [] }))
    .handle('pages:thumbnail', ({ pageId }) => ({
      ok: true,
      value: { mimeType: 'image/jpeg', dataBase64: btoa(pageId) },
    }));
}
