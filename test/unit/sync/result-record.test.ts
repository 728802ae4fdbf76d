import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  RecordRegistration,
  ResultRecord,
  isNfc,
  registrationJsonSchema,
  toNfc,
} from '../../../electron/engine/sync/result-record.js';
import { checkWarehouseUrl } from '../../../electron/engine/sync/http-client.js';
import { parseRetryAfter } from '../../../electron/engine/sync/delivery-error.js';
import { repoRoot } from '../../support/built-cli.js';

const valid: ResultRecord = {
  documentId: 'doc-1',
  stationId: 'st-1',
  agencyId: '000.00.17.H48',
  documentNumber: '123/GCN-SKHCN',
  issuedDate: '2024-03-02',
  kind: 1,
  status: 'valid',
  pages: 2,
  bytes: 1000,
  sha256: 'a'.repeat(64),
  fileName: 'doc-1.pdf',
  mimeType: 'application/pdf',
};

describe('result record', () => {
  it('requires the fields REQUIREMENTS.md marks required and keeps the limits', () => {
    expect(ResultRecord.safeParse(valid).success).toBe(true);
    const { documentNumber: _n, ...withoutNumber } = valid;
    expect(ResultRecord.safeParse(withoutNumber).success).toBe(false);
    expect(ResultRecord.safeParse({ ...valid, issuedDate: '02/03/2024' }).success).toBe(false);
    expect(ResultRecord.safeParse({ ...valid, documentNumber: 'x'.repeat(61) }).success).toBe(false);
    expect(ResultRecord.safeParse({ ...valid, digitizedAt: '2026-03-02T09:15:30+07:00' }).success).toBe(true);
    expect(ResultRecord.safeParse({ ...valid, unknownField: 1 }).success).toBe(false);
  });

  it('turns every string to NFC, deep, and tells NFD apart', () => {
    const decomposed = { ...valid, summary: 'Quyết định'.normalize('NFD'), extra: ['Hằng'.normalize('NFD')] };
    expect(isNfc(decomposed)).toBe(false);
    const composed = toNfc(decomposed);
    expect(isNfc(composed)).toBe(true);
    expect(composed.summary).toBe('Quyết định'.normalize('NFC'));
    expect(composed.extra[0]).toBe('Hằng'.normalize('NFC'));
  });

  it('publishes in docs/warehouse-protocol.md exactly the JSON Schema the code validates', () => {
    const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'warehouse-protocol.md'), 'utf8');
    const block = /<!-- registration-schema:begin -->\s*```json\n([\s\S]+?)```\s*<!-- registration-schema:end -->/.exec(
      doc,
    );
    expect(block, 'docs/warehouse-protocol.md has the schema block').not.toBeNull();
    expect(JSON.parse(block?.[1] ?? '{}')).toEqual(registrationJsonSchema());
    expect(RecordRegistration.safeParse({ ...valid, upload: 'https://kho.example/files/abc' }).success).toBe(true);
  });
});

describe('warehouse address policy', () => {
  it('takes https anywhere', () => {
    expect(checkWarehouseUrl('https://kho.quangngai.gov.vn/', false).hostname).toBe('kho.quangngai.gov.vn');
  });

  it('refuses plain http except to loopback when the setting allows it', () => {
    expect(() => checkWarehouseUrl('http://10.1.2.3:8080', true)).toThrow(
      expect.objectContaining({ code: 'sync/insecure-url' }),
    );
    expect(() => checkWarehouseUrl('http://127.0.0.1:8080', false)).toThrow(/allowInsecureLoopback/);
    expect(checkWarehouseUrl('http://127.0.0.1:8080', true).port).toBe('8080');
    expect(checkWarehouseUrl('http://localhost:8080', true).hostname).toBe('localhost');
    expect(checkWarehouseUrl('http://[::1]:8080', true).hostname).toBe('[::1]');
    expect(() => checkWarehouseUrl('ftp://127.0.0.1', true)).toThrow(
      expect.objectContaining({ code: 'sync/insecure-url' }),
    );
    expect(() => checkWarehouseUrl('not a url', true)).toThrow(
      expect.objectContaining({ code: 'sync/not-configured' }),
    );
  });
});

describe('Retry-After', () => {
  const now = new Date('2026-03-02T02:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 02 Mar 2026 02:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
