import type { Unsubscribe } from '../../shared/api-shape.js';
import type { StationClient } from '../station/station-client.js';
import type { SliceGet, SliceSet, StationStore } from './station-store.js';

/** State of the settings-screen screen (to be filled by its feature). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type -- filled by the feature
export interface SettingsScreenSlice {}

/** Creates the settings-screen slice. */
export function createSettingsScreenSlice(_client: StationClient, _set: SliceSet, _get: SliceGet): SettingsScreenSlice {
  return {};
}

/** The engine events the settings-screen slice follows; attachEvents calls this once. */
export function attachSettingsScreenEvents(_store: StationStore, _client: StationClient): Unsubscribe[] {
  return [];
}
