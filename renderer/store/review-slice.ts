import type { Unsubscribe } from '../../shared/api-shape.js';
import type { StationClient } from '../station/station-client.js';
import type { SliceGet, SliceSet, StationStore } from './station-store.js';

/** State of the review screen (to be filled by its feature). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type -- filled by the feature
export interface ReviewSlice {}

/** Creates the review slice. */
export function createReviewSlice(_client: StationClient, _set: SliceSet, _get: SliceGet): ReviewSlice {
  return {};
}

/** The engine events the review slice follows; attachEvents calls this once. */
export function attachReviewEvents(_store: StationStore, _client: StationClient): Unsubscribe[] {
  return [];
}
