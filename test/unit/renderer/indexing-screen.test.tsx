// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DocumentDetail, ResultMetadata } from '../../../shared/domain.js';
import type { FakeStationClient } from './fake-station-client.js';
import { createHealthyFake, makePage, settle } from './fake-station-client.js';
import { cleanupApp, click as clickOnce, press, renderApp } from './render-app.js';

afterEach(cleanupApp);

const emptyMetadata: ResultMetadata = {
  digitizationCode: null,
  resultTypeCode: null,
  ownerId: null,
  ownerName: null,
  documentNumber: null,
  issuedDate: null,
  validUntil: null,
  permanent: false,
  validityScope: null,
  summary: null,
  issuingAgency: null,
  signer: null,
  dossierCode: null,
  procedureCode: null,
  sectorCode: null,
  digitizedBy: null,
  digitizedAt: null,
  kind: null,
  extras: {},
};

function makeDetail(metadata: Partial<ResultMetadata> = {}, overrides: Partial<DocumentDetail> = {}): DocumentDetail {
  return {
    id: 'd1',
    batchId: 'b1',
    state: 'captured',
    validity: 'valid',
    classified: false,
    outOfScope: null,
    pageCount: 2,
    documentNumber: metadata.documentNumber ?? null,
    summary: metadata.summary ?? null,
    pdfSha256: null,
    createdAt: '2025-01-01T08:00:00.000Z',
    updatedAt: '2025-01-01T08:00:00.000Z',
    stateChangedAt: '2025-01-01T08:00:00.000Z',
    purgedAt: null,
    pages: [],
    metadata: { ...emptyMetadata, ...metadata },
    blocked: null,
    next: ['reviewed'],
    history: [],
    ...overrides,
  };
}

/** A fake engine holding one document that applies updates like the store does. */
function createDeskFake(initial: DocumentDetail): { client: FakeStationClient; current: () => DocumentDetail } {
  let detail = initial;
  const client = createHealthyFake()
    .handle('documents:get', () => ({ ok: true, value: detail }))
    .handle('documents:update', ({ metadata, validity, classified, outOfScope }) => {
      detail = {
        ...detail,
        metadata: { ...detail.metadata, ...metadata },
        validity: validity ?? detail.validity,
        classified: classified ?? detail.classified,
        outOfScope: outOfScope === undefined ? detail.outOfScope : outOfScope,
        blocked: (classified ?? detail.classified) ? 'classified' : null,
      };
      return { ok: true, value: detail };
    })
    .handle('documents:suggest', () => ({ ok: true, value: { suggestions: [], qr: [] } }))
    .handle('documents:propose-code', () => ({
      ok: true,
      value: { code: `.KQ.${detail.metadata.documentNumber ?? ''}.01` },
    }))
    .handle('documents:list', () => ({ ok: true, value: [] }));
  return { client, current: () => detail };
}

/** Renders the app on the index screen with `documentId` open, or with none open when it is null. */
function renderIndex(client: FakeStationClient, documentId: string | null = 'd1') {
  return renderApp({ client, screen: 'index', document: documentId ?? undefined });
}

/** The control labelled `label` (the label's text without the required mark). */
function field(view: HTMLElement, label: string): HTMLInputElement {
  const element = [...view.querySelectorAll('label')].find(
    (candidate) => candidate.textContent?.replace(/\s*\*$/, '').trim() === label,
  );
  const control =
    element === undefined
      ? null
      : ((element.control ?? document.getElementById(element.htmlFor)) as HTMLInputElement | null);
  if (control === null) throw new Error(`no control labelled ${label}`);
  return control;
}

