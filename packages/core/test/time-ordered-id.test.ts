import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { timeOfId, timeOrderedId } from '../src/index.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('timeOrderedId', () => {
  it('is a UUID of version 7 and variant 10 that the schemas accept', () => {
    for (let i = 0; i < 200; i++) {
      const id = timeOrderedId();
      expect(id).toMatch(UUID);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]);
      expect(z.uuid().safeParse(id).success).toBe(true);
      expect(z.string().uuid().safeParse(id).success).toBe(true);
    }
  });

  it('carries the millisecond it was made at', () => {
    const before = Date.now();
    const at = timeOfId(timeOrderedId());
    expect(at).not.toBeNull();
    expect(at as number).toBeGreaterThanOrEqual(before);
    expect(at as number).toBeLessThanOrEqual(Date.now());
    expect(timeOfId('0b6f1c1e-4c1f-4f6e-9d3a-2f1e0c9b8a7d')).toBeNull();
  });

  it('sorts ids made one after the other in the order they were made, within a millisecond too', () => {
    const ids = Array.from({ length: 10_000 }, () => timeOrderedId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('keeps increasing when many ids share a millisecond or the clock goes back', () => {
    const at = Date.now() + 60_000;
    const ids = [...Array.from({ length: 5_000 }, () => timeOrderedId(at)), timeOrderedId(at - 5_000), timeOrderedId(at)];
    expect([...ids].sort()).toEqual(ids);
    // Past the 12-bit counter the id borrows the next millisecond rather than wrapping.
    expect(timeOfId(ids.at(-1) as string)).toBeGreaterThan(at);
  });
});
