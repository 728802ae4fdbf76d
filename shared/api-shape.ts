import type { CallArgs, CallName, CallValue, EventName, EventPayload } from './contract.js';
import { callNames, eventNames } from './contract.js';
import type { CallResult } from './errors.js';

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

type DomainOf<N extends string> = N extends `${infer D}:${string}` ? D : never;
type MethodOf<N extends string> = N extends `${string}:${infer M}` ? CamelCase<M> : never;
type EventMethodOf<N extends string> = N extends `${string}:${infer M}` ? `on${Capitalize<CamelCase<M>>}` : never;

export type Unsubscribe = () => void;

/**
 * The object the preload exposes as `window.station`: one method per call, one
 * `onX` subscription per event, grouped by domain. Derived from the contract.
 */
export type StationApi = {
  [D in DomainOf<CallName | EventName>]: {
    [N in CallName as DomainOf<N> extends D ? MethodOf<N> : never]: (
      args: CallArgs<N>,
    ) => Promise<CallResult<CallValue<N>>>;
  } & {
    [N in EventName as DomainOf<N> extends D ? EventMethodOf<N> : never]: (
      listener: (payload: EventPayload<N>) => void,
    ) => Unsubscribe;
  };
};

export function camelCase(kebab: string): string {
  return kebab.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Where a call lives on `window.station`: `scan:start` → `['scan', 'start']`. */
export function callPath(name: CallName): [domain: string, method: string] {
  const [domain = '', method = ''] = name.split(':');
  return [domain, camelCase(method)];
}

/** Where an event subscription lives: `scan:page-captured` → `['scan', 'onPageCaptured']`. */
export function eventPath(name: EventName): [domain: string, method: string] {
  const [domain = '', method = ''] = name.split(':');
  const camel = camelCase(method);
  return [domain, `on${camel.charAt(0).toUpperCase()}${camel.slice(1)}`];
}

/** Every path the preload must expose and nothing else, for the shell tests. */
export function stationApiPaths(): string[] {
  return [
    ...callNames.map((name) => callPath(name).join('.')),
    ...eventNames.map((name) => eventPath(name).join('.')),
  ].sort();
}
