import { TICKET_STATUSES, type TicketPriority, type TicketStatus } from '@desk/core';
import { Dexie } from 'dexie';
import type { DeskDb } from './db.ts';

/**
 * The ticket list as ordered ids, for a virtual list: the screen fetches only the rows it shows.
 * Everything is read from indexes as primary keys (IndexedDB `getAllKeys`), never rows, so
 * 50,000 tickets cost a few key arrays and set lookups, not a table scan.
 */
export interface TicketIdQuery {
  statuses: readonly TicketStatus[];
  priorities: readonly TicketPriority[];
  /** Agent ids and `none` (unassigned); empty means any. */
  assignees: readonly string[];
  /** Ids matching the text search, or null when there is no search. */
  matching: ReadonlySet<string> | null;
  newestFirst: boolean;
}

export interface TicketIdList {
  ids: string[];
  /** Tickets per status under every other filter (the status filter itself left out). */
  counts: Record<TicketStatus, number>;
}

const range = (values: readonly string[]) => [
  [...values, Dexie.minKey],
  [...values, Dexie.maxKey],
];

async function keysIn(db: DeskDb, index: string, values: readonly string[]): Promise<string[]> {
  const [lower, upper] = range(values);
  return (await db.tickets.where(index).between(lower, upper).primaryKeys()) as string[];
}

/** Ids of tickets with one of the priorities and one of the assignees (either list may be empty). */
async function otherFilter(db: DeskDb, priorities: readonly string[], assignees: readonly string[]): Promise<Set<string> | null> {
  if (priorities.length === 0 && assignees.length === 0) return null;
  const combos: { index: string; values: string[] }[] = [];
  if (priorities.length > 0 && assignees.length > 0) {
    for (const p of priorities) for (const a of assignees) combos.push({ index: '[priority+assignee+updatedAt]', values: [p, a] });
  } else if (priorities.length > 0) {
    for (const p of priorities) combos.push({ index: '[priority+updatedAt]', values: [p] });
  } else {
    for (const a of assignees) combos.push({ index: '[assignee+updatedAt]', values: [a] });
  }
  const pages = await Promise.all(combos.map((c) => keysIn(db, c.index, c.values)));
  const set = new Set<string>();
  for (const page of pages) for (const id of page) set.add(id);
  return set;
}

/**
 * The list for a query. Without a text search it reads the compound index that has exactly the
 * filtered dimensions (`[status(+priority)(+assignee)+updatedAt]`): counts per status are index
 * counts, and with one value per filter the ids are one range of primary keys, already in
 * `updatedAt` order, so 50,000 tickets cost a few counts and a key range, not every key of the table.
 * Other shapes (a search, several values in a large list) fall back to `ticketIdsByScan`.
 */
export function ticketIds(db: DeskDb, query: TicketIdQuery): Promise<TicketIdList> {
  // One read transaction for the counts and the keys (a transaction per read costs a phone-class CPU).
  return db.transaction('r', db.tickets, () => (query.matching ? ticketIdsByScan(db, query) : ticketIdsByIndex(db, query)));
}

async function ticketIdsByIndex(db: DeskDb, query: TicketIdQuery): Promise<TicketIdList> {
  const dims: (readonly string[])[] = [];
  if (query.priorities.length > 0) dims.push(query.priorities);
  if (query.assignees.length > 0) dims.push(query.assignees);
  const index = `[status${query.priorities.length > 0 ? '+priority' : ''}${query.assignees.length > 0 ? '+assignee' : ''}+updatedAt]`;
  const rest = dims.reduce<string[][]>((acc, list) => acc.flatMap((prefix) => list.map((value) => [...prefix, value])), [[]]);
  const rangeOf = (prefix: readonly string[]) => {
    const [lower, upper] = range(prefix);
    return db.tickets.where(index).between(lower, upper);
  };
  const [perStatus, total] = await Promise.all([
    Promise.all(TICKET_STATUSES.map((status) => Promise.all(rest.map((r) => rangeOf([status, ...r]).count())))),
    db.tickets.count(),
  ]);
  const counts = Object.fromEntries(TICKET_STATUSES.map((s, i) => [s, (perStatus[i] ?? []).reduce((a, b) => a + b, 0)])) as Record<TicketStatus, number>;
  const wanted: readonly TicketStatus[] = query.statuses.length > 0 ? TICKET_STATUSES.filter((s) => query.statuses.includes(s)) : TICKET_STATUSES;
  const size = wanted.reduce<number>((sum, s) => sum + counts[s], 0);
  const ranges = wanted.flatMap((status) => rest.map((r) => [status, ...r]));
  let ids: string[];
  if (ranges.length === 1) {
    ids = (await rangeOf(ranges[0] ?? []).primaryKeys()) as string[];
  } else if (dims.length === 0 && wanted.length === TICKET_STATUSES.length && Object.values(counts).reduce((a, b) => a + b, 0) === total) {
    ids = (await db.tickets.orderBy('updatedAt').primaryKeys()) as string[];
  } else if (size <= 5000) {
    // Several ranges of a few thousand rows: their index keys carry updatedAt, merge on it.
    const lists = await Promise.all(
      ranges.map(async (prefix) => {
        const [keys, primary] = await Promise.all([rangeOf(prefix).keys(), rangeOf(prefix).primaryKeys()]);
        return primary.map((id, i) => ({ id: id as string, at: String((keys[i] as unknown[]).at(-1)) }));
      }),
    );
    ids = lists
      .flat()
      .sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
      .map((entry) => entry.id);
  } else {
    return ticketIdsByScan(db, query);
  }
  if (query.newestFirst) ids.reverse();
  return { ids, counts };
}

/** The same answer from every key of the table (any query shape, including a text search). */
export async function ticketIdsByScan(db: DeskDb, query: TicketIdQuery): Promise<TicketIdList> {
  const [order, byStatus, other] = await Promise.all([
    db.tickets.orderBy('updatedAt').primaryKeys() as Promise<string[]>,
    Promise.all(TICKET_STATUSES.map((status) => keysIn(db, '[status+updatedAt]', [status]))),
    otherFilter(db, query.priorities, query.assignees),
  ]);
  const statusOf = new Map<string, TicketStatus>();
  TICKET_STATUSES.forEach((status, i) => {
    for (const id of byStatus[i] ?? []) statusOf.set(id, status);
  });
  const counts = Object.fromEntries(TICKET_STATUSES.map((s) => [s, 0])) as Record<TicketStatus, number>;
  const wanted = query.statuses.length > 0 ? new Set<TicketStatus>(query.statuses) : null;
  const ids: string[] = [];
  const matching = query.matching;
  for (const id of order) {
    if (other && !other.has(id)) continue;
    if (matching && !matching.has(id)) continue;
    const status = statusOf.get(id);
    if (!status) continue;
    counts[status] += 1;
    if (!wanted || wanted.has(status)) ids.push(id);
  }
  if (query.newestFirst) ids.reverse();
  return { ids, counts };
}
