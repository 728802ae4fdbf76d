// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallArgs, CallValue } from '../../../shared/contract.js';
import type { CallResult } from '../../../shared/errors.js';
import { vi as viMessages } from '../../../renderer/i18n/vi.js';
import { searchDebounceMs } from '../../../renderer/store/search-slice.js';
import { createHealthyFake, settle } from './fake-station-client.js';
import { makeHit, makeSummary } from './queue-fixtures.js';
import { cleanupApp, press, renderApp } from './render-app.js';

type SearchHandler = (
  args: CallArgs<'search:query'>,
) => CallResult<CallValue<'search:query'>> | Promise<CallResult<CallValue<'search:query'>>>;

afterEach(cleanupApp);

const decision = makeSummary('d-qd', {
  documentNumber: '123/QĐ-UBND',
  summary: 'Quyết định cấp giấy phép',
  state: 'verified',
});
const notice = makeSummary('d-tb', { documentNumber: '45/TB', summary: null });

const defaultSearch: SearchHandler = () => ({
  ok: true,
  value: {
    hits: [
      makeHit(decision, [
        { text: 'Căn cứ ', hit: false },
        { text: 'Quyết định', hit: true },
        { text: ' số 123 về việc cấp phép', hit: false },
      ]),
      makeHit(notice, [{ text: 'quyết định', hit: true }], 'metadata'),
    ],
    more: false,
  },
});

/** Renders the app on the search screen (Alt+5) with `search` answering search:query. */
async function renderSearch(search: SearchHandler = defaultSearch) {
  const rendered = await renderApp({ client: createHealthyFake().handle('search:query', search), screen: 'search' });
  const box = rendered.view.querySelector<HTMLInputElement>('#search-box');
  if (box === null) throw new Error('no search box');
  return { ...rendered, box };
}

/** Sets a field's value as the browser does after a keystroke, so React's onChange runs. */
async function input(box: HTMLInputElement, value: string) {
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(box, value);
    box.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
  });
}

/**
 * Types `text` key by key into the focused box: a keydown the page may cancel (a shortcut), then
 * the character, as a browser would. Returns the keys a listener cancelled.
 */
async function typeKeys(box: HTMLInputElement, text: string): Promise<string[]> {
  const cancelled: string[] = [];
  box.focus();
  for (const key of text) {
    if (await press(key, {}, box)) {
      cancelled.push(key);
      continue;
    }
    await input(box, box.value + key);
  }
  return cancelled;
}

const pause = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, searchDebounceMs + 80)));

function queries(client: ReturnType<typeof createHealthyFake>) {
  return client.calls
    .filter((call) => call.name === 'search:query')
    .map((call) => (call.args as { query: string }).query);
}

