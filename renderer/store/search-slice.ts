import type { Unsubscribe } from '../../shared/api-shape.js';
import type { SearchHit } from '../../shared/domain.js';
import type { StationErrorShape } from '../../shared/errors.js';
import type { StationClient } from '../station/station-client.js';
import type { SliceGet, SliceSet, StationStore } from './station-store.js';

/** Where the search stands: nothing asked, waiting for the engine, answered, or failed. */
export type SearchStatus = 'idle' | 'searching' | 'done' | 'failed';

/** Pause after the last keystroke before asking the engine, so typing a word sends one query. */
export const searchDebounceMs = 250;
/** Hits asked per page ("more" asks for the next page). */
export const searchPageSize = 20;
/** The longest query the contract accepts. */
export const searchMaxLength = 500;

/** The search box, the hits of the last query answered, and the paging of "more". */
export interface SearchSlice {
  /** The text in the search box, as typed. */
  searchText: string;
  /** The query the hits answer (trimmed); empty when none. */
  searchQuery: string;
  searchStatus: SearchStatus;
  searchHits: SearchHit[];
  searchMore: boolean;
  searchLoadingMore: boolean;
  searchError: StationErrorShape | null;

  /** Takes the box's text and searches it after a short pause; an empty box clears the results. */
  setSearchText: (text: string) => void;
  /** Searches the box's text now (Enter in the box). */
  submitSearch: () => Promise<void>;
  /** Asks for the next page of hits of the query shown. */
  loadMoreHits: () => Promise<void>;
}

/** Creates the search slice. */
export function createSearchSlice(client: StationClient, set: SliceSet, get: SliceGet): SearchSlice {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Each query and each "more" gets a number; an answer whose number is no longer the latest is dropped.
  let latestRequest = 0;

  function cancelTimer(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  async function search(query: string): Promise<void> {
    cancelTimer();
    const request = ++latestRequest;
    if (query === '') {
      set({
        searchQuery: '',
        searchStatus: 'idle',
        searchHits: [],
        searchMore: false,
        searchError: null,
        searchLoadingMore: false,
      });
      return;
    }
    set({ searchStatus: 'searching', searchError: null, searchLoadingMore: false });
    const result = await client.call('search:query', { query, limit: searchPageSize });
    if (request !== latestRequest) return;
    set(
      result.ok
        ? { searchQuery: query, searchStatus: 'done', searchHits: result.value.hits, searchMore: result.value.more }
        : { searchQuery: query, searchStatus: 'failed', searchHits: [], searchMore: false, searchError: result.error },
    );
  }

  return {
    searchText: '',
    searchQuery: '',
    searchStatus: 'idle',
    searchHits: [],
    searchMore: false,
    searchLoadingMore: false,
    searchError: null,

    setSearchText(text) {
      const clipped = text.slice(0, searchMaxLength);
      set({ searchText: clipped });
      cancelTimer();
      const query = clipped.trim();
      // A trailing space, or typing back to the query already shown, asks nothing new.
      if (query === get().searchQuery && get().searchStatus === 'done') return;
      if (query === '') {
        void search('');
        return;
      }
      timer = setTimeout(() => void search(query), searchDebounceMs);
    },

    submitSearch() {
      return search(get().searchText.trim());
    },

    async loadMoreHits() {
      const { searchQuery: query, searchHits: hits, searchMore, searchStatus, searchLoadingMore } = get();
      if (!searchMore || searchStatus !== 'done' || searchLoadingMore || query === '') return;
      const request = ++latestRequest;
      set({ searchLoadingMore: true });
      const result = await client.call('search:query', { query, limit: searchPageSize, offset: hits.length });
      if (request !== latestRequest) return;
      if (!result.ok) {
        set({ searchLoadingMore: false, searchError: result.error });
        return;
      }
      const seen = new Set(hits.map((hit) => `${hit.document.id}:${hit.field}`));
      const fresh = result.value.hits.filter((hit) => !seen.has(`${hit.document.id}:${hit.field}`));
      set({
        searchLoadingMore: false,
        searchHits: [...hits, ...fresh],
        searchMore: result.value.more,
        searchError: null,
      });
    },
  };
}

/** The engine events the search slice follows; attachEvents calls this once. */
export function attachSearchEvents(store: StationStore, client: StationClient): Unsubscribe[] {
  return [
    // A document found earlier may have moved on (indexed, sent): its row shows where it stands now.
    client.on('documents:changed', (document) => {
      const { searchHits } = store.getState();
      if (!searchHits.some((hit) => hit.document.id === document.id)) return;
      store.setState({
        searchHits: searchHits.map((hit) =>
          hit.document.id === document.id && hit.document.updatedAt <= document.updatedAt ? { ...hit, document } : hit,
        ),
      });
    }),
  ];
}
