import type { Unsubscribe } from '../../shared/api-shape.js';
import type { StationClient } from '../station/station-client.js';
import type { SliceGet, SliceSet, StationStore } from './station-store.js';

/** State of the indexing screen (to be filled by its feature). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type -- filled by the feature
export interface IndexingSlice {}

/** Creates the indexing slice. */
export function createIndexingSlice(_client: StationClient, _set: SliceSet, _get: SliceGet): IndexingSlice {
  return {};
}

/** The engine events the indexing slice follows; attachEvents calls this once. */
export function attachIndexingEvents(_store: StationStore, _client: StationClient): Unsubscribe[] {
  return [];
}
