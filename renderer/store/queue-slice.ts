import type { Unsubscribe } from '../../shared/api-shape.js';
import type { StationClient } from '../station/station-client.js';
import type { SliceGet, SliceSet, StationStore } from './station-store.js';

/** State of the queue screen (to be filled by its feature). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type -- filled by the feature
export interface QueueSlice {}

/** Creates the queue slice. */
export function createQueueSlice(_client: StationClient, _set: SliceSet, _get: SliceGet): QueueSlice {
  return {};
}

/** The engine events the queue slice follows; attachEvents calls this once. */
export function attachQueueEvents(_store: StationStore, _client: StationClient): Unsubscribe[] {
  return [];
}
