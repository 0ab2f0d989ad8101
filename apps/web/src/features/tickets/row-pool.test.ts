import { describe, expect, it } from 'vitest';
import { reassignRows } from './row-pool.ts';

/** The indexes shown, in order, ignoring dropped slots. */
const shown = (slots: number[]) => slots.filter((index) => index >= 0).sort((a, b) => a - b);

describe('reassignRows', () => {
  it('fills an empty pool with the window', () => {
    expect(reassignRows([], 3, 6)).toEqual([3, 4, 5, 6]);
  });

  it('keeps the rows still in view in their slots and hands the rows leaving to the rows coming in', () => {
    // Scrolled down by two rows: 0 and 1 leave, 5 and 6 come in, in the slots 0 and 1 had.
    expect(reassignRows([0, 1, 2, 3, 4], 2, 6)).toEqual([5, 6, 2, 3, 4]);
    // And back up.
    expect(reassignRows([5, 6, 2, 3, 4], 0, 4)).toEqual([0, 1, 2, 3, 4]);
  });

  it('reuses every slot when the window jumps far away', () => {
    expect(reassignRows([10, 11, 12], 500, 502)).toEqual([500, 501, 502]);
  });

  it('adds slots only when the window got longer, and drops the left-over ones when it got shorter', () => {
    expect(reassignRows([0, 1, 2], 0, 4)).toEqual([0, 1, 2, 3, 4]);
    const shorter = reassignRows([0, 1, 2, 3, 4], 3, 4);
    expect(shorter).toHaveLength(5);
    expect(shown(shorter)).toEqual([3, 4]);
    expect(shorter.slice(3)).toEqual([3, 4]);
  });

  it('shows every index of the window exactly once, whatever came before', () => {
    for (const [before, from, to] of [
      [[7, 7, 2, 40], 1, 5],
      [[3, 2, 1, 0], 2, 3],
      [[0, 1], 0, -1],
    ] as [number[], number, number][]) {
      const after = reassignRows(before, from, to);
      expect(shown(after)).toEqual(Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i));
    }
  });
});
