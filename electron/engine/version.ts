/** The station's version; replaced at build time from package.json by esbuild's `define`. */
declare const __SOHOA_VERSION__: string | undefined;

export const stationVersion: string = typeof __SOHOA_VERSION__ === 'string' ? __SOHOA_VERSION__ : '0.0.0-dev';
