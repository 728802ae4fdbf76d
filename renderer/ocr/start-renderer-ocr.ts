import type { StationClient } from '../station/station-client.js';
import type { OcrAgent } from './ocr-agent.js';
import { startOcrAgent } from './ocr-agent.js';

/**
 * Starts OCR in this window: the agent with tesseract.js web workers, the assets served from the
 * app's own `ocr/` folder.
 *
 * tesseract.js is loaded as a separate chunk, so the capture screen does not wait for it.
 */
export function startRendererOcr(client: StationClient): OcrAgent {
  const assetBase = new URL('./ocr/', document.baseURI);
  return startOcrAgent({
    client,
    async createEngine(settings) {
      const { createBrowserOcrEngine, loadOcrManifest } = await import('./browser-ocr-engine.js');
      const manifest = await loadOcrManifest(assetBase);
      return createBrowserOcrEngine({
        assetBase,
        manifest,
        workers: settings.workers,
        variant: settings.variant,
        languages: settings.languages,
      });
    },
  });
}
