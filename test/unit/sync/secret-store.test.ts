import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileSecretStore } from '../../../electron/engine/sync/file-secret-store.js';
import { useTempDirs } from '../../support/temp-dir.js';

describe('file secret store (Node mode)', () => {
  const tempDir = useTempDirs();

  it('keeps a secret in a 0600 file inside a 0700 folder, and reads it back', async () => {
    const dir = path.join(tempDir(), 'secrets');
    const store = createFileSecretStore(dir);
    expect(await store.get('warehouse-client-secret')).toBeUndefined();
    await store.set('warehouse-client-secret', 'mật-khẩu s3cret');
    expect(await store.get('warehouse-client-secret')).toBe('mật-khẩu s3cret');
    expect(fs.statSync(path.join(dir, 'warehouse-client-secret')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    await store.set('warehouse-client-secret', 'rotated');
    expect(await store.get('warehouse-client-secret')).toBe('rotated');
    expect(fs.readdirSync(dir)).toEqual(['warehouse-client-secret']);
    await store.delete('warehouse-client-secret');
    expect(await store.get('warehouse-client-secret')).toBeUndefined();
  });

  it('refuses a secret file others may read, with a code the UI explains', async () => {
    const dir = path.join(tempDir(), 'secrets');
    const store = createFileSecretStore(dir);
    await store.set('warehouse-client-secret', 'x');
    fs.chmodSync(path.join(dir, 'warehouse-client-secret'), 0o644);
    await expect(store.get('warehouse-client-secret')).rejects.toMatchObject({ code: 'sync/secret-unavailable' });
  });

  it('refuses names that would escape the folder', async () => {
    const store = createFileSecretStore(tempDir());
    await expect(store.set('../evil', 'x')).rejects.toThrow(/Invalid secret name/);
  });
});
