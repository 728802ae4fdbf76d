/**
 * The web worker that runs tesseract.js's own worker script (`ocr/worker.min.js`, served by the
 * app), with the console silenced first (tesseract and Leptonica print diagnostics there, "Error in
 * pixScanForForeground" on a blank page, that the station neither shows nor logs) and its results
 * trimmed.
 *
 * The script's address comes in the `script` query parameter and must be on this worker's own
 * origin: nothing is ever loaded from elsewhere.
 */
import { trimWorkerMessage } from '../../shared/tesseract-blocks.js';

const scope = self as unknown as {
  console: Record<string, unknown>;
  location: { href: string; origin: string };
  importScripts(url: string): void;
  postMessage(message: unknown): void;
};

for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace']) scope.console[method] = () => undefined;

// A result crosses to the page trimmed to what the station reads: a few kilobytes per page instead
// of every symbol with its alternatives, which the UI thread would otherwise have to unpack.
const post = scope.postMessage.bind(scope);
scope.postMessage = (message: unknown) => post(trimWorkerMessage(message));

const script = new URL(scope.location.href).searchParams.get('script');
if (script === null || new URL(script, scope.location.href).origin !== scope.location.origin) {
  throw new Error('the tesseract.js worker script must come from the app itself');
}
scope.importScripts(new URL(script, scope.location.href).href);
