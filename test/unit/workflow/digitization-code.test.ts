import { describe, expect, it } from 'vitest';
import { codePrefix, formatCode, nextSequence } from '../../../electron/engine/workflow/digitization-code.js';

describe('digitization code (TT 01/2023 art. 10)', () => {
  it('is <owner ID>.<result-type code>.<document number>.<NN>, owner ID empty when unknown', () => {
    const prefix = codePrefix({ ownerId: '051234567890', resultTypeCode: 'KQ01', documentNumber: '123/GCN-SKHCN' });
    expect(prefix).toBe('051234567890.KQ01.123/GCN-SKHCN.');
    expect(formatCode(prefix, nextSequence(prefix, []))).toBe('051234567890.KQ01.123/GCN-SKHCN.01');
    expect(codePrefix({ ownerId: null, resultTypeCode: 'KQ01', documentNumber: '123/GCN-SKHCN' })).toBe(
      '.KQ01.123/GCN-SKHCN.',
    );
  });

  it('numbers results with the same prefix in sequence, ignoring other prefixes', () => {
    const prefix = '.KQ01.12/ĐK-KHCN.';
    expect(nextSequence(prefix, ['.KQ01.12/ĐK-KHCN.01', '.KQ01.12/ĐK-KHCN.03', '.KQ01.12/ĐK-KHCN.x'])).toBe(4);
    expect(nextSequence(prefix, ['.KQ01.12/ĐK-KHCN.2.01', '051.KQ01.12/ĐK-KHCN.05'])).toBe(1);
    expect(formatCode(prefix, 100)).toBe('.KQ01.12/ĐK-KHCN.100');
  });

  it('writes NFC and refuses without a result-type code or document number, naming the fields', () => {
    expect(codePrefix({ ownerId: null, resultTypeCode: 'KQ', documentNumber: '12/ĐK-KHCN'.normalize('NFD') })).toBe(
      '.KQ.12/ĐK-KHCN.'.normalize('NFC'),
    );
    expect(() => codePrefix({ ownerId: '1', resultTypeCode: ' ', documentNumber: null })).toThrow(
      expect.objectContaining({
        code: 'workflow/not-ready',
        fields: [
          { path: 'metadata.resultTypeCode', message: 'required' },
          { path: 'metadata.documentNumber', message: 'required' },
        ],
      }),
    );
  });
});
