import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/http/rate-limiter.ts';

describe('RateLimiter', () => {
  it('allows up to the limit in the window, then says how long to wait', async () => {
    const limiter = new RateLimiter(3, 10_000);
    expect([0, 1, 2].map((i) => limiter.hit('a', 1_000 + i))).toEqual([0, 0, 0]);
    expect(limiter.hit('a', 2_000)).toBe(9);
    expect(limiter.hit('b', 2_000)).toBe(0);
    expect(limiter.hit('a', 11_001)).toBe(0);
  });
});
