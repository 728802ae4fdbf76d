import { describe, expect, it } from 'vitest';
import { closeBeforeQuit } from '../../../electron/main/shutdown.js';
import { isPrevented } from './fake-electron.js';

function createFakeApp() {
  const listeners: ((event: { preventDefault(): void }) => void)[] = [];
  const app = {
    quits: 0,
    on(_event: 'will-quit', listener: (event: { preventDefault(): void }) => void) {
      listeners.push(listener);
      return app;
    },
    quit() {
      app.quits += 1;
    },
    willQuit(): boolean {
      return isPrevented((event) => {
        for (const listener of listeners) listener(event);
      });
    },
  };
  return app;
}

function deferred() {
  let resolve: () => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe('closeBeforeQuit', () => {
  it('holds the quit until the engine has closed, then quits once', async () => {
    const app = createFakeApp();
    const closing = deferred();
    let closes = 0;
    closeBeforeQuit(app, () => {
      closes += 1;
      return closing.promise;
    });
    expect(app.willQuit()).toBe(true);
    expect(app.willQuit()).toBe(true);
    expect(closes).toBe(1);
    expect(app.quits).toBe(0);
    closing.resolve();
    await closing.promise;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(app.quits).toBe(1);
    expect(app.willQuit()).toBe(false);
  });

  it('still quits when closing fails', async () => {
    const app = createFakeApp();
    const closing = deferred();
    closeBeforeQuit(app, () => closing.promise);
    app.willQuit();
    closing.reject(new Error('disk gone'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(app.quits).toBe(1);
  });
});
