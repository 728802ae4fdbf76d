import { describe, expect, it } from 'vitest';
import { WorkflowState } from '../../../shared/domain.js';
import { errorCodes } from '../../../shared/errors.js';
import { createTranslator, describeError, messages } from '../../../renderer/i18n/i18n.js';
import { en } from '../../../renderer/i18n/en.js';
import { vi } from '../../../renderer/i18n/vi.js';

describe('i18n', () => {
  it('has exactly the same keys in Vietnamese and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
  });

  it('uses the same placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const key of Object.keys(vi) as (keyof typeof vi)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(vi[key]));
    }
  });

  it('stores every string in NFC and none empty', () => {
    for (const table of Object.values(messages)) {
      for (const [key, text] of Object.entries(table)) {
        expect(text.normalize('NFC'), key).toBe(text);
        expect(text.trim(), key).not.toBe('');
      }
    }
  });

  it('explains every error code in both languages, with a next step', () => {
    for (const code of errorCodes) {
      const viText = describeError(createTranslator('vi'), { code });
      const enText = describeError(createTranslator('en'), { code });
      // A message and a next step: at least two sentences.
      expect(viText.split('. ').length, code).toBeGreaterThanOrEqual(2);
      expect(enText.split('. ').length, code).toBeGreaterThanOrEqual(2);
      expect(viText).not.toBe(enText);
    }
  });

  it('tells the clerk what to do about a paper jam in Vietnamese', () => {
    expect(describeError(createTranslator('vi'), { code: 'scan/paper-jam' })).toBe(
      'Kẹt giấy. Mở nắp máy quét, gỡ tờ bị kẹt rồi bấm Tiếp tục.',
    );
  });

  it('names the app "Trạm Số hóa" and fills placeholders', () => {
    const t = createTranslator('vi');
    expect(t('app.title')).toBe('Trạm Số hóa');
    expect(t('capture.status.progress', { done: 3, total: 5 })).toBe('Đã quét 3/5 trang');
    expect(t('capture.page', { number: 2 })).toBe('Trang 2');
    expect(createTranslator('en')('capture.status.progress', { done: 3, total: 5 })).toBe('Scanned 3 of 5 pages');
  });

  it('leaves a missing parameter visible instead of printing "undefined"', () => {
    expect(createTranslator('vi')('capture.page', {})).toBe('Trang {number}');
  });
  it('names each workflow state with one key used by every screen, and sealing claims no signature', () => {
    const t = createTranslator('vi');
    expect(WorkflowState.options.map((state) => t(`workflow.state.${state}`))).toEqual([
      'Đã quét',
      'Đã kiểm tra',
      'Người số hóa đã ký',
      'Đã trích xuất dữ liệu',
      'Đã cấp mã',
      'Đã đóng gói PDF/A',
      'Chờ gửi lên kho',
      'Đã gửi lên kho',
      'Kho đã xác nhận',
    ]);
    // No screen keeps its own copy of the workflow's names (review.state.*, index.state.*, queue.workflow.*).
    const copies = Object.keys(vi).filter(
      (key) =>
        !key.startsWith('workflow.state.') &&
        WorkflowState.options.some((state) => key.endsWith(`.state.${state}`) || key.endsWith(`.workflow.${state}`)),
    );
    expect(copies).toEqual([]);
    expect(t('workflow.state.sealed')).not.toMatch(/ký/);
    expect(createTranslator('en')('workflow.state.sealed')).not.toMatch(/sign/i);
  });
});
