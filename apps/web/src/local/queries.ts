import type { Message, TicketPriority, TicketStatus } from '@desk/core';
import { Dexie } from 'dexie';
import type { DeskDb, LocalTicket } from './db.ts';

/** The ticket list's filters; an empty list means "any". `assignees` holds agent ids and `none`. */
export interface TicketListFilter {
  statuses: readonly TicketStatus[];
  priorities: readonly TicketPriority[];
  assignees: readonly string[];
}

type Dimension = 'status' | 'priority' | 'assignee';
const ORDER: readonly Dimension[] = ['status', 'priority', 'assignee'];

function cartesian(lists: readonly (readonly string[])[]): string[][] {
  return lists.reduce<string[][]>((acc, list) => acc.flatMap((prefix) => list.map((value) => [...prefix, value])), [[]]);
}

/**
 * The newest `limit` tickets matching the filter, read from the compound index that ends in
 * `updatedAt` for exactly the dimensions set: one reverse range read of at most `limit` rows per
 * combination of values, then merged. No table scan, whatever the size of the table.
 */
export async function listTickets(db: DeskDb, filter: TicketListFilter, limit = 50): Promise<LocalTicket[]> {
  const values: Record<Dimension, readonly string[]> = { status: filter.statuses, priority: filter.priorities, assignee: filter.assignees };
  const dims = ORDER.filter((dim) => values[dim].length > 0);
  if (dims.length === 0) return db.tickets.orderBy('updatedAt').reverse().limit(limit).toArray();
  const index = `[${[...dims, 'updatedAt'].join('+')}]`;
  const combos = cartesian(dims.map((dim) => values[dim]));
  const pages = await Promise.all(
    combos.map((combo) =>
      db.tickets
        .where(index)
        .between([...combo, Dexie.minKey], [...combo, Dexie.maxKey])
        .reverse()
        .limit(limit)
        .toArray(),
    ),
  );
  if (pages.length === 1) return pages[0] ?? [];
  return pages
    .flat()
    .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0))
    .slice(0, limit);
}

/** A ticket's messages, oldest first. */
export function ticketMessages(db: DeskDb, ticketId: string): Promise<Message[]> {
  return db.messages.where('[ticketId+createdAt]').between([ticketId, Dexie.minKey], [ticketId, Dexie.maxKey]).toArray();
}
