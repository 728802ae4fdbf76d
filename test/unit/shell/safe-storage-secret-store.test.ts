import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSafeStorageSecretStore } from '../../../electron/main/safe-storage-secret-store.js';
import { useTempDirs } from '../../support/temp-dir.js';
import { createFakeSafeStorage } from './fake-electron.js';

describe('safeStorage secret store (Electron)', () => {
  const tempDir = useTempDirs();

  it('keeps only the OS-encrypted secret on disk, 0600, and decrypts it back', async () => {
    const dir = path.join(tempDir(), 'secrets');
    const store = createSafeStorageSecretStore({ safeStorage: createFakeSafeStorage(), dir });
    await store.set('warehouse-client-secret', 'bí-mật-của-trạm');
    const file = path.join(dir, 'warehouse-client-secret.enc');
    const onDisk = fs.readFileSync(file);
    expect(onDisk.toString('utf8')).not.toContain('bí-mật');
    expect(onDisk.toString('latin1')).toContain('fake-os-keystore:');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await store.get('warehouse-client-secret')).toBe('bí-mật-của-trạm');
    await store.delete('warehouse-client-secret');
    expect(await store.get('warehouse-client-secret')).toBeUndefined();
  });

  it('refuses to store in plain text when the OS key store is unavailable', async () => {
    const safeStorage = createFakeSafeStorage();
    safeStorage.available = false;
    const dir = path.join(tempDir(), 'secrets');
    const store = createSafeStorageSecretStore({ safeStorage, dir });
    await expect(store.set('warehouse-client-secret', 'x')).rejects.toMatchObject({ code: 'sync/secret-unavailable' });
    expect(fs.existsSync(path.join(dir, 'warehouse-client-secret.enc'))).toBe(false);
  });

  it('says clearly when another user’s key store encrypted the file', async () => {
    const dir = path.join(tempDir(), 'secrets');
    fs.mkdirSync(dir, { mode: 0o700 });
    fs.writeFileSync(path.join(dir, 'warehouse-client-secret.enc'), 'not ours', { mode: 0o600 });
    const store = createSafeStorageSecretStore({ safeStorage: createFakeSafeStorage(), dir });
    await expect(store.get('warehouse-client-secret')).rejects.toMatchObject({
      code: 'sync/secret-unavailable',
      message: expect.stringMatching(/cannot be decrypted/),
    });
  });
});
