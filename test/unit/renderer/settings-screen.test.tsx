// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanProfile } from '../../../shared/domain.js';
import type { EffectiveSettings, SettingsFile } from '../../../shared/settings.js';
import { settingsPatch } from '../../../renderer/features/settings/settings-form.js';
import type { FakeStationClient } from './fake-station-client.js';
import { createHealthyFake, demoDevice, makeSettings, settle } from './fake-station-client.js';
import { cleanupApp, click as clickOnce, renderApp } from './render-app.js';

afterEach(cleanupApp);

const standardProfile: ScanProfile = {
  name: 'standard',
  label: 'Tiêu chuẩn',
  source: 'adf',
  duplex: false,
  dpi: 300,
  colourMode: 'color',
  pageSize: 'a4',
  blankPages: 'keep',
  locked: false,
  isDefault: true,
};

/** A fake engine whose settings apply patches (shallow per group) and refuse locked keys as the engine does. */
function createSettingsFake(locked: string[] = []): { client: FakeStationClient; patches: SettingsFile[] } {
  let settings: EffectiveSettings = makeSettings('vi', locked);
  const patches: SettingsFile[] = [];
  const client = createHealthyFake()
    .handle('settings:get', () => ({ ok: true, value: settings }))
    .handle('settings:update', ({ patch }) => {
      patches.push(patch);
      const values = structuredClone(settings.values) as unknown as Record<string, Record<string, unknown>>;
      for (const [group, keys] of Object.entries(patch as Record<string, Record<string, unknown>>)) {
        values[group] = { ...values[group], ...keys };
      }
      settings = { ...settings, values: values as unknown as EffectiveSettings['values'] };
      return { ok: true, value: settings };
    })
    .handle('profiles:list', () => ({ ok: true, value: [standardProfile] }))
    .handle('devices:list', () => ({
      ok: true,
      value: [demoDevice, { ...demoDevice, id: 'sane:fujitsu', kind: 'sane', name: 'Fujitsu fi-7160', allowed: false }],
    }))
    .handle('sync:set-secret', () => ({ ok: true, value: { stored: true } }));
  return { client, patches };
}

/** Renders the app and shows the settings with Alt+6, as the clerk would. */
function renderSettings(client: FakeStationClient) {
  return renderApp({ client, screen: 'settings' });
}

function control(view: HTMLElement, label: string): HTMLInputElement {
  const element = [...view.querySelectorAll('label')].find((candidate) => candidate.textContent?.trim() === label);
  const found =
    element === undefined
      ? null
      : ((element.control ?? document.getElementById(element.htmlFor)) as HTMLInputElement | null);
  if (found === null) throw new Error(`no control labelled ${label}`);
  return found;
}

async function setValue(input: HTMLInputElement | HTMLSelectElement, value: string) {
  const prototype = input instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  await act(async () => {
    Object.getOwnPropertyDescriptor(prototype, 'value')?.set?.call(input, value);
    input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
    await settle();
  });
}

function click(element: Element | null | undefined) {
  return clickOnce(element, 2);
}

function button(view: HTMLElement, text: string): HTMLButtonElement {
  const found = [...view.querySelectorAll('button')].find((candidate) => candidate.textContent?.startsWith(text));
  if (found === undefined) throw new Error(`no button ${text}`);
  return found;
}

