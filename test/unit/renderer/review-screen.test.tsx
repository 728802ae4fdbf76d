// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { columnsFor, visibleRange } from '../../../renderer/features/review/virtual-grid.js';
import { createTranslator, describeError } from '../../../renderer/i18n/i18n.js';
import { orderedPages } from '../../../renderer/store/review-slice.js';
import { settle } from './fake-station-client.js';
import type { ReviewEngine } from './review-fixtures.js';
import { oneDocument } from './review-fixtures.js';
import { cleanupApp, press, renderApp } from './render-app.js';

afterEach(() => {
  cleanupApp();
  vi.useRealTimers();
});

/** Renders the whole app on the review screen with document d1 of `engine` open. */
function renderReview(engine: ReviewEngine) {
  return renderApp({ client: engine.client, loadDevices: true, document: 'd1', loadBeforeMount: true });
}

function options(view: HTMLElement): HTMLElement[] {
  return [...view.querySelectorAll<HTMLElement>('[role="option"]')];
}

/** The "Trang N" caption a cell's accessible name starts with. */
function label(option: Element | null | undefined): string | null {
  return option?.querySelector('.review-cell-caption')?.textContent ?? null;
}

function selectedLabel(view: HTMLElement): string | null {
  return label(view.querySelector('[role="option"][aria-selected="true"]'));
}

function button(view: HTMLElement, name: string): HTMLButtonElement {
  const found = [...view.querySelectorAll('button')].find((candidate) => candidate.textContent?.startsWith(name));
  if (found === undefined) throw new Error(`no button ${name}`);
  return found;
}

describe('virtual grid arithmetic', () => {
  it('renders whole rows in view plus overscan, never the whole document', () => {
    const columns = columnsFor(720);
    expect(columns).toBe(5);
    const top = visibleRange({ count: 1000, columns, scrollTop: 0, height: 640 });
    expect(top.start).toBe(0);
    expect(top.end - top.start).toBeLessThanOrEqual(columns * 6);
    const middle = visibleRange({ count: 1000, columns, scrollTop: 208 * 100, height: 640 });
    expect(middle.visibleStart).toBe(500);
    expect(middle.start).toBe(490);
    const end = visibleRange({ count: 1000, columns, scrollTop: 208 * 199, height: 640 });
    expect(end.end).toBe(1000);
  });
});

