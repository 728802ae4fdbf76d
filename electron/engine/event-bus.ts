import type { EventName, EventPayload } from '../../shared/contract.js';

export type EventListener = <N extends EventName>(name: N, payload: EventPayload<N>) => void;

/** Domain events of the engine; transports subscribe once and forward every event. */
export interface EventBus {
  emit<N extends EventName>(name: N, payload: EventPayload<N>): void;
  onAny(listener: EventListener): () => void;
}

export function createEventBus(onListenerError: (error: unknown) => void): EventBus {
  const listeners = new Set<EventListener>();
  return {
    emit(name, payload) {
      for (const listener of listeners) {
        try {
          listener(name, payload);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    onAny(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
