import fs from 'node:fs';
import path from 'node:path';
import { StationError } from '../../shared/errors.js';
import { readPrivateFile, writePrivateFile } from '../engine/sync/file-secret-store.js';
import type { SecretStore } from '../engine/sync/secret-store.js';
import { checkSecretName } from '../engine/sync/secret-store.js';

/** The part of Electron's `safeStorage` this store uses (injected, so tests pass a fake). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * Secrets encrypted with the OS key store (DPAPI on Windows, Keychain on macOS, libsecret/kwallet
 * on Linux) through Electron's `safeStorage`, kept as `<name>.enc` files with mode 0600.
 *
 * Without OS encryption (Linux without a keyring) it refuses to store rather than fall back to
 * plain text, and says so with `sync/secret-unavailable`.
 */
export function createSafeStorageSecretStore(options: { safeStorage: SafeStorageLike; dir: string }): SecretStore {
  const { safeStorage } = options;
  const fileOf = (name: string): string => path.join(options.dir, `${checkSecretName(name)}.enc`);
  const requireEncryption = (): void => {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new StationError(
        'sync/secret-unavailable',
        'The OS key store is not available (no keyring on this machine), so the secret cannot be kept safely',
      );
    }
  };
  // Promise.resolve().then: every refusal arrives as a rejection, never as a synchronous throw.
  return {
    get: (name) =>
      Promise.resolve().then(() => {
        const encrypted = readPrivateFile(fileOf(name));
        if (encrypted === undefined) return undefined;
        requireEncryption();
        try {
          return safeStorage.decryptString(encrypted);
        } catch (error) {
          throw new StationError(
            'sync/secret-unavailable',
            `The stored secret cannot be decrypted by this user's key store: ${(error as Error).message}`,
          );
        }
      }),
    set: (name, value) =>
      Promise.resolve().then(() => {
        requireEncryption();
        writePrivateFile(fileOf(name), safeStorage.encryptString(value));
      }),
    delete: (name) => Promise.resolve().then(() => fs.rmSync(fileOf(name), { force: true })),
  };
}
