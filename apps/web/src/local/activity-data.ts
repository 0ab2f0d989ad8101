import type { Message } from '@desk/core';
import { type DeskDb, getMeta, type LocalRead, type LocalTicket, setMeta } from './db.ts';

/**
 * Others' activity per ticket (the time of the last change someone else made, kept in the store's
 * meta) and the local rows the alerts compare a pulled page with. Used by features/alerts.
 */
export const ACTIVITY_KEY = 'alerts.othersAt';

/** The last change by others per ticket (reactive through liveQuery by the callers). */
export async function othersActivity(db: DeskDb): Promise<Record<string, string>> {
  return (await getMeta<Record<string, string>>(db, ACTIVITY_KEY)) ?? {};
}

/** What the screen shows now for these rows, and the tickets the agent has actions pending on. */
export async function screenBefore(
  db: DeskDb,
  ids: { tickets: string[]; messages: string[] },
): Promise<{ tickets: Map<string, LocalTicket | undefined>; messages: Set<string>; acting: Set<string> }> {
  const [tickets, messages, outbox] = await Promise.all([db.tickets.bulkGet(ids.tickets), db.messages.bulkGet(ids.messages), db.outbox.toArray()]);
  return {
    tickets: new Map(ids.tickets.map((id, i) => [id, tickets[i]])),
    messages: new Set(messages.filter((m): m is Message => m !== undefined).map((m) => m.id)),
    acting: new Set(outbox.filter((e) => e.name !== 'ticket.markRead').flatMap((e) => ((e.args as { ticketId?: string }).ticketId ? [(e.args as { ticketId: string }).ticketId] : []))),
  };
}

/** The agent's read marks on these tickets. */
export function readsOfTickets(db: DeskDb, ticketIds: readonly string[]): Promise<LocalRead[]> {
  return db.reads.where('ticketId').anyOf([...ticketIds]).toArray();
}

/** Updates others' activity in one transaction, given the current map and each ticket's read time. */
export async function updateActivity(
  db: DeskDb,
  touched: readonly string[],
  merge: (activity: Record<string, string>, readAt: (ticketId: string) => string | undefined) => Record<string, string>,
): Promise<void> {
  await db.transaction('rw', db.meta, db.reads, async () => {
    const activity = await othersActivity(db);
    const ids = [...new Set([...Object.keys(activity), ...touched])];
    const reads = await readsOfTickets(db, ids);
    const readAt = new Map(reads.map((r) => [r.ticketId, r.readAt]));
    await setMeta(db, ACTIVITY_KEY, merge(activity, (id) => readAt.get(id)));
  });
}
