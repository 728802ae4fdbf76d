import { describe, expect, it } from 'vitest';
import type { StationApi } from '../../../shared/api-shape.js';
import { createElectronClient } from '../../../renderer/station/electron-client.js';

describe('electron client', () => {
  it('calls station.<domain>.<method> and subscribes through station.<domain>.on<Event>', async () => {
    const received: unknown[] = [];
    let captured: ((payload: unknown) => void) | undefined;
    let unsubscribed = false;
    const api = {
      scan: {
        start: (args: unknown) => Promise.resolve({ ok: true, value: { batchId: 'b1', args } }),
        onPageCaptured: (listener: (payload: unknown) => void) => {
          captured = listener;
          return () => {
            unsubscribed = true;
          };
        },
      },
    } as unknown as StationApi;
    const client = createElectronClient(api);

    expect(await client.call('scan:start', { deviceId: 'demo', count: 2 })).toEqual({
      ok: true,
      value: { batchId: 'b1', args: { deviceId: 'demo', count: 2 } },
    });
    const unsubscribe = client.on('scan:page-captured', (payload) => received.push(payload));
    captured?.({ batchId: 'b1' });
    unsubscribe();
    expect(received).toEqual([{ batchId: 'b1' }]);
    expect(unsubscribed).toBe(true);

    const states: string[] = [];
    client.onConnectionChange((state) => states.push(state));
    expect(states).toEqual(['online']);
  });

  it('names the missing preload method instead of failing obscurely', () => {
    const client = createElectronClient({} as StationApi);
    expect(() => client.on('settings:changed', () => undefined)).toThrow(
      'window.station.settings.onChanged is missing',
    );
  });
});
