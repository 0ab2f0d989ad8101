import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LocalTicket } from '../db.ts';
import { showPending, withPending } from '../optimistic.ts';
import { joinRows } from '../ticket-data.ts';

const stored = { id: 't1', priority: 'normal', updatedAt: '2030-01-01T00:00:00.000Z' } as LocalTicket;
const acted = { ...stored, priority: 'urgent', updatedAt: '2030-01-01T00:00:05.000Z' } as LocalTicket;

afterEach(() => vi.useRealTimers());

describe('optimistic tickets', () => {
  it("shows an action's ticket before its commit, until the store has the same write", () => {
    vi.useFakeTimers();
    const settle = showPending([acted]);
    expect(withPending(stored)?.priority).toBe('urgent');
    settle(true);
    // Committed, but the screen's live query has not read it back yet: still the action's row.
    expect(withPending(stored)?.priority).toBe('urgent');
    // The store caught up: its row wins (the same write, or a newer one from the server).
    expect(withPending(acted)).toBe(acted);
    const newer = { ...acted, priority: 'low', updatedAt: '2030-01-01T00:00:09.000Z' } as LocalTicket;
    expect(withPending(newer)?.priority).toBe('low');
    vi.advanceTimersByTime(2000);
    expect(withPending(stored)).toBe(stored);
  });

  it('takes the rows back at once when the action does not commit', () => {
    const settle = showPending([acted]);
    settle(false);
    expect(withPending(stored)).toBe(stored);
  });

  it('leaves other tickets and missing rows alone', () => {
    const settle = showPending([acted]);
    const other = { ...stored, id: 't2' } as LocalTicket;
    expect(withPending(other)).toBe(other);
    expect(withPending(undefined)).toBeUndefined();
    settle(false);
  });

  it("keeps the list's unchanged rows as they were, so only the changed ticket's row re-renders", () => {
    const other = { ...stored, id: 't2' } as LocalTicket;
    const before = joinRows([stored, other], new Map());
    const settle = showPending([acted]);
    const after = joinRows([withPending(stored), withPending(other)], new Map(), before);
    expect(after.get('t1')?.ticket.priority).toBe('urgent');
    expect(after.get('t1')).not.toBe(before.get('t1'));
    expect(after.get('t2')).toBe(before.get('t2'));
    settle(false);
  });
});
