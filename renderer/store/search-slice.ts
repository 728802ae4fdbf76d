import type { Unsubscribe } from '../../shared/api-shape.js';
import type { StationClient } from '../station/station-client.js';
import type { SliceGet, SliceSet, StationStore } from './station-store.js';

/** State of the search screen (to be filled by its feature). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type -- filled by the feature
export interface SearchSlice {}

/** Creates the search slice. */
export function createSearchSlice(_client: StationClient, _set: SliceSet, _get: SliceGet): SearchSlice {
  return {};
}

/** The engine events the search slice follows; attachEvents calls this once. */
export function attachSearchEvents(_store: StationStore, _client: StationClient): Unsubscribe[] {
  return [];
}
