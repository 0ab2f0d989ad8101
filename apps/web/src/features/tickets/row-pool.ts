import { type Accessor, batch, createComputed, createSignal, type Setter, untrack } from 'solid-js';
import type { RowRange } from './fixed-rows.ts';

/**
 * Which list index each slot of a pool shows, after the window moved to `from`–`to`: a slot whose
 * index is still in the window keeps it, the others take the indexes that came into it. The pool
 * grows only when the window got longer; when it got shorter, the slots left over get -1 (to drop).
 * `current[slot]` is the slot's index before; the answer keeps the slots' places.
 */
export function reassignRows(current: readonly number[], from: number, to: number): number[] {
  const next = [...current];
  const shown = new Set<number>();
  const free: number[] = [];
  next.forEach((index, slot) => {
    if (index >= from && index <= to && !shown.has(index)) shown.add(index);
    else free.push(slot);
  });
  for (let index = from; index <= to; index++) {
    if (shown.has(index)) continue;
    const slot = free.shift();
    if (slot === undefined) next.push(index);
    else next[slot] = index;
  }
  // What is still free is beyond the window's length.
  for (const slot of free) next[slot] = -1;
  return next;
}

/** One element of the pool: the list index it shows changes as the list scrolls. */
export interface RowSlot {
  index: Accessor<number>;
  setIndex: Setter<number>;
}

/**
 * A fixed pool of row slots over a scrolling window: while the list scrolls, a row leaving the window
 * is handed the row coming in (its element and bindings are updated in place), instead of one row
 * being destroyed and another created. The slots come out in list order, so the rows' order in the
 * DOM (what a screen reader reads) stays the list's: a reused row is moved, not rebuilt.
 */
export function createRowPool(range: Accessor<RowRange | null>): Accessor<RowSlot[]> {
  const [slots, setSlots] = createSignal<RowSlot[]>([]);
  createComputed(() => {
    const rows = range();
    untrack(() => {
      const pool = slots();
      const indexes = reassignRows(
        pool.map((slot) => slot.index()),
        rows?.from ?? 0,
        rows ? rows.to : -1,
      );
      batch(() => {
        const next: RowSlot[] = [];
        indexes.forEach((index, slot) => {
          if (index < 0) return;
          const existing = pool[slot];
          if (existing) existing.setIndex(index);
          const [get, set] = existing ? [existing.index, existing.setIndex] : createSignal(index);
          next.push(existing ?? { index: get, setIndex: set });
        });
        setSlots(next.sort((a, b) => a.index() - b.index()));
      });
    });
  });
  return slots;
}