describe('review screen', () => {
  it('shows a 1,000-page document with a bounded number of "Trang N" cells, and scrolls to others', async () => {
    const engine = oneDocument(1000);
    const { view, client } = await renderReview(engine);

    expect(view.querySelector('h2#review-heading')?.textContent).toBe('Kiểm tra tài liệu');
    const first = options(view);
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThanOrEqual(60);
    expect(label(first[0])).toBe('Trang 1');
    expect(first[0]?.textContent).toBe('Trang 1');
    expect(first[0]?.getAttribute('aria-setsize')).toBe('1000');
    // Thumbnails are fetched for the cells that exist, not for the thousand pages.
    const thumbnails = client.calls.filter((call) => call.name === 'pages:thumbnail').length;
    expect(thumbnails).toBe(first.length);

    const grid = view.querySelector<HTMLElement>('[role="listbox"]')!;
    await act(async () => {
      grid.scrollTop = 208 * 150;
      grid.dispatchEvent(new Event('scroll'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await settle();
    });
    const labels = options(view).map(label);
    expect(labels).toContain('Trang 751');
    expect(labels).not.toContain('Trang 1');
    expect(labels.length).toBeLessThanOrEqual(60);
  });

  it('marks blank and low-confidence pages in words and offers to split at the blank separators', async () => {
    const engine = oneDocument(8, (position) => ({ blank: position === 2 || position === 5 }));
    engine.confidence.set('b1-p4', 52);
    const { view, client } = await renderReview(engine);

    const cell = (n: number) => options(view).find((option) => label(option) === `Trang ${n}`)!;
    // The marks are words in the cell's name, beside a symbol: not colour alone.
    expect(cell(3).textContent).toBe('Trang 3, ▢ Trang trắng');
    expect(cell(5).textContent).toBe('Trang 5, ⚠ OCR thấp (52%)');
    expect(cell(1).textContent).toBe('Trang 1');

    expect(view.textContent).toContain('Phát hiện 2 trang trắng phân cách — tách thành 3 tài liệu?');
    await act(async () => {
      button(view, 'Tách tài liệu').click();
      await settle();
    });
    expect(client.calls.find((call) => call.name === 'documents:split-at-blanks')?.args).toEqual({ documentId: 'd1' });
    expect(view.textContent).toContain('Đã tách thành 3 tài liệu.');
    expect(view.textContent).not.toContain('Phát hiện');
  });

  it('drives the grid from the keyboard: select, rotate, reorder, split, delete with confirmation', async () => {
    const engine = oneDocument(6);
    const { view, client, store } = await renderReview(engine);
    expect(selectedLabel(view)).toBe('Trang 1');

    await press('ArrowRight');
    await press('ArrowRight');
    expect(selectedLabel(view)).toBe('Trang 3');

    await press('r');
    await press('R', { shiftKey: true });
    await press('R', { shiftKey: true });
    expect(client.calls.filter((call) => call.name === 'pages:set-transforms').map((call) => call.args)).toEqual([
      { pageId: 'b1-p2', transforms: [{ kind: 'rotate', degrees: 90 }] },
      { pageId: 'b1-p2', transforms: [] },
      { pageId: 'b1-p2', transforms: [{ kind: 'rotate', degrees: 270 }] },
    ]);

    await press('ArrowLeft', { altKey: true });
    expect(engine.pageIds('d1').slice(0, 3)).toEqual(['b1-p0', 'b1-p2', 'b1-p1']);
    expect(selectedLabel(view)).toBe('Trang 2');

    await press('s');
    expect(client.calls.find((call) => call.name === 'documents:split')?.args).toEqual({
      documentId: 'd1',
      firstPageId: 'b1-p2',
    });
    expect(orderedPages(store.getState().reviewDocument)).toHaveLength(1);
    expect(store.getState().reviewDocuments).toHaveLength(2);

    await press('Delete');
    expect(client.callNames()).not.toContain('pages:remove');
    expect(view.querySelector('[role="alertdialog"]')?.textContent).toContain('Xóa trang 1 khỏi tài liệu?');
    expect(document.activeElement?.textContent).toContain('Xóa');
    await press('Escape');
    expect(view.querySelector('[role="alertdialog"]')).toBeNull();

    await press('Delete');
    await act(async () => {
      button(view, 'Xóa').click();
      await settle();
    });
    expect(client.calls.find((call) => call.name === 'pages:remove')?.args).toEqual({ pageId: 'b1-p0' });
    expect(view.textContent).toContain('Đã xóa trang 1 khỏi tài liệu');
  });

  it('ignores plain-key shortcuts while the clerk types in a field (Telex)', async () => {
    const engine = oneDocument(4);
    const { view, client } = await renderReview(engine);
    const input = document.createElement('input');
    input.type = 'text';
    document.body.append(input);
    input.focus();
    for (const key of ['Q', 'u', 'y', 'e', 'e', 's', 't', 'r', 'd', 'd', 'ArrowRight', 'Delete', '+']) {
      await press(key, {}, input);
    }
    input.remove();
    expect(selectedLabel(view)).toBe('Trang 1');
    expect(
      client.callNames().filter((name) => name.startsWith('pages:set') || name.startsWith('documents:split')),
    ).toEqual([]);
    expect(view.querySelector('[role="alertdialog"]')).toBeNull();
  });

  it('shows a refused edit with its explanation and keeps the pages as they were', async () => {
    const engine = oneDocument(3);
    const { view } = await renderReview(engine);
    engine.failWith = { code: 'workflow/locked', message: 'signed' };

    await press('ArrowRight', { altKey: true });
    const alert = view.querySelector('[role="alert"]');
    expect(alert?.querySelector('.banner-text')?.textContent).toBe(
      `Có lỗi: ${describeError(createTranslator('vi'), { code: 'workflow/locked' })}`,
    );
    expect(options(view).map(label)).toEqual(['Trang 1', 'Trang 2', 'Trang 3']);
    expect(selectedLabel(view)).toBe('Trang 1');
    expect(engine.pageIds('d1')).toEqual(['b1-p0', 'b1-p1', 'b1-p2']);
  });

  it('asks OCR to recognise the pages on screen first and goes on to indexing with Ctrl+Enter', async () => {
    const engine = oneDocument(200, (position) => ({ ocrState: position === 0 ? 'done' : 'pending' }));
    const { client, store } = await renderReview(engine);
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await settle();
    });
    const prioritized = client.calls.find((call) => call.name === 'ocr:prioritize')?.args as { pageIds: string[] };
    expect(prioritized.pageIds.length).toBeGreaterThan(0);
    expect(prioritized.pageIds.length).toBeLessThanOrEqual(50);
    expect(prioritized.pageIds).not.toContain('b1-p0');
    expect(prioritized.pageIds).toContain('b1-p1');
    expect(prioritized.pageIds).not.toContain('b1-p150');

    await press('Enter', { ctrlKey: true });
    expect(store.getState()).toMatchObject({ screen: 'index', openDocumentId: 'd1' });
  });

  it('reads a page again on Shift+T or from the OCR view, the way the clerk turned it', async () => {
    const engine = oneDocument(3);
    const { view, client } = await renderReview(engine);
    await press('t');
    await act(async () => settle());
    expect(view.querySelector('.review-ocr-confidence')?.textContent).toContain('Độ tin cậy OCR trung bình: 95%');

    await press('T', { shiftKey: true });
    expect(client.calls.find((call) => call.name === 'ocr:rerun')?.args).toEqual({ pageId: 'b1-p0' });
    expect(view.textContent).toContain('Trang 1 sẽ được nhận dạng lại chữ.');
    await act(async () => settle());
    expect(view.querySelector('.review-ocr')?.textContent).toContain('Trang đang chờ nhận dạng chữ (OCR)…');
    // Nothing to ask again while it waits, and the viewer does not ask the engine again and again.
    expect(view.querySelector('.review-ocr button')).toBeNull();
    const asked = () => client.calls.filter((call) => call.name === 'ocr:get').length;
    const before = asked();
    await act(async () => {
      for (let i = 0; i < 5; i += 1) await settle();
    });
    expect(asked()).toBe(before);
    expect(before).toBeLessThan(10);

    // A page the clerk turned is read that way up.
    await press('ArrowRight');
    await press('r');
    await act(async () => {
      button(view, 'Nhận dạng lại').click();
      await settle();
    });
    expect(client.calls.filter((call) => call.name === 'ocr:rerun').map((call) => call.args)).toEqual([
      { pageId: 'b1-p0' },
      { pageId: 'b1-p1', rotation: 90 },
    ]);
  });

  it('shows the selected page large, original and cleaned side by side', async () => {
    const engine = oneDocument(2);
    const { view, client } = await renderReview(engine);
    await press('v');
    await act(async () => settle());
    const images = [...view.querySelectorAll<HTMLImageElement>('.review-compare img')];
    expect(images.map((image) => image.alt)).toEqual(['Trang 1 · Bản gốc', 'Trang 1 · Sau xử lý']);
    const variants = client.calls
      .filter((call) => call.name === 'pages:image')
      .map((call) => (call.args as { variant: string }).variant);
    expect(variants).toEqual(expect.arrayContaining(['original', 'cleaned']));
  });
});

describe('review screen, Enter', () => {
  it('enlarges the viewer on Enter and goes back on Esc, but leaves Enter on a button alone', async () => {
    const engine = oneDocument(3);
    const { view } = await renderReview(engine);
    const section = () => view.querySelector('section.review');
    await press('Enter');
    expect(section()?.classList.contains('review-enlarged')).toBe(true);
    await press('Escape');
    expect(section()?.classList.contains('review-enlarged')).toBe(false);

    await press('Enter', {}, button(view, 'Đánh dấu trang trắng'));
    expect(section()?.classList.contains('review-enlarged')).toBe(false);
  });
});
