import type { CallName, EventName } from '../../shared/contract.js';
import type { StationApi } from '../../shared/api-shape.js';
import { callPath, eventPath } from '../../shared/api-shape.js';
import type { StationClient } from './station-client.js';

type LooseMethod = (argument: unknown) => unknown;

/** Looks up `station.<domain>.<method>`; the preload exposes exactly the contract, so a miss is a packaging bug. */
function methodAt(api: StationApi, domain: string, method: string): LooseMethod {
  const group = (api as unknown as Record<string, Record<string, LooseMethod> | undefined>)[domain];
  const found = group?.[method];
  if (typeof found !== 'function') {
    throw new Error(`window.station.${domain}.${method} is missing`);
  }
  return found;
}

/** A StationClient over the Electron preload; IPC has no connection to lose, so it is always online. */
export function createElectronClient(api: StationApi): StationClient {
  return {
    transport: 'electron',
    call(name: CallName, args: unknown) {
      const [domain, method] = callPath(name);
      return methodAt(api, domain, method)(args) as never;
    },
    on(event: EventName, listener: (payload: never) => void) {
      const [domain, method] = eventPath(event);
      return methodAt(api, domain, method)(listener) as () => void;
    },
    onConnectionChange(listener) {
      listener('online');
      return () => undefined;
    },
    close() {
      // The preload owns the IPC listeners; each subscription is released by its own Unsubscribe.
    },
  } satisfies StationClient;
}
