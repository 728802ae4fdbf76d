// Small hand-written stand-ins for the parts of `electron` the shell touches (the Electron Fiddle way).

type Listener = (...args: unknown[]) => void;

/** Records `exposeInMainWorld` calls. */
export interface FakeContextBridge {
  exposed: Map<string, unknown>;
  exposeInMainWorld(key: string, api: unknown): void;
}

/** Records `invoke` calls and keeps `on` listeners per channel so a test can emit. */
export interface FakeIpcRenderer {
  invoked: { channel: string; args: unknown[] }[];
  listeners: Map<string, Listener[]>;
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: Listener): FakeIpcRenderer;
  removeListener(channel: string, listener: Listener): FakeIpcRenderer;
  emit(channel: string, payload: unknown): void;
}

/** Records `handle` registrations so a test can invoke a channel as a renderer would. */
export interface FakeIpcMain {
  handlers: Map<string, (event: unknown, ...args: unknown[]) => unknown>;
  handle(channel: string, listener: (event: never, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown>;
}

export function createFakeContextBridge(): FakeContextBridge {
  const exposed = new Map<string, unknown>();
  return {
    exposed,
    exposeInMainWorld(key, api) {
      if (exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property: ${key}`);
      exposed.set(key, api);
    },
  };
}

export function createFakeIpcRenderer(): FakeIpcRenderer {
  const fake: FakeIpcRenderer = {
    invoked: [],
    listeners: new Map(),
    invoke(channel, ...args) {
      fake.invoked.push({ channel, args });
      return Promise.resolve({ ok: true, value: { channel } });
    },
    on(channel, listener) {
      fake.listeners.set(channel, [...(fake.listeners.get(channel) ?? []), listener]);
      return fake;
    },
    removeListener(channel, listener) {
      fake.listeners.set(
        channel,
        (fake.listeners.get(channel) ?? []).filter((candidate) => candidate !== listener),
      );
      return fake;
    },
    emit(channel, payload) {
      const event = { sender: 'ipc-renderer-event-sender' };
      for (const listener of fake.listeners.get(channel) ?? []) listener(event, payload);
    },
  };
  return fake;
}

export function createFakeIpcMain(): FakeIpcMain {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  return {
    handlers,
    handle(channel, listener) {
      // Electron throws on a second handler for one channel; so does the fake.
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener as (event: unknown, ...args: unknown[]) => unknown);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
    invoke(channel, event, ...args) {
      const handler = handlers.get(channel);
      if (handler === undefined) return Promise.reject(new Error(`No handler registered for '${channel}'`));
      return Promise.resolve(handler(event, ...args));
    },
  };
}

/** An IPC event as Electron builds it, from a frame at `url`; `parent` set means a sub-frame. */
export function senderEvent(url: string, parent: unknown = null): { senderFrame: { url: string; parent: unknown } } {
  return { senderFrame: { url, parent } };
}

/** A `WebContents` that records listeners, sends and the window-open handler. */
export type FakeWebContents = ReturnType<typeof createFakeWebContents>;

export function createFakeWebContents() {
  const listeners = new Map<string, Listener[]>();
  const sent: { channel: string; args: unknown[] }[] = [];
  let windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  let destroyed = false;
  const contents = {
    sent,
    // `never[]` so any Electron listener signature fits; the fake calls it with what the test emits.
    on(event: string, listener: (...args: never[]) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener as Listener]);
      return contents;
    },
    once(event: string, listener: (...args: never[]) => void) {
      return contents.on(event, listener);
    },
    emit(event: string, ...args: unknown[]) {
      for (const listener of listeners.get(event) ?? []) listener(...args);
    },
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      windowOpenHandler = handler;
    },
    openWindow(url: string): { action: string } {
      // Electron allows a window when no handler is set.
      return windowOpenHandler === undefined ? { action: 'allow' } : windowOpenHandler({ url });
    },
    send(channel: string, ...args: unknown[]) {
      if (destroyed) throw new Error('Object has been destroyed');
      sent.push({ channel, args });
    },
    isDestroyed: () => destroyed,
    destroy() {
      destroyed = true;
      contents.emit('destroyed');
    },
  };
  return contents;
}

/** Fires a cancellable Electron event at `emit` and tells whether a listener prevented it. */
export function isPrevented(fire: (event: { preventDefault(): void }) => void): boolean {
  let prevented = false;
  fire({
    preventDefault() {
      prevented = true;
    },
  });
  return prevented;
}

/** Electron's `safeStorage`: "encrypts" reversibly with a marker, so a test sees no plain text on disk. */
export interface FakeSafeStorage {
  available: boolean;
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export function createFakeSafeStorage(): FakeSafeStorage {
  const marker = Buffer.from('fake-os-keystore:');
  const flip = (data: Buffer): Buffer => Buffer.from(data.map((byte) => byte ^ 0x5a));
  const fake: FakeSafeStorage = {
    available: true,
    isEncryptionAvailable: () => fake.available,
    encryptString(plainText) {
      if (!fake.available) throw new Error('Encryption is not available.');
      return Buffer.concat([marker, flip(Buffer.from(plainText, 'utf8'))]);
    },
    decryptString(encrypted) {
      if (!encrypted.subarray(0, marker.length).equals(marker))
        throw new Error('Error while decrypting the ciphertext');
      return flip(encrypted.subarray(marker.length)).toString('utf8');
    },
  };
  return fake;
}
