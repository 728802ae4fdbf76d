import type { ReactNode } from 'react';
import { createContext, useContext, useMemo } from 'react';
import { useStore } from 'zustand';
import type { Translate } from '../i18n/i18n.js';
import { createTranslator } from '../i18n/i18n.js';
import type { StationState, StationStore } from '../store/station-store.js';

const StationContext = createContext<StationStore | null>(null);

/**
 * Hands the store to every component below.
 *
 * The store already holds the injected StationClient, so components reach the
 * engine only through store actions and tests render with a fake client.
 */
export function StationProvider(props: { store: StationStore; children: ReactNode }) {
  return <StationContext.Provider value={props.store}>{props.children}</StationContext.Provider>;
}

function useStationStore(): StationStore {
  const store = useContext(StationContext);
  if (store === null) throw new Error('StationProvider is missing above this component');
  return store;
}

/** Reads part of the store and re-renders when it changes; select single values or stable references. */
export function useStation<T>(selector: (state: StationState) => T): T {
  return useStore(useStationStore(), selector);
}

/** `t()` in the language currently shown. */
export function useT(): Translate {
  const language = useStation((state) => state.language);
  return useMemo(() => createTranslator(language), [language]);
}