describe('search screen', () => {
  it('typing "Quyeets ddinhj" with Telex keys in the box is text, never a shortcut', async () => {
    const { client, store, box } = await renderSearch();
    expect(document.activeElement).toBe(box);
    const before = client.callNames().filter((name) => name !== 'search:query');

    const cancelled = await typeKeys(box, 'Quyeets ddinhj 12/2024');
    // An IME composing the word sends its keys as "Process" while it works.
    expect(await press('Process', { keyCode: 229, isComposing: true }, box)).toBe(false);

    expect(cancelled).toEqual([]);
    expect(box.value).toBe('Quyeets ddinhj 12/2024');
    expect(store.getState()).toMatchObject({ screen: 'search', helpOpen: false });
    expect(client.callNames().filter((name) => name !== 'search:query')).toEqual(before);

    // The IME then writes the word; one query goes out for it after the pause.
    await input(box, 'Quyết định');
    await pause();
    expect(queries(client)).toEqual(['Quyết định']);
  });

  it('shows hits with the matched words in <mark>, the number, summary and step of each document', async () => {
    const { box, view } = await renderSearch();
    await input(box, 'quyet dinh');
    await pause();

    const results = [...view.querySelectorAll('.search-hit')];
    expect(results).toHaveLength(2);
    const first = results[0];
    expect(first?.querySelector('.search-hit-number')?.textContent).toBe('123/QĐ-UBND');
    expect(first?.querySelector('.search-hit-summary')?.textContent).toBe('Quyết định cấp giấy phép');
    expect(first?.querySelector('.state')?.textContent).toBe('Kho đã xác nhận');
    expect(first?.querySelector('.search-hit-where')?.textContent).toBe('Tìm thấy trong chữ của văn bản');
    expect([...(first?.querySelectorAll('mark') ?? [])].map((mark) => mark.textContent)).toEqual(['Quyết định']);
    expect(first?.querySelector('.search-hit-snippet')?.textContent).toBe('Căn cứ Quyết định số 123 về việc cấp phép');
    expect(results[1]?.querySelector('.search-hit-where')?.textContent).toBe('Tìm thấy trong thông tin biên mục');
    expect(results[1]?.querySelector('.search-hit-summary')?.textContent).toBe('Chưa có trích yếu');
    expect(view.querySelector('.search-status')?.textContent).toBe('2 kết quả cho “quyet dinh”.');
  });

  it('shows only the answer of the newest query when an older one answers last', async () => {
    const pending = new Map<string, () => void>();
    const { box, view } = await renderSearch(
      ({ query }) =>
        new Promise((resolve) => {
          pending.set(query, () =>
            resolve({
              ok: true,
              value: {
                hits: [makeHit(makeSummary(query, { documentNumber: `số ${query}` }), [{ text: query, hit: true }])],
                more: false,
              },
            }),
          );
        }),
    );
    await input(box, 'cu');
    await pause();
    await input(box, 'moi');
    await pause();
    await act(async () => {
      pending.get('moi')?.();
      await settle();
      pending.get('cu')?.();
      await settle();
    });
    expect([...view.querySelectorAll('.search-hit-number')].map((element) => element.textContent)).toEqual(['số moi']);
  });

  it('opens a document from a result by click and by Enter, on the review screen', async () => {
    const { box, store, view } = await renderSearch();
    await input(box, 'quyet dinh');
    await pause();
    await act(async () => {
      view.querySelector<HTMLButtonElement>('.search-hit-open')?.click();
      await settle();
    });
    expect(store.getState()).toMatchObject({ screen: 'review', openDocumentId: 'd-qd' });

    // Back on search: the results are kept; ↓ from the box reaches the first, ↓ again the second.
    await press('5', { altKey: true });
    const again = view.querySelector<HTMLInputElement>('#search-box');
    if (again === null) throw new Error('no box');
    await press('ArrowDown', {}, again);
    await press('ArrowDown');
    const focused = document.activeElement as HTMLButtonElement;
    expect(focused.dataset['documentId']).toBe('d-tb');
    // Enter on a focused button is the browser's click.
    await act(async () => {
      focused.click();
      await settle();
    });
    expect(store.getState()).toMatchObject({ screen: 'review', openDocumentId: 'd-tb' });
  });

  it('focuses the search box with Ctrl+F and with "/" outside fields', async () => {
    const { box, view } = await renderSearch();
    const other = view.querySelector<HTMLButtonElement>('button[type="submit"]');
    other?.focus();
    expect(await press('/')).toBe(true);
    expect(document.activeElement).toBe(box);
    other?.focus();
    expect(await press('f', { ctrlKey: true })).toBe(true);
    expect(document.activeElement).toBe(box);
  });

  it('says in Vietnamese when nothing is asked, nothing is found, or the search fails', async () => {
    let fail = false;
    const { box, view } = await renderSearch(() =>
      fail
        ? { ok: false, error: { code: 'store/corrupt', message: 'fts broken' } }
        : { ok: true, value: { hits: [], more: false } },
    );
    const status = () => view.querySelector('.search-status')?.textContent;
    expect(status()).toBe('Nhập số hiệu, trích yếu, tên người hoặc chữ có trong văn bản để tìm.');
    await input(box, 'khong co');
    await pause();
    expect(status()).toBe('Không tìm thấy tài liệu nào cho “khong co”. Thử bớt từ hoặc kiểm tra lại chính tả.');
    fail = true;
    await input(box, 'loi');
    await pause();
    expect(status()).toBe(`Không tìm được: ${viMessages['error.store/corrupt']}`);
    expect(status()).not.toContain('fts broken');
  });

  it('asks for more hits from the count shown', async () => {
    const { box, client, view } = await renderSearch(({ offset }) => ({
      ok: true,
      value: {
        hits: [makeHit(makeSummary(`d${offset ?? 0}`), [{ text: 'x', hit: true }])],
        more: (offset ?? 0) === 0,
      },
    }));
    await input(box, 'x');
    await pause();
    expect(view.querySelector('.search-status')?.textContent).toBe('1 kết quả đầu tiên cho “x”; còn nữa.');
    await act(async () => {
      [...view.querySelectorAll('button')].find((element) => element.textContent === 'Xem thêm kết quả')?.click();
      await settle();
    });
    expect(view.querySelectorAll('.search-hit')).toHaveLength(2);
    expect(client.calls.at(-1)?.args).toEqual({ query: 'x', limit: 20, offset: 1 });
    expect([...view.querySelectorAll('button')].some((element) => element.textContent === 'Xem thêm kết quả')).toBe(
      false,
    );
  });
});
