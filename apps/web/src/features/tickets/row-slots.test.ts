import { describe, expect, it } from 'vitest';
import { assignSlots } from './row-slots.ts';

const none = () => false;

describe('assignSlots', () => {
  it('fills an empty list with the window, one item a row', () => {
    expect(assignSlots([], 0, 3, none)).toEqual([0, 1, 2, 3]);
  });

  it('keeps the rows still in the window in their items; the row coming in takes the item of the row that left', () => {
    expect(assignSlots([0, 1, 2, 3], 1, 4, none)).toEqual([4, 1, 2, 3]);
    expect(assignSlots([4, 1, 2, 3], 2, 5, none)).toEqual([4, 5, 2, 3]);
    // Back up again.
    expect(assignSlots([4, 5, 2, 3], 1, 4, none)).toEqual([4, 1, 2, 3]);
  });

  it('jumps: every item shows a new row, none is added', () => {
    expect(assignSlots([0, 1, 2, 3], 100, 103, none)).toEqual([100, 101, 102, 103]);
  });

  it('a kept item (the focused row) stays out of the window; a new item takes the row coming in', () => {
    expect(assignSlots([0, 1, 2, 3], 1, 4, (slot) => slot === 0)).toEqual([0, 1, 2, 3, 4]);
    // Once no longer kept, its item is reused.
    expect(assignSlots([0, 1, 2, 3, 4], 2, 5, none)).toEqual([5, undefined, 2, 3, 4]);
  });

  it('a shorter window frees items; a shorter list too', () => {
    expect(assignSlots([0, 1, 2, 3], 0, 1, none)).toEqual([0, 1, undefined, undefined]);
  });

  it('the same row in two items (a list that changed under a kept item) is shown by one', () => {
    expect(assignSlots([2, 2, 3], 2, 3, () => true)).toEqual([2, undefined, 3]);
  });
});
