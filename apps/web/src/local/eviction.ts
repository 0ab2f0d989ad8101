import { evictionCutoff, isEvictable, LOCAL_DAYS_DEFAULT } from '@desk/core';
import { Dexie } from 'dexie';
import { type DeskDb, getMeta, setMeta } from './db.ts';
import { forgetTickets, queueIndexing, searchDbFor } from './search-index.ts';

/** How many tickets this device has dropped (they are on the server: search says so). */
export const EVICTED_KEY = 'evictedTickets';
/** Ids of dropped tickets: one that comes back (changed, or opened) needs its messages fetched again. */
export const EVICTED_IDS_KEY = 'evictedTicketIds';

/**
 * Drops old solved tickets that are not the agent's (core's `isEvictable`) and their messages and
 * read marks, in one transaction that reads the rows it judges: a change that arrived just before
 * (the ticket updated, so recent again) keeps it; one that arrives after brings it back. Tickets
 * under a pending mutation stay. The search index forgets them too (in its queue, after the pages
 * indexed before). Answers how many were dropped.
 */
export async function evictOld(db: DeskDb, agentId: string, options: { now?: number; days?: number } = {}): Promise<number> {
  const ids = await dropOld(db, agentId, options.now ?? Date.now(), options.days ?? LOCAL_DAYS_DEFAULT);
  if (ids.length > 0) await queueIndexing(() => forgetTickets(searchDbFor(db), db, ids));
  return ids.length;
}

/** The eviction transaction; answers the ids it dropped. */
function dropOld(db: DeskDb, agentId: string, now: number, days: number): Promise<string[]> {
  return db.transaction('rw', [db.tickets, db.messages, db.reads, db.outbox, db.base, db.meta], async () => {
    const [old, pending, bases, evictedBefore, evictedIds] = await Promise.all([
      db.tickets.where('[status+updatedAt]').between(['solved', Dexie.minKey], ['solved', evictionCutoff(now, days)]).toArray(),
      db.outbox.toArray(),
      db.base.toArray(),
      getMeta<number>(db, EVICTED_KEY),
      getMeta<string[]>(db, EVICTED_IDS_KEY),
    ]);
    const busy = new Set([
      ...pending.flatMap((entry) => ((entry.args as { ticketId?: string }).ticketId ? [(entry.args as { ticketId: string }).ticketId] : [])),
      ...bases.filter((base) => base.entity === 'ticket').map((base) => base.id),
    ]);
    const ids = old.filter((ticket) => isEvictable(ticket, agentId, now, days) && !busy.has(ticket.id)).map((ticket) => ticket.id);
    if (ids.length === 0) return [];
    const [messageKeys, readKeys] = await Promise.all([
      Promise.all(ids.map((id) => db.messages.where('[ticketId+createdAt]').between([id, Dexie.minKey], [id, Dexie.maxKey]).primaryKeys())),
      db.reads.where('ticketId').anyOf(ids).primaryKeys(),
    ]);
    await Promise.all([
      db.tickets.bulkDelete(ids),
      db.messages.bulkDelete(messageKeys.flat()),
      db.reads.bulkDelete(readKeys),
      setMeta(db, EVICTED_KEY, (evictedBefore ?? 0) + ids.length),
      setMeta(db, EVICTED_IDS_KEY, [...new Set([...(evictedIds ?? []), ...ids])]),
    ]);
    return ids;
  });
}

/** Whether this ticket's messages were dropped (then its messages are fetched when it is on screen). */
export async function wasEvicted(db: DeskDb, ticketId: string): Promise<boolean> {
  return ((await getMeta<string[]>(db, EVICTED_IDS_KEY)) ?? []).includes(ticketId);
}

/** The ticket's messages are back: forget that they were dropped. */
export async function restored(db: DeskDb, ticketId: string): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const ids = (await getMeta<string[]>(db, EVICTED_IDS_KEY)) ?? [];
    if (ids.includes(ticketId)) await setMeta(db, EVICTED_IDS_KEY, ids.filter((id) => id !== ticketId));
  });
}

/** Whether this device has dropped tickets (so a local search may miss some). */
export async function hasEvicted(db: DeskDb): Promise<boolean> {
  return ((await getMeta<number>(db, EVICTED_KEY)) ?? 0) > 0;
}