/** Types into a React input the way a browser does: keydown (bubbling to the window) then input. */
async function typeInto(input: HTMLInputElement | HTMLTextAreaElement, text: string, replace = true) {
  const prototype = input instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  const setValue = (next: string) => Object.getOwnPropertyDescriptor(prototype, 'value')?.set?.call(input, next);
  await act(async () => {
    input.focus();
    let value = replace ? '' : input.value;
    for (const character of text) {
      const down = new KeyboardEvent('keydown', { key: character, bubbles: true, cancelable: true });
      input.dispatchEvent(down);
      if (!down.defaultPrevented) {
        value += character;
        setValue(value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
      input.dispatchEvent(new KeyboardEvent('keyup', { key: character, bubbles: true }));
    }
    await settle();
  });
}

function pressOn(target: EventTarget, key: string, init: KeyboardEventInit = {}) {
  return press(key, init, target, 2);
}

function click(element: Element | null | undefined) {
  return clickOnce(element, 2);
}

function button(view: HTMLElement, text: string): HTMLButtonElement {
  const found = [...view.querySelectorAll('button')].find((candidate) => candidate.textContent?.startsWith(text));
  if (found === undefined) throw new Error(`no button ${text}`);
  return found;
}

function updates(client: FakeStationClient) {
  return client.calls.filter((call) => call.name === 'documents:update').map((call) => call.args);
}

describe('index screen', () => {
  it('shows the stored metadata, the validity and the code the document will get', async () => {
    const { client } = createDeskFake(
      makeDetail({ documentNumber: '123/GCN-SKHCN', issuedDate: '2024-03-05', permanent: true, kind: 1 }),
    );
    const { view } = await renderIndex(client);
    expect(document.title).toBe('Biên mục · Trạm Số hóa');
    expect(field(view, 'Số, ký hiệu').value).toBe('123/GCN-SKHCN');
    expect(field(view, 'Ngày ban hành').value).toBe('05/03/2024');
    expect(field(view, 'Hiệu lực vĩnh viễn').checked).toBe(true);
    expect(field(view, 'Hiệu lực đến ngày').disabled).toBe(true);
    expect((field(view, 'Loại giấy tờ') as unknown as HTMLSelectElement).value).toBe('1');
    expect(field(view, 'Còn hiệu lực').checked).toBe(true);
    expect(view.textContent).toContain('Mã sẽ cấp khi hoàn tất');
    expect(view.textContent).toContain('.KQ.123/GCN-SKHCN.01');
    expect(view.textContent).toContain('Bước hiện tại: Đã quét');
  });

  it('fills empty fields from suggestions with a chip, and keeps what the clerk typed', async () => {
    const { client } = createDeskFake(makeDetail({ signer: 'Lê Văn C' }));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    client.handle('documents:suggest', async () => {
      await gate;
      return {
        ok: true,
        value: {
          suggestions: [
            { field: 'documentNumber', value: '45/QĐ-UBND', source: 'ocr', pageId: 'p1' },
            { field: 'issuedDate', value: '2024-02-29', source: 'ocr', pageId: 'p1' },
            { field: 'signer', value: 'Nguyễn Văn A', source: 'ocr', pageId: 'p1' },
            { field: 'issuingAgency', value: 'UBND tỉnh Quảng Ngãi', source: 'ocr', pageId: 'p1' },
            { field: 'dossierCode', value: '000.00.53.H48-220921-0099', source: 'qr', pageId: 'p2' },
          ],
          qr: [{ pageId: 'p2', text: '000.00.53.H48-220921-0099|1.001234' }],
        },
      };
    });
    const { view } = await renderIndex(client);
    // The clerk starts typing the agency before the suggestions arrive.
    await typeInto(field(view, 'Cơ quan ban hành'), 'Sở Tư pháp');
    await act(async () => {
      release();
      await settle();
      await settle();
    });

    expect(field(view, 'Số, ký hiệu').value).toBe('45/QĐ-UBND');
    expect(field(view, 'Ngày ban hành').value).toBe('29/02/2024');
    expect(field(view, 'Người ký').value).toBe('Lê Văn C');
    expect(field(view, 'Cơ quan ban hành').value).toBe('Sở Tư pháp');
    expect(field(view, 'Mã hồ sơ').value).toBe('000.00.53.H48-220921-0099');
    const chips = [...view.querySelectorAll('.index-chip')].map((chip) => [
      chip
        .closest('.index-field')
        ?.querySelector('label')
        ?.textContent?.replace(/\s*\*$/, ''),
      chip.textContent,
    ]);
    expect(chips).toEqual([
      ['Số, ký hiệu', 'từ OCR'],
      ['Ngày ban hành', 'từ OCR'],
      ['Mã hồ sơ', 'từ mã QR'],
    ]);
    expect(view.textContent).toContain('000.00.53.H48-220921-0099|1.001234');
    expect(updates(client)).toEqual([]);

    // Editing a pre-filled field drops its chip.
    await typeInto(field(view, 'Số, ký hiệu'), '46/QĐ-UBND');
    expect(field(view, 'Số, ký hiệu').closest('.index-field')?.querySelector('.index-chip')).toBeNull();
  });

  it('asks for suggestions again when a page of the open document has been read', async () => {
    const page = { ...makePage('b1', 0), documentId: 'd1', position: 0, source: 'adf' as const, bytes: 1000 };
    const documentPage = { ...page, transforms: [], blank: false, ocrState: 'pending' as const, purgedAt: null };
    const { client } = createDeskFake(makeDetail({}, { pages: [documentPage] }));
    let read = false;
    client.handle('documents:suggest', () => ({
      ok: true,
      value: {
        suggestions: read ? [{ field: 'documentNumber', value: '27/2024/ATTP', source: 'ocr', pageId: page.id }] : [],
        qr: [],
      },
    }));
    const { view } = await renderIndex(client);
    expect(field(view, 'Số, ký hiệu').value).toBe('');
    read = true;
    await act(async () => {
      client.emit('ocr:page-recognized', {
        pageId: 'other-page',
        batchId: 'b9',
        host: 'renderer',
        orientation: 0,
        confidence: 90,
        words: 10,
        lowConfidenceWords: 0,
        durationMs: 100,
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      await settle();
    });
    expect(field(view, 'Số, ký hiệu').value).toBe('');
    await act(async () => {
      client.emit('ocr:page-recognized', {
        pageId: page.id,
        batchId: 'b1',
        host: 'renderer',
        orientation: 0,
        confidence: 90,
        words: 10,
        lowConfidenceWords: 0,
        durationMs: 100,
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      await settle();
    });
    expect(field(view, 'Số, ký hiệu').value).toBe('27/2024/ATTP');
  });

  it('refuses invalid values with errors beside each field and a summary at the top, sending nothing', async () => {
    const { client } = createDeskFake(makeDetail());
    const { view } = await renderIndex(client);
    await typeInto(field(view, 'Ngày ban hành'), '29/02/2023');
    await typeInto(field(view, 'Mã hồ sơ'), '000.00.53.H48-230229-0001');
    await typeInto(field(view, 'Người ký'), 'x'.repeat(51));
    await click(button(view, 'Lưu'));

    expect(updates(client)).toEqual([]);
    const issued = field(view, 'Ngày ban hành');
    expect(issued.getAttribute('aria-invalid')).toBe('true');
    const describedBy = issued.getAttribute('aria-describedby')?.split(' ') ?? [];
    const messages = describedBy.map((id) => document.getElementById(id)?.textContent);
    expect(messages).toContain('Ngày này không có thật (ví dụ 29/02 chỉ có trong năm nhuận).');
    expect(field(view, 'Mã hồ sơ').getAttribute('aria-invalid')).toBe('true');
    expect(field(view, 'Người ký').getAttribute('aria-invalid')).toBe('true');
    expect(field(view, 'Số, ký hiệu').getAttribute('aria-invalid')).toBeNull();

    const summary = view.querySelector('.index-summary');
    expect(summary?.getAttribute('role')).toBe('alert');
    expect(summary?.textContent).toContain('Có 3 trường cần sửa:');
    expect(summary?.textContent).toContain(
      'Mã hồ sơ: Phần ngày tiếp nhận (YYMMDD) trong mã hồ sơ không phải ngày có thật.',
    );
    expect(summary?.textContent).toContain('Người ký: Dài quá 50 ký tự.');
    expect(document.activeElement).toBe(summary);

    // Fixed values clear the errors and save.
    await typeInto(field(view, 'Ngày ban hành'), '29/02/2024');
    await typeInto(field(view, 'Mã hồ sơ'), '000.00.53.H48-240229-0001');
    await typeInto(field(view, 'Người ký'), 'Phạm Thị D');
    expect(view.querySelector('.index-summary')).toBeNull();
    await click(button(view, 'Lưu'));
    expect(updates(client)).toEqual([
      {
        documentId: 'd1',
        metadata: { issuedDate: '2024-02-29', dossierCode: '000.00.53.H48-240229-0001', signer: 'Phạm Thị D' },
      },
    ]);
    expect(view.querySelector('[role="status"][aria-live="polite"]')?.textContent).toBe('Đã lưu thông tin biên mục.');
  });

  it('saves with Ctrl+S while typing, sending NFC text', async () => {
    const { client, current } = createDeskFake(makeDetail());
    const { view } = await renderIndex(client);
    const decomposed = 'Quyết định cấp giấy phép'.normalize('NFD');
    const summary = field(view, 'Trích yếu nội dung');
    await typeInto(summary, decomposed);
    await typeInto(field(view, 'Số, ký hiệu'), '12/QĐ-SKHCN');
    await pressOn(field(view, 'Số, ký hiệu'), 's', { ctrlKey: true });

    expect(updates(client)).toEqual([
      {
        documentId: 'd1',
        metadata: { summary: 'Quyết định cấp giấy phép', documentNumber: '12/QĐ-SKHCN' },
      },
    ]);
    expect(current().metadata.summary).toBe('Quyết định cấp giấy phép'.normalize('NFC'));
    // The code is asked for again with the new number.
    expect(view.textContent).toContain('.KQ.12/QĐ-SKHCN.01');
  });

  it('typing "Quyeets ddinhj" (Telex) in a field gives text and calls nothing', async () => {
    const { client } = createDeskFake(makeDetail());
    const { view, store } = await renderIndex(client);
    const before = client.calls.length;
    const screen = store.getState().screen;
    for (const label of ['Trích yếu nội dung', 'Số, ký hiệu', 'Ngày ban hành', 'Mã hồ sơ']) {
      const input = field(view, label);
      await typeInto(input, 'Quyeets ddinhj');
      expect(input.value).toBe('Quyeets ddinhj');
    }
    // VNI too: digits are letters' marks, not screen or page shortcuts.
    await typeInto(field(view, 'Người ký'), 'Quye61t d9i5nh');
    expect(field(view, 'Người ký').value).toBe('Quye61t d9i5nh');
    expect(client.calls.slice(before)).toEqual([]);
    expect(store.getState().screen).toBe(screen);
    expect(store.getState().helpOpen).toBe(false);
  });

  it('shows the engine field errors on the fields when a save is refused', async () => {
    const { client } = createDeskFake(makeDetail());
    client.handle('documents:update', () => ({
      ok: false,
      error: {
        code: 'ipc/invalid-args',
        message: 'Invalid metadata',
        fields: [{ path: 'metadata.documentNumber', message: 'Too big: expected string to have <=60 characters' }],
      },
    }));
    const { view } = await renderIndex(client);
    await typeInto(field(view, 'Số, ký hiệu'), '1/GP');
    await click(button(view, 'Lưu'));

    const number = field(view, 'Số, ký hiệu');
    expect(number.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('index-error-documentNumber')?.textContent).toBe(
      'Bộ máy xử lý không chấp nhận giá trị này. Kiểm tra lại rồi lưu.',
    );
    expect(view.querySelector('.banner-error[role="alert"]:not(.index-summary)')?.textContent).toContain(
      'Dữ liệu gửi đi không hợp lệ.',
    );
    // Typing in the field again clears the engine's complaint about it.
    await typeInto(field(view, 'Số, ký hiệu'), '2/GP');
    expect(field(view, 'Số, ký hiệu').getAttribute('aria-invalid')).toBeNull();
  });

  it('asks for the required fields before finishing, then finishes with Ctrl+Enter', async () => {
    const { client } = createDeskFake(makeDetail());
    let finishedState: DocumentDetail | null = null;
    client.handle('documents:finish', () => {
      finishedState = makeDetail(
        { documentNumber: '7/GP', issuedDate: '2024-01-02', digitizationCode: '.KQ.7/GP.01' },
        { state: 'queued', next: [] },
      );
      return { ok: true, value: finishedState };
    });
    const { view } = await renderIndex(client);
    await pressOn(window, 'Enter', { ctrlKey: true });
    expect(client.callNames()).not.toContain('documents:finish');
    expect(field(view, 'Số, ký hiệu').getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('index-error-issuedDate')?.textContent).toBe('Bắt buộc nhập trường này.');

    await typeInto(field(view, 'Số, ký hiệu'), '7/GP');
    await typeInto(field(view, 'Ngày ban hành'), '2/1/2024');
    await pressOn(field(view, 'Ngày ban hành'), 'Enter', { ctrlKey: true });
    const names = client.callNames();
    expect(names.indexOf('documents:update')).toBeLessThan(names.indexOf('documents:finish'));
    expect(finishedState).not.toBeNull();
    expect(view.querySelector('[role="status"][aria-live="polite"]')?.textContent).toBe(
      'Đã hoàn tất. Bước hiện tại: Chờ gửi lên kho.',
    );
    expect(view.textContent).toContain('Mã đã cấp');
    expect(view.textContent).toContain('.KQ.7/GP.01');
  });

  it('explains a refused finish and marks the fields the engine names', async () => {
    const { client } = createDeskFake(makeDetail({ documentNumber: '7/GP', issuedDate: '2024-01-02' }));
    client.handle('documents:finish', () => ({
      ok: false,
      error: {
        code: 'workflow/not-ready',
        message: 'no digitization code',
        fields: [{ path: 'metadata.resultTypeCode', message: 'required' }],
      },
    }));
    const { view } = await renderIndex(client);
    await click(button(view, 'Hoàn tất và gửi'));
    const alert = view.querySelector('.banner-error[role="alert"]:not(.index-summary)');
    expect(alert?.textContent).toContain('Chưa hoàn tất được tài liệu.');
    expect(alert?.textContent).toContain('Tài liệu chưa đủ điều kiện cho bước này');
    expect(field(view, 'Mã loại kết quả').getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('index-error-resultTypeCode')?.textContent).toBe('Bắt buộc nhập trường này.');
  });

  it('marks a document "mật" and says clearly it will never be sent', async () => {
    const { client, current } = createDeskFake(makeDetail());
    const { view } = await renderIndex(client);
    await click(field(view, 'Tài liệu mật'));
    expect(view.querySelector('#index-classified-warning')?.textContent).toContain(
      'Tài liệu mật KHÔNG BAO GIỜ được gửi lên kho dữ liệu',
    );
    await click(field(view, 'Đã hủy'));
    await click(button(view, 'Lưu'));
    expect(updates(client)).toEqual([{ documentId: 'd1', validity: 'cancelled', classified: true }]);
    expect(current().classified).toBe(true);
    expect(view.textContent).toContain('Không gửi lên kho: tài liệu mật.');
  });

  it('lists the documents waiting for their index when none is open, and opens one', async () => {
    const { client } = createDeskFake(makeDetail({ documentNumber: '3/GP' }));
    client.handle('documents:list', () => ({ ok: true, value: [makeDetail({ documentNumber: '3/GP' })] }));
    const { view, store } = await renderIndex(client, null);
    expect(view.textContent).toContain('Tài liệu chờ biên mục');
    await click(button(view, 'Mở để biên mục'));
    expect(store.getState().openDocumentId).toBe('d1');
    expect(field(view, 'Số, ký hiệu').value).toBe('3/GP');
  });
});
