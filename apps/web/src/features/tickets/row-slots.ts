/**
 * Which row each of the virtual list's reused items shows (see TicketList). An item keeps its row
 * while the row stays in the window `from`–`to` (so it is not drawn again), or while `keep` says so
 * (the focused row, whose element must not change under the keyboard or a screen reader); a row
 * coming into the window takes an item that is free, or a new one. Undefined: a free item.
 */
export function assignSlots(slots: readonly (number | undefined)[], from: number, to: number, keep: (slot: number) => boolean): (number | undefined)[] {
  const next = [...slots];
  const shown = new Set<number>();
  const free: number[] = [];
  for (let slot = 0; slot < next.length; slot++) {
    const index = next[slot];
    if (index !== undefined && !shown.has(index) && ((index >= from && index <= to) || keep(slot))) shown.add(index);
    else {
      next[slot] = undefined;
      free.push(slot);
    }
  }
  let reused = 0;
  for (let index = from; index <= to; index++) {
    if (shown.has(index)) continue;
    const slot = reused < free.length ? (free[reused++] as number) : next.length;
    next[slot] = index;
  }
  return next;
}
