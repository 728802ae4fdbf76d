import type { StoreApi } from 'zustand/vanilla';
import { createStore } from 'zustand/vanilla';
import type { StationClient } from '../station/station-client.js';
import type { AppSlice } from './app-slice.js';
import { createAppSlice } from './app-slice.js';
import type { CaptureSlice } from './capture-slice.js';
import { createCaptureSlice } from './capture-slice.js';
import type { DeskSlice } from './desk-slice.js';
import { createDeskSlice } from './desk-slice.js';
import type { IndexingSlice } from './indexing-slice.js';
import { createIndexingSlice } from './indexing-slice.js';
import type { QueueSlice } from './queue-slice.js';
import { createQueueSlice } from './queue-slice.js';
import type { ReviewSlice } from './review-slice.js';
import { createReviewSlice } from './review-slice.js';
import type { SearchSlice } from './search-slice.js';
import { createSearchSlice } from './search-slice.js';
import type { SettingsScreenSlice } from './settings-screen-slice.js';
import { createSettingsScreenSlice } from './settings-screen-slice.js';

/** The whole renderer state: every slice combined. */
export type StationState = AppSlice &
  CaptureSlice &
  DeskSlice &
  ReviewSlice &
  IndexingSlice &
  QueueSlice &
  SearchSlice &
  SettingsScreenSlice;

/** The combined vanilla store; React reads it through `useStation`, tests read it directly. */
export type StationStore = StoreApi<StationState>;

/** Setter and getter a slice receives; typed on the combined state so slices may read each other. */
export type SliceSet = StoreApi<StationState>['setState'];
export type SliceGet = StoreApi<StationState>['getState'];

/**
 * Creates a fresh store whose actions talk to the engine through `client`.
 *
 * A new store per app start and per test, so no state leaks between tests.
 * Middleware, when needed, wraps this combined creator only.
 */
export function createStationStore(client: StationClient): StationStore {
  return createStore<StationState>()((set, get) => ({
    ...createAppSlice(client, set, get),
    ...createCaptureSlice(client, set, get),
    ...createDeskSlice(set, get),
    ...createReviewSlice(client, set, get),
    ...createIndexingSlice(client, set, get),
    ...createQueueSlice(client, set, get),
    ...createSearchSlice(client, set, get),
    ...createSettingsScreenSlice(client, set, get),
  }));
}
