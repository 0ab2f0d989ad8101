import { createRoot, createSignal } from 'solid-js';
import type { LocalTicket } from './db.ts';

/**
 * Tickets as an action on this device has just changed them, shown before the action's IndexedDB
 * transaction commits (its `strict` commit is most of an action's time to screen). The screen reads
 * a ticket through `withPending`: a pending row wins over the stored one until the store has caught
 * up (the stored row is as new as the pending one: the same write, committed). An action that does
 * not commit takes its rows back at once.
 */
interface PendingTicket {
  row: LocalTicket;
  committed: boolean;
  /** `action`: this device's own action; `carried`: another agent's change the event stream carried (carried-screen.ts). */
  source: PendingSource;
}
export type PendingSource = 'action' | 'carried';

/** After the commit, a pending row stays this long at most (the store shows the same row by then). */
const KEEP_AFTER_COMMIT_MS = 2000;

const [pending, setPending] = createRoot(() => createSignal<ReadonlyMap<string, PendingTicket>>(new Map()));

/** Shows an action's ticket rows now; answers what to call once its transaction has ended. */
export function showPending(rows: readonly LocalTicket[], source: PendingSource = 'action'): (committed: boolean) => void {
  if (rows.length === 0) return () => undefined;
  setPending((current) => {
    const next = new Map(current);
    for (const row of rows) next.set(row.id, { row, committed: false, source });
    return next;
  });
  return (committed) => {
    const drop = () =>
      setPending((current) => {
        const next = new Map(current);
        for (const row of rows) if (next.get(row.id)?.row === row) next.delete(row.id);
        return next;
      });
    if (!committed) return drop();
    setPending((current) => {
      const next = new Map(current);
      for (const row of rows) if (next.get(row.id)?.row === row) next.set(row.id, { row, committed: true, source });
      return next;
    });
    setTimeout(drop, KEEP_AFTER_COMMIT_MS);
  };
}

/** The ticket as the screen should show it (reactive: reads the pending rows). */
export function withPending(stored: LocalTicket | undefined): LocalTicket | undefined {
  if (!stored) return stored;
  const entry = pending().get(stored.id);
  if (!entry) return stored;
  // Committed: the stored row wins as soon as it is the same write or a newer one.
  return entry.committed && stored.updatedAt >= entry.row.updatedAt ? stored : entry.row;
}

/** Whether this device's own action on the ticket is on screen ahead of the store (not reactive). */
export function actionPending(ticketId: string): boolean {
  return pending().get(ticketId)?.source === 'action';
}
