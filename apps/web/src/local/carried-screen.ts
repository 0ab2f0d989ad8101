import { liveQuery } from 'dexie';
import type { DeskDb, LocalTicket } from './db.ts';
import { actionPending, showPending } from './optimistic.ts';

/**
 * Puts the tickets of a page the event stream carried on screen at once, before the page is written
 * (the agent-to-agent path; the write is one IndexedDB transaction that commits some ms later), as
 * `optimistic.ts` does for this device's own actions.
 *
 * Except tickets under a pending action of this device: the page's transaction rebases those (the
 * server's row + the action), so the screen keeps showing the action meanwhile. Which tickets those
 * are is kept in memory (a live query over `base`'s keys), so nothing is read on the way; an action
 * of this tab is also seen through its own pending row, which covers the moment between its commit
 * and the live query's next answer.
 */
export interface CarriedScreen {
  /** Shows the tickets; answers what to call once the page's write has ended (applied or not). */
  show(tickets: readonly LocalTicket[]): (applied: boolean) => void;
  /** Tickets under a pending action, as last read (tests). */
  shadowed(): ReadonlySet<string>;
  stop(): void;
}

export function carriedScreen(db: DeskDb): CarriedScreen {
  let shadowed: ReadonlySet<string> = new Set();
  // Until the first answer nothing is known: show nothing early (the write still brings everything).
  let known = false;
  const subscription = liveQuery(() => db.base.toCollection().primaryKeys()).subscribe({
    next: (keys) => {
      known = true;
      shadowed = new Set((keys as [string, string][]).flatMap(([entity, id]) => (entity === 'ticket' ? [id] : [])));
    },
    error: (error) => console.error('[desk] reading pending tickets failed', error),
  });
  return {
    show(tickets) {
      if (!known) return () => undefined;
      return showPending(
        tickets.filter((ticket) => !shadowed.has(ticket.id) && !actionPending(ticket.id)),
        'carried',
      );
    },
    shadowed: () => shadowed,
    stop: () => subscription.unsubscribe(),
  };
}
