/** One daily window in minutes since local midnight; `end < start` wraps past midnight. */
export interface WindowRange {
  start: number;
  end: number;
}

/** Parses `18:00-07:00` or `12:00-13:00,18:00-07:00`; empty means always (an empty list). */
export function parseSendWindow(text: string): WindowRange[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    const match = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(part.trim());
    if (match === null) throw new Error(`Not a send window: ${JSON.stringify(part)} (expected HH:MM-HH:MM)`);
    const [, h1, m1, h2, m2] = match.map(Number) as [number, number, number, number, number];
    return { start: h1 * 60 + m1, end: h2 * 60 + m2 };
  });
}

function minuteOfDay(at: Date): number {
  return at.getHours() * 60 + at.getMinutes();
}

function inRange(range: WindowRange, minute: number): boolean {
  if (range.start === range.end) return true;
  if (range.start < range.end) return minute >= range.start && minute < range.end;
  return minute >= range.start || minute < range.end;
}

/** Whether `at` (local time of the station) is inside a window; always true without windows. */
export function isInSendWindow(ranges: readonly WindowRange[], at: Date): boolean {
  if (ranges.length === 0) return true;
  const minute = minuteOfDay(at);
  return ranges.some((range) => inRange(range, minute));
}

/** The next instant a window opens after `at`, or null when `at` is inside one (or there are none). */
export function nextWindowOpen(ranges: readonly WindowRange[], at: Date): Date | null {
  if (isInSendWindow(ranges, at)) return null;
  let best: Date | null = null;
  for (const range of ranges) {
    const candidate = new Date(at);
    candidate.setHours(Math.floor(range.start / 60), range.start % 60, 0, 0);
    if (candidate.getTime() <= at.getTime()) candidate.setDate(candidate.getDate() + 1);
    if (best === null || candidate.getTime() < best.getTime()) best = candidate;
  }
  return best;
}

/**
 * Exponential back-off with "equal jitter": half the delay fixed, half random, so stations
 * that lost the link together do not come back together.
 */
export function backoffDelayMs(attempts: number, baseMs: number, maxMs: number, random: () => number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const delay = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.round(delay / 2 + (random() * delay) / 2);
}
