import type { Logger } from '../engine/logging/logger.js';

/** The part of Electron's `app` the shutdown hook uses; a test passes a fake. */
export interface QuittingApp {
  on(event: 'will-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

/**
 * Holds the quit until `close` (the engine's) has finished, then quits for real.
 *
 * Electron does not wait for promises in quit handlers; without this the
 * database could be cut off mid-checkpoint. A failing close is logged and the
 * app still quits, so a clerk is never left with a window that will not close.
 */
export function closeBeforeQuit(app: QuittingApp, close: () => Promise<void>, logger?: Logger): void {
  let state: 'open' | 'closing' | 'closed' = 'open';
  app.on('will-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    void close()
      .catch((error: unknown) => logger?.error('engine close failed', { error }))
      .finally(() => {
        state = 'closed';
        app.quit();
      });
  });
}
