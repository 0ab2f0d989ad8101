import { describe, expect, it } from 'vitest';
import { isoTime } from '../../src/shared/clock.ts';

describe('isoTime', () => {
  it('writes every millisecond as Date does, within a second, across seconds and years, and outside four-digit years', () => {
    const start = Date.UTC(2026, 11, 31, 23, 59, 58, 990);
    const times = [start, start + 1, start + 9, start + 10, start + 1009, start + 1010, start + 1011, start - 1, start + 5, 0, 999, 1000];
    for (let ms = start; ms < start + 3000; ms += 7) times.push(ms);
    times.push(253_402_300_799_999, 253_402_300_800_000, -1, -1001, start + 0.5, start);
    for (const ms of times) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });
});
