/** tesseract.js's worker-side dispatcher (CommonJS, untyped): what tesseract-worker.ts uses of it. */
declare module 'tesseract.js/src/worker-script/index.js' {
  /** Runs one message from the page (load, loadLanguage, initialize, recognize…) and answers through `send`. */
  export function dispatchHandlers(packet: unknown, send: (message: unknown) => void): void;
  /** The host's functions: getCore, gunzip, fetch and the cache functions. */
  export function setAdapter(adapter: Record<string, unknown>): void;
}
