// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { makePage, settle } from './fake-station-client.js';
import { cleanupApp, press, renderApp } from './render-app.js';

afterEach(cleanupApp);

function field(view: HTMLElement, label: string): HTMLInputElement | HTMLSelectElement {
  const element = [...view.querySelectorAll('label')].find((candidate) => candidate.textContent === label);
  const control = element === undefined ? null : (document.getElementById(element.htmlFor) as HTMLInputElement | null);
  if (control === null) throw new Error(`no control labelled ${label}`);
  return control;
}

describe('capture screen', () => {
  it('shows the Vietnamese title and a labelled device picker with the demo scanner', async () => {
    const { view } = await renderApp({ loadDevices: true });
    expect(view.querySelector('h1')?.textContent).toBe('Trạm Số hóa');
    expect(document.title).toBe('Quét · Trạm Số hóa');
    const picker = field(view, 'Máy quét') as HTMLSelectElement;
    expect(picker.value).toBe('demo');
    expect([...picker.options].map((option) => option.textContent)).toEqual(['Máy quét mẫu']);
  });

  it('scans on F2, shows progress and one "Trang N" image per captured page', async () => {
    const { client, view } = await renderApp({ loadDevices: true });
    await press('F2');
    expect(client.callNames()).toContain('scan:start');

    await act(async () => {
      client.emit('scan:started', { batchId: 'b1', deviceId: 'demo', expectedPages: 5 });
      client.emit('scan:page-captured', { batchId: 'b1', page: makePage('b1', 0) });
      client.emit('scan:page-captured', { batchId: 'b1', page: makePage('b1', 1) });
      client.emit('scan:page-captured', { batchId: 'b1', page: makePage('b1', 2) });
      await settle();
    });

    expect(view.querySelector('[role="status"][aria-live="polite"]')?.textContent).toBe('Đã quét 3/5 trang');
    const images = [...view.querySelectorAll('img')];
    expect(images.map((image) => image.alt)).toEqual(['Trang 1', 'Trang 2', 'Trang 3']);
    expect(images[0]?.src).toBe(`data:image/jpeg;base64,${btoa('b1-p0')}`);
  });

  it('stops the scan on Esc', async () => {
    const { client } = await renderApp({ loadDevices: true });
    await press('Enter', { ctrlKey: true });
    await act(async () => {
      client.emit('scan:started', { batchId: 'b1', deviceId: 'demo', expectedPages: 5 });
      await settle();
    });
    await press('Escape');
    expect(client.calls.filter((call) => call.name === 'scan:cancel').map((call) => call.args)).toEqual([
      { batchId: 'b1' },
    ]);
  });

  it('explains a paper jam in Vietnamese with a Continue button', async () => {
    const { client, view } = await renderApp({ loadDevices: true });
    await press('F2');
    await act(async () => {
      client.emit('scan:failed', { batchId: 'b1', pageCount: 0, error: { code: 'scan/paper-jam', message: 'jam' } });
      await settle();
    });
    const alert = view.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('Kẹt giấy. Mở nắp máy quét, gỡ tờ bị kẹt rồi bấm Tiếp tục.');
    expect([...(alert?.querySelectorAll('button') ?? [])].map((button) => button.textContent)).toContain('Tiếp tục');
  });

  it('switches the whole screen to English from the header', async () => {
    const { view } = await renderApp({ loadDevices: true });
    const english = [...view.querySelectorAll('button')].find((button) => button.textContent === 'English');
    await act(async () => {
      english?.click();
      await settle();
    });
    expect(english?.getAttribute('aria-pressed')).toBe('true');
    expect(view.querySelector('h1')?.textContent).toBe('SoHoa Station');
    expect(document.documentElement.lang).toBe('en');
    expect(field(view, 'Scanner')).toBeDefined();
  });
});
