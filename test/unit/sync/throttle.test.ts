import { describe, expect, it } from 'vitest';
import { createThrottle } from '../../../electron/engine/sync/throttle.js';

describe('bandwidth cap', () => {
  it('lets bytes through at the configured rate (after a burst of a twentieth of a second)', async () => {
    const throttle = createThrottle(() => 400_000);
    const started = performance.now();
    for (let sent = 0; sent < 400_000; sent += 16_384) await throttle.take(16_384);
    const seconds = (performance.now() - started) / 1000;
    // 400 kB at 400 kB/s, less the 20 kB burst: at least 0.9 s, and not much more.
    expect(seconds).toBeGreaterThan(0.9);
    expect(seconds).toBeLessThan(1.6);
  });

  it('is free when the cap is 0, and reads the cap anew on every slice', async () => {
    let rate = 0;
    const throttle = createThrottle(() => rate);
    const started = performance.now();
    for (let sent = 0; sent < 10_000_000; sent += 65_536) await throttle.take(65_536);
    expect(performance.now() - started).toBeLessThan(200);
    rate = 100_000;
    const capped = performance.now();
    for (let sent = 0; sent < 75_000; sent += 5_000) await throttle.take(5_000);
    expect(performance.now() - capped).toBeGreaterThan(400);
  });

  it('stops waiting when aborted', async () => {
    const throttle = createThrottle(() => 1000);
    await throttle.take(250);
    const controller = new AbortController();
    const waiting = throttle.take(10_000, controller.signal);
    controller.abort(new Error('paused'));
    await expect(waiting).rejects.toThrow('paused');
  });
});
