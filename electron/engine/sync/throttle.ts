/** A bandwidth cap shared by every upload of the station. */
export interface Throttle {
  /** Waits until `bytes` may be sent under the current rate; returns at once when uncapped. */
  take(bytes: number, signal?: AbortSignal): Promise<void>;
  /** Whether a cap is set now (uploads then hand the socket smaller slices, for a smooth rate). */
  isCapped(): boolean;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A token bucket: `bytesPerSecond()` is read on every call, so a changed setting applies
 * at the next slice; a burst of a twentieth of a second keeps the socket fed without overshooting the cap.
 */
export function createThrottle(bytesPerSecond: () => number, now: () => number = () => performance.now()): Throttle {
  let tokens = 0;
  let last = now();
  return {
    isCapped: () => bytesPerSecond() > 0,
    async take(bytes, signal) {
      const rate = bytesPerSecond();
      if (rate <= 0) {
        tokens = 0;
        last = now();
        return;
      }
      const burst = Math.max(rate / 20, bytes);
      const refill = (): void => {
        const at = now();
        tokens = Math.min(burst, tokens + ((at - last) / 1000) * rate);
        last = at;
      };
      refill();
      while (tokens < bytes) {
        await sleep(Math.max(1, ((bytes - tokens) / rate) * 1000), signal);
        refill();
      }
      tokens -= bytes;
    },
  };
}
