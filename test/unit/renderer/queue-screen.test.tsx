// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxItem, QueueItem, SyncStatus } from '../../../shared/domain.js';
import { vi as viMessages } from '../../../renderer/i18n/vi.js';
import { createHealthyFake, settle } from './fake-station-client.js';
import { handleQueue, makeDelivery, makeQueueItem, makeSummary, makeSyncStatus } from './queue-fixtures.js';
import { cleanupApp, click, press, renderApp } from './render-app.js';

afterEach(cleanupApp);

/** Renders the app on the queue screen (Alt+4) against a fake engine serving `items`. */
async function renderQueue(
  items: readonly QueueItem[],
  status: SyncStatus = makeSyncStatus(),
  foreign: readonly OutboxItem[] = [],
) {
  const client = createHealthyFake();
  handleQueue(client, items, status, foreign);
  return renderApp({ client, screen: 'queue' });
}

function button(view: HTMLElement, name: string): HTMLButtonElement {
  const found = [...view.querySelectorAll('button')].find(
    (candidate) => candidate.getAttribute('aria-label') === name || candidate.textContent?.startsWith(name) === true,
  );
  if (found === undefined) throw new Error(`no button ${name}`);
  return found;
}

function row(view: HTMLElement, documentId: string): HTMLTableRowElement {
  const found = view.querySelector<HTMLTableRowElement>(`tr[data-document-id="${documentId}"]`);
  if (found === null) throw new Error(`no row ${documentId}`);
  return found;
}

function cells(tableRow: HTMLTableRowElement): string[] {
  return [...tableRow.children].map((cell) => cell.textContent ?? '');
}

const failedItem = makeQueueItem(
  makeSummary('d-failed', { state: 'queued', documentNumber: '15/QĐ-UBND' }, 5),
  makeDelivery('d-failed', {
    state: 'failed',
    attempts: 7,
    lastError: { code: 'sync/auth-failed', message: 'HTTP 401 from warehouse' },
  }),
);

