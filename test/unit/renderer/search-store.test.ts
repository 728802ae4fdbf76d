import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallValue } from '../../../shared/contract.js';
import type { CallResult } from '../../../shared/errors.js';
import { attachEvents } from '../../../renderer/store/attach-events.js';
import { searchDebounceMs } from '../../../renderer/store/search-slice.js';
import { createStationStore } from '../../../renderer/store/station-store.js';
import { createHealthyFake } from './fake-station-client.js';
import { makeHit, makeSummary } from './queue-fixtures.js';

type Answer = CallResult<CallValue<'search:query'>>;

/** A store whose search answers wait until the test releases them, one pending answer per query. */
function setup() {
  const client = createHealthyFake();
  const pending = new Map<string, (answer: Answer) => void>();
  client.handle(
    'search:query',
    ({ query, offset }) => new Promise<Answer>((resolve) => pending.set(`${query}@${offset ?? 0}`, resolve)),
  );
  const store = createStationStore(client);
  attachEvents(store, client);
  const answer = (key: string, ids: string[], more = false) => {
    const resolve = pending.get(key);
    if (resolve === undefined) throw new Error(`no pending search ${key}`);
    resolve({
      ok: true,
      value: { hits: ids.map((id) => makeHit(makeSummary(id), [{ text: id, hit: true }])), more },
    });
  };
  return {
    client,
    store,
    answer,
    queries: () => client.calls.filter((call) => call.name === 'search:query').map((call) => call.args),
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('search store', () => {
  it('waits for a pause in typing and sends one query for the last text', async () => {
    const { store, queries } = setup();
    for (const text of ['q', 'qu', 'quy', 'quye', 'quyet']) {
      store.getState().setSearchText(text);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(queries()).toEqual([]);
    await vi.advanceTimersByTimeAsync(searchDebounceMs);
    expect(queries()).toEqual([{ query: 'quyet', limit: 20 }]);
    expect(store.getState().searchStatus).toBe('searching');
  });

  it('ignores a stale answer: the newer query wins whatever order the answers come in', async () => {
    const { store, answer } = setup();
    store.getState().setSearchText('quyet');
    await vi.advanceTimersByTimeAsync(searchDebounceMs);
    store.getState().setSearchText('quyet dinh');
    await vi.advanceTimersByTimeAsync(searchDebounceMs);

    answer('quyet dinh@0', ['new']);
    await vi.advanceTimersByTimeAsync(0);
    answer('quyet@0', ['old-1', 'old-2']);
    await vi.advanceTimersByTimeAsync(0);

    const state = store.getState();
    expect(state.searchQuery).toBe('quyet dinh');
    expect(state.searchHits.map((hit) => hit.document.id)).toEqual(['new']);
    expect(state.searchStatus).toBe('done');
  });

  it('pages with "more" from the number of hits shown, and drops it when the query changed meanwhile', async () => {
    const { store, answer, queries } = setup();
    store.getState().setSearchText('giay phep');
    // Enter searches at once, without waiting for the pause.
    const submitted = store.getState().submitSearch();
    answer('giay phep@0', ['a', 'b'], true);
    await submitted;
    expect(store.getState().searchMore).toBe(true);

    const more = store.getState().loadMoreHits();
    answer('giay phep@2', ['c'], false);
    await more;
    expect(store.getState().searchHits.map((hit) => hit.document.id)).toEqual(['a', 'b', 'c']);
    expect(store.getState().searchMore).toBe(false);
    expect(queries().at(-1)).toEqual({ query: 'giay phep', limit: 20, offset: 2 });

    store.getState().setSearchText('dat dai');
    await vi.advanceTimersByTimeAsync(searchDebounceMs);
    answer('dat dai@0', ['d'], true);
    await vi.advanceTimersByTimeAsync(0);
    const late = store.getState().loadMoreHits();
    store.getState().setSearchText('dat');
    await vi.advanceTimersByTimeAsync(searchDebounceMs);
    answer('dat dai@1', ['stale']);
    await late;
    answer('dat@0', ['e']);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().searchHits.map((hit) => hit.document.id)).toEqual(['e']);
  });

  it('clears the results for an empty box without asking the engine', async () => {
    const { store, answer, queries } = setup();
    store.getState().setSearchText('a');
    await vi.advanceTimersByTimeAsync(searchDebounceMs);
    store.getState().setSearchText('   ');
    answer('a@0', ['x']);
    await vi.advanceTimersByTimeAsync(searchDebounceMs);
    expect(queries()).toHaveLength(1);
    expect(store.getState()).toMatchObject({ searchStatus: 'idle', searchHits: [], searchQuery: '' });
  });

  it('keeps a failed search as an error and updates a hit when its document changes', async () => {
    const { client, store, answer } = setup();
    store.getState().setSearchText('so 12');
    await vi.advanceTimersByTimeAsync(searchDebounceMs);
    answer('so 12@0', ['d1']);
    await vi.advanceTimersByTimeAsync(0);
    client.emit('documents:changed', makeSummary('d1', { state: 'verified', updatedAt: '2026-11-26T10:00:00.000Z' }));
    expect(store.getState().searchHits[0]?.document.state).toBe('verified');

    client.handle('search:query', () => ({ ok: false, error: { code: 'store/corrupt', message: 'fts' } }));
    store.getState().setSearchText('so 13');
    await vi.advanceTimersByTimeAsync(searchDebounceMs);
    expect(store.getState()).toMatchObject({ searchStatus: 'failed', searchError: { code: 'store/corrupt' } });
  });
});
