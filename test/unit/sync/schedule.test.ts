import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  isInSendWindow,
  nextWindowOpen,
  parseSendWindow,
} from '../../../electron/engine/sync/schedule.js';

/** A local time on a fixed day (the window is the station's local time). */
function at(hours: number, minutes = 0): Date {
  return new Date(2026, 2, 2, hours, minutes, 0, 0);
}

describe('send window', () => {
  it('is always open when empty', () => {
    expect(isInSendWindow(parseSendWindow(''), at(12))).toBe(true);
    expect(nextWindowOpen(parseSendWindow(''), at(12))).toBeNull();
  });

  it('wraps past midnight: 18:00-07:00', () => {
    const window = parseSendWindow('18:00-07:00');
    expect(isInSendWindow(window, at(18))).toBe(true);
    expect(isInSendWindow(window, at(23, 59))).toBe(true);
    expect(isInSendWindow(window, at(3))).toBe(true);
    expect(isInSendWindow(window, at(6, 59))).toBe(true);
    expect(isInSendWindow(window, at(7))).toBe(false);
    expect(isInSendWindow(window, at(12))).toBe(false);
    expect(nextWindowOpen(window, at(12))).toEqual(at(18));
  });

  it('takes several windows and finds the nearest opening, tomorrow if need be', () => {
    const window = parseSendWindow('12:00-13:00,18:00-19:00');
    expect(isInSendWindow(window, at(12, 30))).toBe(true);
    expect(isInSendWindow(window, at(15))).toBe(false);
    expect(nextWindowOpen(window, at(8))).toEqual(at(12));
    expect(nextWindowOpen(window, at(15))).toEqual(at(18));
    const tomorrowNoon = at(12);
    tomorrowNoon.setDate(tomorrowNoon.getDate() + 1);
    expect(nextWindowOpen(window, at(20))).toEqual(tomorrowNoon);
  });

  it('refuses a malformed window', () => {
    expect(() => parseSendWindow('6pm-7am')).toThrow(/HH:MM-HH:MM/);
  });
});

describe('back-off', () => {
  it('doubles per attempt up to the cap, with half of it random', () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect(backoffDelayMs(1, 1000, 60_000, low)).toBe(500);
    expect(backoffDelayMs(1, 1000, 60_000, high)).toBe(1000);
    expect(backoffDelayMs(2, 1000, 60_000, low)).toBe(1000);
    expect(backoffDelayMs(4, 1000, 60_000, high)).toBe(8000);
    expect(backoffDelayMs(30, 1000, 60_000, high)).toBe(60_000);
    expect(backoffDelayMs(30, 1000, 60_000, low)).toBe(30_000);
  });

  it('spreads stations that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelayMs(5, 1000, 60_000, Math.random)));
    expect(delays.size).toBeGreaterThan(40);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(8000);
      expect(delay).toBeLessThanOrEqual(16_000);
    }
  });
});
