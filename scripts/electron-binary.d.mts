/** The Electron executable if it is on disk, else undefined (scripts/electron-binary.mjs). */
export declare function findElectronBinary(env?: NodeJS.ProcessEnv): string | undefined;
