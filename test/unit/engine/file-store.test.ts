import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileStore, sha256Hex } from '../../../electron/engine/store/file-store.js';
import { useTempDirs } from '../../support/temp-dir.js';

const tempDir = useTempDirs();

describe('content-addressed file store', () => {
  it('stores bytes under their SHA-256 once and reads them back', async () => {
    const root = tempDir();
    const files = createFileStore(root);
    const data = Buffer.from('Quyết định số 123/QĐ-UBND', 'utf8');
    const sha = await files.put(data);
    expect(sha).toBe(sha256Hex(data));
    expect(await files.put(data)).toBe(sha);
    expect(files.pathOf(sha)).toBe(path.join(root, 'files', sha.slice(0, 2), sha.slice(2, 4), sha));
    expect(await files.read(sha)).toEqual(data);
    expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
  });

  it('quarantines a file whose bytes no longer match its name and never serves it', async () => {
    const root = tempDir();
    const files = createFileStore(root);
    const sha = await files.put(Buffer.from('page image'));
    fs.writeFileSync(files.pathOf(sha), 'bit rot');
    await expect(files.read(sha)).rejects.toMatchObject({ code: 'store/corrupt' });
    expect(files.has(sha)).toBe(false);
    expect(fs.readdirSync(path.join(root, 'quarantine'))).toHaveLength(1);
    await expect(files.read(sha)).rejects.toMatchObject({ code: 'store/not-found' });
  });

  it('refuses names that are not hashes, so no path can escape the store', () => {
    const files = createFileStore(tempDir());
    expect(() => files.pathOf('../../etc/passwd')).toThrow(/Not a SHA-256/);
  });
});
