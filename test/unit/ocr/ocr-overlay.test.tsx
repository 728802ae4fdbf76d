// @vitest-environment jsdom
import { act } from 'react';
import type { Root } from 'react-dom/client';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { OcrResult, OcrWord } from '../../../shared/ocr.js';
import { OcrOverlay } from '../../../renderer/features/review/OcrOverlay.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
let container: HTMLElement | null = null;

afterEach(() => {
  act(() => root?.unmount());
  container?.remove();
  root = null;
});

const word = (text: string, confidence: number, x0: number): OcrWord => ({
  text,
  confidence,
  bbox: { x0, y0: 100, x1: x0 + 90, y1: 130 },
});

/** A page read upside down: 1000 × 600 upright, with words of every confidence around the threshold. */
const result: OcrResult = {
  text: 'Quyết định số 12/QĐ-UBND',
  lines: [
    {
      text: 'Quyết định số 12/QĐ-UBND',
      bbox: { x0: 100, y0: 100, x1: 500, y1: 130 },
      blockIndex: 0,
      words: [word('Quyết', 96, 100), word('định', 40.4, 200), word('số', 69.9, 300), word('12/QĐ-UBND', 70, 400)],
    },
  ],
  orientation: 180,
  confidence: 69.1,
  languages: 'vie+eng',
  engine: 'test',
  widthPx: 1000,
  heightPx: 600,
};

function render(element: React.ReactElement): HTMLElement {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  act(() => root!.render(element));
  return container;
}

describe('OcrOverlay', () => {
  it('highlights exactly the words below the threshold, named for screen readers', () => {
    const view = render(<OcrOverlay src="data:image/png;base64," pageLabel="Trang 3" result={result} threshold={70} />);
    const doubtful = [...view.querySelectorAll('.ocr-overlay__word--doubtful')];
    expect(doubtful.map((rect) => rect.getAttribute('aria-label'))).toEqual([
      '“định”, độ tin cậy 40%',
      '“số”, độ tin cậy 70%',
    ]);
    expect(doubtful.map((rect) => rect.querySelector('title')?.textContent)).toEqual([
      '“định”, độ tin cậy 40%',
      '“số”, độ tin cậy 70%',
    ]);
    // Drawn in the upright page's pixels, scaled with the image.
    expect(view.querySelector('svg')?.getAttribute('viewBox')).toBe('0 0 1000 600');
    expect(doubtful[0]?.getAttribute('x')).toBe('200');
    expect(view.querySelector('svg')?.getAttribute('aria-label')).toBe('Chữ nhận dạng trên Trang 3');
    expect(view.querySelector('figcaption')?.textContent).toBe(
      '2 từ nhận dạng chưa chắc chắn (độ tin cậy dưới 70%): kiểm tra lại các chỗ được tô màu.',
    );
    // Not interactive without a handler.
    expect(doubtful[0]?.getAttribute('tabindex')).toBeNull();
  });

  it('turns the stored image so it lies under the upright overlay', () => {
    const view = render(<OcrOverlay src="data:image/png;base64," pageLabel="Trang 1" result={result} threshold={70} />);
    const image = view.querySelector('img')!;
    expect(image.alt).toBe('Trang 1');
    expect(image.style.transform).toBe('translate(-50%, -50%) rotate(180deg)');
    expect(image.style.width).toBe('100%');
    const frame = view.querySelector<HTMLElement>('.ocr-overlay__frame')!;
    expect(frame.style.aspectRatio).toBe('1000 / 600');

    act(() =>
      root!.render(
        <OcrOverlay
          src="data:image/png;base64,"
          pageLabel="Trang 1"
          result={{ ...result, orientation: 90 }}
          threshold={70}
        />,
      ),
    );
    // A sideways scan is 600 wide and 1000 high before it is turned into the 1000 × 600 frame.
    expect(image.style.transform).toBe('translate(-50%, -50%) rotate(90deg)');
    expect(image.style.width).toBe('60%');
    expect(image.style.height).toBe(`${(1000 / 600) * 100}%`);
    // An image already shown upright is not turned again.
    act(() =>
      root!.render(
        <OcrOverlay
          src="data:image/png;base64,"
          pageLabel="Trang 1"
          result={result}
          threshold={70}
          imageRotation={0}
        />,
      ),
    );
    expect(image.style.transform).toBe('translate(-50%, -50%) rotate(0deg)');
  });

  it('lets the clerk pick a doubtful word with the mouse or the keyboard', () => {
    const picked: string[] = [];
    const view = render(
      <OcrOverlay
        src="data:image/png;base64,"
        pageLabel="Trang 1"
        result={result}
        threshold={70}
        onWordSelect={(selected) => picked.push(selected.text)}
      />,
    );
    const [first, second] = [...view.querySelectorAll<SVGRectElement>('[role="button"]')];
    expect(first?.getAttribute('tabindex')).toBe('0');
    act(() => {
      first!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    });
    act(() => {
      second!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    act(() => {
      second!.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
    });
    expect(picked).toEqual(['định', 'số']);
  });

  it('outlines every word on request, says when nothing is doubtful, and speaks English too', () => {
    const view = render(
      <OcrOverlay
        src="data:image/png;base64,"
        pageLabel="Page 1"
        result={result}
        threshold={30}
        showAllWords
        language="en"
      />,
    );
    expect(view.querySelectorAll('.ocr-overlay__word')).toHaveLength(4);
    expect(view.querySelectorAll('.ocr-overlay__word--doubtful')).toHaveLength(0);
    expect(view.querySelector('figcaption')?.textContent).toBe('No word has a confidence below 30%.');
    expect(view.querySelector('svg')?.getAttribute('aria-label')).toBe('Recognised text on Page 1');
  });
});
