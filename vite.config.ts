import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Builds the renderer into dist/renderer.
 *
 * `base: './'` keeps asset URLs relative so Electron can `loadFile` the page and
 * the bridge can serve it from `/`. Nothing is inlined as a script and nothing
 * comes from a CDN, because both transports serve a CSP of `script-src 'self'`.
 */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Inlined assets would become data: URLs; keep every asset a file under 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
    sourcemap: true,
  },
});