describe('queue screen', () => {
  it('shows each document with its workflow step, its delivery and the attempts, in Vietnamese', async () => {
    const { view } = await renderQueue([
      makeQueueItem(makeSummary('d-new', { documentNumber: '01/GP', summary: 'Giấy phép xây dựng' }, 9)),
      makeQueueItem(
        makeSummary('d-up', { state: 'queued', documentNumber: '02/GP' }, 8),
        makeDelivery('d-up', { state: 'uploading', bytes: 2_000_000, uploadedBytes: 500_000, attempts: 1 }),
      ),
      makeQueueItem(
        makeSummary('d-wait', { state: 'queued', documentNumber: '03/GP' }, 7),
        makeDelivery('d-wait', {
          state: 'waiting',
          attempts: 2,
          nextAttemptAt: new Date(2026, 10, 26, 14, 5).toISOString(),
          lastError: { code: 'sync/offline', message: 'ECONNREFUSED' },
        }),
      ),
      makeQueueItem(makeSummary('d-secret', { classified: true, state: 'coded' }, 6)),
      makeQueueItem(
        makeSummary('d-done', { state: 'verified' }, 1),
        makeDelivery('d-done', { state: 'verified', attempts: 1 }),
      ),
    ]);
    expect(document.title).toBe('Hàng đợi gửi · Trạm Số hóa');

    expect(cells(row(view, 'd-new')).slice(0, 4)).toEqual([
      '01/GPGiấy phép xây dựng2 trang',
      'Đã quét',
      'Chưa vào hàng đợi',
      '—',
    ]);
    const uploading = row(view, 'd-up');
    expect(cells(uploading)[2]).toContain('Đang tải lên 25%');
    expect(uploading.querySelector('progress')?.getAttribute('aria-label')).toBe('Đã tải lên 25%');
    expect(cells(uploading)[3]).toBe('1 lần');
    expect(cells(row(view, 'd-wait'))[2]).toBe('Chờ thử lại Thử lại lúc 14:05 26/11/2026');
    expect(cells(row(view, 'd-wait'))[4]).toBe(viMessages['error.sync/offline']);
    expect(cells(row(view, 'd-secret'))[2]).toBe('Không gửi: tài liệu mật');
    expect(cells(row(view, 'd-done')).slice(1, 3)).toEqual(['Kho đã xác nhận', 'Kho đã xác nhận']);
    // Newest change first.
    expect([...view.querySelectorAll('tbody tr')].map((tr) => tr.getAttribute('data-document-id'))).toEqual([
      'd-new',
      'd-up',
      'd-wait',
      'd-secret',
      'd-done',
    ]);
  });

  it('shows the Vietnamese message of a failed row’s error code and retries it', async () => {
    const { client, view } = await renderQueue([failedItem]);
    const failed = row(view, 'd-failed');
    expect(cells(failed)[2]).toBe('Gửi không được');
    expect(cells(failed)[3]).toBe('7 lần');
    expect(cells(failed)[4]).toBe(viMessages['error.sync/auth-failed']);
    expect(failed.textContent).not.toContain('HTTP 401');

    await click(button(view, 'Thử lại tài liệu 15/QĐ-UBND'));
    expect(client.calls.filter((call) => call.name === 'sync:retry').map((call) => call.args)).toEqual([
      { documentId: 'd-failed' },
    ]);
    expect(cells(row(view, 'd-failed'))[2]).toBe('Chờ gửi');
    expect(row(view, 'd-failed').querySelector('button[aria-label^="Thử lại"]')).toBeNull();
  });

  it('shows a failed delivery of another station’s bag, with no document to open, and retries it', async () => {
    const { client, view } = await renderQueue([], makeSyncStatus(), [
      makeDelivery('bag-7', {
        state: 'failed',
        source: 'bag:qn-skhcn-02',
        attempts: 1,
        lastError: { code: 'sync/hash-mismatch', message: 'sha differs' },
      }),
    ]);
    const bagRow = row(view, 'bag-7');
    expect(cells(bagRow)[0]).toBe('bag-7Nhận từ gói dữ liệu của máy trạm qn-skhcn-02');
    expect(bagRow.querySelector('.queue-open')).toBeNull();
    expect(cells(bagRow)[4]).toBe(viMessages['error.sync/hash-mismatch']);
    await click(button(view, 'Thử lại tài liệu bag-7'));
    expect(client.calls.filter((call) => call.name === 'sync:retry').map((call) => call.args)).toEqual([
      { documentId: 'bag-7' },
    ]);
  });

  it('updates rows live from engine events', async () => {
    const { client, view } = await renderQueue([makeQueueItem(makeSummary('d1', { documentNumber: '7/TB' }))]);
    expect(cells(row(view, 'd1'))[1]).toBe('Đã quét');

    await act(async () => {
      client.emit(
        'documents:changed',
        makeSummary('d1', { documentNumber: '7/TB', state: 'queued', updatedAt: '2026-11-26T09:00:00.000Z' }),
      );
      client.emit(
        'sync:item-changed',
        makeDelivery('d1', {
          state: 'uploading',
          bytes: 1000,
          uploadedBytes: 400,
          updatedAt: '2026-11-26T09:00:01.000Z',
        }),
      );
      await settle();
    });
    expect(cells(row(view, 'd1'))[1]).toBe('Chờ gửi lên kho');
    expect(cells(row(view, 'd1'))[2]).toContain('40%');

    await act(async () => {
      client.emit(
        'sync:item-changed',
        makeDelivery('d1', {
          state: 'failed',
          attempts: 3,
          lastError: { code: 'sync/record-rejected', message: 'bad' },
          updatedAt: '2026-11-26T09:00:02.000Z',
        }),
      );
      client.emit('documents:changed', makeSummary('d2', { documentNumber: '8/TB' }, 30));
      await settle();
    });
    expect(cells(row(view, 'd1'))[4]).toBe(viMessages['error.sync/record-rejected']);
    expect(row(view, 'd2')).toBeTruthy();
    // The "Lỗi" tab counts the failed delivery.
    expect(button(view, 'Lỗi').textContent).toBe('Lỗi1');
  });

  it('filters by tab with counts, from the mouse and from the keys 1–5', async () => {
    const { view } = await renderQueue([
      makeQueueItem(makeSummary('a', {}, 4)),
      makeQueueItem(makeSummary('b', { state: 'queued' }, 3), makeDelivery('b')),
      failedItem,
      makeQueueItem(makeSummary('c', { state: 'verified' }, 1), makeDelivery('c', { state: 'verified' })),
    ]);
    const tabs = [...view.querySelectorAll('[role="tab"]')].map((tab) => tab.textContent);
    expect(tabs).toEqual(['Tất cả4', 'Đang xử lý1', 'Chờ gửi1', 'Đã gửi1', 'Lỗi1']);

    await click(button(view, 'Lỗi'));
    expect([...view.querySelectorAll('tbody tr')].map((tr) => tr.getAttribute('data-document-id'))).toEqual([
      'd-failed',
    ]);
    expect(view.querySelector('[role="tab"][aria-selected="true"]')?.textContent).toBe('Lỗi1');

    await press('4');
    expect([...view.querySelectorAll('tbody tr')].map((tr) => tr.getAttribute('data-document-id'))).toEqual(['c']);
    await press('2');
    expect([...view.querySelectorAll('tbody tr')].map((tr) => tr.getAttribute('data-document-id'))).toEqual(['a']);
  });

  it('sends now, pauses and resumes from the buttons and the G / P keys', async () => {
    const { client, view } = await renderQueue([failedItem]);
    await click(button(view, 'Gửi ngay'));
    await click(button(view, 'Tạm dừng'));
    expect(view.querySelector('.queue-connectivity')?.textContent).toContain('Đã tạm dừng gửi');
    await click(button(view, 'Tiếp tục'));
    await press('g');
    await press('p');
    const actions = client.callNames().filter((name) => ['sync:send-now', 'sync:pause', 'sync:resume'].includes(name));
    expect(actions).toEqual(['sync:send-now', 'sync:pause', 'sync:resume', 'sync:send-now', 'sync:pause']);
    expect(button(view, 'Tiếp tục')).toBeTruthy();
  });

  it('shows offline, outside the send window and an unconfigured warehouse', async () => {
    const nextWindow = new Date(2026, 10, 27, 7, 30).toISOString();
    const { client, view } = await renderQueue(
      [],
      makeSyncStatus({ online: false, inSendWindow: false, nextWindowAt: nextWindow }),
    );
    const indicator = () => view.querySelector('[role="status"][aria-label="Tình trạng gửi lên kho dữ liệu"]');
    expect(indicator()?.className).toContain('queue-connectivity-offline');
    expect(indicator()?.textContent).toContain('Không kết nối được kho dữ liệu');
    expect(indicator()?.textContent).toContain('Ngoài giờ gửi; lần gửi tiếp theo lúc 07:30 27/11/2026.');

    await act(async () => {
      client.emit('sync:status-changed', makeSyncStatus({ online: true }));
      await settle();
    });
    expect(indicator()?.textContent).toContain('Kết nối được kho dữ liệu');

    await act(async () => {
      client.emit('sync:status-changed', makeSyncStatus({ configured: false, online: null }));
      await settle();
    });
    expect(indicator()?.textContent).toContain('Chưa cấu hình kho dữ liệu');
    expect(button(view, 'Gửi ngay').disabled).toBe(true);
    await press('g');
    expect(client.callNames()).not.toContain('sync:send-now');
  });

  it('opens a document on the review screen from its row, by click and from the keyboard', async () => {
    const { store, view } = await renderQueue([
      makeQueueItem(makeSummary('d1', { documentNumber: '1/A' }, 2)),
      failedItem,
    ]);
    await click(button(view, 'Mở tài liệu 1/A'));
    expect(store.getState()).toMatchObject({ screen: 'review', openDocumentId: 'd1' });

    await press('4', { altKey: true });
    await press('ArrowDown');
    await press('ArrowDown');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Mở tài liệu 1/A');
    await press('ArrowUp');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Mở tài liệu 15/QĐ-UBND');
    await press('t');
    expect(store.getState().queueDeliveries['d-failed']?.state).toBe('queued');
  });

  it('renders a bounded page of rows out of thousands, with paging', async () => {
    const states = ['captured', 'queued', 'verified'] as const;
    const items = Array.from({ length: 2500 }, (_, index) =>
      makeQueueItem(
        makeSummary(
          `d${String(index).padStart(4, '0')}`,
          { documentNumber: `${index}/TB`, state: states[index % 3] },
          index % 60,
        ),
      ),
    );
    const { view } = await renderQueue(items);
    expect(view.querySelectorAll('tbody tr')).toHaveLength(100);
    expect(view.querySelector('.queue-pager-status')?.textContent).toBe('Trang 1/25: tài liệu 1–100 trên 2500');
    await press('PageDown');
    expect(view.querySelector('.queue-pager-status')?.textContent).toBe('Trang 2/25: tài liệu 101–200 trên 2500');
    await click(button(view, 'Trang trước'));
    expect(view.querySelector('.queue-pager-status')?.textContent).toBe('Trang 1/25: tài liệu 1–100 trên 2500');
  });

  it('shows the Vietnamese message when the queue cannot be read', async () => {
    const client = createHealthyFake();
    handleQueue(client, []);
    client.handle('queue:list', () => ({ ok: false, error: { code: 'store/corrupt', message: 'sqlite' } }));
    const { view } = await renderApp({ client, screen: 'queue' });
    expect(view.querySelector('[role="alert"]')?.textContent).toBe(
      `Không tải được hàng đợi: ${viMessages['error.store/corrupt']}`,
    );
  });
});