describe('settings screen', () => {
  it('shows the scanners, profiles, warehouse, OCR and language settings in force', async () => {
    const { client } = createSettingsFake();
    const { view } = await renderSettings(client);
    expect(document.title).toBe('Cài đặt · Trạm Số hóa');
    expect(control(view, 'Mã định danh cơ quan').value).toBe('000.00.00.H48');
    expect(control(view, 'Độ phân giải quét (dpi)').value).toBe('300');
    expect(control(view, 'Ngưỡng độ tin cậy (%)').value).toBe('85');
    expect(control(view, 'Ngôn ngữ giao diện').value).toBe('vi');
    expect(control(view, 'Hồ sơ quét mặc định').value).toBe('standard');
    const rows = [...view.querySelectorAll('tbody tr')].map((row) => row.textContent);
    expect(rows.some((row) => row?.includes('Fujitsu fi-7160') && row.includes('Không'))).toBe(true);
    expect(rows.some((row) => row?.includes('Máy quét mẫu') && row.includes('Có'))).toBe(true);
    expect(rows.some((row) => row?.includes('Tiêu chuẩn (mặc định)'))).toBe(true);
    // The secret is never read back: its box is a password box and starts empty.
    const secret = control(view, 'Mật khẩu kết nối kho (client secret)');
    expect(secret.type).toBe('password');
    expect(secret.value).toBe('');
  });

  it('shows keys locked by machine policy disabled, with a lock mark', async () => {
    const { client } = createSettingsFake(['warehouse.url', 'station.agencyId', 'scan.allowedDevices']);
    const { view } = await renderSettings(client);
    for (const label of ['Địa chỉ kho dữ liệu', 'Mã định danh cơ quan', 'Chỉ cho phép các máy quét được chọn']) {
      const input = control(view, label);
      expect(input.disabled).toBe(true);
      const described = (input.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id));
      expect(described.some((element) => element?.textContent?.includes('Do bộ phận CNTT khóa'))).toBe(true);
    }
    expect(control(view, 'Mã máy trạm trên kho (client id)').disabled).toBe(false);
    expect(control(view, 'Tên cơ quan').disabled).toBe(false);
  });

  it('saves only what changed as one partial patch, with Ctrl+S from a field', async () => {
    const { client, patches } = createSettingsFake();
    const { view } = await renderSettings(client);
    const window18 = control(view, 'Khung giờ gửi');
    await setValue(window18, '18:00-07:00');
    await setValue(control(view, 'Ngưỡng độ tin cậy (%)'), '70');
    await setValue(control(view, 'Giữ bản trên máy sau khi kho xác nhận (ngày)'), '');
    await setValue(control(view, 'Tên cơ quan'), 'Sở Khoa học và Công nghệ'.normalize('NFD'));
    await act(async () => {
      window18.dispatchEvent(
        new KeyboardEvent('keydown', { key: 's', ctrlKey: true, bubbles: true, cancelable: true }),
      );
      await settle();
      await settle();
    });
    expect(patches).toEqual([
      {
        warehouse: { sendWindow: '18:00-07:00', retentionDays: null },
        ocr: { lowConfidenceThreshold: 70 },
        station: { agencyName: 'Sở Khoa học và Công nghệ' },
      },
    ]);
    expect(view.querySelector('.settings-status')?.textContent).toBe('Đã lưu cài đặt.');
    expect(control(view, 'Khung giờ gửi').value).toBe('18:00-07:00');
  });

  it('shows the engine refusal on the fields it names', async () => {
    const { client } = createSettingsFake();
    client.handle('settings:update', () => ({
      ok: false,
      error: {
        code: 'settings/invalid',
        message: 'Invalid settings',
        fields: [{ path: 'warehouse.sendWindow', message: 'HH:MM-HH:MM, comma-separated, or empty' }],
      },
    }));
    const { view } = await renderSettings(client);
    await setValue(control(view, 'Khung giờ gửi'), '25:00-07:00');
    await click(button(view, 'Lưu cài đặt'));
    const input = control(view, 'Khung giờ gửi');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('setting-warehouse-sendWindow-issue')?.textContent).toBe(
      'Giá trị không hợp lệ; xem hướng dẫn bên dưới ô.',
    );
    expect(view.querySelector('[role="alert"]')?.textContent).toContain('Giá trị cài đặt không hợp lệ.');
    expect(control(view, 'Ngưỡng độ tin cậy (%)').getAttribute('aria-invalid')).toBeNull();
  });

  it('refuses a number box holding text before anything is sent', async () => {
    const { client, patches } = createSettingsFake();
    const { view } = await renderSettings(client);
    await setValue(control(view, 'Số luồng nhận dạng'), 'hai');
    await click(button(view, 'Lưu cài đặt'));
    expect(patches).toEqual([]);
    expect(document.getElementById('setting-ocr-workers-issue')?.textContent).toBe('Nhập một số.');
  });

  it('stores the warehouse secret through sync:set-secret and clears the box', async () => {
    const { client, patches } = createSettingsFake();
    const { view } = await renderSettings(client);
    const secret = control(view, 'Mật khẩu kết nối kho (client secret)');
    await setValue(secret, 's3cret-value');
    await click(button(view, 'Lưu mật khẩu kết nối'));
    expect(client.calls.filter((call) => call.name === 'sync:set-secret').map((call) => call.args)).toEqual([
      { secret: 's3cret-value' },
    ]);
    expect(patches).toEqual([]);
    expect(control(view, 'Mật khẩu kết nối kho (client secret)').value).toBe('');
    expect(view.textContent).toContain('Đã lưu mật khẩu kết nối.');
    expect(view.textContent).not.toContain('s3cret-value');
  });

  it('typing Telex in a settings field gives text and calls nothing', async () => {
    const { client } = createSettingsFake();
    const { view, store } = await renderSettings(client);
    const before = client.calls.length;
    const input = control(view, 'Tên cơ quan');
    await act(async () => {
      input.focus();
      let value = '';
      for (const character of 'Quyeets ddinhj') {
        const down = new KeyboardEvent('keydown', { key: character, bubbles: true, cancelable: true });
        input.dispatchEvent(down);
        if (!down.defaultPrevented) value += character;
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
      await settle();
    });
    expect(control(view, 'Tên cơ quan').value).toBe('Quyeets ddinhj');
    expect(client.calls.slice(before)).toEqual([]);
    expect(store.getState().screen).toBe('settings');
  });
});

describe('settings patch', () => {
  it('leaves out values equal to those in force and turns number boxes into numbers', () => {
    const values = makeSettings().values;
    expect(
      settingsPatch({ 'scan.dpi': '300', 'ocr.workers': '2', 'warehouse.url': ' https://kho.example ' }, values),
    ).toEqual({
      patch: { ocr: { workers: 2 }, warehouse: { url: 'https://kho.example' } },
      changed: ['ocr.workers', 'warehouse.url'],
      notNumbers: [],
    });
  });
});
