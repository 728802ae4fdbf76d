/**
 * Where the station keeps secrets (the warehouse client secret), never in settings files.
 *
 * The Electron app uses the OS key store through `safeStorage`
 * (electron/main/safe-storage-secret-store.ts); the CLI and Node mode use a 0600 file
 * (file-secret-store.ts).
 */
export interface SecretStore {
  /** The secret, or undefined when none is stored. */
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}

/** The name of the warehouse client secret in the secret store. */
export const warehouseSecretName = 'warehouse-client-secret';

/** Secret names become file names: keep them plain. */
export function checkSecretName(name: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(name)) throw new Error(`Invalid secret name: ${JSON.stringify(name)}`);
  return name;
}
