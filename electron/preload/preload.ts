import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { callPath, eventPath } from '../../shared/api-shape.js';
import { callNames, eventNames } from '../../shared/contract.js';

// Exposes `window.station`: one method per contract call, one `onX` per event, nothing else.
// No logic here: main checks the sender and the arguments. The Electron event object is
// never handed to the page, so the page cannot reach `sender` through it.

const api: Record<string, Record<string, unknown>> = {};

function domainOf(domain: string): Record<string, unknown> {
  api[domain] ??= {};
  return api[domain];
}

for (const name of callNames) {
  const [domain, method] = callPath(name);
  domainOf(domain)[method] = (args: unknown) => ipcRenderer.invoke(name, args);
}

for (const name of eventNames) {
  const [domain, method] = eventPath(name);
  domainOf(domain)[method] = (listener: (payload: unknown) => void) => {
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(name, forward);
    return () => {
      ipcRenderer.removeListener(name, forward);
    };
  };
}

contextBridge.exposeInMainWorld('station', api);
